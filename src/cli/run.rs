//! `jixiao run`: findings for every unit, streamed in input order.

use super::{DEFAULT_CASE, finish, load_rules, report, start_batch};
use jixiao::render::{Format, RunWriter};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(paths: &[PathBuf], rules: &Path, format: Format, jobs: Option<usize>) -> ExitCode {
    let mut problems = Vec::new();
    let Some(rule_set) = load_rules(rules, None, &mut problems) else {
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
    let written = RunWriter::begin(format, std::io::stdout().lock()).and_then(|mut writer| {
        let mut failed = Ok(());
        batch
            .run(paths, |outcome| {
                problems.extend(outcome.problems);
                if let (Some((report, _)), Ok(())) = (&outcome.unit, &failed) {
                    failed = writer.unit(report);
                }
            })
            .map_err(std::io::Error::other)?;
        failed?;
        writer.finish(&problems)
    });
    if let Err(e) = written {
        report(&problems);
        eprintln!("jixiao: cannot write the results: {e}");
        return ExitCode::from(2);
    }
    finish(&problems)
}
