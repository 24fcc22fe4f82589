//! `jixiao run`: findings for every unit, streamed in input order to stdout (or `--out FILE`;
//! an xlsx workbook always to a file), or with `--format md --out DIR` one write-up file per
//! unit.

use super::{DEFAULT_CASE, finish, load_rules, output_to, report, start_batch};
use jixiao::atomic_file;
use jixiao::batch::Batch;
use jixiao::problem::{Problem, ProblemKind};
use jixiao::render::safe::{Layout, escape};
use jixiao::render::{Format, RunWriter, Writeup, writeup_file_name};
use jixiao::rule_set::RuleSet;
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
    // A write-up is one file per unit: `--out` names their folder. Every other format is one
    // stream, to stdout or to the file `--out` names.
    if let Some(dir) = out.filter(|o| o.is_dir() && format != Format::Md) {
        eprintln!(
            "jixiao: {} is a folder: --out DIR writes one write-up per unit with --format md; other formats go to stdout or to a file",
            dir.display()
        );
        return ExitCode::from(2);
    }
    if let (Format::Md, Some(dir)) = (format, out) {
        return write_files(&batch, paths, &rule_set, dir, problems);
    }
    output_to(out, format == Format::Xlsx, |out| {
        let written = RunWriter::begin(format, &rule_set, out).and_then(|mut writer| {
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

/// Writes each unit's write-up to `dir`, named by its code, each file whole or not at all;
/// a unit whose file cannot be written is reported and the others are still written.
fn write_files(
    batch: &Batch,
    paths: &[PathBuf],
    rule_set: &RuleSet,
    dir: &Path,
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
    let mut written = 0;
    let mut unwritten = Vec::new();
    let ran = batch.run(paths, |outcome| {
        problems.extend(outcome.problems);
        if let Some((unit, _)) = &outcome.unit {
            let path = dir.join(writeup_file_name(&unit.code));
            match atomic_file::write(&path, writeup.unit(unit).as_bytes()) {
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
    let status = finish(&problems);
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
