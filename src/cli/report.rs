//! `jixiao report PATH… --out report.html`: the batch gathered in one pass into the HTML
//! report (see `jixiao::output::report`), written whole or not at all.

use super::{finish, load_rules, output_to, report as report_problems, start_batch};
use jixiao::diagnostic::{Problem, ProblemKind};
use jixiao::output::report::{self, Gathered};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Unit files, folders of them (searched recursively), or JSON Lines files (`*.jsonl`).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The HTML file to write (such as 报告.html).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    #[arg(long, default_value = "rules")]
    rules: PathBuf,
    /// The scoring form for every unit (as for `score`).
    #[arg(long)]
    scoring: Option<PathBuf>,
    /// Worker threads (default: all cores). The output is the same for any number.
    #[arg(long)]
    jobs: Option<usize>,
}

pub fn report(args: &Args) -> ExitCode {
    let mut problems = Vec::new();
    let Some(rule_set) = load_rules(&args.rules, args.scoring.as_deref(), &mut problems) else {
        report_problems(&problems);
        return ExitCode::from(2);
    };
    let Some(batch) = start_batch(&rule_set, args.jobs) else {
        return ExitCode::from(2);
    };
    output_to(Some(&args.out), false, |out| {
        let mut gathered = Gathered::new(&rule_set);
        let ran = batch.run(&args.paths, |outcome| {
            if let Some((unit, score)) = &outcome.unit {
                gathered.add(unit, score, outcome.problems.len());
            }
            problems.extend(outcome.problems);
        });
        if let Err(message) = ran {
            problems.push(Problem::new(ProblemKind::Input, "", message));
        }
        let written = report::write(out, gathered, &rule_set);
        let status = finish(&problems);
        written.map(|()| status)
    })
}
