//! `jixiao run`: findings for every unit, streamed in input order to stdout (or `--out FILE`;
//! an xlsx workbook always to a file), or with `--format md --out DIR` one write-up file per
//! unit. `--min-severity` hides the lesser findings from what is shown; `--fail-on` makes the
//! exit status say whether a finding at or above a severity exists (1), so that a unit's own
//! submission check can gate on it.

use super::{
    DEFAULT_CASE, finish, load_rules, output_to, report, start_batch, stdin_hint, terminal_width,
};
use jixiao::batch::{Batch, Outcome};
use jixiao::diagnostic::{Problem, ProblemKind};
use jixiao::engine::rule_set::RuleSet;
use jixiao::engine::severity::Severity;
use jixiao::output::atomic_file;
use jixiao::output::safe::{Layout, escape};
use jixiao::output::{Format, RunWriter, Writeup, shown, writeup_file_name};
use jixiao::score::ranking::counted;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Which findings are shown, and which fail the run.
pub struct Filter {
    pub min_severity: Option<Severity>,
    pub fail_on: Option<Severity>,
}

/// What the filter left out and what it found failing, said on stderr at the end.
#[derive(Default)]
struct Tally {
    hidden: usize,
    failing: usize,
}

impl Tally {
    fn count(&mut self, filter: &Filter, outcome: &Outcome) {
        if let (Some(level), Some((report, _))) = (filter.fail_on, &outcome.unit) {
            self.failing += counted(report).filter(|f| f.severity >= level).count();
        }
    }

    /// Says what was hidden and what fails; the exit status, where problems (exit 2) win
    /// over failing findings (exit 1).
    fn status(&self, filter: &Filter, problems: &[Problem]) -> ExitCode {
        if let (Some(level), 1..) = (filter.min_severity, self.hidden) {
            let name = level.name();
            eprintln!(
                "jixiao: {} findings below {name} not shown (--min-severity {name})",
                self.hidden
            );
        }
        if let (Some(level), 1..) = (filter.fail_on, self.failing) {
            let name = level.name();
            eprintln!(
                "jixiao: {} findings at or above {name} (--fail-on {name})",
                self.failing
            );
        }
        match (problems.is_empty(), self.failing) {
            (false, _) => finish(problems),
            (true, 0) => ExitCode::SUCCESS,
            (true, _) => ExitCode::from(1),
        }
    }
}

pub fn run(
    paths: &[PathBuf],
    rules: &Path,
    scoring: Option<&Path>,
    format: Format,
    out: Option<&Path>,
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
    // A write-up is one file per unit: `--out` names their folder. Every other format is one
    // stream, to stdout or to the file `--out` names.
    if let Some(dir) = out.filter(|o| o.is_dir() && format != Format::Md) {
        eprintln!(
            "jixiao: {} is a folder: --out DIR writes one write-up per unit with --format md; other formats go to stdout or to a file",
            dir.display()
        );
        return ExitCode::from(2);
    }
    stdin_hint(paths);
    if let (Format::Md, Some(dir)) = (format, out) {
        return write_files(&batch, paths, &rule_set, dir, &filter, problems);
    }
    let mut tally = Tally::default();
    output_to(out, format == Format::Xlsx, |out| {
        let begun = RunWriter::begin(format, &rule_set, out)
            .map(|w| w.wrap_at(terminal_width()).showing(filter.min_severity));
        let written = begun.and_then(|mut writer| {
            // Rules that did not load are the first lines of JSON Lines output.
            let mut failed = writer.problems(&problems);
            let ran = batch.run(paths, |outcome| {
                tally.count(&filter, &outcome);
                if let (Some((report, score)), true) = (&outcome.unit, failed.is_ok()) {
                    failed = writer.unit(report, score);
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
            tally.hidden = writer.hidden();
            writer.finish(&problems)
        });
        // The problems are reported even when the results could not be written.
        let status = tally.status(&filter, &problems);
        written.map(|()| status)
    })
}

/// Writes each unit's write-up to `dir`, named by its code, each file whole or not at all;
/// a unit whose file cannot be written is reported and the others are still written.
fn write_files(
    batch: &Batch,
    paths: &[PathBuf],
    rule_set: &RuleSet,
    dir: &Path,
    filter: &Filter,
    mut problems: Vec<Problem>,
) -> ExitCode {
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!(
            "jixiao: cannot create the folder `{}` for the write-ups: {e}; check the path and its permissions",
            dir.display()
        );
        return ExitCode::from(2);
    }
    let writeup = Writeup::new(rule_set);
    let mut tally = Tally::default();
    let mut written = 0;
    let mut unwritten = Vec::new();
    let ran = batch.run(paths, |outcome| {
        tally.count(filter, &outcome);
        problems.extend(outcome.problems);
        if let Some((unit, _)) = &outcome.unit {
            let (unit, hidden) = shown(unit, filter.min_severity);
            tally.hidden += hidden;
            let path = dir.join(writeup_file_name(&unit.code));
            match atomic_file::write(&path, writeup.unit(&unit).as_bytes()) {
                Ok(()) => written += 1,
                Err(e) => unwritten.push(format!(
                    "jixiao: cannot write the write-up of unit `{}` to `{}`: {e}; free some space or check the folder's permissions, then run again",
                    unit.code,
                    path.display()
                )),
            }
        }
    });
    if let Err(message) = ran {
        problems.push(Problem::new(ProblemKind::Input, "", message));
    }
    let status = tally.status(filter, &problems);
    for message in &unwritten {
        // The message quotes the unit code, which may hold any character.
        eprintln!("{}", escape(message, Layout::Line));
    }
    eprintln!("wrote {written} write-ups to {}", dir.display());
    if unwritten.is_empty() {
        status
    } else {
        ExitCode::from(2)
    }
}
