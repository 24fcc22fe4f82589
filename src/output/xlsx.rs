//! `--format xlsx`: results as a workbook an analyst filters and forwards. `score` writes a
//! 排名 sheet (the CSV ranking's columns), a 问题清单 sheet (one row per finding) and a
//! 评分明细 sheet (one row per project of each scorecard); `run` writes the 问题清单 alone.
//! Codes and names are text cells (no lost leading zeros, no formulas), scores numbers shown
//! to 2 places, rates percentages; each sheet has a frozen header row, an autofilter, and
//! columns as wide as their text (a CJK character counts double).
//!
//! [`Sheet`] is the small writing layer the 自评表 form ([`super::self_evaluation`]) shares.

use super::ranking::{self, RankingCell};
use crate::engine::evaluate::UnitReport;
use crate::engine::finding::{Evidence, Finding};
use crate::score::ranking::UnitSummary;
use crate::score::scorecard::UnitScore;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use rust_xlsxwriter::{
    DataValidation, DocProperties, ExcelDateTime, Format, Formula, Workbook, Worksheet, XlsxError,
};
use std::io;

pub type XlsxResult<T> = Result<T, XlsxError>;

/// The most rows a sheet holds (Excel's limit), header included.
const MAX_ROWS: u32 = 1_048_576;
/// The most characters a cell holds.
const MAX_CELL_CHARS: usize = 32_767;
/// The widest a fitted column gets, in characters.
const MAX_WIDTH: usize = 60;

/// Document properties with a fixed date, so the same results give the same bytes.
pub fn fixed_properties() -> XlsxResult<DocProperties> {
    let date = ExcelDateTime::from_ymd(2024, 1, 1)?;
    Ok(DocProperties::new().set_creation_datetime(&date))
}

/// A worksheet being written: cells, merged areas, and the width each column's text needs.
pub struct Sheet {
    sheet: Worksheet,
    widths: Vec<usize>,
}

impl Sheet {
    pub fn new(name: &str) -> XlsxResult<Sheet> {
        let mut sheet = Worksheet::new();
        sheet.set_name(name)?;
        Ok(Sheet {
            sheet,
            widths: Vec::new(),
        })
    }

    fn fit(&mut self, column: u16, text: &str) {
        let width = text
            .lines()
            .map(unicode_width::UnicodeWidthStr::width)
            .max()
            .unwrap_or(0);
        let column = usize::from(column);
        if self.widths.len() <= column {
            self.widths.resize(column + 1, 0);
        }
        self.widths[column] = self.widths[column].max(width);
    }

    pub fn text(&mut self, row: u32, column: u16, text: &str, format: &Format) -> XlsxResult<()> {
        let text = match text.char_indices().nth(MAX_CELL_CHARS) {
            Some((end, _)) => &text[..end],
            None => text,
        };
        self.fit(column, text);
        self.sheet
            .write_string_with_format(row, column, text, format)?;
        Ok(())
    }

    pub fn number(
        &mut self,
        row: u32,
        column: u16,
        value: Decimal,
        format: &Format,
    ) -> XlsxResult<()> {
        self.fit(column, &crate::number_text::fixed(value, 2));
        let number = value.to_f64().unwrap_or(f64::NAN);
        self.sheet
            .write_number_with_format(row, column, number, format)?;
        Ok(())
    }

    pub fn formula(
        &mut self,
        row: u32,
        column: u16,
        formula: Formula,
        format: &Format,
    ) -> XlsxResult<()> {
        self.sheet
            .write_formula_with_format(row, column, formula, format)?;
        Ok(())
    }

    pub fn merge(
        &mut self,
        first_row: u32,
        first_column: u16,
        last_row: u32,
        last_column: u16,
        text: &str,
        format: &Format,
    ) -> XlsxResult<()> {
        if (first_row, first_column) == (last_row, last_column) {
            return self.text(first_row, first_column, text, format);
        }
        self.sheet
            .merge_range(first_row, first_column, last_row, last_column, text, format)?;
        Ok(())
    }

    pub fn width(&mut self, column: u16, width: u16) -> XlsxResult<()> {
        self.sheet.set_column_width(column, width)?;
        Ok(())
    }

    pub fn validate(
        &mut self,
        first_row: u32,
        column: u16,
        last_row: u32,
        last_column: u16,
        validation: &DataValidation,
    ) -> XlsxResult<()> {
        self.sheet
            .add_data_validation(first_row, column, last_row, last_column, validation)?;
        Ok(())
    }

    /// Adds the sheet to the workbook.
    pub fn finish(self, book: &mut Workbook) -> XlsxResult<()> {
        book.push_worksheet(self.sheet);
        Ok(())
    }

    /// A list sheet's finish: the header row frozen and filtered, columns fitted to their text.
    fn finish_list(mut self, book: &mut Workbook, rows: u32, columns: u16) -> XlsxResult<()> {
        self.sheet.set_freeze_panes(1, 0)?;
        self.sheet
            .autofilter(0, 0, rows.max(1) - 1, columns.max(1) - 1)?;
        for (column, width) in self.widths.iter().enumerate() {
            // A CJK character is two columns wide; a little room for the filter button.
            let width = (width + 3).min(MAX_WIDTH) as u16;
            self.sheet.set_column_width(column as u16, width)?;
        }
        self.finish(book)
    }
}

/// A list of rows under a header, filling one sheet up to Excel's row limit; what does not
/// fit is counted and said in the last row.
struct List {
    sheet: Sheet,
    columns: u16,
    rows: u32,
    left_out: usize,
    header: Format,
}

/// A cell of a list row.
enum Cell {
    Text(String),
    /// A number shown to 2 places.
    Number(Option<Decimal>),
    /// A ratio shown as a percentage to 2 places.
    Percent(Option<Decimal>),
    Count(usize),
}

struct Formats {
    text: Format,
    number: Format,
    percent: Format,
    count: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            text: Format::new(),
            number: Format::new().set_num_format("0.00"),
            percent: Format::new().set_num_format("0.00%"),
            count: Format::new().set_num_format("0"),
        }
    }
}

impl List {
    fn new(name: &str, header: &[&str]) -> XlsxResult<List> {
        let mut list = List {
            sheet: Sheet::new(name)?,
            columns: header.len() as u16,
            rows: 1,
            left_out: 0,
            header: Format::new().set_bold(),
        };
        for (column, heading) in header.iter().enumerate() {
            let format = list.header.clone();
            list.sheet.text(0, column as u16, heading, &format)?;
        }
        Ok(list)
    }

    fn row(&mut self, cells: Vec<Cell>, formats: &Formats) -> XlsxResult<()> {
        if self.rows >= MAX_ROWS - 1 {
            self.left_out += 1;
            return Ok(());
        }
        let row = self.rows;
        for (column, cell) in cells.into_iter().enumerate() {
            let column = column as u16;
            match cell {
                Cell::Text(text) => self.sheet.text(row, column, &text, &formats.text)?,
                Cell::Number(Some(n)) => {
                    self.sheet
                        .number(row, column, rounded(n, 2), &formats.number)?
                }
                Cell::Percent(Some(r)) => {
                    self.sheet
                        .number(row, column, rounded(r, 4), &formats.percent)?
                }
                Cell::Number(None) | Cell::Percent(None) => {}
                Cell::Count(n) => {
                    self.sheet
                        .number(row, column, Decimal::from(n), &formats.count)?
                }
            }
        }
        self.rows += 1;
        Ok(())
    }

    fn finish(mut self, book: &mut Workbook) -> XlsxResult<()> {
        let rows = self.rows;
        if self.left_out > 0 {
            let note = format!(
                "另有{}行未列出：Excel 每张工作表最多 {MAX_ROWS} 行，完整结果请用 --format json 输出。",
                self.left_out
            );
            let format = self.header.clone();
            self.sheet.text(rows, 0, &note, &format)?;
        }
        self.sheet.finish_list(book, rows, self.columns)
    }
}

/// The value as a spreadsheet should hold it: rounded half-up to what the cell shows, so that
/// it reads back as the CSV writes it.
fn rounded(value: Decimal, places: u32) -> Decimal {
    value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
}

const FINDING_COLUMNS: [&str; 16] = [
    "单位编码",
    "单位名称",
    "项目编码",
    "项目名称",
    "规则",
    "严重程度",
    "类别",
    "指标",
    "年度指标值",
    "实际完成值",
    "偏差率",
    "问题描述",
    "原因类别",
    "原因",
    "改进建议",
    "豁免理由",
];

const SCORE_COLUMNS: [&str; 12] = [
    "单位编码",
    "单位名称",
    "项目编码",
    "全年预算数",
    "执行率",
    "预算执行得分",
    "实得分",
    "应得分",
    "项目得分",
    "未评分原因",
    "不适用指标",
    "评分表",
];

/// An evidence figure as a cell: numbers as numbers, anything else as its text.
fn evidence_cell(evidence: Option<&Evidence>, as_percent: bool) -> Cell {
    match evidence {
        None => Cell::Text(String::new()),
        Some(Evidence::Decimal(d)) if as_percent => Cell::Percent(Some(*d)),
        Some(Evidence::Decimal(d)) => Cell::Number(Some(*d)),
        Some(Evidence::Integer(i)) => Cell::Number(Some(Decimal::from(*i))),
        Some(Evidence::Text(t)) => Cell::Text(t.clone()),
        Some(other) => Cell::Text(serde_json::to_string(other).unwrap_or_default()),
    }
}

fn finding_row(report: &UnitReport, f: &Finding) -> Vec<Cell> {
    vec![
        Cell::Text(f.unit.clone()),
        Cell::Text(report.name.clone()),
        Cell::Text(f.project.clone().unwrap_or_default()),
        Cell::Text(f.project_name.clone().unwrap_or_default()),
        Cell::Text(f.rule.clone()),
        Cell::Text(f.severity.label().to_string()),
        Cell::Text(ranking::category_label(&f.category).to_string()),
        Cell::Text(f.indicator.clone().unwrap_or_default()),
        evidence_cell(f.evidence.get("target"), false),
        evidence_cell(f.evidence.get("actual"), false),
        evidence_cell(f.evidence.get("deviation"), true),
        Cell::Text(f.message.clone()),
        Cell::Text(f.cause.as_ref().map(|c| c.code.clone()).unwrap_or_default()),
        Cell::Text(f.cause.as_ref().map(|c| c.text.clone()).unwrap_or_default()),
        Cell::Text(f.suggestion.clone()),
        Cell::Text(f.suppressed.clone().unwrap_or_default()),
    ]
}

/// Results being gathered into a workbook: the findings of each unit as it arrives, its
/// scorecard too for `score`, and at the end the ranking.
pub struct Book {
    book: Workbook,
    formats: Formats,
    findings: List,
    scores: Option<List>,
}

impl Book {
    /// A workbook for `run` (findings only) or, `with_scores`, for `score`.
    pub fn new(with_scores: bool) -> io::Result<Book> {
        let book = Workbook::new();
        let findings = List::new("问题清单", &FINDING_COLUMNS).map_err(io::Error::other)?;
        let scores = match with_scores {
            true => Some(List::new("评分明细", &SCORE_COLUMNS).map_err(io::Error::other)?),
            false => None,
        };
        Ok(Book {
            book,
            formats: Formats::new(),
            findings,
            scores,
        })
    }

    pub fn unit(&mut self, report: &UnitReport, score: Option<&UnitScore>) -> io::Result<()> {
        self.add(report, score).map_err(io::Error::other)
    }

    fn add(&mut self, report: &UnitReport, score: Option<&UnitScore>) -> XlsxResult<()> {
        for finding in &report.findings {
            self.findings
                .row(finding_row(report, finding), &self.formats)?;
        }
        if let (Some(list), Some(score)) = (self.scores.as_mut(), score) {
            for p in &score.projects {
                list.row(
                    vec![
                        Cell::Text(report.code.clone()),
                        Cell::Text(report.name.clone()),
                        Cell::Text(p.code.clone()),
                        Cell::Number(Some(p.budget_adjusted)),
                        Cell::Percent(p.execution_rate),
                        Cell::Number(p.execution_points),
                        Cell::Number(Some(p.earned)),
                        Cell::Number(Some(p.available)),
                        Cell::Number(p.score),
                        Cell::Text(match p.unscored {
                            Some("no_indicators") => "未提供绩效指标".into(),
                            Some("no_applicable_indicators") => "指标均不适用".into(),
                            Some(other) => other.into(),
                            None => String::new(),
                        }),
                        Cell::Text(p.not_applicable.join("、")),
                        Cell::Text(score.form.clone()),
                    ],
                    &self.formats,
                )?;
            }
        }
        Ok(())
    }

    /// The workbook's bytes: the 排名 sheet first when there is a ranking.
    pub fn into_bytes(self, ranking: Option<&[UnitSummary]>) -> io::Result<Vec<u8>> {
        self.write(ranking).map_err(io::Error::other)
    }

    fn write(mut self, ranking: Option<&[UnitSummary]>) -> XlsxResult<Vec<u8>> {
        self.book.set_properties(&fixed_properties()?);
        if let Some(ranking) = ranking {
            let mut list = List::new("排名", &ranking::columns())?;
            for summary in ranking {
                let cells = ranking::cells(summary)
                    .into_iter()
                    .map(|cell| match cell {
                        RankingCell::Count(n) => Cell::Count(n),
                        RankingCell::Text(t) => Cell::Text(t),
                        RankingCell::Score(s) => Cell::Number(s),
                        RankingCell::Rate(r) => Cell::Percent(r),
                    })
                    .collect();
                list.row(cells, &self.formats)?;
            }
            list.finish(&mut self.book)?;
        }
        self.findings.finish(&mut self.book)?;
        if let Some(scores) = self.scores {
            scores.finish(&mut self.book)?;
        }
        self.book.save_to_buffer()
    }
}
