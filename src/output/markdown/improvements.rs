//! §五 下一步改进措施: one item per distinct improvement — the project's own `improvement`
//! text where the unit wrote one, the suggestion of the finding's cause otherwise — the one
//! that answers most problems first. Only performance problems count: what the filer must
//! correct is in 数据质量说明, and the suggestion of a deviation with no reason (to give one) is
//! a filing instruction, left out here.

use super::Writeup;
use super::chinese::clause;
use super::facts::{Entry, Sorted, by_reach};
use std::collections::HashMap;

pub fn improvements(sorted: &Sorted, writeup: &Writeup) -> Vec<String> {
    let mut items: Vec<(&str, Vec<&Entry>)> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    let no_reason = clause(&writeup.no_reason_suggestion);
    for e in &sorted.problems {
        let own = e
            .finding
            .project
            .as_deref()
            .and_then(|code| sorted.projects.get(code))
            .map(|p| clause(&p.improvement))
            .filter(|text| !text.is_empty());
        let text = match own {
            Some(text) => text,
            None => clause(&e.finding.suggestion),
        };
        if text.is_empty() || text == no_reason {
            continue;
        }
        let index = *at.entry(text).or_insert_with(|| {
            items.push((text, Vec::new()));
            items.len() - 1
        });
        if let Some((_, entries)) = items.get_mut(index) {
            entries.push(e);
        }
    }
    items.sort_by_cached_key(|(_, entries)| by_reach(entries));
    items
        .into_iter()
        .map(|(text, _)| text.to_string())
        .collect()
}
