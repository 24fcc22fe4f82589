//! `jixiao run`: findings for every unit, streamed in input order.

use super::{DEFAULT_CASE, finish, load_rules, output_to, report, start_batch};
use jixiao::problem::{Problem, ProblemKind};
use jixiao::render::{Format, RunWriter};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(
    paths: &[PathBuf],
    rules: &Path,
    scoring: Option<&Path>,
    format: Format,
    out: Option<&Path>,
    jobs: Option<usize>,
) -> ExitCode {
    let mut problems = Vec::new();
    let Some(rule_set) = load_rules(rules, scoring, &mut problems) else {
        report(&problems);
        return ExitCode::from(2);
    };
    let default = [PathBuf::from(DEFAULT_CASE)];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let Some(batch) = start_batch(&rule_set, jobs) else {
        return ExitCode::from(2);
    };
    output_to(out, format == Format::Xlsx, |out| {
        let written = RunWriter::begin(format, out).and_then(|mut writer| {
            let mut failed = Ok(());
            let ran = batch.run(paths, |outcome| {
                problems.extend(outcome.problems);
                if let (Some((report, _)), Ok(())) = (&outcome.unit, &failed) {
                    failed = writer.unit(report);
                }
            });
            if let Err(message) = ran {
                problems.push(Problem::new(ProblemKind::Input, "", message));
            }
            failed?;
            writer.finish(&problems)
        });
        // The problems are reported even when the results could not be written.
        let status = finish(&problems);
        written.map(|()| status)
    })
}
