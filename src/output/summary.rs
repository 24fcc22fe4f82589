//! `summary` output. `table`: a headline (units, projects, findings, units below 90%
//! execution), then the kinds of finding with the most first, the execution-rate bands and the
//! departments, each a table fitted to the terminal. `json`: every figure and every unit (and
//! project) concerned. `csv`: one row per kind, band and department for Excel (UTF-8 with BOM,
//! Chinese headers, text cells that would run as formulas neutralised).

use super::layout::{Align, grid};
use super::ranking::{category_label, severity_headers};
use super::safe::{Layout, csv_cell, escape};
use crate::diagnostic::Problem;
use crate::engine::severity::Severity;
use crate::number_text;
use crate::score::ranking::Counts;
use crate::score::summary::{BANDS, BELOW_NINETY, Group, Kind, Summary};
use rust_decimal::Decimal;
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SummaryFormat {
    Table,
    Json,
    Csv,
}

/// How units that name no 主管部门 are shown.
const NO_DEPARTMENT: &str = "未填主管部门";

/// The longest list of units a table cell shows, in characters; the rest are counted (等N个).
const TABLE_LIST: usize = 60;

/// The longest list a CSV cell holds, in characters: Excel keeps at most 32,767 in a cell.
const CSV_LIST: usize = 32_000;

/// `items` joined by 、 up to `max_chars` characters; when some are left out, the total
/// follows (`U1、U2 等12个`).
fn listed<'a>(items: impl ExactSizeIterator<Item = &'a str>, max_chars: usize) -> String {
    let total = items.len();
    let mut out = String::new();
    let (mut shown, mut chars) = (0, 0);
    for item in items {
        let item = escape(item, Layout::Line);
        let separator = if shown == 0 { "" } else { "、" };
        chars += separator.chars().count() + item.chars().count();
        if chars > max_chars {
            break;
        }
        out.push_str(separator);
        out.push_str(&item);
        shown += 1;
    }
    if shown < total {
        out.push_str(&format!(" 等{total}个"));
    }
    out
}

/// `part` of `whole` as a percentage (`41.67%`); empty when `whole` is zero.
fn share(part: usize, whole: usize) -> String {
    if whole == 0 {
        return String::new();
    }
    Decimal::from(part)
        .checked_div(Decimal::from(whole))
        .map(number_text::pct)
        .unwrap_or_default()
}

fn severity_label(name: &str) -> &str {
    match Severity::of(name) {
        Some(severity) => severity.label(),
        None => name,
    }
}

fn department_label(department: Option<&str>) -> String {
    department.map_or(NO_DEPARTMENT.to_string(), |d| {
        escape(d, Layout::Line).into_owned()
    })
}

/// The units of a kind of finding, by code.
fn kind_units(kind: &Kind) -> impl ExactSizeIterator<Item = &str> {
    kind.which.iter().map(|c| c.unit.as_str())
}

fn group_units(group: &Group) -> impl ExactSizeIterator<Item = &str> {
    group.which.iter().map(String::as_str)
}

pub fn write(
    format: SummaryFormat,
    summary: &Summary,
    problems: &[Problem],
    line_width: Option<usize>,
    out: &mut impl Write,
) -> io::Result<()> {
    match format {
        SummaryFormat::Table => out.write_all(table(summary, line_width).as_bytes()),
        SummaryFormat::Json => {
            #[derive(serde::Serialize)]
            struct Document<'a> {
                #[serde(flatten)]
                summary: &'a Summary,
                errors: &'a [Problem],
            }
            let document = Document {
                summary,
                errors: problems,
            };
            serde_json::to_writer_pretty(&mut *out, &document).map_err(io::Error::other)?;
            writeln!(out)
        }
        SummaryFormat::Csv => csv(summary, out),
    }
}

fn table(summary: &Summary, line_width: Option<usize>) -> String {
    let findings = &summary.findings;
    let mut out = format!(
        "单位 {} 个，项目 {} 个；问题 {} 条（错误 {}，警告 {}，提示 {}），已豁免 {} 条\n\
         执行率低于90%的单位 {} 个（{}）\n\n",
        summary.units,
        summary.projects,
        findings.total(),
        findings.get("error"),
        findings.get("warning"),
        findings.get("info"),
        summary.suppressed,
        summary.below_90,
        share(summary.below_90, summary.units),
    );

    let total = findings.total();
    let kinds: Vec<Vec<String>> = summary
        .kinds
        .iter()
        .map(|k| {
            vec![
                escape(category_label(&k.category), Layout::Line).into_owned(),
                escape(severity_label(&k.severity), Layout::Line).into_owned(),
                k.findings.to_string(),
                share(k.findings, total),
                k.units.to_string(),
                k.projects.to_string(),
                listed(kind_units(k), TABLE_LIST),
            ]
        })
        .collect();
    let headers = [
        ("问题类别", Align::Left),
        ("严重程度", Align::Left),
        ("问题数", Align::Right),
        ("占比", Align::Right),
        ("单位数", Align::Right),
        ("项目数", Align::Right),
        ("单位", Align::Left),
    ];
    out.push_str(&grid(&headers, &kinds, line_width));
    out.push('\n');

    let bands: Vec<Vec<String>> = summary
        .execution_rate_bands
        .iter()
        .map(|b| {
            vec![
                b.label.to_string(),
                b.group.units.to_string(),
                share(b.group.units, summary.units),
                b.group.projects.to_string(),
                b.group.findings.total().to_string(),
                listed(group_units(&b.group), TABLE_LIST),
            ]
        })
        .collect();
    let headers = [
        ("执行率", Align::Left),
        ("单位数", Align::Right),
        ("占比", Align::Right),
        ("项目数", Align::Right),
        ("问题数", Align::Right),
        ("单位", Align::Left),
    ];
    out.push_str(&grid(&headers, &bands, line_width));
    out.push('\n');

    let departments: Vec<Vec<String>> = summary
        .departments
        .iter()
        .map(|d| {
            let mut row = vec![
                department_label(d.department.as_deref()),
                d.group.units.to_string(),
                d.group.projects.to_string(),
            ];
            row.extend(d.group.findings.values().iter().map(usize::to_string));
            row.extend(d.bands.0.iter().map(usize::to_string));
            row
        })
        .collect();
    let mut headers = vec![
        ("主管部门", Align::Left),
        ("单位数", Align::Right),
        ("项目数", Align::Right),
    ];
    headers.extend(severity_headers());
    headers.extend(BANDS.iter().map(|b| (b.label, Align::Right)));
    out.push_str(&grid(&headers, &departments, line_width));
    out
}

fn csv(summary: &Summary, out: &mut impl Write) -> io::Result<()> {
    // The byte-order mark makes Excel read the file as UTF-8.
    out.write_all("\u{feff}".as_bytes())?;
    let mut csv = csv::Writer::from_writer(out);
    let mut header = vec!["维度", "名称", "细分", "单位数", "项目数", "问题数"];
    header.extend(severity_headers().map(|(h, _)| h));
    header.extend(["执行率低于90%单位数", "单位", "项目"]);
    csv.write_record(&header)?;
    let counts = |units: usize, projects: usize, findings: &Counts| {
        let mut cells = vec![
            units.to_string(),
            projects.to_string(),
            findings.total().to_string(),
        ];
        cells.extend(findings.values().iter().map(usize::to_string));
        cells
    };
    for kind in &summary.kinds {
        let mut row = vec![
            "问题类别".to_string(),
            csv_cell(category_label(&kind.category)).into_owned(),
            csv_cell(severity_label(&kind.severity)).into_owned(),
            kind.units.to_string(),
            kind.projects.to_string(),
            kind.findings.to_string(),
        ];
        row.extend(crate::engine::severity::SEVERITIES.iter().map(|s| {
            if *s == kind.severity {
                kind.findings
            } else {
                0
            }
            .to_string()
        }));
        let projects: Vec<String> = kind
            .which
            .iter()
            .flat_map(|c| c.projects.iter().map(move |p| format!("{}/{p}", c.unit)))
            .collect();
        row.extend([
            String::new(),
            csv_cell(&listed(kind_units(kind), CSV_LIST)).into_owned(),
            csv_cell(&listed(projects.iter().map(String::as_str), CSV_LIST)).into_owned(),
        ]);
        csv.write_record(&row)?;
    }
    for (index, band) in summary.execution_rate_bands.iter().enumerate() {
        let group = &band.group;
        let below = if index < BELOW_NINETY { group.units } else { 0 };
        let mut row = vec![
            "执行率区间".to_string(),
            band.label.to_string(),
            String::new(),
        ];
        row.extend(counts(group.units, group.projects, &group.findings));
        row.extend([
            below.to_string(),
            csv_cell(&listed(group_units(group), CSV_LIST)).into_owned(),
            String::new(),
        ]);
        csv.write_record(&row)?;
    }
    for department in &summary.departments {
        let group = &department.group;
        let name = department
            .department
            .as_deref()
            .map_or(NO_DEPARTMENT.into(), csv_cell);
        let mut row = vec!["主管部门".to_string(), name.into_owned(), String::new()];
        row.extend(counts(group.units, group.projects, &group.findings));
        row.extend([
            department.bands.below_ninety().to_string(),
            csv_cell(&listed(group_units(group), CSV_LIST)).into_owned(),
            String::new(),
        ]);
        csv.write_record(&row)?;
    }
    csv.flush()
}
