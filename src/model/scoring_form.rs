//! Scoring (评分) as a scoring form (`rules/scoring/<name>.toml`) sets it: indicator points by
//! the branch that applies (met, proportional, lower-is-better linear or reciprocal,
//! qualitative band, binary, zero for a missing or unreadable actual), the execution points,
//! and the grade. Scores are exact decimals; only display rounds.
//!
//! Forms differ by province and year (execution 10 or 20 points, class points, how a missing
//! actual counts), so each is a named file; a unit names its form, or `--scoring` sets one for
//! a whole run. This is the single implementation: the batch scorer and the rule that checks a
//! unit's self-reported 得分 both call it.

use crate::model::compare::Comparison;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringSettings {
    /// The form's name: its file name without `.toml`.
    #[serde(skip)]
    pub name: String,
    pub execution_weight: Decimal,
    /// How an indicator with a target but no readable actual value counts.
    #[serde(default)]
    pub missing_actual: MissingActual,
    pub indicator_weights: BTreeMap<String, Decimal>,
    pub lower_is_better: LowerIsBetter,
    pub qualitative: Qualitative,
    pub unit_combination: UnitCombination,
    /// Highest first; each with where it is written, to point at it when out of order.
    pub grades: Vec<Spanned<Grade>>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LowerIsBetter {
    Linear,
    Reciprocal,
}

/// `zero` (the default, 未填报不得分): the row keeps its weight and earns nothing, so leaving a
/// bad result blank never raises a score; `drop`: the row is left out and the rest rescaled.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum MissingActual {
    #[default]
    Zero,
    Drop,
}

/// Why an indicator's two values do not compare, as far as scoring cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uncompared {
    /// No target, or marked not applicable (不适用, `/`, `—`): left out, the rest rescaled.
    NotApplicable,
    /// A target and no actual value.
    ActualMissing,
    /// A value that cannot be read, or two values in units that do not compare.
    Unreadable,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum UnitCombination {
    Budget,
    Equal,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Qualitative {
    pub take: Take,
    /// Worst first; each with where it is written.
    pub tiers: Vec<Spanned<Tier>>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Take {
    Max,
    Min,
    Mid,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub name: String,
    pub min: Decimal,
    pub max: Decimal,
    #[serde(default)]
    pub keywords: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grade {
    pub name: String,
    pub min: Decimal,
}

/// The scoring forms of a rules directory (`rules/scoring/*.toml`) by name, the default among
/// them, and the one `--scoring` sets for a whole run, if any.
#[derive(Debug, Clone)]
pub struct ScoringForms {
    pub forms: BTreeMap<String, std::sync::Arc<ScoringSettings>>,
    pub default: String,
    pub for_the_run: Option<String>,
}

/// The form every unit uses unless it names another.
pub const DEFAULT_FORM: &str = "default";

impl ScoringForms {
    /// The form a unit is scored by: the run's (`--scoring`), else the one the unit names,
    /// else the default; an error naming the forms there are when the unit names none of them.
    pub fn for_unit(
        &self,
        named: Option<&str>,
    ) -> Result<&std::sync::Arc<ScoringSettings>, String> {
        let name = self
            .for_the_run
            .as_deref()
            .or(named)
            .unwrap_or(&self.default);
        self.forms.get(name).ok_or_else(|| {
            let known: Vec<&str> = self.forms.keys().map(String::as_str).collect();
            format!(
                "there is no scoring form `{name}`{}; a form is a file rules/scoring/<name>.toml",
                crate::diagnostic::suggest(name, &known)
            )
        })
    }

    /// The default form (every rules directory has one).
    pub fn default_form(&self) -> Option<&std::sync::Arc<ScoringSettings>> {
        self.forms.get(&self.default)
    }
}

/// What [`ScoringSettings::tier_of`] answers for settings without tiers, which never load.
static NO_TIER: Tier = Tier {
    name: String::new(),
    min: Decimal::ZERO,
    max: Decimal::ZERO,
    keywords: Vec::new(),
};

/// The points band a qualitative indicator's tier allows, in points of its weight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    pub tier: String,
    pub min: Decimal,
    pub max: Decimal,
}

impl Band {
    /// Bounds are inclusive: a score on the boundary of two tiers is accepted for either, so
    /// that `take = "max"` and a reviewer's reading of the band agree.
    pub fn contains(&self, points: Decimal) -> bool {
        points >= self.min && points <= self.max
    }
}

/// One indicator's computed points and the formula branch that produced them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorScore {
    pub weight: Decimal,
    pub points: Decimal,
    /// `met`, `proportional`, `linear`, `reciprocal`, `binary_missed` or `qualitative`.
    pub branch: &'static str,
    pub band: Option<Band>,
}

impl ScoringSettings {
    /// Checks what the scoring code relies on: tiers worst first with bands inside the weight,
    /// grades highest first. The error is a message and the byte span of the entry at fault.
    pub fn validate(&self) -> Result<(), (String, Option<std::ops::Range<usize>>)> {
        let tiers = &self.qualitative.tiers;
        if tiers.is_empty() {
            return Err(("`qualitative.tiers` needs at least one tier".into(), None));
        }
        if self.grades.is_empty() {
            return Err(("`grades` needs at least one grade".into(), None));
        }
        for tier in tiers {
            let t = tier.get_ref();
            if t.min > t.max || t.min < Decimal::ZERO || t.max > Decimal::ONE {
                return Err((
                    format!(
                        "tier `{}`: need 0 ≤ min ≤ max ≤ 1 (fractions of the weight)",
                        t.name
                    ),
                    Some(tier.span()),
                ));
            }
        }
        for pair in tiers.windows(2) {
            let (worse, better) = (pair[0].get_ref(), pair[1].get_ref());
            if better.min < worse.min || better.max < worse.max {
                return Err((
                    format!(
                        "tier `{}` comes after `{}` but its band is lower: list the tiers worst first (the last is the tier met)",
                        better.name, worse.name
                    ),
                    Some(pair[1].span()),
                ));
            }
        }
        for pair in self.grades.windows(2) {
            let (higher, lower) = (pair[0].get_ref(), pair[1].get_ref());
            if lower.min >= higher.min {
                return Err((
                    format!(
                        "grade `{}` (from {}) comes after `{}` (from {}): list the grades highest first",
                        lower.name, lower.min, higher.name, higher.min
                    ),
                    Some(pair[1].span()),
                ));
            }
        }
        Ok(())
    }

    /// The tier a qualitative actual reads as: the first tier (worst first) one of whose
    /// keywords it contains, else the last tier.
    pub fn tier_of(&self, actual_text: &str) -> &Tier {
        let tiers = &self.qualitative.tiers;
        tiers
            .iter()
            .map(Spanned::get_ref)
            .find(|t| t.keywords.iter().any(|k| actual_text.contains(k.as_str())))
            .or_else(|| self.top_tier())
            .unwrap_or(&NO_TIER)
    }

    /// The last tier: the one met. Settings always have one (see [`ScoringSettings::validate`]).
    fn top_tier(&self) -> Option<&Tier> {
        self.qualitative.tiers.last().map(Spanned::get_ref)
    }

    pub fn is_top_tier(&self, tier: &Tier) -> bool {
        self.top_tier().is_some_and(|top| std::ptr::eq(tier, top))
    }

    /// Points for one indicator; `None` when it cannot be scored (not applicable: missing or
    /// unparsed values, units that do not compare).
    pub fn score_indicator(
        &self,
        comparison: &Comparison,
        actual_text: &str,
        weight: Decimal,
    ) -> Option<IndicatorScore> {
        let (points, branch, band) = match comparison {
            Comparison::Quantitative { met: true, .. } | Comparison::Binary { met: true } => {
                (Some(weight), "met", None)
            }
            Comparison::Binary { met: false } => (Some(Decimal::ZERO), "binary_missed", None),
            Comparison::Quantitative {
                target,
                actual,
                lower_is_better: false,
                gap,
                ..
            } => {
                let points = if target.is_zero() {
                    Some(weight)
                } else if target.is_sign_positive() {
                    actual
                        .checked_div(*target)
                        .and_then(|r| r.checked_mul(weight))
                } else {
                    // Below a negative target the share reached is 1 − gap (gap relative to |target|).
                    shortfall_points(*gap, weight)
                };
                (points, "proportional", None)
            }
            Comparison::Quantitative {
                target,
                actual,
                gap,
                ..
            } => match self.lower_is_better {
                // weight × (1 − (actual − target) / target): the gap, in the bad direction.
                LowerIsBetter::Linear if target.is_zero() => (Some(Decimal::ZERO), "linear", None),
                LowerIsBetter::Linear => (shortfall_points(*gap, weight), "linear", None),
                LowerIsBetter::Reciprocal => {
                    let points = if actual.is_zero() {
                        Some(weight)
                    } else {
                        target
                            .checked_div(*actual)
                            .and_then(|r| r.checked_mul(weight))
                    };
                    (points, "reciprocal", None)
                }
            },
            Comparison::Qualitative => {
                let tier = self.tier_of(actual_text);
                let band = Band {
                    tier: tier.name.clone(),
                    min: tier.min.checked_mul(weight)?,
                    max: tier.max.checked_mul(weight)?,
                };
                let points = match self.qualitative.take {
                    Take::Max => band.max,
                    Take::Min => band.min,
                    Take::Mid => band.min.checked_add(band.max)? / Decimal::TWO,
                };
                (Some(points), "qualitative", Some(band))
            }
            Comparison::NotComparable => return None,
        };
        // A ratio past Decimal's range is far past the target: no points.
        let points = points.unwrap_or(Decimal::ZERO);
        Some(IndicatorScore {
            weight,
            points: points.min(weight).max(Decimal::ZERO),
            branch,
            band,
        })
    }

    /// Points for an indicator whose values do not compare: nothing when it does not apply;
    /// zero points of its weight for a missing or unreadable actual, unless the form drops them.
    pub fn score_uncompared(&self, why: Uncompared, weight: Decimal) -> Option<IndicatorScore> {
        let branch = match (why, self.missing_actual) {
            (Uncompared::NotApplicable, _) | (_, MissingActual::Drop) => return None,
            (Uncompared::ActualMissing, MissingActual::Zero) => "missing_actual",
            (Uncompared::Unreadable, MissingActual::Zero) => "unreadable",
        };
        Some(IndicatorScore {
            weight,
            points: Decimal::ZERO,
            branch,
            band: None,
        })
    }

    /// Execution points: min(executed / budget_adjusted, 1) × execution weight; `None` when
    /// the adjusted budget is zero (no rate exists).
    pub fn execution_points(&self, execution_rate: Option<Decimal>) -> Option<Decimal> {
        execution_rate?
            .clamp(Decimal::ZERO, Decimal::ONE)
            .checked_mul(self.execution_weight)
    }

    pub fn grade(&self, score: Decimal) -> &str {
        self.grades
            .iter()
            .map(Spanned::get_ref)
            .find(|g| score >= g.min)
            .or(self.grades.last().map(Spanned::get_ref))
            .map(|g| g.name.as_str())
            .unwrap_or("")
    }
}

/// weight × (1 − gap), never below zero; no points when the gap is unknown (past Decimal's
/// range, so far off the target).
fn shortfall_points(gap: Option<Decimal>, weight: Decimal) -> Option<Decimal> {
    let share = Decimal::ONE.checked_sub(gap?)?.max(Decimal::ZERO);
    share.checked_mul(weight)
}

/// The domain's default method as a fixture of the tests' own, so that an analyst editing
/// `rules/scoring/default.toml` breaks no Rust test.
#[cfg(test)]
pub(crate) fn test_form() -> ScoringSettings {
    const FORM: &str = r#"
        execution_weight = 10
        lower_is_better = "linear"
        unit_combination = "budget"
        [indicator_weights]
        "产出指标" = 50
        "效益指标" = 30
        "满意度指标" = 10
        [qualitative]
        take = "max"
        [[qualitative.tiers]]
        name = "未达成且效果较差"
        min = 0
        max = 0.60
        keywords = ["未达成", "未完成", "效果较差"]
        [[qualitative.tiers]]
        name = "部分达成并具有一定效果"
        min = 0.60
        max = 0.80
        keywords = ["部分", "基本", "一定"]
        [[qualitative.tiers]]
        name = "达成年度指标"
        min = 0.80
        max = 1.00
        [[grades]]
        name = "优"
        min = 90
        [[grades]]
        name = "良"
        min = 80
        [[grades]]
        name = "中"
        min = 60
        [[grades]]
        name = "差"
        min = 0
    "#;
    let mut form: ScoringSettings = toml::from_str(FORM).expect("the fixture form reads");
    form.validate().expect("the fixture form is valid");
    form.name = "test".into();
    form
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::indicator_value::Value;
    use crate::input::record::RawValue;
    use std::str::FromStr;

    fn settings() -> ScoringSettings {
        test_form()
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn score(
        s: &ScoringSettings,
        target: &str,
        actual: &str,
        cost: bool,
        weight: &str,
    ) -> IndicatorScore {
        let v = |t: &str| Value::parse(Some(&RawValue::Text(t.into())), Some(2023));
        let c = Comparison::of(&v(target), &v(actual), cost);
        s.score_indicator(&c, actual, d(weight)).unwrap()
    }

    #[test]
    fn met_gets_full_weight_and_shortfall_is_proportional() {
        let s = settings();
        let met = score(&s, "≥5个", "6个", false, "20");
        assert_eq!((met.points, met.branch), (d("20"), "met"));
        let short = score(&s, "≥5个", "2个", false, "20");
        assert_eq!((short.points, short.branch), (d("8"), "proportional"));
    }

    #[test]
    fn lower_is_better_linear_reaches_zero_at_twice_the_target() {
        let s = settings();
        let over = score(&s, "≤20万元", "25万元", true, "10");
        assert_eq!((over.points, over.branch), (d("7.5"), "linear"));
        assert_eq!(score(&s, "≤20万元", "40万元", true, "10").points, d("0"));
        assert_eq!(score(&s, "≤20万元", "50万元", true, "10").points, d("0"));
        assert_eq!(score(&s, "≤20万元", "20万元", true, "10").branch, "met");
    }

    #[test]
    fn lower_is_better_reciprocal() {
        let mut s = settings();
        s.lower_is_better = LowerIsBetter::Reciprocal;
        let over = score(&s, "≤20万元", "25万元", true, "10");
        assert_eq!((over.points, over.branch), (d("8"), "reciprocal"));
        assert_eq!(score(&s, "≤20万元", "40万元", true, "10").points, d("5"));
        assert_eq!(score(&s, "≤20万元", "50万元", true, "10").points, d("4"));
    }

    #[test]
    fn qualitative_tiers_and_their_bands() {
        let s = settings();
        let achieved = score(&s, "效果明显", "达成预期指标", false, "30");
        let band = achieved.band.clone().unwrap();
        assert_eq!(
            (band.min, band.max, achieved.points),
            (d("24"), d("30"), d("30"))
        );
        assert!(band.contains(d("30")) && band.contains(d("24")) && !band.contains(d("23.9")));
        let partial = score(&s, "效果明显", "部分达成", false, "30").band.unwrap();
        assert_eq!((partial.min, partial.max), (d("18"), d("24")));
        assert!(
            partial.contains(d("24")) && partial.contains(d("18")) && !partial.contains(d("24.01"))
        );
        let poor = score(&s, "效果明显", "未达成，效果较差", false, "30")
            .band
            .unwrap();
        assert_eq!((poor.min, poor.max), (d("0"), d("18")));
    }

    #[test]
    fn grade_bounds_are_inclusive_below() {
        let s = settings();
        assert_eq!(s.grade(d("90")), "优");
        assert_eq!(s.grade(d("89.99")), "良");
        assert_eq!(s.grade(d("80")), "良");
        assert_eq!(s.grade(d("60")), "中");
        assert_eq!(s.grade(d("59.99")), "差");
    }
}
