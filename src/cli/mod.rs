//! The command line: one module per command, the argument definitions and what they share —
//! loading the rules, reporting problems with their source lines, and writing results to
//! stdout so that a full disk or a closed pipe ends every command the same way.

mod explain;
mod import;
mod new_rule;
mod report;
mod rules;
mod run;
mod score;
mod summary;
mod template;
mod test;
mod watch;

use clap::{Parser, Subcommand};
use jixiao::batch::{self, Batch};
use jixiao::diagnostic::Problem;
use jixiao::engine::rule_set::{self, RuleSet};
use jixiao::engine::severity::Severity;
use jixiao::output::Format;
use jixiao::output::ranking::ScoreFormat;
use jixiao::output::safe::{Layout, escape};
use std::io::{self, StdoutLock, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub const DEFAULT_CASE: &str = "cases/lukou-hrss-2023";

#[derive(Parser)]
#[command(
    name = "jixiao",
    version,
    about = "绩效: budget performance-deviation analysis with Rhai rules"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load and compile every rule, rules.toml, causes.toml and scoring.toml; report each
    /// problem as `path:line:col: message` and exit 2 if there is any.
    Check {
        #[arg(long, default_value = "rules")]
        rules: PathBuf,
    },
    /// Run the rules over unit files and print the findings.
    Run {
        /// Unit files, folders of them, or JSON Lines files; `-` reads JSON Lines from stdin
        /// (default: the bundled seed case).
        paths: Vec<PathBuf>,
        #[arg(long, default_value = "rules")]
        rules: PathBuf,
        /// The scoring form for every unit of the run: a form name of the rules directory's
        /// `scoring/` (e.g. `execution-20`) or a form file. Default: each unit's own `scoring`,
        /// else `default`.
        #[arg(long)]
        scoring: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Write the output to FILE (whole or not at all) instead of stdout; needed for xlsx
        /// unless stdout is redirected. With `--format md`, a folder: each unit's write-up
        /// goes to DIR/<unit code>.md.
        #[arg(long, value_name = "FILE|DIR")]
        out: Option<PathBuf>,
        /// Worker threads (default: all cores). The output is the same for any number.
        #[arg(long)]
        jobs: Option<usize>,
        /// Show only findings of this severity or above (stderr says how many were hidden).
        #[arg(long, value_enum)]
        min_severity: Option<Severity>,
        /// Exit 1 when a finding of this severity or above exists (suppressed ones never
        /// count; shown or not); exit 2 for input and rule errors still wins.
        #[arg(long, value_enum)]
        fail_on: Option<Severity>,
    },
    /// Score every unit and rank them: score, grade, execution rate, findings by severity and
    /// category.
    Score {
        /// Unit files, folders of them (searched recursively), or JSON Lines files (`*.jsonl`);
        /// `-` reads JSON Lines from stdin.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, default_value = "rules")]
        rules: PathBuf,
        /// The scoring form for every unit of the run: a form name of the rules directory's
        /// `scoring/` (e.g. `execution-20`) or a form file. Default: each unit's own `scoring`,
        /// else `default`.
        #[arg(long)]
        scoring: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = ScoreFormat::Table)]
        format: ScoreFormat,
        /// Write the output to FILE (whole or not at all) instead of stdout; needed for xlsx
        /// unless stdout is redirected.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Worker threads (default: all cores). The output is the same for any number.
        #[arg(long)]
        jobs: Option<usize>,
    },
    /// The batch in figures: findings by category and severity (how many units and projects,
    /// which), units by execution-rate band (<60%, 60–80%, 80–90%, ≥90%), and by 主管部门.
    Summary(summary::Args),
    /// Write a deterministic synthetic batch: a folder of TOML files, or JSON Lines when OUT
    /// ends in `.jsonl`. OUT must be new (or an empty folder) unless --force.
    Gen {
        #[arg(long)]
        units: usize,
        #[arg(long, default_value_t = 20)]
        projects: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
        /// Replace the JSON Lines file, or the unit files an earlier `gen` wrote in the folder
        /// (a folder holding anything else is still refused).
        #[arg(long)]
        force: bool,
    },
    /// Run every case and compare it with its snapshot and its stated expectations.
    Test(test::Args),
    /// Read 自评表 workbooks (.xlsx, .xls, .ods) into unit TOML files to review and keep.
    Import(import::Args),
    /// Write the 自评表 workbook in the national layout: blank, or filled from a unit file.
    Template(template::Args),
    /// The rule catalogue: list, explain, document, editor definitions.
    Rules {
        #[command(subcommand)]
        command: rules::Command,
        #[arg(long, default_value = "rules", global = true)]
        rules: PathBuf,
    },
    /// One self-contained HTML report: overview with charts, by 主管部门, ranking, and a
    /// section per unit with its write-up.
    Report(report::Args),
    /// Show, for one record, every rule's outcome and the values it read.
    Explain(explain::Args),
    /// Rerun `run` (or `test`) whenever a rule, a setting or a case changes.
    Watch(watch::Args),
    /// Write a new rule with its doc comment, and a firing and a near-miss case to fill in.
    NewRule(new_rule::Args),
}

/// Prints problems on stderr, each with its source line when it has one (escaped: the line
/// may come from a unit file).
pub fn report(problems: &[Problem]) {
    for problem in problems {
        eprintln!("{}", escape(&problem.with_source(), Layout::Lines));
    }
}

/// Runs a command's `body` with stdout to write its results to, and ends every command the
/// same way when a write fails: quietly on a closed pipe (`| head -1`), as other tools do,
/// otherwise (a full disk, `>/dev/full`) with one line on stderr and exit 2. Never a panic,
/// which `println!` would be.
pub fn output(body: impl FnOnce(&mut StdoutLock<'static>) -> io::Result<ExitCode>) -> ExitCode {
    let mut out = io::stdout().lock();
    match body(&mut out).and_then(|code| out.flush().map(|()| code)) {
        Ok(code) => code,
        Err(e) => write_failed(&e),
    }
}

/// The exit of a command whose results could not be written.
fn write_failed(error: &io::Error) -> ExitCode {
    if error.kind() == io::ErrorKind::BrokenPipe {
        return ExitCode::SUCCESS;
    }
    let advice = match error.kind() {
        io::ErrorKind::StorageFull => "free some space or send the output elsewhere",
        _ => "check where the output is sent",
    };
    eprintln!("jixiao: cannot write the results: {error}; {advice}");
    ExitCode::from(2)
}

/// [`output`] to FILE when `--out` names one (written whole, or not at all), else to stdout;
/// a `binary` output (xlsx) is not sent to a terminal.
pub fn output_to(
    file: Option<&Path>,
    binary: bool,
    body: impl FnOnce(&mut dyn Write) -> io::Result<ExitCode>,
) -> ExitCode {
    let Some(path) = file else {
        use std::io::IsTerminal;
        if binary && io::stdout().is_terminal() {
            eprintln!(
                "jixiao: xlsx is a binary file: give --out FILE (such as --out 结果.xlsx) or redirect the output to a file"
            );
            return ExitCode::from(2);
        }
        return output(|out| body(out));
    };
    let written = jixiao::output::atomic_file::AtomicFile::create(path).and_then(|mut file| {
        let code = body(&mut file)?;
        file.commit()?;
        Ok(code)
    });
    match written {
        Ok(code) => code,
        Err(e) => {
            eprintln!("jixiao: cannot write {}: {e}", path.display());
            ExitCode::from(2)
        }
    }
}

/// The terminal's width in columns when stdout is one, to fit tables to it; `None` when
/// stdout is a pipe or a file, which get the plain, unwrapped form.
pub fn terminal_width() -> Option<usize> {
    terminal_size::terminal_size_of(io::stdout()).map(|(width, _)| usize::from(width.0))
}

/// A word on stderr when `-` would read JSON Lines from a terminal, which looks like a hang.
pub fn stdin_hint(paths: &[PathBuf]) {
    use std::io::IsTerminal;
    if paths
        .iter()
        .any(|p| p.as_os_str() == jixiao::input::load::STDIN)
        && io::stdin().is_terminal()
    {
        eprintln!(
            "jixiao: reading JSON Lines (one unit per line) from the terminal; end with Ctrl-D"
        );
    }
}

/// Loads the rules; `None` (after printing why) when nothing can run.
pub fn load_rules(
    dir: &Path,
    scoring: Option<&Path>,
    problems: &mut Vec<Problem>,
) -> Option<RuleSet> {
    if !dir.is_dir() {
        eprintln!(
            "jixiao: no rules directory at `{}`; run from the project folder or pass --rules DIR",
            dir.display()
        );
        return None;
    }
    let loaded = rule_set::load(dir, scoring);
    problems.extend(loaded.problems);
    loaded.rule_set
}

/// The worker pool for `--jobs`, with a note on stderr when the number asked for was capped;
/// `None` (after saying why) when the threads cannot start.
pub fn start_batch(rule_set: &RuleSet, jobs: Option<usize>) -> Option<Batch> {
    let (threads, note) = batch::worker_count(jobs);
    if let Some(note) = note {
        eprintln!("jixiao: {note}");
    }
    match Batch::new(rule_set, threads) {
        Ok(batch) => Some(batch),
        Err(message) => {
            eprintln!("jixiao: {message}");
            None
        }
    }
}

/// Exit 0 when there was no problem, 2 otherwise (after reporting them).
pub fn finish(problems: &[Problem]) -> ExitCode {
    report(problems);
    if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

pub fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Check { rules } => {
            let mut problems = Vec::new();
            let rule_set = load_rules(&rules, None, &mut problems);
            let Some(set) = rule_set else {
                report(&problems);
                return ExitCode::from(2);
            };
            if problems.is_empty() {
                eprintln!("{} rules OK in {}", set.rules.len(), rules.display());
            }
            finish(&problems)
        }
        Command::Run {
            paths,
            rules,
            scoring,
            format,
            out,
            jobs,
            min_severity,
            fail_on,
        } => run::run(
            &paths,
            &rules,
            scoring.as_deref(),
            format,
            out.as_deref(),
            jobs,
            run::Filter {
                min_severity,
                fail_on,
            },
        ),
        Command::Score {
            paths,
            rules,
            scoring,
            format,
            out,
            jobs,
        } => score::score(
            &paths,
            &rules,
            scoring.as_deref(),
            format,
            out.as_deref(),
            jobs,
        ),
        Command::Gen {
            units,
            projects,
            seed,
            out,
            force,
        } => match jixiao::analyst::generate::write(&out, units, projects, seed, force) {
            Ok(()) => {
                eprintln!(
                    "wrote {units} units of {projects} projects to {}",
                    out.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("jixiao: {e}");
                ExitCode::from(2)
            }
        },
        Command::Summary(args) => summary::summary(&args),
        Command::Test(args) => test::test(&args),
        Command::Import(args) => import::import(&args),
        Command::Template(args) => template::template(&args),
        Command::Rules { command, rules } => rules::rules(command, &rules),
        Command::Report(args) => report::report(&args),
        Command::Explain(args) => explain::explain(&args),
        Command::Watch(args) => watch::watch(&args),
        Command::NewRule(args) => new_rule::new_rule(&args),
    }
}
