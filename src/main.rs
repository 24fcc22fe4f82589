//! The `jixiao` command line: `check` a rules directory, `run` rules over unit files.

use clap::{Parser, Subcommand};
use jixiao::batch::Batch;
use jixiao::problem::Problem;
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
}

fn report(problems: &[Problem]) {
    for problem in problems {
        eprintln!("{problem}");
    }
}

/// Loads the rules; `None` (after printing why) when nothing can run.
fn load_rules(dir: &Path, problems: &mut Vec<Problem>) -> Option<RuleSet> {
    if !dir.is_dir() {
        eprintln!(
            "jixiao: no rules directory at `{}`; run from the project folder or pass --rules DIR",
            dir.display()
        );
        return None;
    }
    let loaded = rule_set::load(dir, None);
    problems.extend(loaded.problems);
    loaded.rule_set
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut problems = Vec::new();
    match cli.command {
        Command::Check { rules } => {
            let rule_set = load_rules(&rules, &mut problems);
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
            let Some(rule_set) = load_rules(&rules, &mut problems) else {
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
    }
    ExitCode::SUCCESS
}
