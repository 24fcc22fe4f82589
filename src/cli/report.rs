//! `jixiao report PATH… --out report.html`: the batch gathered in one pass into the HTML
//! report (see `jixiao::output::report`), written whole or not at all.

use super::{finish, load_rules, output_to, report as report_problems, start_batch};
use jixiao::diagnostic::{Problem, ProblemKind};
use jixiao::output::report::{self, DEFAULT_DETAILS, Details, Gathered, Selection};
use std::path::{Path, PathBuf};
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
    /// How many units get a full section: the N lowest-ranked, or `all`. The others are a
    /// line in the ranking.
    #[arg(long, value_name = "N|all", default_value_t = Details::Lowest(DEFAULT_DETAILS))]
    details: Details,
    /// A unit (by code) that gets a full section whatever its rank; repeatable.
    #[arg(long = "unit", value_name = "CODE")]
    units: Vec<String>,
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
    // The sections wait in the output's own folder, on the same disk as the report.
    let folder = match args.out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let selection = Selection {
        details: args.details,
        units: args.units.clone(),
    };
    output_to(Some(&args.out), false, |out| {
        let mut gathered = Gathered::new(&rule_set, folder, selection.clone())?;
        let mut spooled = Ok(());
        let ran = batch.run(&args.paths, |outcome| {
            if let Some((unit, score)) = &outcome.unit
                && spooled.is_ok()
            {
                spooled = gathered.add(unit, score, outcome.problems.len());
            }
            problems.extend(outcome.problems);
        });
        spooled?;
        if let Err(message) = ran {
            problems.push(Problem::new(ProblemKind::Input, "", message));
        }
        let missing = report::write(out, gathered, &rule_set)?;
        for code in missing {
            problems.push(Problem::new(
                ProblemKind::Input,
                "",
                format!("--unit {code}: no unit of the batch has this code"),
            ));
        }
        Ok(finish(&problems))
    })
}
