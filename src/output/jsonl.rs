//! `--format jsonl`: one JSON object per line, written as each unit is done — for pipelines
//! (`jixiao run - --format jsonl` as the map step of Spark, `xargs -P`, GNU parallel). A unit's
//! line holds its code, name, file, score, grade, execution rate and findings; each problem
//! is a line of its own, `{"error": {…}}`, so that a pipeline accounts for every input line
//! whether or not it became a unit. Decimals are exact strings, as in `--format json`.

use crate::diagnostic::Problem;
use crate::engine::evaluate::UnitReport;
use crate::engine::finding::Finding;
use crate::number_text::plain_decimal;
use crate::score::scorecard::UnitScore;
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Serialize)]
struct UnitLine<'a> {
    code: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    department: Option<&'a str>,
    file: &'a str,
    #[serde(serialize_with = "plain_decimal")]
    score: Option<Decimal>,
    grade: Option<&'a str>,
    #[serde(serialize_with = "plain_decimal")]
    execution_rate: Option<Decimal>,
    findings: &'a [Finding],
}

#[derive(Serialize)]
struct ErrorLine<'a> {
    error: &'a Problem,
}

/// Serializes one line; results of plain data always serialize.
fn line<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string(value).expect("results serialize");
    text.push('\n');
    text
}

pub fn unit(report: &UnitReport, score: &UnitScore) -> String {
    line(&UnitLine {
        code: &report.code,
        name: &report.name,
        department: report.department.as_deref(),
        file: &report.file,
        score: score.score,
        grade: score.grade.as_deref(),
        execution_rate: score.execution_rate,
        findings: &report.findings,
    })
}

pub fn error(problem: &Problem) -> String {
    line(&ErrorLine { error: problem })
}
