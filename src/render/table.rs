//! `--format table`: a readable terminal listing, one block per unit, one entry per finding.
//! Every text from the unit file is escaped: it reaches a terminal.

use super::safe::Escaped;
use crate::evaluate::UnitReport;
use std::fmt::Write;

pub fn unit(report: &UnitReport) -> String {
    let mut out = String::new();
    {
        let _ = writeln!(
            out,
            "{} {}  ({})",
            Escaped(&report.code),
            Escaped(&report.name),
            Escaped(&report.file)
        );
        if report.findings.is_empty() {
            let _ = writeln!(out, "  未发现问题");
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
            let _ = writeln!(
                out,
                "  {:<7} {:<24} {subject}{indicator}",
                f.severity,
                Escaped(&f.rule)
            );
            let _ = writeln!(out, "          {}", Escaped(&f.message));
            for cause in f.cause.iter().chain(&f.other_causes) {
                let _ = writeln!(
                    out,
                    "          原因 [{}] {}",
                    Escaped(&cause.code),
                    Escaped(&cause.text)
                );
            }
            let _ = writeln!(out, "          建议 {}", Escaped(&f.suggestion));
            if let Some(reason) = &f.suppressed {
                let _ = writeln!(out, "          已豁免 {}", Escaped(reason));
            }
        }
        let count = |s: &str| report.findings.iter().filter(|f| f.severity == s).count();
        let _ = writeln!(
            out,
            "  合计 {} 条：error {}，warning {}，info {}\n",
            report.findings.len(),
            count("error"),
            count("warning"),
            count("info")
        );
    }
    out
}
