//! 数据质量说明: what the filer must correct or complete — values that cannot be read,
//! indicators missing, totals that do not add up, self-scores, deviations with no reason —
//! and info-level notes, kept out of §四 and §五. One line per kind, findings that say the
//! same thing merged (`以下18个项目未提供绩效指标，无法评价产出和效益：……`), then what to do.

use super::chinese::clause;
use super::facts::{Entry, subjects};
use super::problems::Kind;
use crate::output::safe::Escaped;
use std::collections::HashMap;
use std::fmt::Write;

/// One kind's line: its findings grouped by what they say, then its suggestions.
fn line(kind: &Kind) -> String {
    let mut said: Vec<(&str, Vec<&Entry>)> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    for e in &kind.entries {
        let message = clause(&e.finding.message);
        let index = *at.entry(message).or_insert_with(|| {
            said.push((message, Vec::new()));
            said.len() - 1
        });
        if let Some((_, entries)) = said.get_mut(index) {
            entries.push(e);
        }
    }
    let parts: Vec<String> = said
        .iter()
        .map(|(message, entries)| {
            let projects = subjects(entries);
            match projects.as_slice() {
                [] => message.to_string(),
                [one] => format!("{one}：{message}"),
                many => format!("以下{}个项目{message}：{}", many.len(), many.join("、")),
            }
        })
        .collect();
    let mut suggestions: Vec<&str> = Vec::new();
    for e in &kind.entries {
        let suggestion = clause(&e.finding.suggestion);
        if !suggestion.is_empty() && !suggestions.contains(&suggestion) {
            suggestions.push(suggestion);
        }
    }
    let mut text = format!("{}。", parts.join("；"));
    for suggestion in suggestions {
        let _ = write!(text, "建议{suggestion}。");
    }
    text
}

pub fn section(kinds: &[Kind]) -> String {
    let mut out = String::new();
    for kind in kinds {
        let _ = writeln!(out, "- {}", Escaped(&line(kind)));
    }
    out
}
