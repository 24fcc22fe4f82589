//! Comparing an indicator's actual value (实际完成值) with its target (年度指标值), with the
//! operator deciding the direction: `≥`, `>` and `=` are higher-is-better, `≤`, `<` and every
//! cost indicator (成本指标) lower-is-better. Scoring and the rules both use this one comparison.
//!
//! Deviation and gap are relative to the target's size (its absolute value), so a negative
//! target keeps its direction: `≥-5%` against `-10%` falls short by 100%. Values near the
//! decimal limits never panic: whether the target is met is always known (it is a plain
//! comparison), while a deviation or gap whose arithmetic would overflow (target
//! `≥0.0000000000000000000000001个` against actual `79228162514264337593543950335个`) is left
//! `None`, as for a zero target; the rules then report a miss without a percentage.

use crate::input::indicator_value::Value;
use crate::input::operator::Op;
use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq)]
pub enum Comparison {
    /// Two numbers in compatible units, or two deadlines (as month ordinals).
    Quantitative {
        target: Decimal,
        actual: Decimal,
        lower_is_better: bool,
        met: bool,
        /// (actual − target) / |target|, signed; `None` when the target is zero or the ratio
        /// is beyond the decimal range.
        deviation: Option<Decimal>,
        /// How far the actual falls short of the target in the bad direction, relative to
        /// |target|, never negative; `None` when `deviation` is.
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
                let ordinal =
                    |m: &u32, d: &Option<u32>| u64::from(*m) * 100 + u64::from(d.unwrap_or(31));
                Comparison::Binary {
                    met: ordinal(am, ad) <= ordinal(tm, td),
                }
            }
            (Value::YesNo { yes: t }, Value::YesNo { yes: a }) => {
                Comparison::Binary { met: t == a }
            }
            (Value::Missing | Value::Unparsed { .. } | Value::NotApplicable, _)
            | (_, Value::Missing | Value::Unparsed { .. } | Value::NotApplicable) => {
                Comparison::NotComparable
            }
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
        let deviation = actual
            .checked_sub(target)
            .and_then(|difference| difference.checked_div(target.abs()));
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
    use crate::input::record::RawValue;
    use proptest::prelude::*;
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

    fn deviation_and_gap(c: &Comparison) -> (Option<bool>, Option<Decimal>, Option<Decimal>) {
        match c {
            Comparison::Quantitative { deviation, gap, .. } => (c.met(), *deviation, *gap),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_negative_target_is_measured_against_its_size() {
        let below = Comparison::of(&value("≥-5%"), &value("-10%"), false);
        assert_eq!(
            deviation_and_gap(&below),
            (Some(false), Some(d("-1")), Some(d("1")))
        );
        let above = Comparison::of(&value("≥-5%"), &value("-4%"), false);
        assert_eq!(
            deviation_and_gap(&above),
            (Some(true), Some(d("0.2")), Some(d("0")))
        );
        let over_a_ceiling = Comparison::of(&value("≤-5"), &value("-2"), false);
        assert_eq!(
            deviation_and_gap(&over_a_ceiling),
            (Some(false), Some(d("0.6")), Some(d("0.6")))
        );
    }

    #[test]
    fn a_ratio_beyond_the_decimal_range_leaves_deviation_and_gap_unknown_but_met_known() {
        let huge = "79228162514264337593543950335个";
        let tiny = "0.0000000000000000000000001个";
        let exceeded = Comparison::of(&value(&format!("≥{tiny}")), &value(huge), false);
        assert_eq!(deviation_and_gap(&exceeded), (Some(true), None, None));
        let overspent = Comparison::of(&value(&format!("≤{tiny}")), &value(huge), true);
        assert_eq!(deviation_and_gap(&overspent), (Some(false), None, None));
        let apart = Comparison::of(&value(&format!("≤-{huge}")), &value(huge), false);
        assert_eq!(deviation_and_gap(&apart), (Some(false), None, None));
    }

    /// Found by `cargo fuzz run indicator_value` on the parser before unreadable units and
    /// checked arithmetic: the target's unit was four NULs and a control character.
    #[test]
    fn fuzz_crash_a_tiny_target_against_a_plain_number() {
        let written = value("=000.0000000000000000000000001\0\0\0\0\u{3}");
        assert!(matches!(written, Value::Unparsed { .. }), "{written:?}");
        let c = Comparison::of(&written, &value("955138"), false);
        assert_eq!(c, Comparison::NotComparable);
        let clean = Comparison::of(
            &value("=000.0000000000000000000000001"),
            &value("955138"),
            false,
        );
        assert_eq!(deviation_and_gap(&clean), (Some(true), None, None));
    }

    #[test]
    fn deadlines_years_away_compare_without_overflow() {
        let far = Value::Deadline {
            month: u32::MAX,
            day: Some(31),
        };
        assert_eq!(
            Comparison::of(&value("12月底前"), &far, false).met(),
            Some(false)
        );
    }

    /// Any decimal the type holds, with its extremes (largest, smallest step, zero) drawn
    /// often enough to meet each other.
    fn any_decimal() -> impl Strategy<Value = Decimal> {
        let extreme = proptest::sample::select(vec![
            Decimal::MAX,
            Decimal::MIN,
            Decimal::new(1, 28),
            Decimal::new(-1, 28),
            Decimal::ZERO,
        ]);
        let any_parts = (
            any::<u32>(),
            any::<u32>(),
            any::<u32>(),
            any::<bool>(),
            0u32..=28,
        )
            .prop_map(|(lo, mid, hi, negative, scale)| {
                Decimal::from_parts(lo, mid, hi, negative, scale)
            });
        prop_oneof![extreme, any_parts]
    }

    fn any_value() -> impl Strategy<Value = Value> {
        prop_oneof![
            "[0-9０-９,.+\\-≥≤<>=%个万元月底前次年是否效果明显 ]{0,12}".prop_map(|t| value(&t)),
            (
                proptest::option::of(proptest::sample::select(vec![
                    Op::Ge,
                    Op::Gt,
                    Op::Le,
                    Op::Lt,
                    Op::Eq
                ])),
                any_decimal()
            )
                .prop_map(|(op, number)| Value::Quantity {
                    op,
                    number,
                    unit: String::new()
                }),
            (any::<u32>(), proptest::option::of(any::<u32>()))
                .prop_map(|(month, day)| Value::Deadline { month, day }),
        ]
    }

    proptest! {
        #[test]
        fn no_two_values_make_the_comparison_panic(
            target in any_value(),
            actual in any_value(),
            is_cost: bool,
        ) {
            let _ = Comparison::of(&target, &actual, is_cost);
        }
    }
}
