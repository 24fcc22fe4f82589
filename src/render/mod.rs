//! Rendering a batch's reports: a terminal table, one JSON document, or the Chinese
//! narrative (存在的问题及原因分析 / 下一步改进措施) a unit pastes into its report.

mod json;
mod markdown;
mod table;

use crate::evaluate::UnitReport;
use crate::problem::Problem;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Md,
}

pub fn render(format: Format, reports: &[UnitReport], problems: &[Problem]) -> String {
    match format {
        Format::Table => table::render(reports),
        Format::Json => json::render(reports, problems),
        Format::Md => markdown::render(reports),
    }
}
