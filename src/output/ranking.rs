//! `score` output: every unit's score, grade, execution rate and finding counts by severity
//! and category, ranked by score (ties by unit code). `table` for the terminal, `csv` for
//! Excel (UTF-8 with BOM, Chinese headers, plain decimals, text cells that would run as
//! formulas neutralised), `json` with each unit's full
//! scorecard (streamed in input order) before the ranking, `xlsx` (see [`super::xlsx`]) with
//! the same columns.

use super::layout::{Align, grid};
use super::safe::{Escaped, Layout, csv_cell, escape};
use crate::diagnostic::Problem;
use crate::engine::cause_catalogue::CATEGORIES;
use crate::engine::evaluate::UnitReport;
use crate::engine::severity::SEVERITIES;
use crate::engine::severity::Severity;
use crate::number_text;
use crate::score::ranking::UnitSummary;
use crate::score::scorecard::UnitScore;
use rust_decimal::Decimal;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScoreFormat {
    Table,
    Json,
    Csv,
    /// 排名, 问题清单 and 评分明细 sheets in a workbook (binary: to a file).
    Xlsx,
}

const CATEGORY_LABELS: [&str; 13] = [
    "执行率偏低",
    "预算编制不准确",
    "预算调整",
    "超预算支出",
    "指标偏差",
    "指标值偏低",
    "跨年度结算",
    "偏差未说明",
    "自评得分有误",
    "勾稽不符",
    "经费控制",
    "人员编制",
    "数据质量",
];

/// The Chinese label of a finding category (a column of the ranking, a cell of the xlsx
/// 问题清单); the code itself when it is not one of [`CATEGORIES`].
pub fn category_label(category: &str) -> &str {
    CATEGORIES
        .iter()
        .position(|c| *c == category)
        .and_then(|i| CATEGORY_LABELS.get(i).copied())
        .unwrap_or(category)
}

/// The ranking's columns, for CSV and xlsx alike.
pub fn columns() -> Vec<&'static str> {
    let mut header = vec![
        "排名",
        "单位编码",
        "单位名称",
        "得分",
        "等级",
        "执行率(%)",
        "已评分预算占比(%)",
        "错误",
        "警告",
        "提示",
    ];
    header.extend(CATEGORY_LABELS);
    header.extend(["已豁免", "处理问题", "文件"]);
    header
}

/// A cell of a ranking row, by kind, so that each format writes it its own way (CSV as
/// text, xlsx as a number with its display format).
#[derive(Debug, Clone, PartialEq)]
pub enum RankingCell {
    Count(usize),
    Text(String),
    /// A score, shown to 2 places.
    Score(Option<Decimal>),
    /// A ratio, shown as a percentage to 2 places.
    Rate(Option<Decimal>),
}

/// A unit's row of the ranking, in the order of [`columns`].
pub fn cells(s: &UnitSummary) -> Vec<RankingCell> {
    let mut row = vec![
        RankingCell::Count(s.rank),
        RankingCell::Text(s.code.clone()),
        RankingCell::Text(s.name.clone()),
        RankingCell::Score(s.score),
        RankingCell::Text(s.grade.clone().unwrap_or_default()),
        RankingCell::Rate(s.execution_rate),
        RankingCell::Rate(s.scored_budget_share),
    ];
    row.extend(
        s.by_severity
            .values()
            .iter()
            .copied()
            .map(RankingCell::Count),
    );
    row.extend(
        s.by_category
            .values()
            .iter()
            .copied()
            .map(RankingCell::Count),
    );
    row.extend([
        RankingCell::Count(s.suppressed),
        RankingCell::Count(s.problems),
        RankingCell::Text(s.file.clone()),
    ]);
    row
}

fn score_text(score: Option<Decimal>) -> String {
    score.map(|s| number_text::fixed(s, 2)).unwrap_or_default()
}

fn rate_text(rate: Option<Decimal>) -> String {
    rate.map(number_text::percent).unwrap_or_default()
}

/// Writes `score` results: `scorecard` for each unit as it arrives, then `finish` with the
/// ranking and every problem.
pub struct ScoreWriter<W: Write> {
    format: ScoreFormat,
    out: W,
    scorecards_written: usize,
    /// The workbook being gathered, for `xlsx`.
    book: Option<super::xlsx::Book>,
    /// The terminal's width, to wrap the table at; `None` when stdout is not a terminal.
    line_width: Option<usize>,
}

#[derive(Serialize)]
struct Scorecard<'a> {
    code: &'a str,
    name: &'a str,
    file: &'a str,
    #[serde(flatten)]
    score: &'a UnitScore,
}

impl<W: Write> ScoreWriter<W> {
    pub fn begin(format: ScoreFormat, mut out: W) -> io::Result<ScoreWriter<W>> {
        if format == ScoreFormat::Json {
            write!(out, "{{\n  \"scorecards\": [")?;
        }
        let book = match format {
            ScoreFormat::Xlsx => Some(super::xlsx::Book::new(true)?),
            _ => None,
        };
        Ok(ScoreWriter {
            format,
            out,
            scorecards_written: 0,
            book,
            line_width: None,
        })
    }

    /// Wraps the table at `line_width` columns (see [`grid`]).
    pub fn wrap_at(self, line_width: Option<usize>) -> ScoreWriter<W> {
        ScoreWriter { line_width, ..self }
    }

    pub fn scorecard(&mut self, report: &UnitReport, score: &UnitScore) -> io::Result<()> {
        if let Some(book) = &mut self.book {
            return book.unit(report, Some(score));
        }
        if self.format != ScoreFormat::Json {
            return Ok(());
        }
        let card = Scorecard {
            code: &report.code,
            name: &report.name,
            file: &report.file,
            score,
        };
        let separator = if self.scorecards_written == 0 {
            ""
        } else {
            ","
        };
        self.scorecards_written += 1;
        let text = serde_json::to_string(&card).expect("scorecards serialize");
        write!(self.out, "{separator}\n    {text}")
    }

    pub fn finish(mut self, ranking: &[UnitSummary], problems: &[Problem]) -> io::Result<()> {
        match self.format {
            ScoreFormat::Json => {
                write!(self.out, "\n  ],\n  \"ranking\": [")?;
                for (i, s) in ranking.iter().enumerate() {
                    let separator = if i == 0 { "" } else { "," };
                    let text = serde_json::to_string(s).expect("summaries serialize");
                    write!(self.out, "{separator}\n    {text}")?;
                }
                let errors = serde_json::to_string_pretty(problems).expect("problems serialize");
                write!(
                    self.out,
                    "\n  ],\n  \"errors\": {}\n}}\n",
                    errors.replace('\n', "\n  ")
                )?;
            }
            ScoreFormat::Csv => self.csv(ranking)?,
            ScoreFormat::Table => self.table(ranking)?,
            ScoreFormat::Xlsx => {
                if let Some(book) = self.book.take() {
                    self.out.write_all(&book.into_bytes(Some(ranking))?)?;
                }
            }
        }
        self.out.flush()
    }

    fn csv(&mut self, ranking: &[UnitSummary]) -> io::Result<()> {
        // The byte-order mark makes Excel read the file as UTF-8.
        self.out.write_all("\u{feff}".as_bytes())?;
        let mut csv = csv::Writer::from_writer(&mut self.out);
        csv.write_record(columns())?;
        for s in ranking {
            let row: Vec<String> = cells(s)
                .into_iter()
                .map(|cell| match cell {
                    RankingCell::Count(n) => n.to_string(),
                    RankingCell::Text(text) => csv_cell(&text).into_owned(),
                    RankingCell::Score(score) => score_text(score),
                    RankingCell::Rate(rate) => rate_text(rate),
                })
                .collect();
            csv.write_record(&row)?;
        }
        csv.flush()
    }

    fn table(&mut self, ranking: &[UnitSummary]) -> io::Result<()> {
        let mut headers = vec![
            ("排名", Align::Right),
            ("得分", Align::Right),
            ("等级", Align::Left),
            ("执行率", Align::Right),
            ("评分覆盖", Align::Right),
        ];
        headers.extend(severity_headers());
        headers.push(("单位", Align::Left));
        let rows: Vec<Vec<String>> = ranking
            .iter()
            .map(|s| {
                let mut row = vec![
                    s.rank.to_string(),
                    score_text(s.score),
                    escape(s.grade.as_deref().unwrap_or("-"), Layout::Line).into_owned(),
                    s.execution_rate.map(number_text::pct).unwrap_or_default(),
                    s.scored_budget_share
                        .map(number_text::pct)
                        .unwrap_or_default(),
                ];
                row.extend(s.by_severity.values().iter().map(usize::to_string));
                row.push(format!("{} {}", Escaped(&s.code), Escaped(&s.name)));
                row
            })
            .collect();
        self.out
            .write_all(grid(&headers, &rows, self.line_width).as_bytes())
    }
}

/// Right-aligned count columns headed 错误, 警告, 提示, in the order of `SEVERITIES`.
pub fn severity_headers() -> impl Iterator<Item = (&'static str, Align)> {
    SEVERITIES.iter().map(|name| {
        (
            Severity::of(name).map_or(*name, Severity::label),
            Align::Right,
        )
    })
}
