//! The ranking: what it keeps of each unit (score, grade, execution rate, finding counts by
//! severity and by category — never the findings themselves) and the order, by score, ties
//! by unit code. `output::ranking` writes it.

use crate::engine::cause_catalogue::CATEGORIES;
use crate::engine::evaluate::UnitReport;
use crate::engine::finding::Finding;
use crate::engine::severity::SEVERITIES;
use crate::number_text;
use crate::score::scorecard::UnitScore;
use rust_decimal::Decimal;
use serde::Serialize;

/// What the ranking keeps of a unit: a few figures, never its findings.
#[derive(Debug, Clone, Serialize)]
pub struct UnitSummary {
    pub rank: usize,
    pub code: String,
    pub name: String,
    pub file: String,
    #[serde(serialize_with = "number_text::plain_decimal")]
    pub score: Option<Decimal>,
    pub grade: Option<String>,
    #[serde(serialize_with = "number_text::plain_decimal")]
    pub execution_rate: Option<Decimal>,
    /// Σ budget_adjusted of the scored projects / Σ over all (已评分预算占比).
    #[serde(serialize_with = "number_text::plain_decimal")]
    pub scored_budget_share: Option<Decimal>,
    /// Findings per severity (`{"error": 1, …}`), in the order of `SEVERITIES`.
    pub by_severity: Counts,
    /// Findings per category, in the order of `CATEGORIES`.
    pub by_category: Counts,
    /// Findings a `[[suppress]]` entry accepted (not in the counts above).
    pub suppressed: usize,
    pub problems: usize,
}

/// Counts by name, in the order of a fixed vocabulary; a JSON object keyed by name.
#[derive(Debug, Clone)]
pub struct Counts {
    names: &'static [&'static str],
    counts: Vec<usize>,
}

impl Counts {
    fn of(names: &'static [&'static str], count: impl Fn(&str) -> usize) -> Counts {
        Counts {
            names,
            counts: names.iter().map(|n| count(n)).collect(),
        }
    }

    /// No count yet for any name of `names`.
    pub fn zero(names: &'static [&'static str]) -> Counts {
        Counts::of(names, |_| 0)
    }

    /// Adds `other`'s counts, name by name.
    pub fn add(&mut self, other: &Counts) {
        for (name, count) in other.names.iter().zip(&other.counts) {
            if let Some(i) = self.names.iter().position(|n| n == name)
                && let Some(mine) = self.counts.get_mut(i)
            {
                *mine += count;
            }
        }
    }

    /// The sum of every count.
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    /// The counts in the vocabulary's order.
    pub fn values(&self) -> &[usize] {
        &self.counts
    }

    pub fn get(&self, name: &str) -> usize {
        self.names
            .iter()
            .position(|n| *n == name)
            .and_then(|i| self.counts.get(i).copied())
            .unwrap_or(0)
    }
}

impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.names.len()))?;
        for (name, count) in self.names.iter().zip(&self.counts) {
            map.serialize_entry(name, count)?;
        }
        map.end()
    }
}

/// The findings that count — by severity, by category, in a summary, against `--fail-on`:
/// all but the suppressed ones, which a reviewer accepted and which are counted apart.
pub fn counted(report: &UnitReport) -> impl Iterator<Item = &Finding> {
    report.findings.iter().filter(|f| f.suppressed.is_none())
}

impl UnitSummary {
    pub fn new(report: &UnitReport, score: &UnitScore, problems: usize) -> UnitSummary {
        let count = |keep: &dyn Fn(&Finding) -> bool| counted(report).filter(|f| keep(f)).count();
        UnitSummary {
            rank: 0,
            code: report.code.clone(),
            name: report.name.clone(),
            file: report.file.clone(),
            score: score.score,
            grade: score.grade.clone(),
            execution_rate: score.execution_rate,
            scored_budget_share: score.scored_budget_share,
            by_severity: Counts::of(SEVERITIES, |s| count(&|f| f.severity.name() == s)),
            by_category: Counts::of(CATEGORIES, |c| count(&|f| f.category == c)),
            suppressed: report
                .findings
                .iter()
                .filter(|f| f.suppressed.is_some())
                .count(),
            problems,
        }
    }
}

/// The ranking's order: score, highest first (units without a score last), ties by unit
/// code, then file.
pub fn order(a: &UnitSummary, b: &UnitSummary) -> std::cmp::Ordering {
    b.score
        .is_some()
        .cmp(&a.score.is_some())
        .then(b.score.cmp(&a.score))
        .then_with(|| a.code.cmp(&b.code))
        .then_with(|| a.file.cmp(&b.file))
}

/// Sorts in the ranking's [`order`] and numbers the ranks.
pub fn rank(summaries: &mut [UnitSummary]) {
    summaries.sort_by(order);
    for (i, s) in summaries.iter_mut().enumerate() {
        s.rank = i + 1;
    }
}
