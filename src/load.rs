//! Loading unit records: finding the unit files under the paths given, reading each one,
//! and reporting what cannot be read with the file, line, column and field, so the user can
//! go straight to it. Duplicate unit codes in a batch and duplicate project codes in a unit
//! are reported too; the records are still evaluated, so nothing is lost.

use crate::problem::{Problem, ProblemKind, line_column};
use crate::record::UnitFile;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A unit read from a file, with the file it came from as the user named it.
pub struct UnitSource {
    pub file: String,
    pub record: UnitFile,
}

/// A case folder's expectations file (`cases/*/case.toml`): never a unit.
pub const CASE_FILE: &str = "case.toml";

/// Unit files under `paths`: files as given, folders searched recursively for `*.toml`
/// (except a case's `case.toml`), in a stable (sorted) order.
pub fn unit_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Problem>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut files, &mut problems);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            problems.push(Problem::new(
                ProblemKind::Input,
                path.display().to_string(),
                "no such file or folder",
            ));
        }
    }
    (files, problems)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, problems: &mut Vec<Problem>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(Problem::new(
                ProblemKind::Input,
                dir.display().to_string(),
                format!("cannot read folder: {e}"),
            ));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, files, problems);
        } else if path.extension().is_some_and(|x| x == "toml")
            && path.file_name().is_some_and(|n| n != CASE_FILE)
        {
            files.push(path);
        }
    }
}

/// A TOML error as a problem at its line and column, with the field path when known.
pub fn toml_problem(kind: ProblemKind, path: &Path, text: &str, error: toml::de::Error) -> Problem {
    let mut problem = Problem::new(kind, path.display().to_string(), error.message().trim());
    if let Some(span) = error.span() {
        let (line, column) = line_column(text, span.start);
        problem = problem.at(line, column);
    }
    let mut without_input = error.clone();
    without_input.set_input(None);
    let rendered = without_input.to_string();
    if let Some(keys) = rendered
        .lines()
        .find_map(|l| l.strip_prefix("in `").and_then(|k| k.strip_suffix('`')))
    {
        problem = problem.field(keys);
    }
    problem
}

/// Reads one unit file. Problems that do not prevent evaluation (duplicate project codes)
/// come back beside the record.
pub fn read_unit(path: &Path) -> Result<(UnitSource, Vec<Problem>), Problem> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Problem::new(ProblemKind::Input, &file, format!("cannot read: {e}")))?;
    let record: UnitFile =
        toml::from_str(&text).map_err(|e| toml_problem(ProblemKind::Input, path, &text, e))?;
    let problems = duplicate_projects(&record, &file, &text);
    Ok((UnitSource { file, record }, problems))
}

fn duplicate_projects(record: &UnitFile, file: &str, text: &str) -> Vec<Problem> {
    let mut seen = BTreeMap::new();
    let mut problems = Vec::new();
    for project in &record.projects {
        let count = seen.entry(project.code.as_str()).or_insert(0);
        *count += 1;
        if *count == 2 {
            let mut problem = Problem::new(
                ProblemKind::Input,
                file,
                format!(
                    "project code `{}` is used more than once in unit `{}`; give each project its own code",
                    project.code, record.unit.code
                ),
            )
            .field("projects.code");
            if let Some(line) = nth_code_line(text, &project.code, 2) {
                problem = problem.at(line, 1);
            }
            problems.push(problem);
        }
    }
    problems
}

/// The line of the `n`th `code = "…"` assignment of `code`.
fn nth_code_line(text: &str, code: &str, n: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let l = l.trim();
            l.starts_with("code") && l.contains(&format!("\"{code}\""))
        })
        .nth(n - 1)
        .map(|(i, _)| i + 1)
}

/// Units whose code an earlier unit in the batch already uses.
pub fn duplicate_units<'a>(units: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<Problem> {
    let mut first: BTreeMap<&str, &str> = BTreeMap::new();
    let mut problems = Vec::new();
    for (code, file) in units {
        if let Some(earlier) = first.get(code) {
            problems.push(
                Problem::new(
                    ProblemKind::Input,
                    file,
                    format!("unit code `{code}` is also used by {earlier}; unit codes must be unique in a batch"),
                )
                .field("unit.code"),
            );
        } else {
            first.insert(code, file);
        }
    }
    problems
}
