//! Rendering. `run` output streams unit by unit — a terminal table, one JSON document, or
//! the Chinese narrative (存在的问题及原因分析 / 下一步改进措施) a unit pastes into its report —
//! and `score` output is the ranking (table, JSON, or CSV for Excel). Text from unit files
//! passes through [`safe`] on its way to a terminal, Markdown or Excel.

pub mod catalogue;
mod json;
mod markdown;
pub mod ranking;
pub mod safe;
mod table;

use crate::evaluate::UnitReport;
use crate::problem::Problem;
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Md,
}

/// Writes `run` results as they arrive: `begin`, then `unit` for each unit in order, then
/// `finish` with every problem.
pub struct RunWriter<W: Write> {
    format: Format,
    out: W,
    units_written: usize,
}

impl<W: Write> RunWriter<W> {
    pub fn begin(format: Format, mut out: W) -> io::Result<RunWriter<W>> {
        if format == Format::Json {
            write!(out, "{}", json::BEGIN)?;
        }
        Ok(RunWriter {
            format,
            out,
            units_written: 0,
        })
    }

    pub fn unit(&mut self, report: &UnitReport) -> io::Result<()> {
        let text = match self.format {
            Format::Table => table::unit(report),
            Format::Json => json::unit(report, self.units_written == 0),
            Format::Md => markdown::unit(report),
        };
        self.units_written += 1;
        self.out.write_all(text.as_bytes())
    }

    pub fn finish(mut self, problems: &[Problem]) -> io::Result<()> {
        if self.format == Format::Json {
            write!(self.out, "{}", json::end(problems))?;
        }
        self.out.flush()
    }
}
