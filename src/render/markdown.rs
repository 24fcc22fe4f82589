//! `--format md`: the narrative a unit pastes into its self-evaluation report, in the
//! register of the seed's 四、存在的问题及原因分析 and 五、下一步改进措施. Suppressed findings are
//! listed apart under 已豁免事项, with their reasons. Info-level notes are
//! listed apart under 数据说明: they are about the filing, not the unit's performance.

use crate::evaluate::UnitReport;
use crate::finding::Finding;
use std::fmt::Write;

/// 一, 二, … 九十九: the ordinals of 一是…；二是….
fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", DIGITS[n % 10]),
        _ => {
            let ones = if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[n % 10]
            };
            format!("{}十{ones}", DIGITS[(n / 10) % 10])
        }
    }
}

fn enumerate(items: &[String]) -> String {
    let parts: Vec<String> = items
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{}是{}", chinese_number(i + 1), s.trim_end_matches('。')))
        .collect();
    format!("{}。", parts.join("；"))
}

/// The problems and causes of one subject (the unit as a whole, or one project).
struct Subject<'a> {
    name: String,
    messages: Vec<&'a str>,
    /// (cause code, cause text), each code once.
    causes: Vec<(&'a str, &'a str)>,
}

fn subject(f: &Finding) -> String {
    match &f.project_name {
        Some(name) => format!("{name}："),
        None => "部门整体：".to_string(),
    }
}

pub fn unit(report: &UnitReport) -> String {
    let mut out = String::new();
    {
        let _ = writeln!(out, "# {}（{}）\n", report.name, report.code);
        let (accepted, open): (Vec<&Finding>, Vec<&Finding>) =
            report.findings.iter().partition(|f| f.suppressed.is_some());
        let (notes, problems): (Vec<&Finding>, Vec<&Finding>) =
            open.into_iter().partition(|f| f.severity == "info");
        let _ = writeln!(out, "## 存在的问题及原因分析\n");
        if problems.is_empty() {
            let _ = writeln!(out, "经分析，本单位未发现偏离绩效目标的问题。\n");
        } else {
            // One item per subject (the unit as a whole, then each project in order): its
            // problems in one sentence, and its causes, each cause code once.
            let mut subjects: Vec<Subject> = Vec::new();
            for f in &problems {
                let name = subject(f);
                let at = match subjects.iter().position(|s| s.name == name) {
                    Some(at) => at,
                    None => {
                        subjects.push(Subject {
                            name,
                            messages: Vec::new(),
                            causes: Vec::new(),
                        });
                        subjects.len() - 1
                    }
                };
                let entry = &mut subjects[at];
                entry.messages.push(f.message.trim_end_matches('。'));
                if !entry.causes.iter().any(|(code, _)| *code == f.cause.code) {
                    entry
                        .causes
                        .push((&f.cause.code, f.cause.text.trim_end_matches('。')));
                }
            }
            let issues: Vec<String> = subjects
                .iter()
                .map(|s| format!("{}{}", s.name, s.messages.join("；")))
                .collect();
            let _ = writeln!(out, "1. 存在的问题。{}\n", enumerate(&issues));
            let causes: Vec<String> = subjects
                .iter()
                .map(|s| {
                    let texts: Vec<&str> = s.causes.iter().map(|(_, text)| *text).collect();
                    format!("{}{}", s.name, texts.join("；"))
                })
                .collect();
            let _ = writeln!(out, "2. 原因分析。{}\n", enumerate(&causes));
        }
        let _ = writeln!(out, "## 下一步改进措施\n");
        let mut suggestions: Vec<String> = Vec::new();
        for f in &problems {
            if !suggestions.contains(&f.suggestion) {
                suggestions.push(f.suggestion.clone());
            }
        }
        if suggestions.is_empty() {
            let _ = writeln!(
                out,
                "继续加强预算和绩效管理，保持预算执行和绩效目标完成良好。\n"
            );
        } else {
            let _ = writeln!(out, "{}\n", enumerate(&suggestions));
        }
        if !notes.is_empty() {
            let _ = writeln!(out, "## 数据说明\n");
            for f in notes {
                let _ = writeln!(out, "- {}{}", subject(f), f.message);
            }
            let _ = writeln!(out);
        }
        if !accepted.is_empty() {
            let _ = writeln!(out, "## 已豁免事项\n");
            for f in accepted {
                let reason = f.suppressed.as_deref().unwrap_or_default();
                let _ = writeln!(out, "- {}{}（豁免理由：{reason}）", subject(f), f.message);
            }
            let _ = writeln!(out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::chinese_number;

    #[test]
    fn ordinals_read_as_chinese() {
        assert_eq!(chinese_number(1), "一");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(12), "十二");
        assert_eq!(chinese_number(20), "二十");
        assert_eq!(chinese_number(23), "二十三");
    }
}
