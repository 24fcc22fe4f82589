//! Loading unit records: finding the unit files under the paths given, reading each one,
//! and reporting what cannot be read with the file, line, column and field, so the user can
//! go straight to it. Duplicate unit codes in a batch and duplicate project codes in a unit
//! are reported too; the records are still evaluated, so nothing is lost.

use crate::problem::{Problem, ProblemKind, line_column};
use crate::record::UnitFile;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A unit read from a file, with where it came from as the user named it (`dir/a.toml`,
/// or `batch.jsonl:42` for a JSON Lines record).
pub struct UnitSource {
    pub file: String,
    pub record: UnitFile,
}

/// A case folder's expectations file (`cases/*/case.toml`): never a unit.
pub const CASE_FILE: &str = "case.toml";

/// One unit still to be read: a TOML file, or one line of a JSON Lines file.
pub enum Source {
    TomlFile(PathBuf),
    JsonLine {
        file: PathBuf,
        line: usize,
        text: String,
    },
}

impl Source {
    /// Reads the unit. Problems that do not prevent evaluation (duplicate project codes) come
    /// back beside the record.
    pub fn read(self) -> Result<(UnitSource, Vec<Problem>), Problem> {
        match self {
            Source::TomlFile(path) => read_unit(&path),
            Source::JsonLine { file, line, text } => read_json_line(&file, line, &text),
        }
    }
}

/// The units under `paths`, lazily: files as given, folders searched recursively for `*.toml`
/// (except a case's `case.toml`) and `*.jsonl`, in a stable (sorted) order; a `.jsonl` file
/// yields one source per non-blank line. What cannot be opened comes as a problem in place.
pub fn sources(paths: &[PathBuf]) -> impl Iterator<Item = Result<Source, Problem>> + Send + use<> {
    let (files, problems) = unit_files(paths);
    problems
        .into_iter()
        .map(Err)
        .chain(files.into_iter().flat_map(|path| {
            let lines: Box<dyn Iterator<Item = Result<Source, Problem>> + Send> =
                if path.extension().is_some_and(|x| x == "jsonl") {
                    json_lines(path)
                } else {
                    Box::new(std::iter::once(Ok(Source::TomlFile(path))))
                };
            lines
        }))
}

fn json_lines(path: PathBuf) -> Box<dyn Iterator<Item = Result<Source, Problem>> + Send> {
    use std::io::BufRead;
    let file = match std::fs::File::open(&path) {
        Ok(file) => file,
        Err(e) => {
            let problem = Problem::new(
                ProblemKind::Input,
                path.display().to_string(),
                format!("cannot read: {e}"),
            );
            return Box::new(std::iter::once(Err(problem)));
        }
    };
    Box::new(
        std::io::BufReader::new(file)
            .lines()
            .enumerate()
            .filter_map(move |(index, line)| match line {
                Ok(text) if text.trim().is_empty() => None,
                Ok(text) => Some(Ok(Source::JsonLine {
                    file: path.clone(),
                    line: index + 1,
                    text,
                })),
                Err(e) => Some(Err(Problem::new(
                    ProblemKind::Input,
                    path.display().to_string(),
                    format!("cannot read: {e}"),
                )
                .at(index + 1, 1))),
            }),
    )
}

/// Unit files under `paths`: files as given, folders searched recursively for `*.toml`
/// (except a case's `case.toml`) and `*.jsonl`, in a stable (sorted) order.
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
        } else if (path.extension().is_some_and(|x| x == "toml")
            && path.file_name().is_some_and(|n| n != CASE_FILE))
            || path.extension().is_some_and(|x| x == "jsonl")
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

/// Reads one JSON Lines record, locating any error at its line, column and field.
fn read_json_line(
    path: &Path,
    line: usize,
    text: &str,
) -> Result<(UnitSource, Vec<Problem>), Problem> {
    let deserializer = &mut serde_json::Deserializer::from_str(text);
    let record: UnitFile = serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        let problem = Problem::new(
            ProblemKind::Input,
            path.display().to_string(),
            strip_position(&inner.to_string()),
        )
        .at(line, inner.column());
        if field == "." {
            problem
        } else {
            problem.field(field)
        }
    })?;
    let file = format!("{}:{line}", path.display());
    let problems = duplicate_projects(&record, &file, "");
    Ok((UnitSource { file, record }, problems))
}

/// serde_json appends " at line L column C" to its messages; the problem carries those itself.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
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

/// Remembers the unit codes seen in a batch, so that a code used twice is reported.
#[derive(Default)]
pub struct UnitCodes(std::collections::HashMap<String, String>);

impl UnitCodes {
    /// A problem when an earlier unit in the batch already uses `code`.
    pub fn check(&mut self, code: &str, file: &str) -> Option<Problem> {
        match self.0.get(code) {
            Some(earlier) => Some(
                Problem::new(
                    ProblemKind::Input,
                    file,
                    format!("unit code `{code}` is also used by {earlier}; unit codes must be unique in a batch"),
                )
                .field("unit.code"),
            ),
            None => {
                self.0.insert(code.to_string(), file.to_string());
                None
            }
        }
    }
}
