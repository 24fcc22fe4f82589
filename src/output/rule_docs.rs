//! The rule catalogue, read from the rules themselves: `jixiao rules list` (table or JSON),
//! `jixiao rules explain ID`, and `docs/rules.md` (`jixiao rules doc`), which CI keeps in step
//! with `rules/`. A title is escaped like any text: it is free text in a rule file. Beside it,
//! `docs/fields.md` (`jixiao rules fields`): what rules can read and call, from the tables
//! that register it.

use super::safe::Escaped;
use crate::engine::rule_set::{Rule, RuleScope, RuleSet};
use crate::engine::script::MAX_EXPR_DEPTH;
use crate::engine::script::reference::Type;
use rhai::{ASTNode, Expr};
use serde::Serialize;
use std::fmt::Write;

fn scope(rule: &Rule) -> &'static str {
    match rule.meta.scope {
        RuleScope::Project => "project",
        RuleScope::Unit => "unit",
    }
}

/// The file as a path relative to the rules directory's parent (`rules/x.rhai`), so the
/// catalogue reads the same wherever the rules were loaded from.
fn file(rule: &Rule) -> String {
    let path = std::path::Path::new(&rule.meta.file);
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    match path.parent().and_then(|p| p.file_name()) {
        Some(dir) => format!("{}/{name}", dir.to_string_lossy()),
        None => name.to_string(),
    }
}

pub fn list_table(rules: &RuleSet) -> String {
    let mut out = String::new();
    let width = rules
        .rules
        .iter()
        .map(|r| r.meta.id.len())
        .max()
        .unwrap_or(2);
    let _ = writeln!(
        out,
        "{:<width$}  {:<8} {:<22} {:<8} file / title",
        "id", "severity", "category", "scope"
    );
    for rule in &rules.rules {
        let m = &rule.meta;
        let _ = writeln!(
            out,
            "{:<width$}  {:<8} {:<22} {:<8} {}  {}",
            m.id,
            m.severity,
            m.category,
            scope(rule),
            file(rule),
            Escaped(&m.title)
        );
    }
    out
}

#[derive(Serialize)]
struct Entry<'a> {
    id: &'a str,
    title: &'a str,
    severity: &'a str,
    category: &'a str,
    scope: &'static str,
    file: String,
    thresholds: Vec<(&'a str, String)>,
}

pub fn list_json(rules: &RuleSet) -> String {
    let entries: Vec<Entry> = rules
        .rules
        .iter()
        .map(|r| Entry {
            id: &r.meta.id,
            title: &r.meta.title,
            severity: r.meta.severity.name(),
            category: &r.meta.category,
            scope: scope(r),
            file: file(r),
            thresholds: thresholds(r, rules),
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&entries).expect("the catalogue serializes");
    text.push('\n');
    text
}

/// The `rules.toml` keys a rule reads, with their current values.
fn thresholds<'a>(rule: &'a Rule, rules: &RuleSet) -> Vec<(&'a str, String)> {
    rule.meta
        .thresholds
        .iter()
        .map(|k| {
            let value = rules
                .threshold_values
                .get(k)
                .map(|v| v.to_string())
                .unwrap_or_default();
            (k.as_str(), value)
        })
        .collect()
}

/// The improvements a rule's findings suggest in its own words: the `suggestion: "…"` of
/// every finding map it builds, found in its compiled form, so comments and other strings
/// never count.
fn own_suggestions(source: &str) -> Vec<String> {
    // Unoptimised, so that a map of constants stays a map rather than one folded value; with
    // the sandbox's depth, which every loaded rule compiles within.
    let mut engine = rhai::Engine::new_raw();
    engine
        .set_optimization_level(rhai::OptimizationLevel::None)
        .set_max_expr_depths(MAX_EXPR_DEPTH, MAX_EXPR_DEPTH);
    let Ok(ast) = engine.compile(source) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    ast.walk(&mut |path: &[ASTNode]| {
        if let Some(ASTNode::Expr(Expr::Map(map, _))) = path.last() {
            for (key, value) in &map.0 {
                if key.name == "suggestion"
                    && let Expr::StringConstant(text, _) = value
                {
                    found.push(text.to_string());
                }
            }
        }
        true
    });
    found
}

/// One rule in Markdown: its declaration, its doc comment, the thresholds it reads and the
/// improvement its findings suggest.
pub fn explain(rule: &Rule, rules: &RuleSet) -> String {
    let m = &rule.meta;
    let mut out = String::new();
    let _ = writeln!(out, "## {} — {}\n", m.id, Escaped(&m.title));
    let _ = writeln!(
        out,
        "severity `{}` · category `{}` · scope `{}` · `{}`\n",
        m.severity,
        m.category,
        scope(rule),
        file(rule)
    );
    let _ = writeln!(out, "{}\n", m.doc);
    if m.reads_findings {
        let _ = writeln!(
            out,
            "Runs after the other {} rules on the same record and reads their findings (`earlier`).\n",
            scope(rule)
        );
    }
    let read = thresholds(rule, rules);
    if !read.is_empty() {
        let _ = writeln!(out, "Thresholds (`rules/rules.toml`):\n");
        for (key, value) in read {
            let _ = writeln!(out, "- `{key}` = {value}");
        }
        let _ = writeln!(out);
    }
    let own = own_suggestions(&rule.source);
    if own.is_empty() {
        let _ = writeln!(
            out,
            "Suggested improvement: the improvement of each finding's cause (`rules/causes.toml`).\n"
        );
    } else {
        let _ = writeln!(out, "Suggested improvement: {}\n", own.join(" / "));
    }
    out
}

/// `docs/rules.md`: every rule, generated from the rules themselves.
pub fn document(rules: &RuleSet) -> String {
    let mut out = String::from(
        "# Rule catalogue\n\nGenerated from `rules/` by `jixiao rules doc > docs/rules.md`; \
         `cargo test` fails when this file is out of date.\n\n\
         | id | severity | category | scope | title |\n|---|---|---|---|---|\n",
    );
    for rule in &rules.rules {
        let m = &rule.meta;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            m.id,
            m.severity,
            m.category,
            scope(rule),
            Escaped(&m.title)
        );
    }
    out.push('\n');
    for rule in &rules.rules {
        out.push_str(&explain(rule, rules));
    }
    out
}

const FIELDS_INTRO: &str = "# Fields and helpers for rule writers

Generated from the tables that register them (`src/engine/script/fields.rs`, \
`src/engine/script/helpers.rs`) by `jixiao rules fields > docs/fields.md`; `cargo test` fails \
when this file is out of date.

Decimals are exact: amounts are in 万元, rates and ratios are fractions (`0.9` is 90%). A \
value typed `… or ()` is `()` when the record leaves it out or it cannot be computed: \
`x ?? y` gives `y` when `x` is `()` (`p.budget_initial ?? p.budget_adjusted`), and `?.` reads \
a field of what may be `()`, giving `()` (`unit.budget?.executed`). Reading a field a record \
type does not have is an error naming the nearest one.

";

const THRESHOLDS: &str = "## Thresholds `t`

Every key of `rules/rules.toml`, e.g. `t.execution_rate_min`; a key the file lacks is an \
error naming the nearest one. A TOML table reads as a map: \
`t.indicator_deviation_max_by_kind.get(ind.kind) ?? t.indicator_deviation_max` takes a \
kind's own threshold, else the default. Which rule reads which key, with its current value: \
[docs/rules.md](rules.md) or `jixiao rules explain ID`.

";

/// A type as the reference shows it, record types linked to their section.
fn type_text(ty: &Type) -> String {
    match ty {
        Type::Text => "text".into(),
        Type::Decimal => "decimal".into(),
        Type::Integer => "integer".into(),
        Type::Bool => "bool".into(),
        Type::Unit => "`()`".into(),
        Type::Record(name) => format!("[{name}](#{})", name.to_lowercase()),
        Type::Named(name) | Type::Object(name) => format!("`{name}`"),
        Type::MapOf(value) => format!("map of text → {}", type_text(value)),
        Type::ListOf(item) => format!("list of {}", type_text(item)),
        Type::OrUnit(value) => format!("{} or `()`", type_text(value)),
    }
}

/// Static reference text in a table cell: a `|` must not close the cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// `docs/fields.md`: every record type with its fields, the thresholds, and the helpers.
pub fn fields_reference() -> String {
    let records = crate::engine::script::fields::record_types();
    let mut out = String::from(FIELDS_INTRO);
    out.push_str("| record | reached as |\n|---|---|\n");
    for record in &records {
        let link = type_text(&Type::Record(record.name));
        let _ = writeln!(out, "| {link} | {} |", cell(record.reached));
    }
    for record in &records {
        let _ = writeln!(out, "\n## {}\n\n{}.\n", record.name, record.reached);
        out.push_str("| field | type | 中文 | meaning |\n|---|---|---|---|\n");
        for field in &record.fields {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} |",
                field.name,
                type_text(&field.ty),
                field.zh,
                cell(field.doc)
            );
        }
    }
    out.push('\n');
    out.push_str(THRESHOLDS);
    out.push_str("## Helpers\n\n| call | returns | does |\n|---|---|---|\n");
    for helper in crate::engine::script::HELPERS {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} |",
            helper.call,
            type_text(&helper.returns),
            cell(helper.doc)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::own_suggestions;

    #[test]
    fn own_suggestions_are_the_finding_maps_not_comments_or_other_text() {
        let source = r#"
// suggestion: "a comment"
fn check(p, unit, t) {
    let note = "suggestion: \"a string\"";
    let found = findings();
    for ind in p.indicators {
        found.push(#{ message: `${ind.name}`, suggestion: "补填指标值。" });
    }
    if found.is_empty() { return #{ message: "x", suggestion: "说明原因。" }; }
    found
}
"#;
        assert_eq!(own_suggestions(source), ["补填指标值。", "说明原因。"]);
        assert!(own_suggestions("fn check(").is_empty());
    }
}
