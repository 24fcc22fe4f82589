//! The rule catalogue, read from the rules themselves: `jixiao rules list` (table or JSON),
//! `jixiao rules explain ID`, and `docs/rules.md` (`jixiao rules doc`), which CI keeps in step
//! with `rules/`. A title is escaped like any text: it is free text in a rule file.

use super::safe::Escaped;
use crate::engine::rule_set::{Rule, RuleScope, RuleSet};
use regex::Regex;
use serde::Serialize;
use std::fmt::Write;
use std::sync::LazyLock;

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
            severity: &r.meta.severity,
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

static SUGGESTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"suggestion:\s*"([^"]*)""#).expect("suggestion pattern"));

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
    let own: Vec<&str> = SUGGESTION
        .captures_iter(&rule.source)
        .filter_map(|c| c.get(1).map(|m| m.as_str()))
        .collect();
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
