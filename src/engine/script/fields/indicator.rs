//! An indicator's fields: the row as written, its values as read, their comparison and its
//! points.

use super::{Record, opt, text};
use crate::engine::script::reference::{Field, Type};
use crate::model::view::IndicatorRef;
use rhai::Dynamic;

pub(super) static INDICATOR: Record<IndicatorRef> = Record {
    name: "Indicator",
    reached: "each of `p.indicators` and of its selections (`p.off_target_indicators` …)",
    fields: INDICATOR_FIELDS,
    label: |i| format!("indicator “{}”", i.0.record.name),
};

const INDICATOR_FIELDS: &[Field<IndicatorRef>] = &[
    Field {
        name: "level1",
        ty: Type::Text,
        zh: "一级指标",
        doc: "the first level, e.g. 产出指标",
        get: |i| text(&i.0.record.level1),
    },
    Field {
        name: "level2",
        ty: Type::Text,
        zh: "二级指标",
        doc: "the second level, e.g. 数量指标",
        get: |i| text(&i.0.record.level2),
    },
    Field {
        name: "name",
        ty: Type::Text,
        zh: "三级指标",
        doc: "the indicator's name",
        get: |i| text(&i.0.record.name),
    },
    Field {
        name: "kind",
        ty: Type::Text,
        zh: "",
        doc: "`quantity`, `quality`, `timeliness`, `cost`, `benefit`, `satisfaction` or `other`, from the levels (成本 at either level is `cost`)",
        get: |i| text(i.0.kind.code()),
    },
    Field {
        name: "target_text",
        ty: Type::Text,
        zh: "年度指标值",
        doc: "the target as written (a bare number with its `op` and `unit`)",
        get: |i| text(&i.0.target_text()),
    },
    Field {
        name: "actual_text",
        ty: Type::Text,
        zh: "实际完成值",
        doc: "the actual value as written",
        get: |i| text(&i.0.actual_text()),
    },
    Field {
        name: "target",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "",
        doc: "the target's number; `()` when it has none (a phrase, a deadline, 是/否, missing)",
        get: |i| opt(i.0.target.number()),
    },
    Field {
        name: "actual",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "",
        doc: "the actual value's number; `()` when it has none",
        get: |i| opt(i.0.actual.number()),
    },
    Field {
        name: "op",
        ty: Type::Text,
        zh: "",
        doc: "the target's operator: `≥`, `>`, `≤`, `<` or `=` (`≤` for a deadline); empty when none",
        get: |i| text(i.0.target.op().map_or("", |op| op.symbol())),
    },
    Field {
        name: "actual_op",
        ty: Type::Text,
        zh: "",
        doc: "an operator written in the actual (`≥1200亩`: the target restated, not a measured value); empty when none",
        get: |i| match &i.0.actual {
            crate::input::indicator_value::Value::Quantity { op: Some(op), .. } => {
                text(op.symbol())
            }
            _ => text(""),
        },
    },
    Field {
        name: "measure_unit",
        ty: Type::Text,
        zh: "计量单位",
        doc: "the target's unit of measure (个, 万元, % …); empty when none",
        get: |i| text(i.0.target.unit()),
    },
    Field {
        name: "target_understood",
        ty: Type::Bool,
        zh: "",
        doc: "whether the target was read: false when it is missing or cannot be understood",
        get: |i| i.0.target.is_understood().into(),
    },
    Field {
        name: "actual_understood",
        ty: Type::Bool,
        zh: "",
        doc: "whether the actual value was read: false when it is missing or cannot be understood",
        get: |i| i.0.actual.is_understood().into(),
    },
    Field {
        name: "target_missing",
        ty: Type::Bool,
        zh: "",
        doc: "whether no target was given",
        get: |i| matches!(i.0.target, crate::input::indicator_value::Value::Missing).into(),
    },
    Field {
        name: "actual_missing",
        ty: Type::Bool,
        zh: "",
        doc: "whether no actual value was given",
        get: |i| matches!(i.0.actual, crate::input::indicator_value::Value::Missing).into(),
    },
    Field {
        name: "comparable",
        ty: Type::Bool,
        zh: "",
        doc: "whether target and actual compare: numbers in compatible units, deadlines, 是/否 or phrases",
        get: |i| {
            (!matches!(
                i.0.comparison,
                crate::model::compare::Comparison::NotComparable
            ))
            .into()
        },
    },
    Field {
        name: "quantitative",
        ty: Type::Bool,
        zh: "",
        doc: "whether target and actual are numbers in compatible units, or two deadlines",
        get: |i| {
            matches!(
                i.0.comparison,
                crate::model::compare::Comparison::Quantitative { .. }
            )
            .into()
        },
    },
    Field {
        name: "qualitative",
        ty: Type::Bool,
        zh: "",
        doc: "whether the target or actual is a phrase, judged by the scoring form's tiers",
        get: |i| {
            matches!(
                i.0.comparison,
                crate::model::compare::Comparison::Qualitative
            )
            .into()
        },
    },
    Field {
        name: "lower_is_better",
        ty: Type::Bool,
        zh: "",
        doc: "whether the target is a ceiling (`≤`, `<`, cost indicators); false unless quantitative",
        get: |i| {
            matches!(
                i.0.comparison,
                crate::model::compare::Comparison::Quantitative {
                    lower_is_better: true,
                    ..
                }
            )
            .into()
        },
    },
    Field {
        name: "met",
        ty: Type::OrUnit(&Type::Bool),
        zh: "",
        doc: "whether the target is met; `()` for a phrase or values that do not compare",
        get: |i| opt(i.0.comparison.met()),
    },
    Field {
        name: "off_target",
        ty: Type::Bool,
        zh: "",
        doc: "whether the indicator misses its target, as `p.off_target_indicators` selects",
        get: |i| i.0.is_off_target().into(),
    },
    Field {
        name: "achievement",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "完成率",
        doc: "actual / target; `()` unless quantitative with a positive target",
        get: |i| match &i.0.comparison {
            crate::model::compare::Comparison::Quantitative { target, actual, .. }
                if target.is_sign_positive() && !target.is_zero() =>
            {
                opt(actual.checked_div(*target))
            }
            _ => Dynamic::UNIT,
        },
    },
    Field {
        name: "deviation",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "偏差率",
        doc: "(actual − target) / |target|, signed; `()` unless quantitative with a non-zero target",
        get: |i| match &i.0.comparison {
            crate::model::compare::Comparison::Quantitative { deviation, .. } => opt(*deviation),
            _ => Dynamic::UNIT,
        },
    },
    Field {
        name: "gap",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "",
        doc: "how far the actual falls short of the target in the bad direction, relative to |target|, never negative; `()` when `deviation` is",
        get: |i| match &i.0.comparison {
            crate::model::compare::Comparison::Quantitative { gap, .. } => opt(*gap),
            _ => Dynamic::UNIT,
        },
    },
    Field {
        name: "weight",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "分值",
        doc: "the row's own weight, in points",
        get: |i| opt(i.0.record.weight),
    },
    Field {
        name: "effective_weight",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "",
        doc: "the row's weight, or its share of its class's points under the scoring form when it gives none",
        get: |i| opt(i.0.effective_weight),
    },
    Field {
        name: "score",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "得分",
        doc: "the self-reported score: checked, not trusted",
        get: |i| opt(i.0.record.score),
    },
    Field {
        name: "computed_score",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "",
        doc: "the points the row earns under `check_weight`: what `score` is checked against",
        get: |i| opt(i.0.self_check.as_ref().map(|c| c.score.points)),
    },
    Field {
        name: "score_branch",
        ty: Type::OrUnit(&Type::Text),
        zh: "",
        doc: "the formula that gave `computed_score`: `met`, `proportional`, `linear`, `reciprocal`, `binary_missed` or `qualitative`",
        get: |i| opt(i.0.self_check.as_ref().map(|c| text(c.score.branch))),
    },
    Field {
        name: "check_weight",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "",
        doc: "the weight the unit evidently used, which `score` is checked against; `()` when it cannot be known",
        get: |i| opt(i.0.self_check.as_ref().map(|c| c.weight)),
    },
    Field {
        name: "points",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "",
        doc: "the points the row earns under the scoring form: what the unit's score counts",
        get: |i| opt(i.0.score.as_ref().map(|s| s.points)),
    },
    Field {
        name: "points_branch",
        ty: Type::OrUnit(&Type::Text),
        zh: "",
        doc: "the formula that gave `points` (as `score_branch`)",
        get: |i| opt(i.0.score.as_ref().map(|s| text(s.branch))),
    },
    Field {
        name: "weight_basis",
        ty: Type::OrUnit(&Type::Text),
        zh: "",
        doc: "where `check_weight` comes from: `row` (its own weight), `inferred` (the 得分 of the unit's met rows of its class) or `form` (its class's points shared among its rows)",
        get: |i| opt(i.0.self_check.as_ref().map(|c| text(c.basis.code()))),
    },
    Field {
        name: "band_tier",
        ty: Type::OrUnit(&Type::Text),
        zh: "",
        doc: "for a qualitative row, the scoring form's tier its actual reads as",
        get: |i| opt(i.0.band().map(|b| text(&b.tier))),
    },
    Field {
        name: "tier_met",
        ty: Type::OrUnit(&Type::Bool),
        zh: "",
        doc: "for a qualitative row, whether its actual reads as the top tier",
        get: |i| opt(i.0.tier_met),
    },
    Field {
        name: "band_min",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "",
        doc: "the fewest points the tier's band allows under `check_weight`",
        get: |i| opt(i.0.band().map(|b| b.min)),
    },
    Field {
        name: "band_max",
        ty: Type::OrUnit(&Type::Decimal),
        zh: "",
        doc: "the most points the tier's band allows under `check_weight`",
        get: |i| opt(i.0.band().map(|b| b.max)),
    },
    Field {
        name: "score_in_band",
        ty: Type::OrUnit(&Type::Bool),
        zh: "",
        doc: "whether the self-reported score lies in the tier's band, bounds included",
        get: |i| opt(i.0.band().zip(i.0.record.score).map(|(b, s)| b.contains(s))),
    },
    Field {
        name: "deviation_reason",
        ty: Type::Text,
        zh: "偏差原因分析",
        doc: "the unit's reason for this row, as written; empty when none",
        get: |i| text(&i.0.record.deviation_reason),
    },
];
