//! `jixiao summary`: the batch in figures — kinds of finding, execution-rate bands, 主管部门.

use super::{finish, load_rules, output, report, start_batch, stdin_hint, terminal_width};
use jixiao::diagnostic::{Problem, ProblemKind};
use jixiao::output::summary::{self, SummaryFormat};
use jixiao::score::summary::Builder;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Unit files, folders of them (searched recursively), or JSON Lines files (`*.jsonl`);
    /// `-` reads JSON Lines from stdin.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[arg(long, default_value = "rules")]
    rules: PathBuf,
    /// The scoring form for every unit (see `score --scoring`); it decides the execution rate
    /// and the findings of SCORE-MISMATCH.
    #[arg(long)]
    scoring: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = SummaryFormat::Table)]
    format: SummaryFormat,
    /// Worker threads (default: all cores). The output is the same for any number.
    #[arg(long)]
    jobs: Option<usize>,
}

pub fn summary(args: &Args) -> ExitCode {
    let mut problems = Vec::new();
    let Some(rule_set) = load_rules(&args.rules, args.scoring.as_deref(), &mut problems) else {
        report(&problems);
        return ExitCode::from(2);
    };
    let Some(batch) = start_batch(&rule_set, args.jobs) else {
        return ExitCode::from(2);
    };
    stdin_hint(&args.paths);
    let mut builder = Builder::default();
    let ran = batch.run(&args.paths, |outcome| {
        if let Some((report, score)) = &outcome.unit {
            builder.add(report, score);
        }
        problems.extend(outcome.problems);
    });
    if let Err(message) = ran {
        problems.push(Problem::new(ProblemKind::Input, "", message));
    }
    let figures = builder.finish();
    output(|out| {
        let written = summary::write(args.format, &figures, &problems, terminal_width(), out);
        // The problems are reported even when the results could not be written.
        let status = finish(&problems);
        written.map(|()| status)
    })
}
