//! Rendering. `run` output streams unit by unit — a terminal table, one JSON document, the
//! Chinese write-up (存在的问题及原因分析 / 下一步改进措施) a unit pastes into its report, JSON
//! Lines for pipelines, or the 问题清单 as an xlsx workbook ([`xlsx`]) — `score` output is the
//! ranking (table, JSON, CSV for Excel, or xlsx) and `summary` output the batch's figures.
//! Text from unit files passes through [`safe`] on its way to a terminal, Markdown or Excel;
//! [`layout`] fits tables to the terminal. [`self_evaluation`] writes the 自评表 form itself.

pub mod atomic_file;
mod json;
mod jsonl;
pub mod layout;
mod markdown;
pub mod ranking;
pub mod report;
pub mod rule_docs;
pub mod safe;
pub mod self_evaluation;
pub mod summary;
mod table;
pub mod xlsx;

use crate::diagnostic::Problem;
use crate::engine::evaluate::UnitReport;
use crate::engine::rule_set::RuleSet;
use crate::engine::severity::Severity;
use crate::score::scorecard::UnitScore;
use std::borrow::Cow;
use std::io::{self, Write};

pub use markdown::{Writeup, writeup_file_name};

/// `report` with only its findings at `min_severity` or above (all of them when `None`), and
/// how many were left out.
pub fn shown(report: &UnitReport, min_severity: Option<Severity>) -> (Cow<'_, UnitReport>, usize) {
    let Some(level) = min_severity else {
        return (Cow::Borrowed(report), 0);
    };
    let mut kept = report.clone();
    kept.findings.retain(|f| f.severity >= level);
    let hidden = report.findings.len() - kept.findings.len();
    (Cow::Owned(kept), hidden)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Md,
    /// One line per unit and per problem, as each unit is done (JSON Lines).
    Jsonl,
    /// The 问题清单 as a workbook (binary: to a file).
    Xlsx,
}

/// What a `run` writer writes each unit as.
enum Style {
    Table,
    Json,
    Jsonl,
    /// With the rules' titles and the causes' labels the write-up names things by.
    Md(Writeup),
    /// The 问题清单 gathered into a workbook, written at the end.
    Xlsx(Box<xlsx::Book>),
}

/// Writes `run` results as they arrive: `begin`, then `unit` for each unit in order (and
/// `problems` as they are met), then `finish` with every problem.
pub struct RunWriter<W: Write> {
    style: Style,
    out: W,
    units_written: usize,
    /// The terminal's width, to wrap the table at; `None` when stdout is not a terminal.
    line_width: Option<usize>,
    /// Findings below this severity are left out (`run --min-severity`).
    min_severity: Option<Severity>,
    /// How many findings were left out so far.
    hidden: usize,
}

impl<W: Write> RunWriter<W> {
    pub fn begin(format: Format, rules: &RuleSet, mut out: W) -> io::Result<RunWriter<W>> {
        let style = match format {
            Format::Table => Style::Table,
            Format::Json => Style::Json,
            Format::Md => Style::Md(Writeup::new(rules)),
            Format::Jsonl => Style::Jsonl,
            Format::Xlsx => Style::Xlsx(Box::new(xlsx::Book::new(false)?)),
        };
        if let Style::Json = style {
            write!(out, "{}", json::BEGIN)?;
        }
        Ok(RunWriter {
            style,
            out,
            units_written: 0,
            line_width: None,
            min_severity: None,
            hidden: 0,
        })
    }

    /// Leaves out the findings below `min_severity` (none when `None`); the table says how
    /// many it left out of each unit.
    pub fn showing(self, min_severity: Option<Severity>) -> RunWriter<W> {
        RunWriter {
            min_severity,
            ..self
        }
    }

    /// How many findings were left out so far.
    pub fn hidden(&self) -> usize {
        self.hidden
    }

    /// Wraps the table at `line_width` columns (see [`layout::hanging`]).
    pub fn wrap_at(self, line_width: Option<usize>) -> RunWriter<W> {
        RunWriter { line_width, ..self }
    }

    pub fn unit(&mut self, report: &UnitReport, score: &UnitScore) -> io::Result<()> {
        let (report, hidden) = shown(report, self.min_severity);
        self.hidden += hidden;
        let hidden = self.min_severity.map(|level| (hidden, level));
        let report = report.as_ref();
        let text = match &mut self.style {
            Style::Xlsx(book) => return book.unit(report, None),
            Style::Table => table::unit(report, self.line_width, hidden),
            Style::Json => json::unit(report, self.units_written == 0),
            Style::Md(writeup) => writeup.unit(report),
            Style::Jsonl => jsonl::unit(report, score),
        };
        self.units_written += 1;
        self.out.write_all(text.as_bytes())
    }

    /// Problems as they are met: JSON Lines writes each as a line in place; the other formats
    /// list them at the end (`finish`) or leave them to stderr.
    pub fn problems(&mut self, problems: &[Problem]) -> io::Result<()> {
        if let Style::Jsonl = self.style {
            for problem in problems {
                self.out.write_all(jsonl::error(problem).as_bytes())?;
            }
        }
        Ok(())
    }

    pub fn finish(mut self, problems: &[Problem]) -> io::Result<()> {
        match self.style {
            Style::Json => write!(self.out, "{}", json::end(problems))?,
            Style::Xlsx(book) => self.out.write_all(&book.into_bytes(None)?)?,
            Style::Table | Style::Jsonl | Style::Md(_) => {}
        }
        self.out.flush()
    }
}
