//! `jixiao run`: findings for every unit, streamed in input order. `--min-severity` hides the
//! lesser findings from what is shown; `--fail-on` makes the exit status say whether a finding
//! at or above a severity exists (1), so that a unit's own submission check can gate on it.

use super::{
    DEFAULT_CASE, finish, load_rules, output, report, start_batch, stdin_hint, terminal_width,
};
use jixiao::problem::{Problem, ProblemKind};
use jixiao::render::ranking::counted;
use jixiao::render::{Format, RunWriter};
use jixiao::severity::{Severity, at_least};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Which findings are shown, and which fail the run.
pub struct Filter {
    pub min_severity: Option<Severity>,
    pub fail_on: Option<Severity>,
}

pub fn run(
    paths: &[PathBuf],
    rules: &Path,
    scoring: Option<&Path>,
    format: Format,
    jobs: Option<usize>,
    filter: Filter,
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
    stdin_hint(paths);
    let (mut hidden, mut failing) = (0, 0);
    output(|out| {
        let begun = RunWriter::begin(format, out)
            .map(|w| w.wrap_at(terminal_width()).showing(filter.min_severity));
        let written = begun.and_then(|mut writer| {
            // Rules that did not load are the first lines of JSON Lines output.
            let mut failed = writer.problems(&problems);
            let ran = batch.run(paths, |outcome| {
                if let Some((report, score)) = &outcome.unit {
                    if let Some(level) = filter.fail_on {
                        failing += counted(report).filter(|f| at_least(f, level)).count();
                    }
                    if failed.is_ok() {
                        failed = writer.unit(report, score);
                    }
                }
                if failed.is_ok() {
                    failed = writer.problems(&outcome.problems);
                }
                problems.extend(outcome.problems);
            });
            if let Err(message) = ran {
                let problem = Problem::new(ProblemKind::Input, "", message);
                if failed.is_ok() {
                    failed = writer.problems(std::slice::from_ref(&problem));
                }
                problems.push(problem);
            }
            failed?;
            hidden = writer.hidden();
            writer.finish(&problems)
        });
        if let (Some(level), 1..) = (filter.min_severity, hidden) {
            eprintln!(
                "jixiao: {hidden} findings below {} not shown (--min-severity {})",
                level.name(),
                level.name()
            );
        }
        if let (Some(level), 1..) = (filter.fail_on, failing) {
            eprintln!(
                "jixiao: {failing} findings at or above {} (--fail-on {})",
                level.name(),
                level.name()
            );
        }
        // The problems are reported even when the results could not be written; exit 2 for
        // them wins over exit 1 for findings.
        let status = match (problems.is_empty(), failing) {
            (false, _) => finish(&problems),
            (true, 0) => ExitCode::SUCCESS,
            (true, _) => ExitCode::from(1),
        };
        written.map(|()| status)
    })
}
