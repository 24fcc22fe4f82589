//! Scoring (评分) as `rules/scoring.toml` sets it: indicator points by the branch that applies
//! (met, proportional, lower-is-better linear or reciprocal, qualitative band, binary), the
//! execution points, and the grade. Scores are exact decimals; only display rounds.
//!
//! This is the single implementation: the batch scorer and the rule that checks a unit's
//! self-reported 得分 both call it.

use crate::compare::Comparison;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringSettings {
    pub execution_weight: Decimal,
    pub indicator_weights: BTreeMap<String, Decimal>,
    pub lower_is_better: LowerIsBetter,
    pub qualitative: Qualitative,
    pub unit_combination: UnitCombination,
    pub grades: Vec<Grade>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LowerIsBetter {
    Linear,
    Reciprocal,
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
    pub tiers: Vec<Tier>,
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
    pub fn validate(&self) -> Result<(), String> {
        if self.qualitative.tiers.is_empty() {
            return Err("`qualitative.tiers` needs at least one tier".into());
        }
        if self.grades.is_empty() {
            return Err("`grades` needs at least one grade".into());
        }
        for tier in &self.qualitative.tiers {
            if tier.min > tier.max || tier.min < Decimal::ZERO || tier.max > Decimal::ONE {
                return Err(format!(
                    "tier `{}`: need 0 ≤ min ≤ max ≤ 1 (fractions of the weight)",
                    tier.name
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
            .find(|t| t.keywords.iter().any(|k| actual_text.contains(k.as_str())))
            .unwrap_or(&tiers[tiers.len() - 1])
    }

    pub fn is_top_tier(&self, tier: &Tier) -> bool {
        std::ptr::eq(
            tier,
            &self.qualitative.tiers[self.qualitative.tiers.len() - 1],
        )
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
                (weight, "met", None)
            }
            Comparison::Binary { met: false } => (Decimal::ZERO, "binary_missed", None),
            Comparison::Quantitative {
                target,
                actual,
                lower_is_better: false,
                ..
            } => {
                let points = if target.is_zero() {
                    weight
                } else {
                    (*actual / *target * weight).max(Decimal::ZERO)
                };
                (points, "proportional", None)
            }
            Comparison::Quantitative { target, actual, .. } => match self.lower_is_better {
                LowerIsBetter::Linear => {
                    let points = if target.is_zero() {
                        Decimal::ZERO
                    } else {
                        weight * (Decimal::ONE - (*actual - *target) / *target)
                    };
                    (points.max(Decimal::ZERO), "linear", None)
                }
                LowerIsBetter::Reciprocal => {
                    let points = if actual.is_zero() {
                        weight
                    } else {
                        *target / *actual * weight
                    };
                    (points.max(Decimal::ZERO), "reciprocal", None)
                }
            },
            Comparison::Qualitative => {
                let tier = self.tier_of(actual_text);
                let band = Band {
                    tier: tier.name.clone(),
                    min: tier.min * weight,
                    max: tier.max * weight,
                };
                let points = match self.qualitative.take {
                    Take::Max => band.max,
                    Take::Min => band.min,
                    Take::Mid => (band.min + band.max) / Decimal::TWO,
                };
                (points, "qualitative", Some(band))
            }
            Comparison::NotComparable => return None,
        };
        Some(IndicatorScore {
            weight,
            points: points.min(weight),
            branch,
            band,
        })
    }

    /// Execution points: min(executed / budget_adjusted, 1) × execution weight; `None` when
    /// the adjusted budget is zero (no rate exists).
    pub fn execution_points(&self, execution_rate: Option<Decimal>) -> Option<Decimal> {
        execution_rate.map(|rate| rate.min(Decimal::ONE).max(Decimal::ZERO) * self.execution_weight)
    }

    pub fn grade(&self, score: Decimal) -> &str {
        self.grades
            .iter()
            .find(|g| score >= g.min)
            .or(self.grades.last())
            .map(|g| g.name.as_str())
            .unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicator_value::Value;
    use crate::record::RawValue;
    use std::str::FromStr;

    fn settings() -> ScoringSettings {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/scoring.toml"))
                .unwrap();
        let s: ScoringSettings = toml::from_str(&text).unwrap();
        s.validate().unwrap();
        s
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
