//! 问题清单: after the prose, one table row per problem with its figures, so that §四 stays
//! short and the evidence stays at hand. An indicator row shows the values as the unit wrote
//! them and the deviation from the target; a row about money shows the budget figures the
//! rule compared (年初预算数 against 全年执行数 …) and the difference; any other row shows the
//! finding's own statement of what deviated.

use super::Writeup;
use super::facts::{Entry, budget_pair, relative};
use super::problems::Kind;
use crate::engine::finding::Evidence;
use crate::number_text::{pct, wan};
use crate::output::safe::{Layout, escape};
use rust_decimal::Decimal;
use std::fmt::Write;

const HEADER: &str = "| 序号 | 项目 | 问题 | 指标 | 年度指标值 | 实际完成值 | 偏差 | 原因 |\n\
                      |---|---|---|---|---|---|---|---|\n";

/// A table cell: escaped, and a `|` kept from closing the cell.
fn cell(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        return "—".to_string();
    }
    escape(text, Layout::Line).replace('|', "\\|")
}

/// `+30.00%`, `-60.00%`: a deviation with its direction.
fn signed(value: Decimal, show: fn(Decimal) -> String) -> String {
    if value.is_sign_positive() && !value.is_zero() {
        format!("+{}", show(value))
    } else {
        show(value)
    }
}

/// (年度指标值, 实际完成值, 偏差) of one row.
fn figures(e: &Entry) -> (String, String, String) {
    let f = e.finding;
    let stated = || f.message.trim().trim_end_matches('。').to_string();
    if f.indicator.is_some() {
        let Some(indicator) = e.indicator else {
            return (String::new(), String::new(), stated());
        };
        let deviation = match (indicator.deviation, f.evidence.get("tier")) {
            (Some(d), _) => signed(d, pct),
            (None, Some(Evidence::Text(tier))) => format!("评价为“{tier}”"),
            (None, _) => "未达到年度指标值".to_string(),
        };
        return (
            indicator.target.clone(),
            indicator.actual.clone(),
            deviation,
        );
    }
    match budget_pair(f) {
        Some((from, to)) => {
            let difference = to.amount.checked_sub(from.amount);
            let deviation = match (difference, relative(from.amount, to.amount)) {
                (Some(d), Some(rate)) => format!("{}（{}）", signed(d, wan), signed(rate, pct)),
                (Some(d), None) => signed(d, wan),
                (None, _) => stated(),
            };
            (
                format!("{}{}", from.label, wan(from.amount)),
                format!("{}{}", to.label, wan(to.amount)),
                deviation,
            )
        }
        None => (String::new(), String::new(), stated()),
    }
}

/// The cause's name, and the other causes the reason names; `未说明` when the unit gave none.
fn causes(e: &Entry, writeup: &Writeup) -> String {
    let Some(cause) = &e.finding.cause else {
        return "未说明".to_string();
    };
    std::iter::once(cause)
        .chain(&e.finding.other_causes)
        .map(|c| writeup.label(&c.code))
        .fold(Vec::new(), |mut labels, label| {
            if !labels.contains(&label) {
                labels.push(label);
            }
            labels
        })
        .join("、")
}

pub fn table(kinds: &[Kind], writeup: &Writeup) -> String {
    let mut out = String::from(HEADER);
    let rows = kinds.iter().flat_map(|k| &k.entries);
    for (number, e) in rows.enumerate() {
        let (target, actual, deviation) = figures(e);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            number + 1,
            cell(e.subject_or_unit()),
            cell(e.title),
            cell(e.finding.indicator.as_deref().unwrap_or_default()),
            cell(&target),
            cell(&actual),
            cell(&deviation),
            cell(&causes(e, writeup)),
        );
    }
    out
}
