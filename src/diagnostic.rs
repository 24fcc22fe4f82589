//! Problems: everything that went wrong, with where. A problem never stops a batch; it is
//! collected, printed as `path:line:col: message` on stderr, listed under `errors` in JSON,
//! and makes the exit code 2.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A unit file that cannot be read or is inconsistent (duplicate codes).
    Input,
    /// A rule file or a rules-directory setting that does not load.
    Rules,
    /// A rule that failed while evaluating one record.
    Evaluation,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Problem {
    pub kind: ProblemKind,
    pub file: String,
    /// Where in a workbook: `[sheet]!E12` (or `[sheet]` for the sheet as a whole).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    pub message: String,
}

impl Problem {
    pub fn new(kind: ProblemKind, file: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            kind,
            file: file.into(),
            cell: None,
            line: None,
            column: None,
            field: None,
            rule: None,
            unit: None,
            project: None,
            message: message.into(),
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Problem {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Locates the problem in a workbook: `[sheet]!E12`.
    pub fn cell(mut self, cell: impl Into<String>) -> Problem {
        self.cell = Some(cell.into());
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Problem {
        self.field = Some(field.into());
        self
    }
}

/// Longest text echoed back in a message, in characters.
const ECHO_MAX: usize = 40;

/// Text as a message echoes it: the first 40 characters, then `…` if there is more.
pub fn cut(text: &str) -> String {
    match text.char_indices().nth(ECHO_MAX) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// The known name closest to `unknown`, when one is close enough to be a likely misspelling.
pub fn nearest<'a>(unknown: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::levenshtein(unknown, k), *k))
        .filter(|(distance, k)| *distance <= (k.len() / 3).max(2))
        .min()
        .map(|(_, k)| k)
}

/// `"; did you mean `executed`? (valid: …)"` when a known name is close to the unknown one,
/// followed by the full list, or an empty string when there is nothing to list.
pub fn suggest(unknown: &str, known: &[&str]) -> String {
    if known.is_empty() {
        return String::new();
    }
    let list = known.join(", ");
    match nearest(unknown, known) {
        Some(k) => format!("; did you mean `{k}`? (valid: {list})"),
        None => format!(" (valid: {list})"),
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(cell) = &self.cell {
            write!(f, " {cell}")?;
        }
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": ")?;
        if let Some(rule) = &self.rule {
            write!(f, "rule {rule}")?;
            match (&self.unit, &self.project) {
                (Some(u), Some(p)) => write!(f, " on {u}/{p}")?,
                (Some(u), None) => write!(f, " on {u}")?,
                _ => {}
            }
            write!(f, ": ")?;
        }
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        write!(f, "{}", self.message)
    }
}

/// Display width of text in a terminal: CJK characters take two columns.
fn width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

impl Problem {
    /// The problem followed by the source line it points at and a caret under the column,
    /// as a compiler shows it; just the problem when there is no line to show.
    pub fn with_source(&self) -> String {
        let mut out = self.to_string();
        let (Some(line), Some(column)) = (self.line, self.column) else {
            return out;
        };
        let Some(source) = source_line(&self.file, line) else {
            return out;
        };
        // Long lines (a JSON Lines record) are shown around the column only.
        let chars: Vec<char> = source.chars().collect();
        let start = column.saturating_sub(40).min(chars.len());
        let end = (column + 40).min(chars.len());
        let before: String = chars[start..(column - 1).clamp(start, end)]
            .iter()
            .collect();
        let shown: String = chars[start..end].iter().collect();
        let gutter = line.to_string().len();
        let pad = " ".repeat(gutter);
        let ellipsis = if start > 0 { "…" } else { "" };
        out.push_str(&format!(
            "\n{pad} |\n{line} | {ellipsis}{shown}\n{pad} | {}{}^",
            " ".repeat(width(ellipsis)),
            " ".repeat(width(&before))
        ));
        out
    }
}

fn source_line(file: &str, line: usize) -> Option<String> {
    use std::io::BufRead;
    let reader = std::io::BufReader::new(std::fs::File::open(file).ok()?);
    let text = reader.lines().nth(line.checked_sub(1)?)?.ok()?;
    // A byte-order mark is not a column: the loaders drop it too.
    Some(text.trim_start_matches('\u{feff}').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_located_problem_shows_its_line_with_a_caret_under_the_column() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("r.rhai");
        std::fs::write(&file, "fn check(p) {\n    let 额 = p.excuted;\n}\n").unwrap();
        let problem = Problem::new(
            ProblemKind::Evaluation,
            file.display().to_string(),
            "no field",
        )
        .at(2, 14);
        let shown = problem.with_source();
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines[2], "2 |     let 额 = p.excuted;");
        // Column 14 is the `.`; `    let 额 = p` before it is 13 characters but 14 columns wide.
        assert_eq!(lines[3], format!("  | {}^", " ".repeat(14)));
    }

    #[test]
    fn a_byte_order_mark_is_not_shown_or_counted() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("batch.jsonl");
        std::fs::write(&file, "\u{feff}{} x\n").unwrap();
        let problem = Problem::new(ProblemKind::Input, file.display().to_string(), "junk").at(1, 4);
        let shown = problem.with_source();
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines[2], "1 | {} x");
        assert_eq!(lines[3], "  |    ^");
    }

    #[test]
    fn echoed_text_is_cut_after_40_characters() {
        assert_eq!(cut("8.56"), "8.56");
        let long = "额".repeat(41);
        assert_eq!(cut(&long), format!("{}…", "额".repeat(40)));
        assert_eq!(cut(&"额".repeat(40)), "额".repeat(40));
    }
}
