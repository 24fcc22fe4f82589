//! Comparing an indicator's actual value (实际完成值) with its target (年度指标值), with the
//! operator deciding the direction: `≥`, `>` and `=` are higher-is-better, `≤`, `<` and every
//! cost indicator (成本指标) lower-is-better. Scoring and the rules both use this one comparison.

use crate::indicator_value::{Op, Value};
use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq)]
pub enum Comparison {
    /// Two numbers in compatible units, or two deadlines (as month ordinals).
    Quantitative {
        target: Decimal,
        actual: Decimal,
        lower_is_better: bool,
        met: bool,
        /// (actual − target) / target, signed; `None` when the target is zero.
        deviation: Option<Decimal>,
        /// How far the actual falls short of the target in the bad direction, relative to
        /// the target, never negative; `None` when the target is zero.
        gap: Option<Decimal>,
    },
    /// `是`/`否` targets and deadlines: met or not, nothing in between.
    Binary { met: bool },
    /// A phrase target or actual: judged by the qualitative tiers in scoring.
    Qualitative,
    /// Missing, unparsed, or in units that cannot be compared (`个` against `万元`).
    NotComparable,
}

impl Comparison {
    pub fn of(target: &Value, actual: &Value, is_cost: bool) -> Comparison {
        match (target, actual) {
            (
                Value::Quantity {
                    op,
                    number: t,
                    unit: tu,
                },
                Value::Quantity {
                    number: a,
                    unit: au,
                    ..
                },
            ) => {
                if !tu.is_empty() && !au.is_empty() && tu != au {
                    return Comparison::NotComparable;
                }
                // `0起` or `=0起` (安全责任事故 0起) means none at all: more is worse.
                let zero_target = t.is_zero() && matches!(op, None | Some(Op::Eq));
                let op = op.unwrap_or(if is_cost || zero_target {
                    Op::Le
                } else {
                    Op::Ge
                });
                let lower_is_better = is_cost || zero_target || op.is_lower_better();
                Comparison::quantitative(*t, *a, op, lower_is_better)
            }
            (Value::Deadline { month: tm, day: td }, Value::Deadline { month: am, day: ad }) => {
                let ordinal = |m: &u32, d: &Option<u32>| m * 100 + d.unwrap_or(31);
                Comparison::Binary {
                    met: ordinal(am, ad) <= ordinal(tm, td),
                }
            }
            (Value::YesNo { yes: t }, Value::YesNo { yes: a }) => {
                Comparison::Binary { met: t == a }
            }
            (Value::Missing | Value::Unparsed { .. }, _)
            | (_, Value::Missing | Value::Unparsed { .. }) => Comparison::NotComparable,
            (Value::Phrase { .. }, _) | (_, Value::Phrase { .. }) => Comparison::Qualitative,
            _ => Comparison::NotComparable,
        }
    }

    fn quantitative(target: Decimal, actual: Decimal, op: Op, lower_is_better: bool) -> Comparison {
        let met = match (op, lower_is_better) {
            (Op::Gt, false) => actual > target,
            (Op::Lt, true) => actual < target,
            (_, false) => actual >= target,
            (_, true) => actual <= target,
        };
        let deviation = (!target.is_zero()).then(|| (actual - target) / target);
        let gap = deviation.map(|d| {
            let bad = if lower_is_better { d } else { -d };
            bad.max(Decimal::ZERO)
        });
        Comparison::Quantitative {
            target,
            actual,
            lower_is_better,
            met,
            deviation,
            gap,
        }
    }

    pub fn met(&self) -> Option<bool> {
        match self {
            Comparison::Quantitative { met, .. } | Comparison::Binary { met } => Some(*met),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::RawValue;
    use std::str::FromStr;

    fn value(text: &str) -> Value {
        Value::parse(Some(&RawValue::Text(text.into())), Some(2023))
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn shortfall_on_a_higher_is_better_target() {
        let c = Comparison::of(&value("≥5个"), &value("2个"), false);
        let Comparison::Quantitative {
            met,
            gap,
            deviation,
            ..
        } = c
        else {
            panic!("{c:?}")
        };
        assert!(!met);
        assert_eq!(gap, Some(d("0.6")));
        assert_eq!(deviation, Some(d("-0.6")));
    }

    #[test]
    fn cost_indicators_are_lower_is_better_whatever_the_operator() {
        let under = Comparison::of(&value("20万元"), &value("8.56万元"), true);
        assert_eq!(under.met(), Some(true));
        let over = Comparison::of(&value("=20万元"), &value("25万元"), true);
        let Comparison::Quantitative { met, gap, .. } = over else {
            panic!()
        };
        assert!(!met);
        assert_eq!(gap, Some(d("0.25")));
    }

    #[test]
    fn exactly_on_target_is_met_and_strict_operators_are_strict() {
        assert_eq!(
            Comparison::of(&value("≥90%"), &value("90%"), false).met(),
            Some(true)
        );
        assert_eq!(
            Comparison::of(&value(">90%"), &value("90%"), false).met(),
            Some(false)
        );
        assert_eq!(
            Comparison::of(&value("<5%"), &value("5%"), false).met(),
            Some(false)
        );
    }

    #[test]
    fn a_zero_target_is_missed_by_anything_above_zero() {
        for target in ["0起", "=0起", "≤0起"] {
            let c = Comparison::of(&value(target), &value("2起"), false);
            assert_eq!(c.met(), Some(false), "{target}");
            assert!(matches!(
                c,
                Comparison::Quantitative {
                    gap: None,
                    lower_is_better: true,
                    ..
                }
            ));
        }
        assert_eq!(
            Comparison::of(&value("0起"), &value("0起"), false).met(),
            Some(true)
        );
    }

    #[test]
    fn deadlines_yes_no_phrases_and_units() {
        assert_eq!(
            Comparison::of(&value("12月底前"), &value("11月"), false).met(),
            Some(true)
        );
        assert_eq!(
            Comparison::of(&value("12月底前"), &value("次年3月"), false).met(),
            Some(false)
        );
        assert_eq!(
            Comparison::of(&value("是"), &value("否"), false).met(),
            Some(false)
        );
        assert_eq!(
            Comparison::of(&value("效果明显"), &value("达成预期指标"), false),
            Comparison::Qualitative
        );
        assert_eq!(
            Comparison::of(&value("≥5个"), &value("5万元"), false),
            Comparison::NotComparable
        );
        assert_eq!(
            Comparison::of(&value("≥5个"), &value("5"), false).met(),
            Some(true)
        );
    }
}
