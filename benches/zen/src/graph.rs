//! The two ZEN decision graphs of the six core rules (`graphs/expressions.json`, expression
//! nodes; `graphs/table.json`, decision tables), with the thresholds of the pinned
//! `rules/rules.toml` written into them as constants — as a ZEN user would author them — so
//! that both engines always run on the same values.
//!
//! ZEN has no fixed-point formatting: the graphs write jixiao's `wan`/`pct` (two places,
//! half-up) as `string(round(x, 2) + 0.01 - 0.01)`. The `+ 0.01 - 0.01` pads to two places
//! (`90.0` → `90.00`); `+ 0.00` does not, since rust_decimal returns the other operand
//! unchanged when one is zero.

use jixiao::engine::rule_set::RuleSet;
use rust_decimal::Decimal;
use std::str::FromStr;
use zen_engine::Decision;
use zen_engine::model::GraphContent;

/// Which form of the graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    Expressions,
    Table,
}

impl Form {
    pub const ALL: [Form; 2] = [Form::Expressions, Form::Table];

    pub fn name(self) -> &'static str {
        match self {
            Form::Expressions => "expressions",
            Form::Table => "table",
        }
    }

    fn source(self) -> &'static str {
        match self {
            Form::Expressions => include_str!("../graphs/expressions.json"),
            Form::Table => include_str!("../graphs/table.json"),
        }
    }
}

/// A threshold of the pinned rule set, read as jixiao reads it (a TOML float by its shortest
/// text, an integer as is).
fn threshold(rules: &RuleSet, key: &str) -> Decimal {
    let value = rules
        .threshold_values
        .get(key)
        .unwrap_or_else(|| panic!("the pinned rules.toml defines no `{key}`"));
    number(value).unwrap_or_else(|| panic!("threshold `{key}` is not a number"))
}

fn number(value: &toml::Value) -> Option<Decimal> {
    match value {
        toml::Value::Float(f) => Decimal::from_str(&f.to_string()).ok(),
        toml::Value::Integer(i) => Some(Decimal::from(*i)),
        _ => None,
    }
}

/// `t.indicator_deviation_max_by_kind.get(kind) ?? t.indicator_deviation_max`.
fn deviation_max(rules: &RuleSet, kind: &str) -> Decimal {
    rules
        .threshold_values
        .get("indicator_deviation_max_by_kind")
        .and_then(|by_kind| by_kind.get(kind))
        .and_then(number)
        .unwrap_or_else(|| threshold(rules, "indicator_deviation_max"))
}

/// The graph's JSON with every `{{name}}` replaced by its threshold.
pub fn json(form: Form, rules: &RuleSet) -> String {
    let values = [
        ("execution_rate_min", threshold(rules, "execution_rate_min")),
        (
            "budget_shortfall_min",
            threshold(rules, "budget_shortfall_min"),
        ),
        ("quantity_deviation_max", deviation_max(rules, "quantity")),
        ("cost_deviation_max", deviation_max(rules, "cost")),
    ];
    let mut text = form.source().to_owned();
    for (name, value) in values {
        text = text.replace(&format!("{{{{{name}}}}}"), &value.to_string());
    }
    assert!(
        !text.contains("{{"),
        "a threshold of the {} graph is left unset",
        form.name()
    );
    text
}

/// The compiled decision (ZEN values are not `Send`: each thread builds its own).
pub fn decision(json: &str) -> Decision {
    let content: GraphContent = serde_json::from_str(json).expect("the graph is valid JDM");
    let mut decision = Decision::from(content);
    decision.compile();
    decision
}
