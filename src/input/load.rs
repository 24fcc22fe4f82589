//! Loading unit records: finding the unit files under the paths given ([`walk`]), reading each
//! one (TOML, JSON Lines, or an Excel workbook: [`workbook`]), and reporting what cannot be read with the file, line, column and field, in plain
//! words ([`wording`]), so the user can go straight to it. Duplicate project codes in a unit
//! are reported beside the record; a unit code used twice in a batch is reported by
//! [`UnitCodes`] and the later unit left out.

mod large_toml;
mod toml_fields;
mod walk;
mod wording;
pub mod workbook;

pub use walk::unit_files;

use crate::diagnostic::{Problem, ProblemKind, cut, line_column};
use crate::input::record::UnitFile;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use toml_fields::TomlError;

/// A unit read from a file, with where it came from as the user named it (`dir/a.toml`,
/// or `batch.jsonl:42` for a JSON Lines record).
pub struct UnitSource {
    pub file: String,
    pub record: UnitFile,
}

/// A case folder's expectations file (`cases/*/case.toml`): never a unit.
pub const CASE_FILE: &str = "case.toml";

/// One unit still to be read: a TOML file, a workbook, or one line of a JSON Lines file (as
/// bytes: it is decoded where it is parsed, so that a line that is not UTF-8 is reported at
/// its column).
pub enum Source {
    TomlFile(PathBuf),
    Workbook(PathBuf),
    JsonLine {
        file: PathBuf,
        line: usize,
        bytes: Vec<u8>,
    },
}

impl Source {
    /// Reads the unit. Problems that do not prevent evaluation (duplicate project codes) come
    /// back beside the record; those that do come back all together (a workbook can have
    /// several bad cells).
    pub fn read(self) -> Result<(UnitSource, Vec<Problem>), Vec<Problem>> {
        match self {
            Source::TomlFile(path) => read_unit(&path).map_err(|p| vec![p]),
            Source::Workbook(path) => {
                let record = workbook::read(&path)?;
                let file = path.display().to_string();
                let problems = duplicate_projects(&record, &file, "");
                Ok((UnitSource { file, record }, problems))
            }
            Source::JsonLine { file, line, bytes } => {
                read_json_line(&file, line, &bytes).map_err(|p| vec![p])
            }
        }
    }
}

/// The path that stands for stdin: `-` reads JSON Lines from it, as a pipeline's map step.
pub const STDIN: &str = "-";

/// How stdin is named in problems and results (`<stdin>:42` for its 42nd line).
pub const STDIN_NAME: &str = "<stdin>";

type Sources = Box<dyn Iterator<Item = Result<Source, Problem>> + Send>;

/// The units under `paths`, lazily and in the order given: files as given, folders searched
/// (see [`unit_files`]); a `.jsonl` file, or `-` for stdin, yields one source per non-blank
/// line. What cannot be found or opened comes as a problem in place.
pub fn sources(paths: &[PathBuf]) -> impl Iterator<Item = Result<Source, Problem>> + Send + use<> {
    // Owned, for the reader thread that walks them.
    let paths: Vec<PathBuf> = paths.to_vec();
    paths.into_iter().flat_map(|path| -> Sources {
        if path.as_os_str() == STDIN {
            let stdin = std::io::BufReader::new(std::io::stdin());
            return json_lines(PathBuf::from(STDIN_NAME), stdin);
        }
        let (files, problems) = unit_files(std::slice::from_ref(&path));
        Box::new(
            problems
                .into_iter()
                .map(Err)
                .chain(files.into_iter().flat_map(|path| -> Sources {
                    if path.extension().is_some_and(|x| x == "jsonl") {
                        json_file(path)
                    } else if workbook::is_workbook(&path) {
                        Box::new(std::iter::once(Ok(Source::Workbook(path))))
                    } else {
                        Box::new(std::iter::once(Ok(Source::TomlFile(path))))
                    }
                })),
        )
    })
}

/// The UTF-8 byte-order mark some editors (Notepad, Excel) put at the start of a file.
const BOM: &str = "\u{feff}";

/// The lines of a JSON Lines file (see [`json_lines`]).
fn json_file(path: PathBuf) -> Sources {
    match std::fs::File::open(&path) {
        Ok(file) => json_lines(path, std::io::BufReader::new(file)),
        Err(e) => {
            let problem = Problem::new(
                ProblemKind::Input,
                path.display().to_string(),
                format!("cannot read: {e}"),
            );
            Box::new(std::iter::once(Err(problem)))
        }
    }
}

/// The non-blank lines of JSON Lines read from `reader`, named `path`, each a source, read one
/// at a time as they are asked for; none at all is a problem, and so is a read error, after
/// which nothing more is read.
fn json_lines(path: PathBuf, mut reader: impl BufRead + Send + 'static) -> Sources {
    let mut line = 0;
    let mut units = 0;
    let mut done = false;
    Box::new(std::iter::from_fn(move || {
        while !done {
            let mut bytes = Vec::new();
            match reader.read_until(b'\n', &mut bytes) {
                Ok(0) => {
                    done = true;
                    if units == 0 {
                        return Some(Err(Problem::new(
                            ProblemKind::Input,
                            path.display().to_string(),
                            "holds no units: a JSON Lines file holds one unit (a JSON object) per line",
                        )));
                    }
                }
                Ok(_) => {
                    line += 1;
                    if bytes.ends_with(b"\n") {
                        bytes.pop();
                    }
                    if bytes.ends_with(b"\r") {
                        bytes.pop();
                    }
                    if line == 1 && bytes.starts_with(BOM.as_bytes()) {
                        bytes.drain(..BOM.len());
                    }
                    if !bytes.iter().all(u8::is_ascii_whitespace) {
                        units += 1;
                        return Some(Ok(Source::JsonLine {
                            file: path.clone(),
                            line,
                            bytes,
                        }));
                    }
                }
                Err(e) => {
                    done = true;
                    return Some(Err(Problem::new(
                        ProblemKind::Input,
                        path.display().to_string(),
                        format!("cannot read: {e}"),
                    )
                    .at(line + 1, 1)));
                }
            }
        }
        None
    }))
}

/// The text of a file or line or, when it is not all UTF-8, the text before the first byte
/// that is not (to locate that byte).
fn utf8(bytes: &[u8]) -> Result<&str, &str> {
    std::str::from_utf8(bytes)
        .map_err(|e| std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default())
}

const NOT_UTF8: &str =
    "this is not UTF-8 text (perhaps saved as GBK or ANSI): save the file as UTF-8";

/// A TOML error as a problem at its line and column, with the field path when known, in plain
/// words.
fn toml_problem(kind: ProblemKind, path: &Path, text: &str, toml: TomlError) -> Problem {
    let mut problem = Problem::new(
        kind,
        path.display().to_string(),
        wording::plain(toml.error.message()),
    );
    if let Some(span) = toml.error.span() {
        let (line, column) = line_column(text, span.start);
        problem = problem.at(line, column);
    }
    if let Some(field) = toml.field {
        problem = problem.field(field);
    }
    problem
}

/// `text` (read from `path`) as TOML deserialized into `T`, any error a located problem.
pub fn read_toml_text<T: DeserializeOwned>(
    kind: ProblemKind,
    path: &Path,
    text: &str,
) -> Result<T, Problem> {
    toml_fields::from_str(text).map_err(|e| toml_problem(kind, path, text, e))
}

/// Reads one unit file. Problems that do not prevent evaluation (duplicate project codes)
/// come back beside the record.
pub fn read_unit(path: &Path) -> Result<(UnitSource, Vec<Problem>), Problem> {
    let bytes = std::fs::read(path).map_err(|e| {
        Problem::new(
            ProblemKind::Input,
            path.display().to_string(),
            format!("cannot read: {e}"),
        )
    })?;
    parse_unit(path, &bytes)
}

/// Reads a unit file's bytes, named `path` in every problem: [`read_unit`] without the file
/// system (for fuzzing and property tests).
pub fn parse_unit(path: &Path, bytes: &[u8]) -> Result<(UnitSource, Vec<Problem>), Problem> {
    let file = path.display().to_string();
    let text = utf8(bytes).map_err(|before| {
        let before = before.strip_prefix(BOM).unwrap_or(before);
        let (line, column) = line_column(before, before.len());
        Problem::new(ProblemKind::Input, &file, NOT_UTF8).at(line, column)
    })?;
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let pieced = (text.len() > large_toml::THRESHOLD)
        .then(|| large_toml::read(text))
        .flatten();
    let record: UnitFile = match pieced {
        Some(record) => record,
        None => parse_toml(path, text)?,
    };
    let problems = duplicate_projects(&record, &file, text);
    Ok((UnitSource { file, record }, problems))
}

/// `text` read as TOML into `T`. A value that is neither quoted nor a number
/// (`executed = 45.00万元`) is a syntax error to the parser; read again with the value quoted,
/// the field itself says what it needs (`45.00万元` is not a number: write 45.00), or, when
/// the quoted text fits, the problem says to quote it.
fn parse_toml<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, Problem> {
    let error = match toml_fields::from_str(text) {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    let value = error
        .error
        .span()
        .and_then(|span| UnquotedValue::at(text, span.start));
    let problem = toml_problem(ProblemKind::Input, path, text, error);
    let Some(value) = value else {
        return Err(problem);
    };
    let located = |message: String| {
        Problem::new(ProblemKind::Input, path.display().to_string(), message)
            .at(value.line, value.column)
    };
    if value.value.is_empty() {
        return Err(located(format!(
            "`{}` has no value: write one after `=`",
            value.key
        )));
    }
    let quoted = value.quoted(text);
    match toml_fields::from_str::<T>(&quoted) {
        Ok(_) => Err(located(format!(
            "`{}` must be in quotes: write {} = {}",
            cut(value.value),
            value.key,
            toml::Value::String(cut(value.value))
        ))),
        // A syntax error names no field; the field's own error on the quoted value does.
        Err(again)
            if problem.field.is_none()
                && again
                    .error
                    .span()
                    .is_some_and(|s| line_column(&quoted, s.start).0 == value.line) =>
        {
            Err(toml_problem(ProblemKind::Input, path, &quoted, again))
        }
        Err(_) => Err(problem),
    }
}

/// A `key = value` line whose value is written without quotes.
struct UnquotedValue<'a> {
    key: &'a str,
    value: &'a str,
    /// Byte range of the value in the text.
    range: std::ops::Range<usize>,
    line: usize,
    column: usize,
}

impl<'a> UnquotedValue<'a> {
    /// The unquoted value on the line of byte `offset`, if that line is `key = value`.
    fn at(text: &'a str, offset: usize) -> Option<UnquotedValue<'a>> {
        let start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line_text = text[start..end].trim_end_matches('\r');
        let (key, rest) = line_text.split_once('=')?;
        let key = key.trim();
        let is_bare_key = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let value = rest.split(" #").next().unwrap_or_default().trim();
        if !is_bare_key || value.starts_with(['"', '\'', '[', '{']) {
            return None;
        }
        let value_start = if value.is_empty() {
            end
        } else {
            start + line_text.len() - rest.trim_start().len()
        };
        let (line, column) = line_column(text, value_start);
        Some(UnquotedValue {
            key,
            value,
            range: value_start..value_start + value.len(),
            line,
            column,
        })
    }

    /// The text with this value quoted.
    fn quoted(&self, text: &str) -> String {
        format!(
            "{}{}{}",
            &text[..self.range.start],
            toml::Value::String(self.value.to_string()),
            &text[self.range.end..]
        )
    }
}

/// Reads one JSON Lines record: exactly one JSON object on the line, any error located at its
/// line, character column and field.
fn read_json_line(
    path: &Path,
    line: usize,
    bytes: &[u8],
) -> Result<(UnitSource, Vec<Problem>), Problem> {
    let shown = path.display().to_string();
    let text = utf8(bytes).map_err(|before| {
        Problem::new(ProblemKind::Input, &shown, NOT_UTF8).at(line, before.chars().count() + 1)
    })?;
    let json_problem = |error: serde_json::Error| {
        Problem::new(
            ProblemKind::Input,
            &shown,
            wording::plain(&strip_position(&error.to_string())),
        )
        .at(line, char_column(text, error.column()))
    };
    let starts_at = text.len() - text.trim_start().len();
    if !text[starts_at..].starts_with('{') {
        return Err(Problem::new(
            ProblemKind::Input,
            &shown,
            "expected a unit: each line of a JSON Lines file holds one JSON object { … }",
        )
        .at(line, text[..starts_at].chars().count() + 1));
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let record: UnitFile = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let field = e.path().to_string();
        let error = e.into_inner();
        // Only a value of the wrong kind has a field; broken JSON has a place only.
        let has_field = error.classify() == serde_json::error::Category::Data;
        let problem = json_problem(error);
        if has_field && field != "." {
            problem.field(field)
        } else {
            problem
        }
    })?;
    deserializer.end().map_err(json_problem)?;
    let file = format!("{shown}:{line}");
    let problems = duplicate_projects(&record, &file, "");
    Ok((UnitSource { file, record }, problems))
}

/// serde_json counts columns in bytes, 1-based; people count characters.
fn char_column(text: &str, byte_column: usize) -> usize {
    text.char_indices()
        .take_while(|(i, _)| *i < byte_column)
        .count()
        .max(1)
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

/// Remembers the unit codes seen in a batch, so that a code used again is reported (and the
/// later unit left out).
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
                    format!(
                        "unit code `{code}` is already used by {earlier}; this unit is left out: give each unit in a batch its own code"
                    ),
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

#[cfg(test)]
mod tests {
    use super::*;

    const UNIT: &str = "[unit]\ncode = \"U1\"\nname = \"某区人才交流服务中心\"\n";

    fn lines_of(bytes: &[u8]) -> Vec<Result<(usize, Vec<u8>), String>> {
        json_lines(
            PathBuf::from("batch.jsonl"),
            std::io::Cursor::new(bytes.to_vec()),
        )
        .map(|source| match source {
            Ok(Source::JsonLine { line, bytes, .. }) => Ok((line, bytes)),
            Ok(Source::TomlFile(_) | Source::Workbook(_)) => {
                unreachable!("a JSON Lines file yields lines")
            }
            Err(problem) => Err(problem.message),
        })
        .collect()
    }

    #[test]
    fn json_lines_skip_blank_lines_and_drop_a_bom_and_crlf() {
        let lines = lines_of(b"\xef\xbb\xbf{\"a\":1}\r\n\r\n  \n{\"b\":2}");
        assert_eq!(
            lines,
            vec![
                Ok((1, b"{\"a\":1}".to_vec())),
                Ok((4, b"{\"b\":2}".to_vec()))
            ]
        );
        let empty = lines_of(b"\n \n");
        assert_eq!(empty.len(), 1);
        assert!(empty[0].as_ref().unwrap_err().starts_with("holds no units"));
    }

    #[test]
    fn json_columns_count_characters() {
        let text = r#"{"name":"某区"} x"#;
        // serde_json reports the `x` at byte column 19; it is the 15th character.
        assert_eq!(char_column(text, 19), 15);
        assert_eq!(char_column(text, 1), 1);
        assert_eq!(char_column(text, 0), 1);
    }

    #[test]
    fn a_json_line_with_a_second_object_or_junk_is_an_error_where_the_junk_starts() {
        let path = Path::new("batch.jsonl");
        let unit = r#"{"unit":{"code":"U1","name":"某区"}}"#;
        for (line, junk_at) in [
            (format!("{unit} {unit}"), unit.chars().count() + 2),
            (format!("{unit}  ,"), unit.chars().count() + 3),
        ] {
            let problem = read_json_line(path, 7, line.as_bytes()).err().unwrap();
            assert_eq!((problem.line, problem.column), (Some(7), Some(junk_at)));
            assert!(problem.message.contains("exactly one unit"), "{problem}");
        }
        assert!(read_json_line(path, 1, unit.as_bytes()).is_ok());
    }

    #[test]
    fn a_json_line_that_is_no_object_or_is_cut_short_names_no_field() {
        let path = Path::new("batch.jsonl");
        let problem = read_json_line(path, 2, b"  [1]").err().unwrap();
        assert_eq!((problem.line, problem.column), (Some(2), Some(3)));
        assert!(problem.message.starts_with("expected a unit"), "{problem}");
        let problem = read_json_line(path, 2, r#"{"unit":{"code":"U1","name":"某区""#.as_bytes())
            .err()
            .unwrap();
        assert_eq!(problem.field, None);
        assert!(
            problem
                .message
                .starts_with("the line ends inside an object"),
            "{problem}"
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_are_located() {
        let path = Path::new("batch.jsonl");
        let problem = read_json_line(path, 3, b"{\"unit\":{\"name\":\"\xe6\x9f\x90\xff\"}}")
            .err()
            .unwrap();
        assert_eq!((problem.line, problem.column), (Some(3), Some(19)));
        assert!(problem.message.contains("save the file as UTF-8"));

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("gbk.toml");
        std::fs::write(&file, b"[unit]\ncode = \"U1\"\nname = \"\xc8\xcb\"\n").unwrap();
        let problem = read_unit(&file).err().unwrap();
        assert_eq!((problem.line, problem.column), (Some(3), Some(9)));
    }

    #[test]
    fn a_toml_unit_may_start_with_a_bom() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bom.toml");
        std::fs::write(&file, format!("{BOM}{UNIT}")).unwrap();
        let (unit, problems) = read_unit(&file).unwrap();
        assert_eq!(unit.record.unit.code, "U1");
        assert!(problems.is_empty());
    }

    #[test]
    fn an_unquoted_value_is_reported_by_its_field_or_told_to_take_quotes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("u.toml");
        let project = "[[projects]]\ncode = \"P1\"\nname = \"项目\"\nbudget_adjusted = 10\n";
        for (text, line, message) in [
            (
                format!("{UNIT}{project}executed = 45.00万元  # 全年执行数\n"),
                8,
                "field `projects.executed`: `45.00万元` is not a number: write 45.00 (amounts are in 万元)",
            ),
            (
                UNIT.replace("\"某区人才交流服务中心\"", "某区"),
                3,
                "`某区` must be in quotes: write name = \"某区\"",
            ),
            (
                format!("{UNIT}{project}executed =\n"),
                8,
                "`executed` has no value: write one after `=`",
            ),
        ] {
            std::fs::write(&file, &text).unwrap();
            let problem = read_unit(&file).err().unwrap();
            assert_eq!(problem.line, Some(line), "{problem}");
            assert!(problem.to_string().contains(message), "{problem}");
        }
    }
}
