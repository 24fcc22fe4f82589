//! `--format table`: a readable terminal listing, one block per unit, one entry per finding.
//! Every text from the unit file is escaped: it reaches a terminal. On a terminal, long lines
//! wrap at its width under where their text starts.

use super::layout::hanging;
use super::safe::{Escaped, Layout, escape};
use crate::engine::evaluate::UnitReport;
use crate::engine::severity::Severity;

/// Where a finding's message, causes and suggestion start.
const INDENT: &str = "          ";

/// The unit's block; messages, causes and suggestions wrap at `line_width` (a terminal's)
/// under where they start. `hidden` is how many findings below a severity were left out.
pub fn unit(
    report: &UnitReport,
    line_width: Option<usize>,
    hidden: Option<(usize, Severity)>,
) -> String {
    let mut out = String::new();
    let mut line = |prefix: &str, text: &str| {
        out.push_str(&hanging(prefix, text, line_width));
        out.push('\n');
    };
    line(
        "",
        &format!(
            "{} {}  ({})",
            Escaped(&report.code),
            Escaped(&report.name),
            Escaped(&report.file)
        ),
    );
    match (report.findings.is_empty(), hidden) {
        (true, Some((1.., level))) => line("  ", &format!("未发现 {} 及以上的问题", level.name())),
        (true, _) => line("  ", "未发现问题"),
        (false, _) => {}
    }
    for f in &report.findings {
        let subject = match (&f.project, &f.project_name) {
            (Some(code), Some(name)) => format!("{} {}", Escaped(code), Escaped(name)),
            _ => "单位整体".to_string(),
        };
        let indicator = f
            .indicator
            .as_deref()
            .map(|i| format!(" · {}", Escaped(i)))
            .unwrap_or_default();
        let headline = format!("  {:<7} {:<24} ", f.severity, Escaped(&f.rule));
        line(&headline, &format!("{subject}{indicator}"));
        line(INDENT, &escape(&f.message, Layout::Line));
        for cause in f.cause.iter().chain(&f.other_causes) {
            line(
                &format!("{INDENT}原因 [{}] ", Escaped(&cause.code)),
                &escape(&cause.text, Layout::Line),
            );
        }
        line(
            &format!("{INDENT}建议 "),
            &escape(&f.suggestion, Layout::Line),
        );
        if let Some(reason) = &f.suppressed {
            line(&format!("{INDENT}已豁免 "), &escape(reason, Layout::Line));
        }
    }
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let left_out = match hidden {
        Some((count @ 1.., level)) => format!("；另有 {count} 条低于 {}，未显示", level.name()),
        _ => String::new(),
    };
    line(
        "  ",
        &format!(
            "合计 {} 条：error {}，warning {}，info {}{left_out}",
            report.findings.len(),
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Info)
        ),
    );
    out.push('\n');
    out
}
