//! Reading a very large unit file a project at a time. The TOML parser builds a tree of the
//! whole document before it fills in the record, which for a unit of a hundred thousand
//! projects costs several times the file in memory; read project by project, a unit needs
//! little more than its record.
//!
//! The file is cut before each line that is exactly `[[projects]]`, and every piece is read on
//! its own. This is only a faster path: should a cut fall inside a multi-line string, or a
//! piece hold anything but its project (another top-level table), or any piece not read, the
//! caller reads the whole file as one document instead — with the same result, and the same
//! located errors.

use crate::input::record::{Project, UnitFile};
use serde::Deserialize;

/// Files smaller than this are read whole: the tree of a few megabytes costs nothing.
pub const THRESHOLD: usize = 8 * 1024 * 1024;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OneProject {
    projects: [Project; 1],
}

/// The unit read a project at a time, or `None` when the file must be read whole.
pub fn read(text: &str) -> Option<UnitFile> {
    let mut pieces = pieces(text);
    let head = pieces.next()?;
    let mut record: UnitFile = toml::from_str(head).ok()?;
    if !record.projects.is_empty() {
        return None;
    }
    for piece in pieces {
        if piece.lines().skip(1).any(is_other_table) {
            return None;
        }
        let [project] = toml::from_str::<OneProject>(piece).ok()?.projects;
        record.projects.push(project);
    }
    Some(record)
}

/// The text before the first `[[projects]]` line, then each `[[projects]]` line with what
/// follows it up to the next.
fn pieces(text: &str) -> impl Iterator<Item = &str> {
    let mut starts = vec![0];
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if offset > 0 && line.trim() == "[[projects]]" {
            starts.push(offset);
        }
        offset += line.len();
    }
    starts.push(text.len());
    starts
        .windows(2)
        .map(|w| &text[w[0]..w[1]])
        .collect::<Vec<_>>()
        .into_iter()
}

/// A table header that does not belong to the project it follows.
fn is_other_table(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with('[') && !line.starts_with("[[projects.") && !line.starts_with("[projects.")
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNIT: &str = r#"[unit]
code = "U"
name = "单位"

[[projects]]
code = "P01"
name = "甲"
budget_adjusted = 10
executed = 9

  [[projects.indicators]]
  level1 = "产出指标"
  name = "数量"
  target = "≥5个"
  actual = "5个"

[[projects]]
code = "P02"
name = "乙"
budget_adjusted = 20
executed = 20
deviation_reason = """
[[projects]]
"""
"#;

    #[test]
    fn a_cut_inside_a_multi_line_string_falls_back_to_reading_whole() {
        assert!(read(UNIT).is_none());
        let whole: UnitFile = toml::from_str(UNIT).unwrap();
        assert_eq!(whole.projects.len(), 2);
    }

    #[test]
    fn project_by_project_reads_what_the_whole_document_says() {
        let text = UNIT.replace("deviation_reason = \"\"\"\n[[projects]]\n\"\"\"\n", "");
        let pieced = read(&text).unwrap();
        let whole: UnitFile = toml::from_str(&text).unwrap();
        assert_eq!(
            serde_json::to_string(&pieced).unwrap(),
            serde_json::to_string(&whole).unwrap()
        );
    }

    #[test]
    fn a_table_after_the_projects_makes_it_read_whole() {
        let text = UNIT.replace("deviation_reason = \"\"\"\n[[projects]]\n\"\"\"\n", "")
            + "\n[[suppress]]\nrule = \"X\"\nreason = \"已核实\"\n";
        assert!(read(&text).is_none());
    }
}
