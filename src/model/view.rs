//! What rules see: each unit, project and indicator as a registered Rhai type, with what
//! every rule needs computed once in Rust — execution rate, parsed indicator values, the
//! comparison with the target, computed points, indicators by kind, group subtotals — so that
//! scripts compare numbers instead of re-deriving them per rule.

use crate::input::indicator_value::Value;
use crate::input::record::{Indicator, Project, Unit};
use crate::model::compare::Comparison;
use crate::model::scoring_form::{IndicatorScore, ScoringSettings, Uncompared};
use rhai::{Array, Dynamic};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Indicator kinds (二级指标), with 成本指标 recognised at either level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorKind {
    Quantity,
    Quality,
    Timeliness,
    Cost,
    Benefit,
    Satisfaction,
    Other,
}

impl IndicatorKind {
    pub fn of(level1: &str, level2: &str) -> IndicatorKind {
        let either = |word: &str| level2.contains(word) || level1.contains(word);
        if either("成本") {
            IndicatorKind::Cost
        } else if level2.contains("数量") {
            IndicatorKind::Quantity
        } else if level2.contains("质量") {
            IndicatorKind::Quality
        } else if level2.contains("时效") {
            IndicatorKind::Timeliness
        } else if either("满意") {
            IndicatorKind::Satisfaction
        } else if either("效益") || level2.contains("可持续") {
            IndicatorKind::Benefit
        } else {
            IndicatorKind::Other
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            IndicatorKind::Quantity => "quantity",
            IndicatorKind::Quality => "quality",
            IndicatorKind::Timeliness => "timeliness",
            IndicatorKind::Cost => "cost",
            IndicatorKind::Benefit => "benefit",
            IndicatorKind::Satisfaction => "satisfaction",
            IndicatorKind::Other => "other",
        }
    }
}

pub struct IndicatorView {
    pub record: Indicator,
    pub kind: IndicatorKind,
    pub target: Value,
    pub actual: Value,
    pub comparison: Comparison,
    /// The row's own weight, or its share of its class's points under the unit's scoring
    /// form when the row gives none.
    pub effective_weight: Option<Decimal>,
    /// Points under the form: what the unit's score counts.
    pub score: Option<IndicatorScore>,
    /// What a self-reported 得分 is checked against; `None` when the weight the unit used
    /// cannot be known.
    pub self_check: Option<SelfCheck>,
    /// For a qualitative indicator, whether its actual reads as the top tier.
    pub tier_met: Option<bool>,
}

/// The points a row earns under the weight the unit evidently used: the row's own; for a row
/// without one, the 得分 the unit gave its met rows of the same class when they agree (a unit
/// scores a met row in full, so that is the row's weight on the unit's form); else the form's
/// share. SCORE-MISMATCH reports only what holds under this weight.
#[derive(Debug, Clone)]
pub struct SelfCheck {
    pub weight: Decimal,
    pub basis: WeightBasis,
    pub score: IndicatorScore,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeightBasis {
    /// The row's own `weight`.
    Row,
    /// The 得分 of the unit's met rows of the same class.
    Inferred,
    /// The form's points of the class shared equally among its rows.
    Form,
}

impl WeightBasis {
    pub fn code(self) -> &'static str {
        match self {
            WeightBasis::Row => "row",
            WeightBasis::Inferred => "inferred",
            WeightBasis::Form => "form",
        }
    }
}

/// The weight of a class's rows that carry none, for checking self-reported scores.
enum ClassWeight {
    Inferred(Decimal),
    Form(Decimal),
    /// Met rows scored differently: the weights vary by row and cannot be known.
    Unknown,
}

#[derive(Clone)]
pub struct IndicatorRef(pub Arc<IndicatorView>);

impl IndicatorView {
    /// The qualitative band under the weight a self-reported score is checked against.
    pub fn band(&self) -> Option<&crate::model::scoring_form::Band> {
        self.self_check.as_ref()?.score.band.as_ref()
    }

    pub fn is_not_applicable(&self) -> bool {
        self.target == Value::NotApplicable || self.actual == Value::NotApplicable
    }

    /// Why the two values do not compare, for scoring.
    fn uncompared(target: &Value, actual: &Value) -> Uncompared {
        match (target, actual) {
            (Value::Missing | Value::NotApplicable, _) | (_, Value::NotApplicable) => {
                Uncompared::NotApplicable
            }
            (_, Value::Missing) => Uncompared::ActualMissing,
            _ => Uncompared::Unreadable,
        }
    }

    pub fn is_off_target(&self) -> bool {
        match &self.comparison {
            Comparison::Quantitative { met, deviation, .. } => {
                !met || (self.kind == IndicatorKind::Cost
                    && deviation.is_some_and(|d| !d.is_zero()))
            }
            Comparison::Binary { met } => !met,
            Comparison::Qualitative => self.tier_met == Some(false),
            Comparison::NotComparable => false,
        }
    }

    pub fn is_above_target(&self) -> bool {
        match &self.comparison {
            Comparison::Quantitative {
                target,
                actual,
                lower_is_better: false,
                ..
            } => self.kind != IndicatorKind::Cost && actual > target,
            _ => false,
        }
    }

    /// A value missing or unreadable, or two values that do not compare — not one the unit
    /// marked as not applicable.
    pub fn is_unreadable(&self) -> bool {
        if self.is_not_applicable() {
            return false;
        }
        !self.target.is_understood()
            || !self.actual.is_understood()
            || matches!(self.comparison, Comparison::NotComparable)
    }

    pub fn actual_text(&self) -> String {
        raw_text(self.record.actual.as_ref())
    }

    pub fn target_text(&self) -> String {
        let written = raw_text(self.record.target.as_ref());
        match (&self.record.target, &self.record.op) {
            (Some(crate::input::record::RawValue::Number(_)), Some(op)) => {
                format!("{op}{written}{}", self.record.unit.as_deref().unwrap_or(""))
            }
            _ => written,
        }
    }
}

fn raw_text(raw: Option<&crate::input::record::RawValue>) -> String {
    match raw {
        None => String::new(),
        Some(crate::input::record::RawValue::Number(n)) => crate::number_text::plain(*n),
        Some(crate::input::record::RawValue::Text(t)) => t.clone(),
    }
}

pub struct ProjectView {
    pub record: Project,
    /// executed / budget_adjusted; `None` when the adjusted budget is zero.
    pub execution_rate: Option<Decimal>,
    pub indicators: Vec<IndicatorRef>,
    /// The same indicators as Rhai values, built once so rules can loop over them cheaply.
    pub indicator_values: Array,
    /// Indicators that miss their target — a shortfall, a cost off its target either way, a
    /// missed deadline or `否`, a phrase below the top tier — so that rules about misses loop
    /// over the few that miss rather than over every indicator.
    pub off_target_indicators: Array,
    /// Higher-is-better quantitative indicators (not cost) whose actual exceeds the target.
    pub above_target_indicators: Array,
    /// Rows with a self-reported score.
    pub self_scored_indicators: Array,
    /// Rows whose target or actual is missing or unreadable, or whose two values do not compare.
    pub unreadable_indicators: Array,
    pub funds_values: Array,
    /// Each amount summed over the split by source (`funds`), when there is a split and every
    /// source gives that amount; a split that leaves a source's figure out is incomplete.
    pub funds_totals: FundsTotals,
    /// How the indicator table's weights stand against the unit's scoring form.
    pub form_weights: FormWeights,
}

/// The project's row weights beside what its scoring form gives: Σ row weights when every row
/// has one, whether the table has a row in every class the form gives points to (a complete
/// table: a partial one cannot be expected to add up), and the form's execution and total points.
#[derive(Debug, Clone, Copy)]
pub struct FormWeights {
    pub rows_total: Option<Decimal>,
    pub covers_every_class: bool,
    pub execution_points: Decimal,
    pub form_total: Option<Decimal>,
}

impl FormWeights {
    fn of(rows: &[Indicator], scoring: &ScoringSettings) -> FormWeights {
        let rows_total = if rows.is_empty() {
            None
        } else {
            checked_sum(rows.iter().map(|r| r.weight))
        };
        let covers_every_class = scoring
            .indicator_weights
            .iter()
            .filter(|(_, points)| !points.is_zero())
            .all(|(class, _)| {
                rows.iter()
                    .any(|r| scoring_class(&r.level1, scoring) == class)
            });
        FormWeights {
            rows_total,
            covers_every_class,
            execution_points: scoring.execution_weight,
            form_total: checked_sum(
                std::iter::once(Some(scoring.execution_weight))
                    .chain(scoring.indicator_weights.values().map(|w| Some(*w))),
            ),
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct FundsTotals {
    pub budget_initial: Option<Decimal>,
    pub budget_adjusted: Option<Decimal>,
    pub executed: Option<Decimal>,
}

impl FundsTotals {
    fn of(funds: &[crate::input::record::Fund]) -> FundsTotals {
        let total = |amount: fn(&crate::input::record::Fund) -> Option<Decimal>| {
            if funds.is_empty() {
                return None;
            }
            checked_sum(funds.iter().map(amount))
        };
        FundsTotals {
            budget_initial: total(|f| f.budget_initial),
            budget_adjusted: total(|f| f.budget_adjusted),
            executed: total(|f| Some(f.executed)),
        }
    }
}

#[derive(Clone)]
pub struct ProjectRef(pub Arc<ProjectView>);

/// A stated group subtotal beside what the listed projects add up to.
#[derive(Debug, Clone)]
pub struct GroupView {
    pub name: String,
    pub stated_count: Option<i64>,
    pub stated_executed: Option<Decimal>,
    pub listed_count: i64,
    /// `None` when the sum leaves Decimal's range (reported as an overflow of the unit).
    pub listed_executed: Option<Decimal>,
}

pub struct UnitView {
    pub record: Unit,
    /// The scoring form the unit is scored by (its own, or the run's).
    pub scoring: Arc<ScoringSettings>,
    /// Figures that could not be computed because the arithmetic left Decimal's range, each
    /// as (field, what overflowed): the unit is still evaluated, and these are reported as
    /// problems of its file.
    pub overflows: Vec<(String, String)>,
    pub projects: Vec<ProjectRef>,
    pub project_values: Array,
    pub group_values: Array,
    /// Projects whose `group` names no declared group: (project code, group).
    pub ungrouped: Vec<(String, String)>,
    pub suppressions: Vec<crate::input::record::Suppression>,
}

#[derive(Clone)]
pub struct UnitRef(pub Arc<UnitView>);

impl UnitRef {
    pub fn build(file: crate::input::record::UnitFile, scoring: &Arc<ScoringSettings>) -> UnitRef {
        let crate::input::record::UnitFile {
            unit: mut record,
            projects,
            suppress: suppressions,
        } = file;
        // A blank entry in a list of institution names names no institution.
        if let Some(institutions) = &mut record.institutions {
            institutions.internal.retain(|n| !n.trim().is_empty());
            institutions.subordinate.retain(|n| !n.trim().is_empty());
        }
        let year = record.year;
        let mut overflows = Vec::new();
        let projects: Vec<ProjectRef> = projects
            .into_iter()
            .map(|p| {
                ProjectRef(Arc::new(ProjectView::build(
                    p,
                    year,
                    scoring,
                    &mut overflows,
                )))
            })
            .collect();
        let group_values = record
            .groups
            .iter()
            .map(|g| {
                let members = projects
                    .iter()
                    .filter(|p| p.0.record.group.as_deref() == Some(g.name.as_str()));
                let (listed_count, listed_executed) = members
                    .fold((0, Some(Decimal::ZERO)), |(n, sum), p| {
                        (n + 1, sum.and_then(|s| s.checked_add(p.0.record.executed)))
                    });
                if listed_executed.is_none() {
                    overflows.push((
                        format!("unit.groups[{}]", g.name),
                        "the executed amounts of its projects add up past the largest amount"
                            .into(),
                    ));
                }
                Dynamic::from(GroupView {
                    name: g.name.clone(),
                    stated_count: g.count,
                    stated_executed: g.executed,
                    listed_count,
                    listed_executed,
                })
            })
            .collect();
        let ungrouped = projects
            .iter()
            .filter_map(|p| {
                let group = p.0.record.group.as_deref()?;
                (!record.groups.iter().any(|g| g.name == group))
                    .then(|| (p.0.record.code.clone(), group.to_string()))
            })
            .collect();
        let project_values = projects.iter().cloned().map(Dynamic::from).collect();
        UnitRef(Arc::new(UnitView {
            record,
            scoring: scoring.clone(),
            overflows,
            projects,
            project_values,
            group_values,
            ungrouped,
            suppressions,
        }))
    }
}

impl ProjectView {
    fn build(
        mut record: Project,
        year: Option<i64>,
        scoring: &ScoringSettings,
        overflows: &mut Vec<(String, String)>,
    ) -> ProjectView {
        // A reason of only spaces is no reason.
        trim_in_place(&mut record.deviation_reason);
        for indicator in &mut record.indicators {
            trim_in_place(&mut indicator.deviation_reason);
        }
        let execution_rate = if record.budget_adjusted.is_zero() {
            None
        } else {
            let rate = record.executed.checked_div(record.budget_adjusted);
            if rate.is_none() {
                overflows.push((
                    format!("projects[{}].executed", record.code),
                    "executed / budget_adjusted (the execution rate) is past the largest number"
                        .into(),
                ));
            }
            rate
        };
        let rows = std::mem::take(&mut record.indicators);
        let form_weights = FormWeights::of(&rows, scoring);
        // Rows without a weight share their class's points equally.
        let mut unweighted: BTreeMap<&str, usize> = BTreeMap::new();
        for row in rows.iter().filter(|r| r.weight.is_none()) {
            *unweighted
                .entry(scoring_class(&row.level1, scoring))
                .or_default() += 1;
        }
        let shares: BTreeMap<String, Decimal> = unweighted
            .into_iter()
            .filter_map(|(class, n)| {
                let points = scoring.indicator_weights.get(class)?;
                Some((class.to_string(), points.checked_div(Decimal::from(n))?))
            })
            .collect();
        let parsed: Vec<Parsed> = rows
            .into_iter()
            .map(|row| {
                let kind = IndicatorKind::of(&row.level1, &row.level2);
                let target = Value::parse(row.target.as_ref(), year)
                    .with_op_and_unit(row.op.as_deref(), row.unit.as_deref());
                let actual = Value::parse(row.actual.as_ref(), year);
                let comparison = Comparison::of(&target, &actual, kind == IndicatorKind::Cost);
                let actual_text = raw_text(row.actual.as_ref());
                let tier_met = matches!(comparison, Comparison::Qualitative)
                    .then(|| scoring.is_top_tier(scoring.tier_of(&actual_text)));
                Parsed {
                    row,
                    kind,
                    target,
                    actual,
                    comparison,
                    actual_text,
                    tier_met,
                }
            })
            .collect();
        let class_weights = class_weights(&parsed, &shares, scoring);
        let indicators: Vec<IndicatorRef> = parsed
            .into_iter()
            .map(|p| {
                let class = scoring_class(&p.row.level1, scoring);
                let effective_weight = p.row.weight.or_else(|| shares.get(class).copied());
                let points = |weight: Decimal| match p.comparison {
                    Comparison::NotComparable => scoring
                        .score_uncompared(IndicatorView::uncompared(&p.target, &p.actual), weight),
                    _ => scoring.score_indicator(&p.comparison, &p.actual_text, weight),
                };
                let check_weight = match (p.row.weight, class_weights.get(class)) {
                    (Some(w), _) => Some((w, WeightBasis::Row)),
                    (None, Some(ClassWeight::Inferred(w))) => Some((*w, WeightBasis::Inferred)),
                    (None, Some(ClassWeight::Form(w))) => Some((*w, WeightBasis::Form)),
                    (None, Some(ClassWeight::Unknown) | None) => None,
                };
                let score = effective_weight.and_then(points);
                let self_check = check_weight.and_then(|(weight, basis)| {
                    Some(SelfCheck {
                        weight,
                        basis,
                        score: points(weight)?,
                    })
                });
                IndicatorRef(Arc::new(IndicatorView {
                    record: p.row,
                    kind: p.kind,
                    target: p.target,
                    actual: p.actual,
                    comparison: p.comparison,
                    effective_weight,
                    score,
                    self_check,
                    tier_met: p.tier_met,
                }))
            })
            .collect();
        let values_where = |keep: &dyn Fn(&IndicatorView) -> bool| -> Array {
            indicators
                .iter()
                .filter(|i| keep(&i.0))
                .cloned()
                .map(Dynamic::from)
                .collect()
        };
        ProjectView {
            execution_rate,
            indicator_values: values_where(&|_| true),
            off_target_indicators: values_where(&IndicatorView::is_off_target),
            above_target_indicators: values_where(&IndicatorView::is_above_target),
            self_scored_indicators: values_where(&|i| i.record.score.is_some()),
            unreadable_indicators: values_where(&IndicatorView::is_unreadable),
            funds_values: record.funds.iter().cloned().map(Dynamic::from).collect(),
            funds_totals: FundsTotals::of(&record.funds),
            form_weights,
            indicators,
            record,
        }
    }
}

/// The sum of every value, or `None` when one is missing or the sum leaves Decimal's range.
pub fn checked_sum(values: impl IntoIterator<Item = Option<Decimal>>) -> Option<Decimal> {
    values
        .into_iter()
        .try_fold(Decimal::ZERO, |sum, value| sum.checked_add(value?))
}

/// A row as read, before it is scored.
struct Parsed {
    row: Indicator,
    kind: IndicatorKind,
    target: Value,
    actual: Value,
    comparison: Comparison,
    actual_text: String,
    tier_met: Option<bool>,
}

impl Parsed {
    fn is_met(&self) -> bool {
        self.comparison.met() == Some(true) || self.tier_met == Some(true)
    }
}

/// For each class with rows that carry no weight, the weight a self-reported score of such a
/// row is checked against: the one 得分 the unit gave all its met rows of the class, or the
/// form's share when it scored none of them, or unknown when it scored them differently.
fn class_weights(
    parsed: &[Parsed],
    shares: &BTreeMap<String, Decimal>,
    scoring: &ScoringSettings,
) -> BTreeMap<String, ClassWeight> {
    let mut met_scores: BTreeMap<&str, std::collections::BTreeSet<Decimal>> = BTreeMap::new();
    for p in parsed.iter().filter(|p| p.row.weight.is_none()) {
        let scores = met_scores
            .entry(scoring_class(&p.row.level1, scoring))
            .or_default();
        if let (true, Some(score)) = (p.is_met(), p.row.score) {
            scores.insert(score.normalize());
        }
    }
    met_scores
        .into_iter()
        .filter_map(|(class, scores)| {
            let weight = match scores.len() {
                0 => ClassWeight::Form(*shares.get(class)?),
                1 => ClassWeight::Inferred(*scores.first()?),
                _ => ClassWeight::Unknown,
            };
            Some((class.to_string(), weight))
        })
        .collect()
}

fn trim_in_place(text: &mut String) {
    if text.trim().len() != text.len() {
        *text = text.trim().to_string();
    }
}

/// The first-level class an indicator's points come from: its `level1`, with a first-level
/// 成本指标 counted under 产出指标 unless the settings give it points of its own.
fn scoring_class<'a>(level1: &'a str, scoring: &ScoringSettings) -> &'a str {
    if level1.contains("成本") && !scoring.indicator_weights.contains_key(level1) {
        "产出指标"
    } else {
        level1
    }
}
