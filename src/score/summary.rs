//! A batch in figures (`jixiao summary`): how many units and projects each kind of finding
//! (category × severity) concerns and which; how many units fall in each execution-rate band
//! (<60%, 60–80%, 80–90%, ≥90%); and the same figures per 主管部门. Findings are counted as
//! the ranking counts them ([`counted`], [`UnitSummary`]): suppressed ones apart. A unit's
//! execution rate is its scorecard's (its whole budget's when the record gives it, else the
//! sum over its projects).

use crate::engine::cause_catalogue::CATEGORIES;
use crate::engine::evaluate::UnitReport;
use crate::engine::severity::SEVERITIES;
use crate::score::ranking::{Counts, UnitSummary, counted};
use crate::score::scorecard::UnitScore;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// An execution-rate band: its key in JSON, its label, and the lowest rate in it (in percent).
pub struct Band {
    pub key: &'static str,
    pub label: &'static str,
    from_percent: Option<i64>,
}

/// The bands, lowest first, each from its rate up to the next one's; the last holds the units
/// whose rate cannot be computed (an adjusted budget of zero, or no projects and no unit
/// budget).
pub const BANDS: [Band; 5] = [
    Band {
        key: "below_60",
        label: "<60%",
        from_percent: None,
    },
    Band {
        key: "60_to_80",
        label: "60%–80%",
        from_percent: Some(60),
    },
    Band {
        key: "80_to_90",
        label: "80%–90%",
        from_percent: Some(80),
    },
    Band {
        key: "90_and_above",
        label: "≥90%",
        from_percent: Some(90),
    },
    Band {
        key: "none",
        label: "无法计算",
        from_percent: None,
    },
];

/// The bands below 90% execution: the first three.
pub const BELOW_NINETY: usize = 3;

/// The index in [`BANDS`] of an execution rate (a fraction: 0.9 is 90%).
pub fn band_of(rate: Option<Decimal>) -> usize {
    let Some(rate) = rate else {
        return BANDS.len() - 1;
    };
    let percent = rate.checked_mul(Decimal::ONE_HUNDRED);
    BANDS[..=BELOW_NINETY]
        .iter()
        .rposition(|band| match (band.from_percent, percent) {
            (None, _) => true,
            (Some(from), Some(percent)) => percent >= Decimal::from(from),
            // A rate too large to show as a percentage is far above any band's start.
            (Some(_), None) => rate > Decimal::ZERO,
        })
        .unwrap_or(0)
}

/// A set of units: how many, their projects, their findings by severity, and which (codes,
/// in input order).
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub units: usize,
    pub projects: usize,
    pub findings: Counts,
    pub which: Vec<String>,
}

impl Group {
    fn new() -> Group {
        Group {
            units: 0,
            projects: 0,
            findings: Counts::zero(SEVERITIES),
            which: Vec::new(),
        }
    }

    fn add(&mut self, unit: &UnitSummary, projects: usize) {
        self.units += 1;
        self.projects += projects;
        self.findings.add(&unit.by_severity);
        self.which.push(unit.code.clone());
    }
}

/// The units of one 主管部门 (`None`: records that name none), with their execution-rate bands.
#[derive(Debug, Clone, Serialize)]
pub struct Department {
    pub department: Option<String>,
    #[serde(flatten)]
    pub group: Group,
    /// Units per band, keyed as [`BANDS`].
    pub bands: BandCounts,
}

/// Units per execution-rate band; a JSON object keyed by band.
#[derive(Debug, Clone, Default)]
pub struct BandCounts(pub [usize; BANDS.len()]);

impl BandCounts {
    /// Units below 90% execution.
    pub fn below_ninety(&self) -> usize {
        self.0[..BELOW_NINETY].iter().sum()
    }
}

impl Serialize for BandCounts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(BANDS.len()))?;
        for (band, count) in BANDS.iter().zip(self.0) {
            map.serialize_entry(band.key, &count)?;
        }
        map.end()
    }
}

/// One unit a kind of finding concerns, and the projects it concerns there (by code; none
/// when the findings are about the unit as a whole).
#[derive(Debug, Clone, Serialize)]
pub struct Concerned {
    pub unit: String,
    pub projects: Vec<String>,
}

/// The findings of one category and severity across the batch.
#[derive(Debug, Clone, Serialize)]
pub struct Kind {
    pub category: String,
    pub severity: String,
    pub findings: usize,
    pub units: usize,
    pub projects: usize,
    pub which: Vec<Concerned>,
}

/// An execution-rate band's units.
#[derive(Debug, Clone, Serialize)]
pub struct BandGroup {
    pub band: &'static str,
    pub label: &'static str,
    #[serde(flatten)]
    pub group: Group,
}

/// The batch's figures; add each unit with [`Summary::add`], then [`Summary::finish`].
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub units: usize,
    pub projects: usize,
    /// Findings by severity, suppressed ones apart.
    pub findings: Counts,
    pub suppressed: usize,
    /// Units below 90% execution (the first three bands).
    pub below_90: usize,
    /// Kinds of finding, the categories with the most findings first; within a category by
    /// severity, error first.
    pub kinds: Vec<Kind>,
    pub execution_rate_bands: Vec<BandGroup>,
    /// Departments by name, units that name none last.
    pub departments: Vec<Department>,
}

/// Where a category or a severity sorts: its place in the vocabulary, unknown names after.
fn place(vocabulary: &[&str], name: &str) -> usize {
    vocabulary
        .iter()
        .position(|v| *v == name)
        .unwrap_or(vocabulary.len())
}

/// Summary under construction.
pub struct Builder {
    units: usize,
    projects: usize,
    findings: Counts,
    suppressed: usize,
    kinds: BTreeMap<(String, String), Kind>,
    bands: Vec<Group>,
    /// Keyed `(false, name)`, or `(true, "")` for units naming none, so that those sort last.
    departments: BTreeMap<(bool, String), (Group, BandCounts)>,
}

impl Default for Builder {
    fn default() -> Builder {
        Builder {
            units: 0,
            projects: 0,
            findings: Counts::zero(SEVERITIES),
            suppressed: 0,
            kinds: BTreeMap::new(),
            bands: BANDS.iter().map(|_| Group::new()).collect(),
            departments: BTreeMap::new(),
        }
    }
}

impl Builder {
    pub fn add(&mut self, report: &UnitReport, score: &UnitScore) {
        let unit = UnitSummary::new(report, score, 0);
        let projects = score.projects.len();
        self.units += 1;
        self.projects += projects;
        self.findings.add(&unit.by_severity);
        self.suppressed += unit.suppressed;

        let mut here: BTreeMap<(&str, &str), (usize, BTreeSet<&str>)> = BTreeMap::new();
        for finding in counted(report) {
            let (findings, projects) = here
                .entry((&finding.category, finding.severity.name()))
                .or_default();
            *findings += 1;
            projects.extend(finding.project.as_deref());
        }
        for ((category, severity), (findings, projects)) in here {
            let kind = self
                .kinds
                .entry((category.to_string(), severity.to_string()))
                .or_insert_with(|| Kind {
                    category: category.to_string(),
                    severity: severity.to_string(),
                    findings: 0,
                    units: 0,
                    projects: 0,
                    which: Vec::new(),
                });
            kind.findings += findings;
            kind.units += 1;
            kind.projects += projects.len();
            kind.which.push(Concerned {
                unit: report.code.clone(),
                projects: projects.into_iter().map(str::to_string).collect(),
            });
        }

        let band = band_of(unit.execution_rate);
        if let Some(group) = self.bands.get_mut(band) {
            group.add(&unit, projects);
        }
        let department = report
            .department
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty());
        let key = (
            department.is_none(),
            department.unwrap_or_default().to_string(),
        );
        let (group, bands) = self
            .departments
            .entry(key)
            .or_insert_with(|| (Group::new(), BandCounts::default()));
        group.add(&unit, projects);
        if let Some(count) = bands.0.get_mut(band) {
            *count += 1;
        }
    }

    pub fn finish(self) -> Summary {
        let mut kinds: Vec<Kind> = self.kinds.into_values().collect();
        let mut by_category: BTreeMap<String, usize> = BTreeMap::new();
        for kind in &kinds {
            *by_category.entry(kind.category.clone()).or_default() += kind.findings;
        }
        let category_total = |kind: &Kind| by_category.get(&kind.category).copied();
        kinds.sort_by(|a, b| {
            category_total(b)
                .cmp(&category_total(a))
                .then_with(|| place(CATEGORIES, &a.category).cmp(&place(CATEGORIES, &b.category)))
                .then_with(|| a.category.cmp(&b.category))
                .then_with(|| place(SEVERITIES, &a.severity).cmp(&place(SEVERITIES, &b.severity)))
                .then_with(|| a.severity.cmp(&b.severity))
        });
        let execution_rate_bands: Vec<BandGroup> = BANDS
            .iter()
            .zip(self.bands)
            .map(|(band, group)| BandGroup {
                band: band.key,
                label: band.label,
                group,
            })
            .collect();
        let below_90 = execution_rate_bands[..BELOW_NINETY]
            .iter()
            .map(|b| b.group.units)
            .sum();
        Summary {
            units: self.units,
            projects: self.projects,
            findings: self.findings,
            suppressed: self.suppressed,
            below_90,
            kinds,
            execution_rate_bands,
            departments: self
                .departments
                .into_iter()
                .map(|((unnamed, name), (group, bands))| Department {
                    department: (!unnamed).then_some(name),
                    group,
                    bands,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn rate(text: &str) -> Option<Decimal> {
        Some(Decimal::from_str(text).unwrap())
    }

    #[test]
    fn each_band_starts_at_its_rate() {
        let bands = |rates: &[&str]| -> Vec<&str> {
            rates
                .iter()
                .map(|r| BANDS[band_of(rate(r))].label)
                .collect()
        };
        assert_eq!(
            bands(&[
                "0", "0.5999", "0.6", "0.7999", "0.8", "0.8999", "0.9", "1.2"
            ]),
            [
                "<60%",
                "<60%",
                "60%–80%",
                "60%–80%",
                "80%–90%",
                "80%–90%",
                "≥90%",
                "≥90%"
            ]
        );
        assert_eq!(BANDS[band_of(None)].label, "无法计算");
        assert_eq!(BANDS[band_of(Some(Decimal::MAX))].label, "≥90%");
    }
}
