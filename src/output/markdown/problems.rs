//! Findings grouped by kind — the rule's title, as the seed's §四 names its problems (一是全年
//! 执行数低于年初预算数；二是数量指标的年度指标值与实际完成值差距较大；…) — the worst kind
//! first and, within a kind, the worst finding first. §四 1 (存在的问题) names each kind with
//! its projects; the 问题清单 and 数据质量说明 list their findings in the same order.

use super::facts::{Entry, by_size, subjects};
use std::collections::HashMap;

pub struct Kind<'a> {
    pub title: &'a str,
    pub entries: Vec<&'a Entry<'a>>,
}

/// The entries grouped by kind, worst first (see [`by_size`]).
pub fn kinds<'a>(entries: &'a [Entry<'a>]) -> Vec<Kind<'a>> {
    let mut kinds: Vec<Kind> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    for e in entries {
        let index = *at.entry(e.title).or_insert_with(|| {
            kinds.push(Kind {
                title: e.title,
                entries: Vec::new(),
            });
            kinds.len() - 1
        });
        if let Some(kind) = kinds.get_mut(index) {
            kind.entries.push(e);
        }
    }
    for kind in &mut kinds {
        kind.entries.sort_by_key(|e| by_size(&[*e]));
    }
    kinds.sort_by_cached_key(|k| by_size(&k.entries));
    kinds
}

/// `全年执行数低于年初预算数，涉及企业离休人员第十三月基本离休费、数据系统维护费`: the kind and
/// its projects, the worst first; a kind about the unit as a whole is its title alone.
pub fn item(kind: &Kind) -> String {
    let projects = subjects(&kind.entries);
    if projects.is_empty() {
        kind.title.to_string()
    } else {
        format!("{}，涉及{}", kind.title, projects.join("、"))
    }
}
