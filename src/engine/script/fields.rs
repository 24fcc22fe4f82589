//! The record types rules read — unit, project, indicator and their parts — each with a
//! getter per field, so that a misspelt field is an error naming the nearest one rather than
//! a silent `()`. With a trace, every read is recorded for `explain`.

use super::trace::{Trace, show};
use crate::input::record::{Basic, CostControl, Fund, Institutions, Staff, UnitBudget};
use crate::model::view::{GroupView, IndicatorRef, ProjectRef, UnitRef};
use rhai::{Dynamic, Engine, INT, ImmutableString, Map};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

type Getter<T> = (&'static str, fn(&T) -> Dynamic);

/// A trace to record reads into, with how to name the record read (`p`, `indicator “…”`).
type Traced<'a, T> = (&'a Trace, fn(&T) -> String);

pub(super) fn text(s: &str) -> Dynamic {
    Dynamic::from(ImmutableString::from(s))
}

pub(super) fn opt<T: Into<Dynamic>>(value: Option<T>) -> Dynamic {
    value.map_or(Dynamic::UNIT, Into::into)
}

fn strings(items: &[String]) -> Dynamic {
    Dynamic::from_array(items.iter().map(|s| text(s)).collect())
}

fn map_of<V: Clone + Into<Dynamic>>(m: &BTreeMap<String, V>) -> Dynamic {
    Dynamic::from_map(
        m.iter()
            .map(|(k, v)| (k.as_str().into(), v.clone().into()))
            .collect::<Map>(),
    )
}

/// The total of a split, `()` when it is empty or leaves Decimal's range.
fn total<'a>(values: impl ExactSizeIterator<Item = &'a Decimal>) -> Dynamic {
    if values.len() == 0 {
        return Dynamic::UNIT;
    }
    opt(crate::model::view::checked_sum(values.map(|v| Some(*v))))
}

const UNIT_FIELDS: &[Getter<UnitRef>] = &[
    ("code", |u| text(&u.0.record.code)),
    ("name", |u| text(&u.0.record.name)),
    ("year", |u| opt(u.0.record.year)),
    ("budget", |u| {
        opt(u.0.record.budget.clone().map(Dynamic::from))
    }),
    ("cost_controls", |u| {
        Dynamic::from_array(
            u.0.record
                .cost_controls
                .iter()
                .cloned()
                .map(Dynamic::from)
                .collect(),
        )
    }),
    ("staff", |u| {
        opt(u.0.record.staff.clone().map(Dynamic::from))
    }),
    ("institutions", |u| {
        opt(u.0.record.institutions.clone().map(Dynamic::from))
    }),
    ("basic", |u| {
        opt(u.0.record.basic.clone().map(Dynamic::from))
    }),
    ("groups", |u| Dynamic::from_array(u.0.group_values.clone())),
    ("projects", |u| {
        Dynamic::from_array(u.0.project_values.clone())
    }),
    ("ungrouped_projects", |u| {
        let strays = u.0.ungrouped.iter().map(|(code, group)| {
            let mut stray = Map::new();
            stray.insert("project".into(), text(code));
            stray.insert("group".into(), text(group));
            Dynamic::from_map(stray)
        });
        Dynamic::from_array(strays.collect())
    }),
];

const PROJECT_FIELDS: &[Getter<ProjectRef>] = &[
    ("code", |p| text(&p.0.record.code)),
    ("name", |p| text(&p.0.record.name)),
    ("group", |p| opt(p.0.record.group.as_deref().map(text))),
    ("budget_initial", |p| opt(p.0.record.budget_initial)),
    ("budget_adjusted", |p| p.0.record.budget_adjusted.into()),
    ("executed", |p| p.0.record.executed.into()),
    ("unsettled", |p| p.0.record.unsettled.into()),
    ("execution_rate", |p| opt(p.0.execution_rate)),
    ("deviation_reason", |p| text(&p.0.record.deviation_reason)),
    ("improvement", |p| text(&p.0.record.improvement)),
    ("funds", |p| Dynamic::from_array(p.0.funds_values.clone())),
    ("funds_executed_total", |p| opt(p.0.funds_totals.executed)),
    ("funds_budget_adjusted_total", |p| {
        opt(p.0.funds_totals.budget_adjusted)
    }),
    ("funds_budget_initial_total", |p| {
        opt(p.0.funds_totals.budget_initial)
    }),
    ("weights_total", |p| opt(p.0.form_weights.rows_total)),
    ("weights_cover_form", |p| {
        p.0.form_weights.covers_every_class.into()
    }),
    ("form_execution_points", |p| {
        p.0.form_weights.execution_points.into()
    }),
    ("form_total", |p| opt(p.0.form_weights.form_total)),
    ("indicators", |p| {
        Dynamic::from_array(p.0.indicator_values.clone())
    }),
    ("quantity_indicators", |p| {
        Dynamic::from_array(p.0.quantity_indicators.clone())
    }),
    ("cost_indicators", |p| {
        Dynamic::from_array(p.0.cost_indicators.clone())
    }),
    ("other_indicators", |p| {
        Dynamic::from_array(p.0.other_indicators.clone())
    }),
    ("off_target_indicators", |p| {
        Dynamic::from_array(p.0.off_target_indicators.clone())
    }),
    ("above_target_indicators", |p| {
        Dynamic::from_array(p.0.above_target_indicators.clone())
    }),
    ("self_scored_indicators", |p| {
        Dynamic::from_array(p.0.self_scored_indicators.clone())
    }),
    ("unreadable_indicators", |p| {
        Dynamic::from_array(p.0.unreadable_indicators.clone())
    }),
    ("indicator_count", |p| (p.0.indicators.len() as INT).into()),
];

const INDICATOR_FIELDS: &[Getter<IndicatorRef>] = &[
    ("level1", |i| text(&i.0.record.level1)),
    ("level2", |i| text(&i.0.record.level2)),
    ("name", |i| text(&i.0.record.name)),
    ("kind", |i| text(i.0.kind.code())),
    ("target_text", |i| text(&i.0.target_text())),
    ("actual_text", |i| text(&i.0.actual_text())),
    ("target", |i| opt(i.0.target.number())),
    ("actual", |i| opt(i.0.actual.number())),
    ("op", |i| text(i.0.target.op().map_or("", |op| op.symbol()))),
    ("actual_op", |i| match &i.0.actual {
        crate::input::indicator_value::Value::Quantity { op: Some(op), .. } => text(op.symbol()),
        _ => text(""),
    }),
    ("unit", |i| text(i.0.target.unit())),
    ("target_understood", |i| i.0.target.is_understood().into()),
    ("actual_understood", |i| i.0.actual.is_understood().into()),
    ("target_missing", |i| {
        matches!(i.0.target, crate::input::indicator_value::Value::Missing).into()
    }),
    ("actual_missing", |i| {
        matches!(i.0.actual, crate::input::indicator_value::Value::Missing).into()
    }),
    ("comparable", |i| {
        (!matches!(
            i.0.comparison,
            crate::model::compare::Comparison::NotComparable
        ))
        .into()
    }),
    ("quantitative", |i| {
        matches!(
            i.0.comparison,
            crate::model::compare::Comparison::Quantitative { .. }
        )
        .into()
    }),
    ("qualitative", |i| {
        matches!(
            i.0.comparison,
            crate::model::compare::Comparison::Qualitative
        )
        .into()
    }),
    ("lower_is_better", |i| {
        matches!(
            i.0.comparison,
            crate::model::compare::Comparison::Quantitative {
                lower_is_better: true,
                ..
            }
        )
        .into()
    }),
    ("met", |i| opt(i.0.comparison.met())),
    ("off_target", |i| i.0.is_off_target().into()),
    ("achievement", |i| match &i.0.comparison {
        crate::model::compare::Comparison::Quantitative { target, actual, .. }
            if target.is_sign_positive() && !target.is_zero() =>
        {
            opt(actual.checked_div(*target))
        }
        _ => Dynamic::UNIT,
    }),
    ("deviation", |i| match &i.0.comparison {
        crate::model::compare::Comparison::Quantitative { deviation, .. } => opt(*deviation),
        _ => Dynamic::UNIT,
    }),
    ("gap", |i| match &i.0.comparison {
        crate::model::compare::Comparison::Quantitative { gap, .. } => opt(*gap),
        _ => Dynamic::UNIT,
    }),
    ("weight", |i| opt(i.0.record.weight)),
    ("effective_weight", |i| opt(i.0.effective_weight)),
    ("score", |i| opt(i.0.record.score)),
    ("computed_score", |i| {
        opt(i.0.self_check.as_ref().map(|c| c.score.points))
    }),
    ("score_branch", |i| {
        opt(i.0.self_check.as_ref().map(|c| text(c.score.branch)))
    }),
    ("check_weight", |i| {
        opt(i.0.self_check.as_ref().map(|c| c.weight))
    }),
    ("points", |i| opt(i.0.score.as_ref().map(|s| s.points))),
    ("points_branch", |i| {
        opt(i.0.score.as_ref().map(|s| text(s.branch)))
    }),
    ("weight_basis", |i| {
        opt(i.0.self_check.as_ref().map(|c| text(c.basis.code())))
    }),
    ("band_tier", |i| opt(i.0.band().map(|b| text(&b.tier)))),
    ("tier_met", |i| opt(i.0.tier_met)),
    ("band_min", |i| opt(i.0.band().map(|b| b.min))),
    ("band_max", |i| opt(i.0.band().map(|b| b.max))),
    ("score_in_band", |i| {
        opt(i.0.band().zip(i.0.record.score).map(|(b, s)| b.contains(s)))
    }),
    ("deviation_reason", |i| text(&i.0.record.deviation_reason)),
];

const FUND_FIELDS: &[Getter<Fund>] = &[
    ("source", |f| text(&f.source)),
    ("budget_initial", |f| opt(f.budget_initial)),
    ("budget_adjusted", |f| opt(f.budget_adjusted)),
    ("executed", |f| f.executed.into()),
];

const GROUP_FIELDS: &[Getter<GroupView>] = &[
    ("name", |g| text(&g.name)),
    ("stated_count", |g| opt(g.stated_count)),
    ("stated_executed", |g| opt(g.stated_executed)),
    ("listed_count", |g| g.listed_count.into()),
    ("listed_executed", |g| opt(g.listed_executed)),
];

const BUDGET_FIELDS: &[Getter<UnitBudget>] = &[
    ("budget_initial", |b| opt(b.budget_initial)),
    ("budget_adjusted", |b| opt(b.budget_adjusted)),
    ("executed", |b| b.executed.into()),
    ("by_income", |b| map_of(&b.by_income)),
    ("by_spending", |b| map_of(&b.by_spending)),
    ("by_income_total", |b| total(b.by_income.values())),
    ("by_spending_total", |b| total(b.by_spending.values())),
];

const COST_CONTROL_FIELDS: &[Getter<CostControl>] = &[
    ("name", |c| text(&c.name)),
    ("last_year", |c| opt(c.last_year)),
    ("budget", |c| opt(c.budget)),
    ("actual", |c| c.actual.into()),
];

const STAFF_FIELDS: &[Getter<Staff>] = &[
    ("authorized", |s| opt(s.authorized)),
    ("total", |s| opt(s.total)),
    ("in_service", |s| opt(s.in_service)),
    ("retired", |s| opt(s.retired)),
    ("establishment", |s| map_of(&s.establishment)),
    ("establishment_total", |s| {
        let mut counts = s.establishment.values().copied();
        let first = counts.next();
        opt(first.and_then(|first| counts.try_fold(first, INT::checked_add)))
    }),
];

const INSTITUTIONS_FIELDS: &[Getter<Institutions>] = &[
    ("internal_count", |i| opt(i.internal_count)),
    ("internal", |i| strings(&i.internal)),
    ("subordinate_count", |i| opt(i.subordinate_count)),
    ("subordinate", |i| strings(&i.subordinate)),
];

const BASIC_FIELDS: &[Getter<Basic>] = &[
    ("total", |b| b.total.into()),
    ("personnel", |b| b.personnel.into()),
    // `public` is a reserved word in Rhai, so the record key `public` reads as `public_expense`.
    ("public_expense", |b| b.public.into()),
];

/// Every record type a rule can read, by its Rhai name, with its field names.
pub fn record_types() -> Vec<(&'static str, Vec<&'static str>)> {
    fn names<T>(fields: &[Getter<T>]) -> Vec<&'static str> {
        fields.iter().map(|f| f.0).collect()
    }
    vec![
        ("Unit", names(UNIT_FIELDS)),
        ("Project", names(PROJECT_FIELDS)),
        ("Indicator", names(INDICATOR_FIELDS)),
        ("Fund", names(FUND_FIELDS)),
        ("Group", names(GROUP_FIELDS)),
        ("UnitBudget", names(BUDGET_FIELDS)),
        ("CostControl", names(COST_CONTROL_FIELDS)),
        ("Staff", names(STAFF_FIELDS)),
        ("Institutions", names(INSTITUTIONS_FIELDS)),
        ("Basic", names(BASIC_FIELDS)),
    ]
}

fn register<T: Clone + Send + Sync + 'static>(
    engine: &mut Engine,
    name: &str,
    fields: &'static [Getter<T>],
    trace: Option<Traced<'_, T>>,
) {
    engine.register_type_with_name::<T>(name);
    for &(field, get) in fields {
        match trace {
            None => engine.register_get(field, move |value: &mut T| get(value)),
            Some((trace, label)) => {
                let trace = trace.clone();
                engine.register_get(field, move |value: &mut T| {
                    let result = get(value);
                    trace.push(format!("{}.{field} = {}", label(value), show(&result)));
                    result
                })
            }
        };
    }
}

/// Registers every record type with its getters.
pub(super) fn register_all(engine: &mut Engine, trace: Option<&Trace>) {
    let engine = &mut *engine;
    fn with<T>(trace: Option<&Trace>, label: fn(&T) -> String) -> Option<Traced<'_, T>> {
        trace.map(|t| (t, label))
    }
    register(engine, "Unit", UNIT_FIELDS, with(trace, |_| "unit".into()));
    register(
        engine,
        "Project",
        PROJECT_FIELDS,
        with(trace, |_| "p".into()),
    );
    let indicator = |i: &IndicatorRef| format!("indicator “{}”", i.0.record.name);
    register(
        engine,
        "Indicator",
        INDICATOR_FIELDS,
        with(trace, indicator),
    );
    let fund = |f: &Fund| format!("fund “{}”", f.source);
    register(engine, "Fund", FUND_FIELDS, with(trace, fund));
    let group = |g: &GroupView| format!("group “{}”", g.name);
    register(engine, "Group", GROUP_FIELDS, with(trace, group));
    register(
        engine,
        "UnitBudget",
        BUDGET_FIELDS,
        with(trace, |_| "unit.budget".into()),
    );
    let control = |c: &CostControl| format!("cost control “{}”", c.name);
    register(
        engine,
        "CostControl",
        COST_CONTROL_FIELDS,
        with(trace, control),
    );
    register(
        engine,
        "Staff",
        STAFF_FIELDS,
        with(trace, |_| "unit.staff".into()),
    );
    let institutions = |_: &Institutions| "unit.institutions".into();
    register(
        engine,
        "Institutions",
        INSTITUTIONS_FIELDS,
        with(trace, institutions),
    );
    register(
        engine,
        "Basic",
        BASIC_FIELDS,
        with(trace, |_| "unit.basic".into()),
    );
}
