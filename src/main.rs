//! The `jixiao` command line: `check` a rules directory, `run` rules over unit files,
//! `score` and rank a batch, `gen` a synthetic batch.

use clap::{Parser, Subcommand};

// mimalloc: the allocation-heavy evaluation runs markedly faster and scales better across
// threads than with the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use jixiao::batch::Batch;
use jixiao::problem::Problem;
use jixiao::render::ranking::{ScoreFormat, ScoreWriter, UnitSummary};
use jixiao::render::{Format, RunWriter};
use jixiao::rule_set::{self, RuleSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const DEFAULT_CASE: &str = "cases/lukou-hrss-2023";

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
        /// Unit files or folders of them (default: the bundled seed case).
        paths: Vec<PathBuf>,
        #[arg(long, default_value = "rules")]
        rules: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Worker threads (default: all cores). The output is the same for any number.
        #[arg(long)]
        jobs: Option<usize>,
    },
    /// Score every unit and rank them: score, grade, execution rate, findings by severity and
    /// category.
    Score {
        /// Unit files, folders of them (searched recursively), or JSON Lines files (`*.jsonl`).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, default_value = "rules")]
        rules: PathBuf,
        /// Scoring settings (default: scoring.toml in the rules directory).
        #[arg(long)]
        scoring: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = ScoreFormat::Table)]
        format: ScoreFormat,
        /// Worker threads (default: all cores). The output is the same for any number.
        #[arg(long)]
        jobs: Option<usize>,
    },
    /// Write a deterministic synthetic batch: a folder of TOML files, or JSON Lines when OUT
    /// ends in `.jsonl`.
    Gen {
        #[arg(long)]
        units: usize,
        #[arg(long, default_value_t = 20)]
        projects: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
    },
}

fn report(problems: &[Problem]) {
    for problem in problems {
        eprintln!("{problem}");
    }
}

/// Loads the rules; `None` (after printing why) when nothing can run.
fn load_rules(dir: &Path, scoring: Option<&Path>, problems: &mut Vec<Problem>) -> Option<RuleSet> {
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut problems = Vec::new();
    match cli.command {
        Command::Check { rules } => {
            let rule_set = load_rules(&rules, None, &mut problems);
            report(&problems);
            if let Some(set) = &rule_set
                && problems.is_empty()
            {
                eprintln!("{} rules OK in {}", set.rules.len(), rules.display());
            }
            if rule_set.is_none() || !problems.is_empty() {
                return ExitCode::from(2);
            }
        }
        Command::Run {
            paths,
            rules,
            format,
            jobs,
        } => {
            let Some(rule_set) = load_rules(&rules, None, &mut problems) else {
                report(&problems);
                return ExitCode::from(2);
            };
            let paths = if paths.is_empty() {
                vec![PathBuf::from(DEFAULT_CASE)]
            } else {
                paths
            };
            let batch = Batch::new(&rule_set, jobs);
            let stdout = std::io::stdout().lock();
            let written = RunWriter::begin(format, stdout).and_then(|mut writer| {
                let mut failed = Ok(());
                batch.run(&paths, |outcome| {
                    problems.extend(outcome.problems);
                    if let (Some((report, _)), Ok(())) = (&outcome.unit, &failed) {
                        failed = writer.unit(report);
                    }
                });
                failed?;
                writer.finish(&problems)
            });
            report(&problems);
            if let Err(e) = written {
                eprintln!("jixiao: cannot write the results: {e}");
                return ExitCode::from(2);
            }
            if !problems.is_empty() {
                return ExitCode::from(2);
            }
        }
        Command::Score {
            paths,
            rules,
            scoring,
            format,
            jobs,
        } => {
            let Some(rule_set) = load_rules(&rules, scoring.as_deref(), &mut problems) else {
                report(&problems);
                return ExitCode::from(2);
            };
            if let Err(e) = score(&rule_set, &paths, format, jobs, &mut problems) {
                report(&problems);
                eprintln!("jixiao: cannot write the results: {e}");
                return ExitCode::from(2);
            }
            report(&problems);
            if !problems.is_empty() {
                return ExitCode::from(2);
            }
        }
        Command::Gen {
            units,
            projects,
            seed,
            out,
        } => {
            if let Err(e) = jixiao::generate::write(&out, units, projects, seed) {
                eprintln!("jixiao: cannot write {}: {e}", out.display());
                return ExitCode::from(2);
            }
            eprintln!(
                "wrote {units} units of {projects} projects to {}",
                out.display()
            );
        }
    }
    ExitCode::SUCCESS
}

/// A spinner counting units on stderr, only when stderr is a terminal.
fn progress() -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} units  {per_sec}  {elapsed}")
                .expect("a valid template"),
        );
        bar
    })
}

fn score(
    rule_set: &RuleSet,
    paths: &[PathBuf],
    format: ScoreFormat,
    jobs: Option<usize>,
    problems: &mut Vec<Problem>,
) -> std::io::Result<()> {
    let batch = Batch::new(rule_set, jobs);
    let mut writer = ScoreWriter::begin(format, std::io::stdout().lock())?;
    let mut summaries = Vec::new();
    let mut written = Ok(());
    let bar = progress();
    batch.run(paths, |outcome| {
        if let Some((report, score)) = &outcome.unit {
            summaries.push(UnitSummary::new(report, score, outcome.problems.len()));
            if written.is_ok() {
                written = writer.scorecard(report, score);
            }
        }
        problems.extend(outcome.problems);
        if let Some(bar) = &bar {
            bar.inc(1);
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    written?;
    jixiao::render::ranking::rank(&mut summaries);
    writer.finish(&summaries, problems)
}
