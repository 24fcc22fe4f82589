//! `--format md`: the write-up a unit pastes into its self-evaluation report, in the shape
//! of the seed's 四、存在的问题及原因分析 and 五、下一步改进措施: the problems by kind with
//! their projects ([`problems`]), the causes in the unit's words ([`causes`]), the
//! improvements ([`improvements`]); then a 问题清单 table with the figures ([`problem_list`]),
//! a merged 数据质量说明 of what the filer must correct ([`data_quality`]), and the findings a
//! reviewer accepted under 已豁免事项. Text from the unit file is escaped, so that it cannot
//! start a heading, a list item or a table cell of its own.

mod causes;
mod chinese;
mod data_quality;
mod facts;
mod file_name;
mod improvements;
mod problem_list;
mod problems;

use crate::engine::evaluate::UnitReport;
use crate::engine::rule_set::RuleSet;
use crate::output::safe::Escaped;
use chinese::enumerate;
use std::collections::HashMap;
use std::fmt::Write;

pub use file_name::writeup_file_name;

/// What the write-up reads beside a unit's report: the rules' titles, which name the kinds of
/// problem, and the cause catalogue's labels and the suggestion of a deviation with no reason.
pub struct Writeup {
    titles: HashMap<String, String>,
    labels: HashMap<String, String>,
    no_reason_suggestion: String,
}

impl Writeup {
    pub fn new(rule_set: &RuleSet) -> Writeup {
        let causes = &rule_set.causes;
        Writeup {
            titles: rule_set
                .rules
                .iter()
                .map(|r| (r.meta.id.clone(), r.meta.title.clone()))
                .collect(),
            labels: causes
                .codes()
                .into_iter()
                .filter_map(|code| Some((code.to_string(), causes.cause(code).ok()?.label.clone())))
                .collect(),
            no_reason_suggestion: causes.no_reason_suggestion().to_string(),
        }
    }

    /// The title of a rule; its id for a finding no rule of the set gave (a stale suppression).
    fn title<'a>(&'a self, rule: &'a str) -> &'a str {
        self.titles.get(rule).map_or(rule, String::as_str)
    }

    /// The label of a cause; its code when the catalogue has none.
    fn label<'a>(&'a self, code: &'a str) -> &'a str {
        self.labels.get(code).map_or(code, String::as_str)
    }

    pub fn unit(&self, report: &UnitReport) -> String {
        let sorted = facts::sort(report, self);
        let kinds = problems::kinds(&sorted.problems);
        let mut out = format!(
            "# {}（{}）\n\n## 四、存在的问题及原因分析\n\n{}\n## 五、下一步改进措施\n\n",
            Escaped(&report.name),
            Escaped(&report.code),
            section_four(report, &sorted, &kinds),
        );
        let improvements = improvements::improvements(&sorted, self);
        if improvements.is_empty() {
            out.push_str("继续加强预算和绩效管理，保持预算执行和绩效目标完成良好。\n\n");
        } else {
            let _ = writeln!(out, "{}\n", enumerate(&improvements));
        }
        if !kinds.is_empty() {
            let _ = writeln!(out, "## 问题清单\n\n{}", problem_list::table(&kinds, self));
        }
        let filing = problems::kinds(&sorted.filing);
        if !filing.is_empty() {
            let _ = writeln!(out, "## 数据质量说明\n\n{}", data_quality::section(&filing));
        }
        if !sorted.accepted.is_empty() {
            let _ = writeln!(out, "## 已豁免事项\n");
            for e in &sorted.accepted {
                let reason = e.finding.suppressed.as_deref().unwrap_or_default();
                let _ = writeln!(
                    out,
                    "- {}：{}（豁免理由：{}）",
                    Escaped(e.subject_or_unit()),
                    Escaped(&e.finding.message),
                    Escaped(reason)
                );
            }
            out.push('\n');
        }
        out
    }
}

/// §四: 1. the problems by kind; 2. their causes, and the deviations left unexplained.
fn section_four(report: &UnitReport, sorted: &facts::Sorted, kinds: &[problems::Kind]) -> String {
    if kinds.is_empty() {
        return "1.经分析，本单位未发现偏离绩效目标的问题。\n".to_string();
    }
    let lead = lead(report, sorted);
    let items: Vec<String> = kinds.iter().map(problems::item).collect();
    let mut text = format!("1.{lead}存在偏离绩效目标的问题。{}\n\n", enumerate(&items));
    let causes = causes::causes(sorted);
    if causes.items.is_empty() {
        let _ = writeln!(text, "2.{lead}存在偏离绩效目标的原因，单位未作说明。");
        return text;
    }
    let _ = write!(
        text,
        "2.{lead}存在偏离绩效目标的原因主要如下。{}",
        enumerate(&causes.items)
    );
    if let Some(scope) = causes.unexplained {
        let _ = write!(text, "此外，{}，未说明原因。", Escaped(&scope));
    }
    text.push('\n');
    text
}

/// `本单位2023年项目支出`: the year when the unit gives it, and whether the problems are the
/// projects', the unit's as a whole, or both.
fn lead(report: &UnitReport, sorted: &facts::Sorted) -> String {
    let of_projects = sorted.problems.iter().any(|e| e.finding.project.is_some());
    let of_unit = sorted.problems.iter().any(|e| e.finding.project.is_none());
    let spending = match (of_unit, of_projects) {
        (true, true) => "部门整体和项目支出",
        (true, false) => "部门整体支出",
        _ => "项目支出",
    };
    match report.outline.year {
        Some(year) => format!("本单位{year}年{spending}"),
        None => format!("本单位{spending}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::finding::{Cause, Evidence, Finding};
    use crate::engine::outline::{IndicatorOutline, ProjectOutline, UnitOutline};
    use crate::engine::severity::Severity;
    use rust_decimal::Decimal;
    use std::collections::BTreeMap;

    fn writeup() -> Writeup {
        let pairs = |list: &[(&str, &str)]| {
            list.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        Writeup {
            titles: pairs(&[
                ("BELOW", "全年执行数低于年初预算数"),
                ("QGAP", "数量指标的年度指标值与实际完成值差距较大"),
                ("CGAP", "成本指标的年度指标值与实际完成值差距较大"),
                ("CROSS", "存在跨年度结算"),
                ("NOIND", "项目未提供绩效指标"),
                ("UNREAD", "指标值无法识别"),
            ]),
            labels: pairs(&[
                ("platform_change", "系统/平台调整"),
                ("beneficiary_change", "受益对象变化"),
                ("cross_year_settlement", "跨年度结算"),
            ]),
            no_reason_suggestion: "对每一项偏差说明原因。".into(),
        }
    }

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    /// A finding of `rule` on project `code` (its category by the rule), with the cause
    /// (code, text) when the unit gave a reason.
    fn finding(
        rule: &str,
        code: &str,
        indicator: Option<&str>,
        cause: Option<(&str, &str)>,
    ) -> Finding {
        let category = match rule {
            "BELOW" => "budget_accuracy",
            "CROSS" => "cross_year_settlement",
            "NOIND" | "UNREAD" => "data_quality",
            _ => "indicator_gap",
        };
        Finding {
            rule: rule.into(),
            severity: Severity::Warning,
            category: category.into(),
            unit: "U1".into(),
            project: Some(code.into()),
            project_name: None,
            indicator: indicator.map(str::to_string),
            message: format!("{rule}的说明。"),
            cause: cause.map(|(code, text)| Cause {
                code: code.into(),
                text: text.into(),
            }),
            other_causes: Vec::new(),
            suggestion: match cause {
                Some((code, _)) => format!("针对{code}的建议。"),
                None => "对每一项偏差说明原因。".into(),
            },
            evidence: BTreeMap::new(),
            suppressed: None,
        }
    }

    fn budget(mut f: Finding, initial: &str, executed: &str) -> Finding {
        f.evidence = BTreeMap::from([
            ("budget_initial".into(), Evidence::Decimal(d(initial))),
            ("executed".into(), Evidence::Decimal(d(executed))),
        ]);
        f
    }

    fn project(code: &str, name: &str, reason: &str, improvement: &str) -> ProjectOutline {
        ProjectOutline {
            code: code.into(),
            name: name.into(),
            deviation_reason: reason.into(),
            improvement: improvement.into(),
            indicators: Vec::new(),
        }
    }

    fn indicator(name: &str, target: &str, actual: &str, deviation: &str) -> IndicatorOutline {
        IndicatorOutline {
            name: name.into(),
            target: target.into(),
            actual: actual.into(),
            deviation: Some(d(deviation)),
        }
    }

    fn report(findings: Vec<Finding>, projects: Vec<ProjectOutline>) -> UnitReport {
        UnitReport {
            code: "U1".into(),
            name: "某单位".into(),
            department: None,
            file: "u.toml".into(),
            findings,
            problems: Vec::new(),
            outline: UnitOutline {
                year: Some(2023),
                projects,
            },
        }
    }

    fn write_up(findings: Vec<Finding>, projects: Vec<ProjectOutline>) -> String {
        writeup().unit(&report(findings, projects))
    }

    /// The text of a section, from its heading to the next.
    fn section<'t>(text: &'t str, heading: &str) -> &'t str {
        let start = text.find(heading).map_or(text.len(), |i| i + heading.len());
        let rest = &text[start..];
        &rest[..rest.find("\n## ").unwrap_or(rest.len())]
    }

    #[test]
    fn kinds_of_problem_come_worst_first_each_naming_its_projects_worst_first() {
        let text = write_up(
            vec![
                budget(finding("BELOW", "P01", None, None), "10", "9"),
                budget(finding("BELOW", "P02", None, None), "10", "2"),
                finding("QGAP", "P01", Some("人数"), None),
            ],
            vec![
                ProjectOutline {
                    indicators: vec![indicator("人数", "≥10人", "5人", "-0.5")],
                    ..project("P01", "甲项目", "", "")
                },
                project("P02", "乙项目", "", ""),
            ],
        );
        assert!(
            text.contains(
                "1.本单位2023年项目支出存在偏离绩效目标的问题。\
                 一是全年执行数低于年初预算数，涉及乙项目、甲项目；\
                 二是数量指标的年度指标值与实际完成值差距较大，涉及甲项目。"
            ),
            "{text}"
        );
    }

    #[test]
    fn two_projects_of_one_name_stay_two_told_apart_by_code() {
        let text = write_up(
            vec![
                budget(finding("BELOW", "P01", None, None), "100", "50"),
                budget(finding("BELOW", "P02", None, None), "20", "8"),
            ],
            vec![
                project("P01", "农村道路养护经费", "", ""),
                project("P02", "农村道路养护经费", "", ""),
            ],
        );
        assert!(
            text.contains("涉及农村道路养护经费（P02）、农村道路养护经费（P01）。"),
            "{text}"
        );
        let list = section(&text, "## 问题清单");
        assert!(list.contains("| 1 | 农村道路养护经费（P02） | 全年执行数低于年初预算数 | — | 年初预算数20.00万元 | 全年执行数8.00万元 | -12.00万元（-60.00%） |"), "{list}");
        assert!(list.contains("| 2 | 农村道路养护经费（P01） | 全年执行数低于年初预算数 | — | 年初预算数100.00万元 | 全年执行数50.00万元 | -50.00万元（-50.00%） |"), "{list}");
    }

    #[test]
    fn a_project_reason_speaks_for_its_indicators_and_no_words_repeat() {
        let summary = "业务系统整合至省平台，原系统不再维护，以致数量指标存在偏差。";
        let paraphrase = "系统整合，维护数量减少。";
        let text = write_up(
            vec![
                finding("BELOW", "P01", None, Some(("platform_change", summary))),
                finding(
                    "QGAP",
                    "P01",
                    Some("系统数量"),
                    Some(("platform_change", paraphrase)),
                ),
                finding(
                    "CROSS",
                    "P01",
                    None,
                    Some(("cross_year_settlement", summary)),
                ),
                finding(
                    "BELOW",
                    "P02",
                    None,
                    Some(("beneficiary_change", "5人已离世。")),
                ),
            ],
            vec![
                project("P01", "数据系统维护费", summary, ""),
                project("P02", "离休费", "5人已离世。", ""),
            ],
        );
        let analysis = section(&text, "## 四、");
        assert_eq!(analysis.matches("原系统不再维护").count(), 1, "{analysis}");
        assert!(!analysis.contains(paraphrase), "{analysis}");
        assert!(
            analysis.contains(
                "2.本单位2023年项目支出存在偏离绩效目标的原因主要如下。\
                 一是业务系统整合至省平台，原系统不再维护，以致数量指标存在偏差\
                 （涉及数据系统维护费全年执行数低于年初预算数、存在跨年度结算、“系统数量”指标偏差）；\
                 二是5人已离世（涉及离休费全年执行数低于年初预算数）。"
            ),
            "{analysis}"
        );
    }

    #[test]
    fn deviations_without_a_reason_are_named_and_given_no_cause() {
        let text = write_up(
            vec![
                finding(
                    "BELOW",
                    "P01",
                    None,
                    Some(("beneficiary_change", "人数减少。")),
                ),
                finding("QGAP", "P02", Some("人数"), None),
            ],
            vec![
                project("P01", "甲项目", "人数减少。", ""),
                project("P02", "乙项目", "", ""),
            ],
        );
        assert!(
            text.contains("一是人数减少（涉及甲项目全年执行数低于年初预算数）。此外，乙项目“人数”指标偏差，未说明原因。"),
            "{text}"
        );
        assert!(!text.contains("未说明偏差原因"), "{text}");
        assert!(
            section(&text, "## 问题清单").contains("| 未说明 |"),
            "{text}"
        );
    }

    #[test]
    fn improvements_are_the_units_own_else_the_catalogues_once_each_and_never_a_filing_instruction()
    {
        let own = "参照上年实际发生数编制预算。";
        let text = write_up(
            vec![
                finding(
                    "BELOW",
                    "P01",
                    None,
                    Some(("platform_change", "系统整合。")),
                ),
                finding(
                    "CROSS",
                    "P01",
                    None,
                    Some(("cross_year_settlement", "尾款次年支付。")),
                ),
                finding(
                    "BELOW",
                    "P02",
                    None,
                    Some(("cross_year_settlement", "质保金次年支付。")),
                ),
                finding(
                    "BELOW",
                    "P03",
                    None,
                    Some(("cross_year_settlement", "质保金未付。")),
                ),
                finding("QGAP", "P04", Some("人数"), None),
                finding(
                    "UNREAD",
                    "P05",
                    Some("人数"),
                    Some(("data_error", "数据填报错误")),
                ),
                finding("BELOW", "P06", None, Some(("platform_change", own))),
            ],
            vec![
                project("P01", "甲", "", own),
                project("P02", "乙", "", ""),
                project("P03", "丙", "", ""),
                project("P04", "丁", "", ""),
                project("P05", "戊", "", "按格式填写指标值。"),
                project("P06", "己", "", own),
            ],
        );
        assert_eq!(
            section(&text, "## 五、下一步改进措施").trim(),
            "一是参照上年实际发生数编制预算；二是针对cross_year_settlement的建议。",
            "{text}"
        );
    }

    #[test]
    fn filing_notes_say_the_same_thing_once_for_every_project() {
        let text = write_up(
            vec![
                finding("NOIND", "P01", None, None),
                finding("NOIND", "P02", None, None),
                finding("UNREAD", "P01", Some("人数"), None),
                finding("NOIND", "P03", None, None),
            ],
            vec![
                project("P01", "甲", "", ""),
                project("P02", "乙", "", ""),
                project("P03", "丙", "", ""),
            ],
        );
        assert!(
            text.contains("1.经分析，本单位未发现偏离绩效目标的问题。"),
            "{text}"
        );
        assert!(!text.contains("## 问题清单"), "{text}");
        assert_eq!(
            section(&text, "## 数据质量说明").trim(),
            "- 以下3个项目NOIND的说明：甲、乙、丙。建议对每一项偏差说明原因。\n\
             - 甲：UNREAD的说明。建议对每一项偏差说明原因。"
        );
    }

    #[test]
    fn indicator_rows_show_the_values_as_written_and_the_deviation() {
        let mut cost = finding(
            "CGAP",
            "P01",
            Some("维护费用"),
            Some(("platform_change", "系统整合。")),
        );
        cost.other_causes = vec![Cause {
            code: "cross_year_settlement".into(),
            text: "尾款次年支付".into(),
        }];
        let text = write_up(
            vec![
                cost,
                finding(
                    "CROSS",
                    "P01",
                    None,
                    Some(("cross_year_settlement", "尾款次年支付。")),
                ),
            ],
            vec![ProjectOutline {
                indicators: vec![indicator("维护费用", "≤20万元", "8.56万元", "-0.572")],
                ..project("P01", "数据系统维护费", "", "")
            }],
        );
        let list = section(&text, "## 问题清单");
        assert!(list.contains("| 1 | 数据系统维护费 | 成本指标的年度指标值与实际完成值差距较大 | 维护费用 | ≤20万元 | 8.56万元 | -57.20% | 系统/平台调整、跨年度结算 |"), "{list}");
        assert!(
            list.contains(
                "| 2 | 数据系统维护费 | 存在跨年度结算 | — | — | — | CROSS的说明 | 跨年度结算 |"
            ),
            "{list}"
        );
    }

    #[test]
    fn a_unit_file_cannot_forge_a_heading_a_list_item_or_a_table_cell() {
        let mut f = finding("BELOW", "P01", None, Some(("c", "原因\u{202e}\n## 伪造")));
        f.message = "超支\n## 下一步改进措施\n- 伪造".into();
        f.suggestion = "建议\u{7}".into();
        let text = write_up(
            vec![f],
            vec![project("P01", "项目|\r\n# 伪造标题", "", "改进\n- 伪造")],
        );
        let named = UnitReport {
            name: "单位\u{1b}[2J".into(),
            ..report(Vec::new(), Vec::new())
        };
        let title = writeup().unit(&named);
        for text in [&text, &title] {
            assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text}");
            assert!(!text.contains('\u{202e}'), "{text}");
            assert!(!text.lines().any(|l| l.starts_with("- ")), "{text}");
        }
        assert!(title.starts_with("# 单位\\u{1b}[2J（U1）\n"), "{title}");
        let headings: Vec<&str> = text.lines().filter(|l| l.starts_with('#')).collect();
        assert_eq!(
            headings,
            [
                "# 某单位（U1）",
                "## 四、存在的问题及原因分析",
                "## 五、下一步改进措施",
                "## 问题清单"
            ],
            "{text}"
        );
        let row = text
            .lines()
            .find(|l| l.starts_with("| 1 |"))
            .unwrap_or_default();
        let cells = row.split('|').count() - row.matches("\\|").count();
        assert_eq!(cells, 10, "eight cells between nine bars: {row}");
    }
}
