//! `score` output: every unit's score, grade, execution rate and finding counts by severity
//! and category, ranked by score (ties by unit code). `table` for the terminal, `csv` for
//! Excel (UTF-8 with BOM, Chinese headers, plain decimals, text cells that would run as
//! formulas neutralised), `json` with each unit's full
//! scorecard (streamed in input order) before the ranking, `xlsx` (see [`super::xlsx`]) with
//! the same columns.

use super::safe::{Escaped, csv_cell};
use crate::catalogue::{CATEGORIES, SEVERITIES};
use crate::evaluate::UnitReport;
use crate::format;
use crate::problem::Problem;
use crate::scorecard::UnitScore;
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

/// What the ranking keeps of a unit: a few figures, never its findings.
#[derive(Debug, Clone, Serialize)]
pub struct UnitSummary {
    pub rank: usize,
    pub code: String,
    pub name: String,
    pub file: String,
    #[serde(serialize_with = "format::plain_decimal")]
    pub score: Option<Decimal>,
    pub grade: Option<String>,
    #[serde(serialize_with = "format::plain_decimal")]
    pub execution_rate: Option<Decimal>,
    /// Σ budget_adjusted of the scored projects / Σ over all (已评分预算占比).
    #[serde(serialize_with = "format::plain_decimal")]
    pub scored_budget_share: Option<Decimal>,
    /// Findings per severity (`{"error": 1, …}`), in the order of `SEVERITIES`.
    pub by_severity: Counts,
    /// Findings per category, in the order of `CATEGORIES`.
    pub by_category: Counts,
    /// Findings a `[[suppress]]` entry accepted (not in the counts above).
    pub suppressed: usize,
    pub problems: usize,
}

/// Counts by name, in the order of a fixed vocabulary; a JSON object keyed by name.
#[derive(Debug, Clone)]
pub struct Counts {
    names: &'static [&'static str],
    counts: Vec<usize>,
}

impl Counts {
    fn of(names: &'static [&'static str], count: impl Fn(&str) -> usize) -> Counts {
        Counts {
            names,
            counts: names.iter().map(|n| count(n)).collect(),
        }
    }

    /// The counts in the vocabulary's order.
    pub fn values(&self) -> &[usize] {
        &self.counts
    }

    pub fn get(&self, name: &str) -> usize {
        self.names
            .iter()
            .position(|n| *n == name)
            .and_then(|i| self.counts.get(i).copied())
            .unwrap_or(0)
    }
}

impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.names.len()))?;
        for (name, count) in self.names.iter().zip(&self.counts) {
            map.serialize_entry(name, count)?;
        }
        map.end()
    }
}

impl UnitSummary {
    pub fn new(report: &UnitReport, score: &UnitScore, problems: usize) -> UnitSummary {
        // Suppressed findings are accepted: counted apart, not by severity or category.
        let count = |keep: &dyn Fn(&crate::finding::Finding) -> bool| {
            report
                .findings
                .iter()
                .filter(|f| f.suppressed.is_none() && keep(f))
                .count()
        };
        UnitSummary {
            rank: 0,
            code: report.code.clone(),
            name: report.name.clone(),
            file: report.file.clone(),
            score: score.score,
            grade: score.grade.clone(),
            execution_rate: score.execution_rate,
            scored_budget_share: score.scored_budget_share,
            by_severity: Counts::of(SEVERITIES, |s| count(&|f| f.severity == s)),
            by_category: Counts::of(CATEGORIES, |c| count(&|f| f.category == c)),
            suppressed: report
                .findings
                .iter()
                .filter(|f| f.suppressed.is_some())
                .count(),
            problems,
        }
    }
}

/// The ranking's order: score, highest first (units without a score last), ties by unit
/// code, then file.
pub fn order(a: &UnitSummary, b: &UnitSummary) -> std::cmp::Ordering {
    b.score
        .is_some()
        .cmp(&a.score.is_some())
        .then(b.score.cmp(&a.score))
        .then_with(|| a.code.cmp(&b.code))
        .then_with(|| a.file.cmp(&b.file))
}

/// Sorts by score, highest first (units without a score last), ties by unit code, and numbers
/// the ranks.
pub fn rank(summaries: &mut [UnitSummary]) {
    summaries.sort_by(order);
    for (i, s) in summaries.iter_mut().enumerate() {
        s.rank = i + 1;
    }
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
    score.map(|s| format::fixed(s, 2)).unwrap_or_default()
}

fn rate_text(rate: Option<Decimal>) -> String {
    rate.map(format::percent).unwrap_or_default()
}

/// Writes `score` results: `scorecard` for each unit as it arrives, then `finish` with the
/// ranking and every problem.
pub struct ScoreWriter<W: Write> {
    format: ScoreFormat,
    out: W,
    scorecards_written: usize,
    /// The workbook being gathered, for `xlsx`.
    book: Option<super::xlsx::Book>,
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
        })
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
        writeln!(
            self.out,
            "{:>5}  {:>6}  {:<2}  {:>8}  {:>6}  {:>5} {:>5} {:>5}  单位",
            "排名", "得分", "等级", "执行率", "评分覆盖", "错误", "警告", "提示"
        )?;
        for s in ranking {
            writeln!(
                self.out,
                "{:>6}  {:>8}  {:<4}  {:>10}  {:>10}  {:>7} {:>7} {:>7}  {} {}",
                s.rank,
                score_text(s.score),
                Escaped(s.grade.as_deref().unwrap_or("-")),
                s.execution_rate.map(format::pct).unwrap_or_default(),
                s.scored_budget_share.map(format::pct).unwrap_or_default(),
                s.by_severity.get("error"),
                s.by_severity.get("warning"),
                s.by_severity.get("info"),
                Escaped(&s.code),
                Escaped(&s.name)
            )?;
        }
        Ok(())
    }
}
