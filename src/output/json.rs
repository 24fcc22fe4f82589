//! `--format json`: `{ "units": [ { "code", "name", "file", "findings": […] } ], "errors": […] }`,
//! amounts as exact decimal strings, written one unit at a time.

use crate::diagnostic::Problem;
use crate::engine::evaluate::UnitReport;

pub const BEGIN: &str = "{\n  \"units\": [";

/// Pretty JSON of `value`, each line after the first indented by `indent` spaces.
fn indented<T: serde::Serialize>(value: &T, indent: usize) -> String {
    let text = serde_json::to_string_pretty(value).expect("results serialize");
    text.replace('\n', &format!("\n{}", " ".repeat(indent)))
}

pub fn unit(report: &UnitReport, first: bool) -> String {
    let separator = if first { "" } else { "," };
    format!("{separator}\n    {}", indented(report, 4))
}

pub fn end(problems: &[Problem]) -> String {
    format!("\n  ],\n  \"errors\": {}\n}}\n", indented(&problems, 2))
}
