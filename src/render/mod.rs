//! Rendering. `run` output streams unit by unit — a terminal table, one JSON document, or
//! the Chinese narrative (存在的问题及原因分析 / 下一步改进措施) a unit pastes into its report —
//! and `score` output is the ranking (table, JSON, CSV for Excel, or an xlsx workbook:
//! [`xlsx`]). Text from unit files passes through [`safe`] on its way to a terminal,
//! Markdown or Excel. [`self_evaluation`] writes the 自评表 form itself.

pub mod catalogue;
mod json;
mod markdown;
pub mod ranking;
pub mod safe;
pub mod self_evaluation;
mod table;
pub mod xlsx;

use crate::evaluate::UnitReport;
use crate::problem::Problem;
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Md,
    /// The 问题清单 as a workbook (binary: to a file).
    Xlsx,
}

/// Writes `run` results as they arrive: `begin`, then `unit` for each unit in order, then
/// `finish` with every problem.
pub struct RunWriter<W: Write> {
    format: Format,
    out: W,
    units_written: usize,
    /// The workbook being gathered, for `xlsx`.
    book: Option<xlsx::Book>,
}

impl<W: Write> RunWriter<W> {
    pub fn begin(format: Format, mut out: W) -> io::Result<RunWriter<W>> {
        if format == Format::Json {
            write!(out, "{}", json::BEGIN)?;
        }
        let book = match format {
            Format::Xlsx => Some(xlsx::Book::new(false)?),
            _ => None,
        };
        Ok(RunWriter {
            format,
            out,
            units_written: 0,
            book,
        })
    }

    pub fn unit(&mut self, report: &UnitReport) -> io::Result<()> {
        let text = match (self.format, &mut self.book) {
            (Format::Xlsx, Some(book)) => return book.unit(report, None),
            (Format::Table | Format::Xlsx, _) => table::unit(report),
            (Format::Json, _) => json::unit(report, self.units_written == 0),
            (Format::Md, _) => markdown::unit(report),
        };
        self.units_written += 1;
        self.out.write_all(text.as_bytes())
    }

    pub fn finish(mut self, problems: &[Problem]) -> io::Result<()> {
        if self.format == Format::Json {
            write!(self.out, "{}", json::end(problems))?;
        }
        if let Some(book) = self.book.take() {
            self.out.write_all(&book.into_bytes(None)?)?;
        }
        self.out.flush()
    }
}
