//! Rendering. `run` output streams unit by unit — a terminal table, one JSON document, or
//! the Chinese write-up (存在的问题及原因分析 / 下一步改进措施) a unit pastes into its report —
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
use crate::rule_set::RuleSet;
use std::io::{self, Write};

pub use markdown::{Writeup, writeup_file_name};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Md,
}

/// What a `run` writer writes each unit as.
enum Style {
    Table,
    Json,
    /// With the rules' titles and the causes' labels the write-up names things by.
    Md(Writeup),
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
        let text = match &self.style {
            Style::Table => table::unit(report),
            Style::Json => json::unit(report, self.units_written == 0),
            Style::Md(writeup) => writeup.unit(report),
        };
        self.units_written += 1;
        self.out.write_all(text.as_bytes())
    }

    pub fn finish(mut self, problems: &[Problem]) -> io::Result<()> {
        if let Style::Json = self.style {
            write!(self.out, "{}", json::end(problems))?;
        }
        self.out.flush()
    }
}
