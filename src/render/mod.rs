//! Rendering. `run` output streams unit by unit — a terminal table, one JSON document, the
//! Chinese narrative (存在的问题及原因分析 / 下一步改进措施) a unit pastes into its report, or
//! JSON Lines for pipelines — `score` output is the ranking (table, JSON, or CSV for Excel)
//! and `summary` output the batch's figures. Text from unit files passes through [`safe`] on
//! its way to a terminal, Markdown or Excel; [`layout`] fits tables to the terminal.

pub mod catalogue;
mod json;
mod jsonl;
pub mod layout;
mod markdown;
pub mod ranking;
pub mod safe;
pub mod summary;
mod table;

use crate::evaluate::UnitReport;
use crate::problem::Problem;
use crate::scorecard::UnitScore;
use crate::severity::{Severity, at_least};
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Md,
    /// One line per unit and per problem, as each unit is done (JSON Lines).
    Jsonl,
}

/// Writes `run` results as they arrive: `begin`, then `unit` for each unit in order (and
/// `problems` as they are met), then `finish` with every problem.
pub struct RunWriter<W: Write> {
    format: Format,
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
    pub fn begin(format: Format, mut out: W) -> io::Result<RunWriter<W>> {
        if format == Format::Json {
            write!(out, "{}", json::BEGIN)?;
        }
        Ok(RunWriter {
            format,
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
        let shown;
        let (report, hidden) = match self.min_severity {
            Some(level) => {
                let mut kept = report.clone();
                kept.findings.retain(|f| at_least(f, level));
                let hidden = report.findings.len() - kept.findings.len();
                self.hidden += hidden;
                shown = kept;
                (&shown, Some((hidden, level)))
            }
            None => (report, None),
        };
        let text = match self.format {
            Format::Table => table::unit(report, self.line_width, hidden),
            Format::Json => json::unit(report, self.units_written == 0),
            Format::Md => markdown::unit(report),
            Format::Jsonl => jsonl::unit(report, score),
        };
        self.units_written += 1;
        self.out.write_all(text.as_bytes())
    }

    /// Problems as they are met: JSON Lines writes each as a line in place; the other formats
    /// list them at the end (`finish`) or leave them to stderr.
    pub fn problems(&mut self, problems: &[Problem]) -> io::Result<()> {
        if self.format == Format::Jsonl {
            for problem in problems {
                self.out.write_all(jsonl::error(problem).as_bytes())?;
            }
        }
        Ok(())
    }

    pub fn finish(mut self, problems: &[Problem]) -> io::Result<()> {
        if self.format == Format::Json {
            write!(self.out, "{}", json::end(problems))?;
        }
        self.out.flush()
    }
}
