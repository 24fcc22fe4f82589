//! Rendering. `run` output streams unit by unit — a terminal table, one JSON document, or
//! the Chinese write-up (存在的问题及原因分析 / 下一步改进措施) a unit pastes into its report —
//! and `score` output is the ranking (table, JSON, CSV for Excel, or an xlsx workbook:
//! [`xlsx`]). Text from unit files passes through [`safe`] on its way to a terminal,
//! Markdown or Excel. [`self_evaluation`] writes the 自评表 form itself.

pub mod catalogue;
mod json;
mod markdown;
pub mod ranking;
pub mod report;
pub mod safe;
pub mod self_evaluation;
mod table;
pub mod xlsx;

use crate::evaluate::UnitReport;
use crate::problem::Problem;
use crate::rule_set::RuleSet;
use std::io::{self, Write};

pub use markdown::{Writeup, writeup_file_name};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Md,
    /// The 问题清单 as a workbook (binary: to a file).
    Xlsx,
}

/// What a `run` writer writes each unit as.
enum Style {
    Table,
    Json,
    /// With the rules' titles and the causes' labels the write-up names things by.
    Md(Writeup),
    /// The 问题清单 gathered into a workbook, written at the end.
    Xlsx(Box<xlsx::Book>),
}

/// Writes `run` results as they arrive: `begin`, then `unit` for each unit in order, then
/// `finish` with every problem.
pub struct RunWriter<W: Write> {
    style: Style,
    out: W,
    units_written: usize,
}

impl<W: Write> RunWriter<W> {
    pub fn begin(format: Format, rules: &RuleSet, mut out: W) -> io::Result<RunWriter<W>> {
        let style = match format {
            Format::Table => Style::Table,
            Format::Json => Style::Json,
            Format::Md => Style::Md(Writeup::new(rules)),
            Format::Xlsx => Style::Xlsx(Box::new(xlsx::Book::new(false)?)),
        };
        if let Style::Json = style {
            write!(out, "{}", json::BEGIN)?;
        }
        Ok(RunWriter {
            style,
            out,
            units_written: 0,
        })
    }

    pub fn unit(&mut self, report: &UnitReport) -> io::Result<()> {
        let text = match &mut self.style {
            Style::Xlsx(book) => return book.unit(report, None),
            Style::Table => table::unit(report),
            Style::Json => json::unit(report, self.units_written == 0),
            Style::Md(writeup) => writeup.unit(report),
        };
        self.units_written += 1;
        self.out.write_all(text.as_bytes())
    }

    pub fn finish(mut self, problems: &[Problem]) -> io::Result<()> {
        match self.style {
            Style::Json => write!(self.out, "{}", json::end(problems))?,
            Style::Xlsx(book) => self.out.write_all(&book.into_bytes(None)?)?,
            Style::Table | Style::Md(_) => {}
        }
        self.out.flush()
    }
}
