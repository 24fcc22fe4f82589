//! `--format json`: `{ "units": [ { "code", "name", "file", "findings": […] } ], "errors": […] }`,
//! amounts as exact decimal strings.

use crate::evaluate::UnitReport;
use crate::problem::Problem;
use serde::Serialize;

#[derive(Serialize)]
struct Document<'a> {
    units: &'a [UnitReport],
    errors: &'a [Problem],
}

pub fn render(reports: &[UnitReport], problems: &[Problem]) -> String {
    let document = Document {
        units: reports,
        errors: problems,
    };
    let mut text = serde_json::to_string_pretty(&document).expect("findings serialize");
    text.push('\n');
    text
}
