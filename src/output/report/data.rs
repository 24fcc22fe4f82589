//! What the report gathers from a batch in one pass: the overview figures (for the whole
//! batch and for each 主管部门), the ranking's compact summaries, and the sections the page
//! may show, rendered and spooled to disk as their units arrive — so that memory holds neither
//! a unit's findings nor its section once it has been handed on, only a summary and a byte
//! range. Under `--details N` a section is rendered only for a unit among the N lowest-ranked
//! so far (or asked for by code): every unit of the final lowest N was among the lowest N of
//! the units before it, and in a shuffled batch only about N·(1 + ln(units / N)) units ever
//! are, so most units cost no rendering.

use super::charts::{self, Chart};
use super::page::{Details, SectionTemplate, Selection};
use super::spool::Spool;
use super::writeup_html;
use crate::engine::cause_catalogue::CATEGORIES;
use crate::engine::evaluate::UnitReport;
use crate::engine::rule_set::RuleSet;
use crate::engine::severity::SEVERITIES;
use crate::number_text;
use crate::output::Writeup;
use crate::score::ranking::{self, UnitSummary};
use crate::score::scorecard::UnitScore;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::collections::BTreeMap;
use std::io;
use std::ops::Range;
use std::path::Path;

/// Score bins of ten points: 0–10 … 90–100 (100 falls in the last).
pub const SCORE_BINS: usize = 10;
/// Execution-rate bins of ten points: 0–10% … 90–100%, and ≥100%.
pub const RATE_BINS: usize = 11;
/// The grades in the order a report lists them; other grade names follow, sorted.
const GRADE_ORDER: [&str; 4] = ["优", "良", "中", "差"];

/// The overview figures of a set of units.
#[derive(Debug, Clone)]
pub struct Figures {
    pub units: usize,
    pub projects: usize,
    /// Σ adjusted budget of the projects (万元); `None` once the sum overflowed.
    pub budget: Option<Decimal>,
    pub grades: BTreeMap<String, usize>,
    pub unscored: usize,
    pub scores: [usize; SCORE_BINS],
    pub rates: [usize; RATE_BINS],
    pub below_90: usize,
    /// Findings per category, in the order of `CATEGORIES`; suppressed ones are not counted.
    pub categories: Vec<usize>,
    /// Findings per severity, in the order of `SEVERITIES`.
    pub severities: Vec<usize>,
    /// Findings per cause code.
    pub causes: BTreeMap<String, usize>,
}

impl Default for Figures {
    fn default() -> Figures {
        Figures {
            units: 0,
            projects: 0,
            budget: Some(Decimal::ZERO),
            grades: BTreeMap::new(),
            unscored: 0,
            scores: [0; SCORE_BINS],
            rates: [0; RATE_BINS],
            below_90: 0,
            categories: vec![0; CATEGORIES.len()],
            severities: vec![0; SEVERITIES.len()],
            causes: BTreeMap::new(),
        }
    }
}

/// The ten-point bin of a value on a 0–`bins` scale (after ×10): clamped to the bins.
fn bin(tenths: Option<Decimal>, bins: usize) -> usize {
    let index = tenths
        .map(|t| t.floor().to_usize().unwrap_or(0))
        .unwrap_or(0);
    index.min(bins.saturating_sub(1))
}

impl Figures {
    fn add(&mut self, report: &UnitReport, score: &UnitScore) {
        self.units += 1;
        self.projects += score.projects.len();
        for project in &score.projects {
            self.budget = self
                .budget
                .and_then(|b| b.checked_add(project.budget_adjusted));
        }
        match (&score.grade, score.score) {
            (Some(grade), Some(points)) => {
                *self.grades.entry(grade.clone()).or_default() += 1;
                let tenths = points.checked_div(Decimal::TEN);
                if let Some(slot) = self.scores.get_mut(bin(tenths, SCORE_BINS)) {
                    *slot += 1;
                }
            }
            _ => self.unscored += 1,
        }
        if let Some(rate) = score.execution_rate {
            let tenths = rate.checked_mul(Decimal::TEN);
            if let Some(slot) = self.rates.get_mut(bin(tenths, RATE_BINS)) {
                *slot += 1;
            }
            if rate < Decimal::new(9, 1) {
                self.below_90 += 1;
            }
        }
        for finding in report.findings.iter().filter(|f| f.suppressed.is_none()) {
            if let Some(i) = CATEGORIES.iter().position(|c| *c == finding.category)
                && let Some(slot) = self.categories.get_mut(i)
            {
                *slot += 1;
            }
            if let Some(i) = SEVERITIES
                .iter()
                .position(|s| *s == finding.severity.name())
                && let Some(slot) = self.severities.get_mut(i)
            {
                *slot += 1;
            }
            if let Some(cause) = &finding.cause {
                *self.causes.entry(cause.code.clone()).or_default() += 1;
            }
        }
    }

    /// The grades with their counts, in report order.
    pub fn grade_counts(&self) -> Vec<(String, usize)> {
        let mut counts: Vec<(String, usize)> = GRADE_ORDER
            .iter()
            .map(|g| (g.to_string(), self.grades.get(*g).copied().unwrap_or(0)))
            .collect();
        counts.extend(
            self.grades
                .iter()
                .filter(|(g, _)| !GRADE_ORDER.contains(&g.as_str()))
                .map(|(g, n)| (g.clone(), *n)),
        );
        counts
    }

    /// The causes, most common first (ties by code), at most `limit`.
    pub fn top_causes(&self, limit: usize) -> Vec<(&str, usize)> {
        let mut causes: Vec<(&str, usize)> =
            self.causes.iter().map(|(c, n)| (c.as_str(), *n)).collect();
        causes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        causes.truncate(limit);
        causes
    }
}

/// One unit's section, as the template shows it.
pub struct UnitSection {
    pub code: String,
    pub name: String,
    pub department: Option<String>,
    pub score: String,
    pub grade: String,
    pub rate: String,
    /// The write-up (§四, §五, 问题清单 …) as HTML, text from the unit file escaped.
    pub writeup: String,
    pub projects: Chart,
}

/// A unit as the page needs it once its section is spooled.
pub struct Entry {
    pub summary: UnitSummary,
    /// The id of its section (`u1`, `u2` … in input order).
    pub anchor: String,
    /// Its section's bytes in the spool; none when it was never among those shown.
    pub section: Option<Range<u64>>,
}

/// The last `limit` of the items seen so far in an order, by their indices in arrival order.
struct Last {
    limit: usize,
    /// In order, the first of them first.
    indices: Vec<usize>,
}

impl Last {
    fn new(limit: usize) -> Last {
        Last {
            limit,
            indices: Vec::with_capacity(limit.min(1 << 16)),
        }
    }

    /// Offers the item `index`, which `ranks_before(i)` compares with each earlier item `i`;
    /// whether it is among the last now (it then stays until later ones push it out).
    fn offer(&mut self, index: usize, ranks_before: impl Fn(usize) -> bool) -> bool {
        let place = self.indices.partition_point(|i| ranks_before(*i));
        if self.indices.len() < self.limit {
            self.indices.insert(place, index);
            true
        } else if place > 0 {
            // It ranks after the first of the last so far, which leaves them.
            self.indices.insert(place, index);
            self.indices.remove(0);
            true
        } else {
            false
        }
    }
}

/// Everything the page shows, gathered unit by unit.
pub struct Gathered {
    pub overall: Figures,
    pub departments: BTreeMap<String, Figures>,
    pub units: Vec<Entry>,
    pub spool: Spool,
    pub selection: Selection,
    /// Under `--details N`: the N lowest-ranked units so far; `None` under `--details all`.
    lowest: Option<Last>,
    writeup: Writeup,
    template: SectionTemplate,
}

/// A decimal as a chart value (charts only: display, never arithmetic).
fn chart_value(value: Decimal) -> f64 {
    value.to_f64().unwrap_or(0.0)
}

impl Gathered {
    /// Gathers into a spool in `folder` (the output's folder) the sections `selection`
    /// may show.
    pub fn new(rule_set: &RuleSet, folder: &Path, selection: Selection) -> io::Result<Gathered> {
        Ok(Gathered {
            overall: Figures::default(),
            departments: BTreeMap::new(),
            units: Vec::new(),
            spool: Spool::new_in(folder)?,
            lowest: match selection.details {
                Details::All => None,
                Details::Lowest(limit) => Some(Last::new(limit)),
            },
            selection,
            writeup: Writeup::new(rule_set),
            template: SectionTemplate::new()?,
        })
    }

    pub fn add(
        &mut self,
        report: &UnitReport,
        score: &UnitScore,
        problems: usize,
    ) -> io::Result<()> {
        self.overall.add(report, score);
        if let Some(department) = &report.department {
            self.departments
                .entry(department.clone())
                .or_default()
                .add(report, score);
        }
        let summary = UnitSummary::new(report, score, problems);
        let section = if self.may_show(&summary) {
            let html = self.section(report, score)?;
            Some(self.spool.append(html.as_bytes())?)
        } else {
            None
        };
        self.units.push(Entry {
            summary,
            anchor: format!("u{}", self.units.len() + 1),
            section,
        });
        Ok(())
    }

    /// Whether the page may show the section of the unit arriving now (not yet in `units`):
    /// it is asked for, or among the lowest-ranked so far.
    fn may_show(&mut self, summary: &UnitSummary) -> bool {
        let asked = self.selection.units.contains(&summary.code);
        let Some(lowest) = &mut self.lowest else {
            return true;
        };
        let units = &self.units;
        let among_lowest = lowest.offer(units.len(), |i| {
            units
                .get(i)
                .is_some_and(|u| ranking::order(&u.summary, summary).is_lt())
        });
        asked || among_lowest
    }

    fn section(&self, report: &UnitReport, score: &UnitScore) -> io::Result<String> {
        let labels: Vec<String> = score.projects.iter().map(|p| p.code.clone()).collect();
        let budget: Vec<f64> = score
            .projects
            .iter()
            .map(|p| chart_value(p.budget_adjusted))
            .collect();
        // The executed amount is budget × rate: the scorecard keeps the rate, exact enough
        // for a bar.
        let executed: Vec<f64> = score
            .projects
            .iter()
            .map(|p| {
                p.execution_rate
                    .and_then(|r| r.checked_mul(p.budget_adjusted))
                    .map_or(0.0, chart_value)
            })
            .collect();
        self.template.render(UnitSection {
            code: report.code.clone(),
            name: report.name.clone(),
            department: report.department.clone(),
            score: score.score.map_or("—".into(), |s| number_text::fixed(s, 2)),
            grade: score.grade.clone().unwrap_or_else(|| "未评分".into()),
            rate: score.execution_rate.map_or("—".into(), number_text::pct),
            writeup: writeup_html(&self.writeup.unit(report)),
            projects: charts::pairs(&labels, &budget, &executed),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_so_far_end_as_the_last_of_all_and_few_were_ever_among_them() {
        // A shuffled order of 0..1000 (a fixed multiplier coprime to 1000), ranked by value.
        let values: Vec<usize> = (0..1000).map(|i| i * 337 % 1000).collect();
        let mut last = Last::new(10);
        let mut offered = Vec::new();
        let mut ever = 0;
        for (index, value) in values.iter().enumerate() {
            if last.offer(index, |i| offered.get(i).is_some_and(|v| v < value)) {
                ever += 1;
            }
            offered.push(*value);
        }
        let kept: Vec<usize> = last.indices.iter().map(|i| values[*i]).collect();
        assert_eq!(kept, (990..1000).collect::<Vec<_>>());
        assert!(
            ever < 100,
            "{ever} of 1000 were among the last 10 when they came"
        );
        let mut none = Last::new(0);
        assert!(!none.offer(0, |_| true));
    }

    #[test]
    fn values_fall_in_their_ten_point_bins_and_the_ends_stay_in_range() {
        let tenths = |s: &str| Some(s.parse::<Decimal>().unwrap());
        assert_eq!(bin(tenths("0"), SCORE_BINS), 0);
        assert_eq!(bin(tenths("8.999"), SCORE_BINS), 8);
        assert_eq!(bin(tenths("9"), SCORE_BINS), 9);
        // A score of 100 is in the last bin; a rate past 100% in the ≥100% bin.
        assert_eq!(bin(tenths("10"), SCORE_BINS), 9);
        assert_eq!(bin(tenths("10"), RATE_BINS), 10);
        assert_eq!(bin(tenths("250"), RATE_BINS), 10);
        assert_eq!(bin(tenths("-1"), RATE_BINS), 0);
        assert_eq!(bin(None, RATE_BINS), 0);
    }

    #[test]
    fn grades_list_in_report_order_and_causes_most_common_first() {
        let mut figures = Figures::default();
        figures.grades.insert("差".into(), 2);
        figures.grades.insert("优".into(), 1);
        figures.grades.insert("合格".into(), 4);
        let grades: Vec<(String, usize)> = figures.grade_counts();
        assert_eq!(
            grades,
            [("优", 1), ("良", 0), ("中", 0), ("差", 2), ("合格", 4)]
                .map(|(g, n)| (g.to_string(), n))
        );
        figures.causes.insert("b".into(), 3);
        figures.causes.insert("a".into(), 3);
        figures.causes.insert("c".into(), 5);
        assert_eq!(figures.top_causes(2), [("c", 5), ("a", 3)]);
    }
}
