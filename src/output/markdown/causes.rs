//! §四 2 原因分析: one item per distinct cause, in the unit's own words, each saying which
//! projects and which deviations it explains (`…以致…存在偏差（涉及数据系统维护费全年执行数
//! 低于年初预算数、“维护业务数据系统数量”指标偏差）`), the cause that explains most first.
//!
//! The unit's words are quoted once in the whole section. A project's own reason
//! (`deviation_reason`) is its summary: where it gives a cause, the indicator reasons of that
//! project naming the same cause are not quoted beside it (the seed's §四 quotes the summaries).
//! Deviations the unit gave no reason for are named at the end, never given a cause.

use super::chinese::clause;
use super::facts::{Entry, Sorted, by_reach, scope};
use std::collections::{HashMap, HashSet};

/// The unit's words for one cause, with the findings they explain.
struct Explanation<'a> {
    code: &'a str,
    text: &'a str,
    entries: Vec<&'a Entry<'a>>,
}

/// The cause items, worst first, and the deviations no reason explains (see [`scope`]).
pub struct Causes {
    pub items: Vec<String>,
    pub unexplained: Option<String>,
}

pub fn causes(sorted: &Sorted) -> Causes {
    let reason_of = |e: &Entry| -> &str {
        e.finding
            .project
            .as_deref()
            .and_then(|code| sorted.projects.get(code))
            .map_or("", |p| clause(&p.deviation_reason))
    };
    // The (project, cause) pairs the project's own reason states.
    let summarised: HashSet<(&str, &str)> = sorted
        .problems
        .iter()
        .filter_map(|e| {
            let cause = e.finding.cause.as_ref()?;
            let reason = reason_of(e);
            (!reason.is_empty() && clause(&cause.text) == reason)
                .then_some((e.finding.project.as_deref()?, cause.code.as_str()))
        })
        .collect();
    let mut explanations: Vec<Explanation> = Vec::new();
    let mut by_text: HashMap<&str, usize> = HashMap::new();
    let mut unexplained: Vec<&Entry> = Vec::new();
    for e in &sorted.problems {
        let Some(cause) = &e.finding.cause else {
            unexplained.push(e);
            continue;
        };
        let project = e.finding.project.as_deref().unwrap_or_default();
        let text = if summarised.contains(&(project, cause.code.as_str())) {
            reason_of(e)
        } else {
            clause(&cause.text)
        };
        let index = *by_text.entry(text).or_insert_with(|| {
            explanations.push(Explanation {
                code: &cause.code,
                text,
                entries: Vec::new(),
            });
            explanations.len() - 1
        });
        if let Some(explanation) = explanations.get_mut(index) {
            explanation.entries.push(e);
        }
    }
    // One item per cause: its explanations in file order.
    let mut items: Vec<(Vec<&Entry>, Vec<String>)> = Vec::new();
    let mut by_code: HashMap<&str, usize> = HashMap::new();
    for explanation in &explanations {
        let index = *by_code.entry(explanation.code).or_insert_with(|| {
            items.push((Vec::new(), Vec::new()));
            items.len() - 1
        });
        if let Some((entries, texts)) = items.get_mut(index) {
            entries.extend(&explanation.entries);
            texts.push(format!(
                "{}（涉及{}）",
                explanation.text,
                scope(&explanation.entries)
            ));
        }
    }
    items.sort_by_cached_key(|(entries, _)| by_reach(entries));
    Causes {
        items: items
            .into_iter()
            .map(|(_, texts)| texts.join("；"))
            .collect(),
        unexplained: (!unexplained.is_empty()).then(|| scope(&unexplained)),
    }
}
