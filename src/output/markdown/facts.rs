//! What the write-up knows of each finding beyond its own fields: which findings are
//! performance problems and which are notes for the filer, the name the project goes by (with
//! its code when another project of the unit has the same name: two projects are never merged
//! by name), the finding's place in the unit file, and how far it deviates — so that every
//! section can list the worst first.

use super::Writeup;
use crate::engine::evaluate::UnitReport;
use crate::engine::finding::{Evidence, Finding};
use crate::engine::outline::{IndicatorOutline, ProjectOutline};
use crate::engine::severity::Severity;
use rust_decimal::{Decimal, RoundingStrategy};
use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};

/// Categories whose findings ask the filer to correct or complete the filing — a value that
/// cannot be read, totals that do not add up, a self-score, a missing reason — rather than
/// report how the money and the targets went: 数据质量说明, never 存在的问题 or 改进措施.
const FILING_CATEGORIES: &[&str] = &[
    "data_quality",
    "consistency",
    "score_mismatch",
    "unexplained_deviation",
];

/// The cause that says the figures themselves are wrong: a matter for the filer as well.
const DATA_ERROR: &str = "data_error";

/// One finding as the write-up sees it.
pub struct Entry<'a> {
    pub finding: &'a Finding,
    /// The rule's title, which names the kind of problem (全年执行数低于年初预算数).
    pub title: &'a str,
    /// The project as the write-up names it; empty for the unit as a whole.
    pub subject: String,
    pub indicator: Option<&'a IndicatorOutline>,
    /// (project, indicator, finding) in the order of the unit file, the unit as a whole and a
    /// project's own figures before its indicators.
    pub position: (usize, usize, usize),
    /// How far it deviates, relative to the target or to the earlier budget figure, at the
    /// precision shown (a percentage with two places): equal as shown is equal.
    pub magnitude: Option<Decimal>,
}

impl Entry<'_> {
    /// The project as the write-up names it, or 部门整体.
    pub fn subject_or_unit(&self) -> &str {
        if self.subject.is_empty() {
            "部门整体"
        } else {
            &self.subject
        }
    }
}

/// A unit's findings as the write-up divides them.
pub struct Sorted<'a> {
    /// Open findings on how the money and the targets went, in file order (see `position`).
    pub problems: Vec<Entry<'a>>,
    /// Open findings for the filer, and info-level notes, in file order.
    pub filing: Vec<Entry<'a>>,
    /// Findings a reviewer accepted (`[[suppress]]`), in file order.
    pub accepted: Vec<Entry<'a>>,
    /// Each project of the unit file by code.
    pub projects: HashMap<&'a str, &'a ProjectOutline>,
}

fn is_filing(f: &Finding) -> bool {
    f.severity == Severity::Info
        || FILING_CATEGORIES.contains(&f.category.as_str())
        || f.cause.as_ref().is_some_and(|c| c.code == DATA_ERROR)
}

pub fn sort<'a>(report: &'a UnitReport, writeup: &'a Writeup) -> Sorted<'a> {
    let mut by_code: HashMap<&str, (usize, &ProjectOutline)> = HashMap::new();
    let mut name_count: HashMap<&str, usize> = HashMap::new();
    for (index, p) in report.outline.projects.iter().enumerate() {
        by_code.entry(p.code.as_str()).or_insert((index, p));
        *name_count.entry(p.name.as_str()).or_default() += 1;
    }
    let mut sorted = Sorted {
        problems: Vec::new(),
        filing: Vec::new(),
        accepted: Vec::new(),
        projects: by_code.iter().map(|(code, (_, p))| (*code, *p)).collect(),
    };
    for (index, f) in report.findings.iter().enumerate() {
        let project = f.project.as_deref().and_then(|code| by_code.get(code));
        let subject = match (f.project.as_deref(), project) {
            (None, _) => String::new(),
            (Some(code), Some((_, p)))
                if name_count.get(p.name.as_str()).is_some_and(|n| *n > 1) =>
            {
                format!("{}（{code}）", p.name)
            }
            (Some(_), Some((_, p))) => p.name.clone(),
            // A finding about a project the file does not hold (a stale suppression).
            (Some(code), None) => match &f.project_name {
                Some(name) => format!("{name}（{code}）"),
                None => code.to_string(),
            },
        };
        let indicator = project.and_then(|(_, p)| indicator_of(p, f.indicator.as_deref()?));
        let indicator_index = match (&f.indicator, project) {
            (None, _) => 0,
            (Some(name), Some((_, p))) => p
                .indicators
                .iter()
                .position(|i| &i.name == name)
                .map_or(usize::MAX, |i| i + 1),
            (Some(_), None) => usize::MAX,
        };
        let project_index = match (&f.project, project) {
            (None, _) => 0,
            (Some(_), Some((i, _))) => i + 1,
            (Some(_), None) => usize::MAX,
        };
        let entry = Entry {
            finding: f,
            title: writeup.title(&f.rule),
            subject,
            indicator,
            position: (project_index, indicator_index, index),
            magnitude: magnitude(f, indicator),
        };
        if f.suppressed.is_some() {
            sorted.accepted.push(entry);
        } else if is_filing(f) {
            sorted.filing.push(entry);
        } else {
            sorted.problems.push(entry);
        }
    }
    // Rules report a project's findings by rule id; the write-up follows the unit file.
    sorted.problems.sort_by_key(|e| e.position);
    sorted.filing.sort_by_key(|e| e.position);
    sorted
}

/// The project's indicator of that name, when exactly one has it: with two of the same name
/// the write-up cannot tell which one a finding means, and shows none rather than the wrong one.
fn indicator_of<'a>(project: &'a ProjectOutline, name: &str) -> Option<&'a IndicatorOutline> {
    let mut named = project.indicators.iter().filter(|i| i.name == name);
    let first = named.next()?;
    named.next().is_none().then_some(first)
}

/// A budget figure a rule compared.
pub struct Stage {
    /// 年初预算数, 全年预算数 or 全年执行数.
    pub label: &'static str,
    pub amount: Decimal,
}

/// The budget figures in the order of the year, by the evidence keys rules give them under.
const STAGES: [(&str, &str); 3] = [
    ("budget_initial", "年初预算数"),
    ("budget_adjusted", "全年预算数"),
    ("executed", "全年执行数"),
];

fn number(evidence: Option<&Evidence>) -> Option<Decimal> {
    match evidence? {
        Evidence::Decimal(d) => Some(*d),
        Evidence::Integer(i) => Some(Decimal::from(*i)),
        _ => None,
    }
}

/// The earliest and the latest budget figure a rule's evidence gives (年初预算数 against
/// 全年执行数, 全年预算数 against 全年执行数, 年初预算数 against 全年预算数): what deviated from
/// what, for a finding about money rather than an indicator.
pub fn budget_pair(f: &Finding) -> Option<(Stage, Stage)> {
    let mut given = STAGES.iter().filter_map(|(key, label)| {
        number(f.evidence.get(*key)).map(|amount| Stage { label, amount })
    });
    let first = given.next()?;
    let last = given.next_back()?;
    Some((first, last))
}

/// How far `actual` lies from `reference`, relative to it; `None` for a zero reference.
pub fn relative(reference: Decimal, actual: Decimal) -> Option<Decimal> {
    actual.checked_sub(reference)?.checked_div(reference.abs())
}

fn magnitude(f: &Finding, indicator: Option<&IndicatorOutline>) -> Option<Decimal> {
    let deviation = match (&f.indicator, indicator) {
        (Some(_), Some(i)) => i.deviation,
        (Some(_), None) => None,
        (None, _) => budget_pair(f).and_then(|(from, to)| relative(from.amount, to.amount)),
    }?;
    Some(
        deviation
            .abs()
            .round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero),
    )
}

type Position = (usize, usize, usize);

/// Sorts a group of findings before another when it is worse: the gravest severity, then the
/// largest deviation, then the earliest in the unit file. For kinds of problem and for the
/// projects within one.
pub fn by_size(
    entries: &[&Entry],
) -> (
    Reverse<Option<Severity>>,
    Reverse<Option<Decimal>>,
    Position,
) {
    (
        gravest(entries),
        Reverse(entries.iter().filter_map(|e| e.magnitude).max()),
        first_position(entries),
    )
}

/// Sorts a group of findings before another when it weighs more: the gravest severity, then
/// the most findings, then the earliest in the unit file. For causes and improvements: the
/// one that explains or answers most comes first.
pub fn by_reach(entries: &[&Entry]) -> (Reverse<Option<Severity>>, Reverse<usize>, Position) {
    (
        gravest(entries),
        Reverse(entries.len()),
        first_position(entries),
    )
}

/// The gravest severity of a group, sorting first.
fn gravest(entries: &[&Entry]) -> Reverse<Option<Severity>> {
    Reverse(entries.iter().map(|e| e.finding.severity).max())
}

fn first_position(entries: &[&Entry]) -> Position {
    entries
        .iter()
        .map(|e| e.position)
        .min()
        .unwrap_or((usize::MAX, usize::MAX, usize::MAX))
}

/// The entries' subjects, each once, in the entries' order; the unit as a whole left out.
pub fn subjects<'e>(entries: &[&'e Entry]) -> Vec<&'e str> {
    let mut seen = HashSet::new();
    entries
        .iter()
        .map(|e| e.subject.as_str())
        .filter(|s| !s.is_empty() && seen.insert(*s))
        .collect()
}

/// What the entries of one subject deviated in: `全年执行数低于年初预算数、存在跨年度结算、
/// “维护业务数据系统数量”“数据系统维护费用”指标偏差`.
pub fn deviations(entries: &[&Entry]) -> String {
    let mut titles: Vec<&str> = Vec::new();
    let mut indicators: Vec<&str> = Vec::new();
    for e in entries {
        match &e.finding.indicator {
            Some(name) if !indicators.contains(&name.as_str()) => indicators.push(name),
            Some(_) => {}
            None if !titles.contains(&e.title) => titles.push(e.title),
            None => {}
        }
    }
    let mut parts: Vec<String> = titles.iter().map(|t| t.to_string()).collect();
    if !indicators.is_empty() {
        let quoted: String = indicators.iter().map(|i| format!("“{i}”")).collect();
        parts.push(format!("{quoted}指标偏差"));
    }
    parts.join("、")
}

/// Each subject with what it deviated in, subjects in the entries' order: `数据系统维护费全年
/// 执行数低于年初预算数，企业离休人员第十三月基本离休费“发放企业离休人员人数”指标偏差`.
pub fn scope(entries: &[&Entry]) -> String {
    let mut groups: Vec<(&str, Vec<&Entry>)> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    for e in entries {
        let subject = e.subject.as_str();
        let index = *at.entry(subject).or_insert_with(|| {
            groups.push((subject, Vec::new()));
            groups.len() - 1
        });
        if let Some((_, group)) = groups.get_mut(index) {
            group.push(e);
        }
    }
    groups
        .iter()
        .map(|(subject, group)| format!("{subject}{}", deviations(group)))
        .collect::<Vec<_>>()
        .join("，")
}
