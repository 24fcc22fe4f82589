//! `--format md`: the narrative a unit pastes into its self-evaluation report, in the
//! register of the seed's 四、存在的问题及原因分析 and 五、下一步改进措施. Suppressed findings are
//! listed apart under 已豁免事项, with their reasons. Info-level notes are
//! listed apart under 数据说明: they are about the filing, not the unit's performance. Text from
//! the unit file is escaped, so that it cannot start a heading or a list item of its own.

use super::safe::{Escaped, Layout, escape};
use crate::evaluate::UnitReport;
use crate::finding::Finding;
use std::fmt::Write;

/// A count in Chinese numerals, as the ordinals of 一是…；二是… read: 十, 十一, 二十, 一百,
/// 一百零一, 一千零一十, 十万 …, for any count.
fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    const PLACES: [&str; 4] = ["千", "百", "十", ""];
    const GROUPS: [&str; 5] = ["", "万", "亿", "万亿", "亿亿"];
    if n == 0 {
        return DIGITS[0].to_string();
    }
    // Groups of four digits, lowest first: 1_0001_0000 is [0, 1, 1].
    let groups: Vec<usize> = std::iter::successors(Some(n), |rest| Some(rest / 10_000))
        .take_while(|rest| *rest > 0)
        .map(|rest| rest % 10_000)
        .collect();
    let mut out = String::new();
    // A zero read aloud once between two non-zero digits, however many zeros there are.
    let mut zero_pending = false;
    for (group, value) in groups.iter().enumerate().rev() {
        if *value == 0 {
            zero_pending = !out.is_empty();
            continue;
        }
        for (place, divisor) in PLACES.iter().zip([1000, 100, 10, 1]) {
            let digit = value / divisor % 10;
            if digit == 0 {
                zero_pending = zero_pending || !out.is_empty();
            } else {
                if zero_pending {
                    out.push_str(DIGITS[0]);
                    zero_pending = false;
                }
                out.push_str(DIGITS[digit]);
                out.push_str(place);
            }
        }
        out.push_str(GROUPS.get(group).copied().unwrap_or_default());
        zero_pending = false;
    }
    // 十一, 十万: a leading 一十 is read as 十.
    match out.strip_prefix("一十") {
        Some(rest) => format!("十{rest}"),
        None => out,
    }
}

fn enumerate(items: &[String]) -> String {
    let parts: Vec<String> = items
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let item = escape(s.trim_end_matches('。'), Layout::Line);
            format!("{}是{item}", chinese_number(i + 1))
        })
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
        let _ = writeln!(
            out,
            "# {}（{}）\n",
            Escaped(&report.name),
            Escaped(&report.code)
        );
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
                if let Some(cause) = &f.cause
                    && !entry.causes.iter().any(|(code, _)| *code == cause.code)
                {
                    entry
                        .causes
                        .push((&cause.code, cause.text.trim_end_matches('。')));
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
                let _ = writeln!(out, "- {}{}", Escaped(&subject(f)), Escaped(&f.message));
            }
            let _ = writeln!(out);
        }
        if !accepted.is_empty() {
            let _ = writeln!(out, "## 已豁免事项\n");
            for f in accepted {
                let reason = f.suppressed.as_deref().unwrap_or_default();
                let _ = writeln!(
                    out,
                    "- {}{}（豁免理由：{}）",
                    Escaped(&subject(f)),
                    Escaped(&f.message),
                    Escaped(reason)
                );
            }
            let _ = writeln!(out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_read_as_chinese_for_any_count() {
        for (n, text) in [
            (1, "一"),
            (9, "九"),
            (10, "十"),
            (11, "十一"),
            (12, "十二"),
            (20, "二十"),
            (21, "二十一"),
            (99, "九十九"),
            (100, "一百"),
            (101, "一百零一"),
            (110, "一百一十"),
            (111, "一百一十一"),
            (1000, "一千"),
            (1001, "一千零一"),
            (1010, "一千零一十"),
            (10_000, "一万"),
            (10_001, "一万零一"),
            (100_000, "十万"),
            (100_010, "十万零一十"),
            (105_000, "十万五千"),
            (10_000_005, "一千万零五"),
            (100_000_001, "一亿零一"),
        ] {
            assert_eq!(chinese_number(n), text, "{n}");
        }
    }

    #[test]
    fn a_unit_file_cannot_forge_a_heading_or_move_the_cursor() {
        let finding = Finding {
            rule: "R".into(),
            severity: "warning".into(),
            category: "overspend".into(),
            unit: "U1".into(),
            project: Some("P01".into()),
            project_name: Some("项目\r\n# 伪造标题".into()),
            indicator: None,
            message: "超支\n## 下一步改进措施\n- 伪造".into(),
            cause: Some(crate::finding::Cause {
                code: "c".into(),
                text: "原因\u{202e}".into(),
            }),
            other_causes: Vec::new(),
            suggestion: "建议\u{7}".into(),
            evidence: Default::default(),
            suppressed: None,
        };
        let report = UnitReport {
            code: "U1".into(),
            name: "单位\u{1b}[2J".into(),
            department: None,
            file: "u.toml".into(),
            findings: vec![finding],
            problems: Vec::new(),
        };
        let text = unit(&report);
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text}");
        assert!(!text.contains('\u{202e}'), "{text}");
        let headings: Vec<&str> = text.lines().filter(|l| l.starts_with('#')).collect();
        assert_eq!(
            headings,
            [
                "# 单位\\u{1b}[2J（U1）",
                "## 存在的问题及原因分析",
                "## 下一步改进措施"
            ],
            "{text}"
        );
        assert!(!text.lines().any(|l| l.starts_with("- ")), "{text}");
    }
}
