//! Findings as the comparison sees them — rule, project, indicator, message, evidence — read
//! from jixiao's findings and from a ZEN graph's result, in jixiao's order: each project in
//! file order, its rules by rule file name, an indicator rule's findings in indicator order.
//! Causes and suggestions are left out: ZEN has no reader of reasons to compute them.

use jixiao::engine::finding::{Evidence, Finding};
use jixiao::model::view::UnitView;
use std::collections::BTreeMap;
use zen_expression::variable::Variable;

/// The rules by file name (`budget-below-initial.rhai` … `quantity-gap.rhai`): the order in
/// which jixiao runs them on a project.
pub const RULES: [&str; 6] = [
    "BUDGET-BELOW-INITIAL",
    "COST-GAP",
    "CROSS-YEAR",
    "EXEC-RATE-LOW",
    "OVERSPEND",
    "QUANTITY-GAP",
];

#[derive(Debug, PartialEq)]
pub struct Found {
    pub rule: String,
    pub project: String,
    pub indicator: Option<String>,
    pub message: String,
    pub evidence: BTreeMap<String, Evidence>,
}

impl From<Finding> for Found {
    fn from(f: Finding) -> Found {
        Found {
            rule: f.rule,
            project: f.project.unwrap_or_default(),
            indicator: f.indicator,
            message: f.message,
            evidence: f.evidence,
        }
    }
}

fn evidence(value: &Variable) -> Evidence {
    match value {
        Variable::Number(n) => Evidence::Decimal(*n),
        Variable::String(s) => Evidence::Text(s.to_string()),
        Variable::Bool(b) => Evidence::Bool(*b),
        other => panic!("ZEN gave an evidence value jixiao has no form for: {other}"),
    }
}

/// One loop item's findings as (rule, finding): a decision table (hit policy `collect`) gives
/// the rows that matched; the expression form gives an object keyed by rule id, `null` where
/// the rule did not fire (its other keys are intermediate values).
fn hits(item: &Variable) -> Vec<(String, Variable)> {
    match item {
        Variable::Array(rows) => rows
            .borrow()
            .iter()
            .map(|row| {
                let rule = row.dot("rule").and_then(|r| r.as_str().map(str::to_owned));
                (rule.expect("a table row names its rule"), row.clone())
            })
            .collect(),
        Variable::Object(map) => map
            .borrow()
            .iter()
            .filter(|(_, v)| v.dot("message").is_some())
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
        other => panic!("ZEN gave an unexpected loop result: {other}"),
    }
}

fn found(rule: &str, project: &str, indicator: Option<&str>, finding: &Variable) -> Found {
    let message = finding.dot("message");
    let evidence_map = finding.dot("evidence").and_then(|e| e.as_object());
    Found {
        rule: rule.to_owned(),
        project: project.to_owned(),
        indicator: indicator.map(str::to_owned),
        message: message
            .and_then(|m| m.as_str().map(str::to_owned))
            .unwrap_or_else(|| panic!("a {rule} finding without a message")),
        evidence: evidence_map
            .unwrap_or_else(|| panic!("a {rule} finding without evidence"))
            .borrow()
            .iter()
            .map(|(k, v)| (k.to_string(), evidence(v)))
            .collect(),
    }
}

fn items(result: &Variable, list: &str) -> Vec<Variable> {
    result
        .dot(list)
        .and_then(|l| l.as_array())
        .unwrap_or_else(|| panic!("the graph's result has no `{list}` list"))
        .borrow()
        .clone()
}

/// The findings of one unit's ZEN result, in jixiao's order.
pub fn from_zen(unit: &UnitView, result: &Variable) -> Vec<Found> {
    let projects = items(result, "projects");
    let indicators = items(result, "indicators");
    let listed: usize = unit.projects.iter().map(|p| p.0.indicators.len()).sum();
    assert_eq!(
        projects.len(),
        unit.projects.len(),
        "ZEN lost or added projects"
    );
    assert_eq!(indicators.len(), listed, "ZEN lost or added indicators");
    let mut indicator_items = indicators.iter();
    let mut out = Vec::new();
    for (p, item) in unit.projects.iter().zip(&projects) {
        let p = &p.0;
        let code = p.record.code.as_str();
        let project_hits = hits(item);
        let indicator_hits: Vec<_> = p
            .indicators
            .iter()
            .zip(indicator_items.by_ref())
            .map(|(i, item)| (i.0.record.name.as_str(), hits(item)))
            .collect();
        for rule in RULES {
            for (_, f) in project_hits.iter().filter(|(r, _)| r == rule) {
                out.push(found(rule, code, None, f));
            }
            for (name, hits) in &indicator_hits {
                for (_, f) in hits.iter().filter(|(r, _)| r == rule) {
                    out.push(found(rule, code, Some(name), f));
                }
            }
        }
    }
    out
}
