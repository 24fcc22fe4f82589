//! The Rhai engine rules run in: sandbox limits, the record types rules read (with a getter
//! per field, so a misspelt field is an error rather than a silent `()`), the thresholds from
//! `rules/rules.toml`, and the helper functions that keep rules short.
//!
//! Each worker thread builds its own engine: engines shared between threads do not scale.

use crate::engine::cause_catalogue::CauseCatalogue;
use crate::engine::finding::Causes;
use crate::input::record::{Basic, CostControl, Fund, Institutions, Staff, UnitBudget};
use crate::model::view::{GroupView, IndicatorRef, ProjectRef, UnitRef};
use crate::number_text;
use rhai::module_resolvers::DummyModuleResolver;
use rhai::{Array, Dynamic, Engine, EvalAltResult, INT, ImmutableString, Map, Position};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Limits on one rule evaluation: an endless loop or runaway recursion ends with an error
/// for that rule and record, and the batch goes on.
pub const MAX_OPERATIONS: u64 = 200_000;
pub const MAX_CALL_LEVELS: usize = 32;
pub const MAX_EXPR_DEPTH: usize = 64;
/// Rhai counts every string inside a value against this one limit (an array's or a map's
/// strings added up), so it is sized for the largest finding a real report gives — a reason
/// of a few thousand characters, quoted in message and cause — with room to spare.
pub const MAX_STRING_SIZE: usize = 1024 * 1024;
pub const MAX_COLLECTION_SIZE: usize = 10_000;
/// A rule's collected [`Findings`] are not one Rhai value, so they have limits of their own:
/// sized for every indicator of the largest project, or every project of a province.
pub const MAX_FINDINGS_PER_RECORD: usize = 100_000;
pub const MAX_FINDINGS_BYTES: usize = 64 * 1024 * 1024;

/// The findings a rule collects: `let found = findings(); found.push(#{…}); found`. Unlike an
/// array, whose strings Rhai adds up against one string limit, each finding is checked on its
/// own as it is pushed, so a long reason repeated over many findings loses none of them.
#[derive(Clone, Default)]
pub struct Findings {
    items: Array,
    bytes: usize,
}

impl Findings {
    fn push(&mut self, finding: Map) -> Result<(), Box<EvalAltResult>> {
        let bytes = self.bytes.saturating_add(text_bytes(&finding));
        if self.items.len() >= MAX_FINDINGS_PER_RECORD || bytes > MAX_FINDINGS_BYTES {
            return Err(format!(
                "a rule may report at most {MAX_FINDINGS_PER_RECORD} findings ({} MiB of text) for one record",
                MAX_FINDINGS_BYTES >> 20
            )
            .into());
        }
        self.bytes = bytes;
        self.items.push(Dynamic::from_map(finding));
        Ok(())
    }
}

/// The bytes of text in a finding, nested maps and arrays included.
fn text_bytes(map: &Map) -> usize {
    fn of(value: &Dynamic) -> usize {
        if let Some(s) = value.read_lock::<ImmutableString>() {
            s.len()
        } else if let Some(map) = value.read_lock::<Map>() {
            text_bytes(&map)
        } else if let Some(items) = value.read_lock::<Array>() {
            items.iter().map(of).sum()
        } else {
            0
        }
    }
    map.iter().map(|(k, v)| k.len() + of(v)).sum()
}

/// The thresholds of `rules/rules.toml`, read as `t.execution_rate_min`. Reading a key the
/// file does not define is an error naming the defined ones.
#[derive(Clone)]
pub struct Thresholds(pub Arc<BTreeMap<String, Dynamic>>);

impl Thresholds {
    fn get(&mut self, key: &str) -> Result<Dynamic, Box<EvalAltResult>> {
        self.0.get(key).cloned().ok_or_else(|| {
            let known: Vec<&str> = self.0.keys().map(String::as_str).collect();
            format!(
                "threshold `{key}` is not defined in rules.toml{}",
                crate::engine::script::suggest(key, &known)
            )
            .into()
        })
    }
}

type Getter<T> = (&'static str, fn(&T) -> Dynamic);

/// A trace to record reads into, with how to name the record read (`p`, `indicator “…”`).
type Traced<'a, T> = (&'a Trace, fn(&T) -> String);

/// What rules read while they ran, in order (`p.execution_rate = 0.428`), for
/// `jixiao explain`. Only an engine built with a trace records anything.
#[derive(Clone, Default)]
pub struct Trace(Arc<std::sync::Mutex<Vec<String>>>);

impl Trace {
    fn push(&self, line: String) {
        self.0
            .lock()
            .expect("the trace is never poisoned")
            .push(line);
    }

    /// The reads recorded since the last call, each once, in the order first read.
    pub fn take(&self) -> Vec<String> {
        let lines = std::mem::take(&mut *self.0.lock().expect("the trace is never poisoned"));
        let mut seen = std::collections::HashSet::new();
        lines
            .into_iter()
            .filter(|l| seen.insert(l.clone()))
            .collect()
    }
}

/// A value as `explain` shows it: decimals exact, text quoted, lists by length.
fn show(value: &Dynamic) -> String {
    if let Some(d) = value.clone().try_cast::<Decimal>() {
        number_text::plain(d)
    } else if value.is_string() {
        format!("\"{value}\"")
    } else if value.is_array() {
        format!("[{} items]", value.clone().cast::<Array>().len())
    } else if value.is_unit() {
        "()".to_string()
    } else if value.is_int() || value.is_bool() {
        value.to_string()
    } else {
        value
            .type_name()
            .rsplit("::")
            .next()
            .unwrap_or_default()
            .to_string()
    }
}

fn text(s: &str) -> Dynamic {
    Dynamic::from(ImmutableString::from(s))
}

fn opt<T: Into<Dynamic>>(value: Option<T>) -> Dynamic {
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

pub use crate::diagnostic::suggest;

/// Builds a sandboxed engine with the record types, the thresholds and helpers registered.
pub fn new_engine(causes: Arc<CauseCatalogue>, thresholds: &Thresholds) -> Engine {
    build_engine(causes, thresholds, None)
}

/// An engine like [`new_engine`]'s that records every record field and threshold a rule
/// reads into `trace`.
pub fn traced_engine(
    causes: Arc<CauseCatalogue>,
    thresholds: &Thresholds,
    trace: &Trace,
) -> Engine {
    build_engine(causes, thresholds, Some(trace))
}

fn build_engine(
    causes: Arc<CauseCatalogue>,
    thresholds: &Thresholds,
    trace: Option<&Trace>,
) -> Engine {
    let mut engine = Engine::new();
    engine
        .set_max_operations(MAX_OPERATIONS)
        .set_max_call_levels(MAX_CALL_LEVELS)
        .set_max_expr_depths(MAX_EXPR_DEPTH, MAX_EXPR_DEPTH)
        .set_max_string_size(MAX_STRING_SIZE)
        .set_max_array_size(MAX_COLLECTION_SIZE)
        .set_max_map_size(MAX_COLLECTION_SIZE)
        .set_strict_variables(true)
        .set_fail_on_invalid_map_property(true)
        .set_module_resolver(DummyModuleResolver::new())
        .on_print(|_| {})
        .on_debug(|_, _, _| {});
    engine.disable_symbol("eval");

    fn with<T>(trace: Option<&Trace>, label: fn(&T) -> String) -> Option<Traced<'_, T>> {
        trace.map(|t| (t, label))
    }
    register(
        &mut engine,
        "Unit",
        UNIT_FIELDS,
        with(trace, |_| "unit".into()),
    );
    register(
        &mut engine,
        "Project",
        PROJECT_FIELDS,
        with(trace, |_| "p".into()),
    );
    let indicator = |i: &IndicatorRef| format!("indicator “{}”", i.0.record.name);
    register(
        &mut engine,
        "Indicator",
        INDICATOR_FIELDS,
        with(trace, indicator),
    );
    let fund = |f: &Fund| format!("fund “{}”", f.source);
    register(&mut engine, "Fund", FUND_FIELDS, with(trace, fund));
    let group = |g: &GroupView| format!("group “{}”", g.name);
    register(&mut engine, "Group", GROUP_FIELDS, with(trace, group));
    register(
        &mut engine,
        "UnitBudget",
        BUDGET_FIELDS,
        with(trace, |_| "unit.budget".into()),
    );
    let control = |c: &CostControl| format!("cost control “{}”", c.name);
    register(
        &mut engine,
        "CostControl",
        COST_CONTROL_FIELDS,
        with(trace, control),
    );
    register(
        &mut engine,
        "Staff",
        STAFF_FIELDS,
        with(trace, |_| "unit.staff".into()),
    );
    let institutions = |_: &Institutions| "unit.institutions".into();
    register(
        &mut engine,
        "Institutions",
        INSTITUTIONS_FIELDS,
        with(trace, institutions),
    );
    register(
        &mut engine,
        "Basic",
        BASIC_FIELDS,
        with(trace, |_| "unit.basic".into()),
    );
    engine
        .register_type_with_name::<Thresholds>("Thresholds")
        .register_indexer_get(Thresholds::get);
    // A getter per key is several times faster than the indexer a missing getter falls back
    // to; an unknown key still reaches the indexer, whose error names the nearest key.
    for (key, value) in thresholds.0.iter() {
        let value = value.clone();
        match trace {
            None => engine.register_get(key, move |_: &mut Thresholds| value.clone()),
            Some(trace) => {
                let (trace, name) = (trace.clone(), key.clone());
                engine.register_get(key, move |_: &mut Thresholds| {
                    trace.push(format!("t.{name} = {}", show(&value)));
                    value.clone()
                })
            }
        };
    }

    // The items of a list as text, between `separator`: `join(names, "、")`.
    engine.register_fn("join", |items: Array, separator: ImmutableString| {
        let texts: Vec<String> = items.iter().map(|item| item.to_string()).collect();
        texts.join(separator.as_str())
    });
    engine
        .register_type_with_name::<Findings>("Findings")
        .register_fn("findings", Findings::default)
        .register_fn("push", Findings::push)
        .register_fn("len", |f: &mut Findings| f.items.len() as INT);

    // Chinese formatting, rounded half-up only here: `8.56万元`, `85.60%`.
    engine
        .register_fn("wan", number_text::wan)
        .register_fn("wan", |n: INT| number_text::wan(Decimal::from(n)))
        .register_fn("pct", number_text::pct)
        .register_fn("pct", |n: INT| number_text::pct(Decimal::from(n)))
        .register_fn("fixed", |d: Decimal, places: INT| {
            number_text::fixed(d, u32::try_from(places).unwrap_or(2))
        })
        .register_fn("num", number_text::plain)
        .register_fn("num", |n: INT| n.to_string());
    // Exact ratio a / b; `()` when b is zero, so that a rule must decide what that means.
    engine
        .register_fn(
            "ratio",
            |a: Decimal, b: Decimal| -> Result<Dynamic, Box<EvalAltResult>> {
                if b.is_zero() {
                    return Ok(Dynamic::UNIT);
                }
                a.checked_div(b)
                    .map(Dynamic::from_decimal)
                    .ok_or_else(|| format!("ratio({a}, {b}) is past the largest number").into())
            },
        )
        .register_fn("ratio", |a: INT, b: INT| {
            opt((b != 0).then(|| Decimal::from(a) / Decimal::from(b)))
        });

    // Whether a text contains any of a list of words (`t.cost_control_year_on_year`): in Rust, since a
    // closure called per word costs more than the rest of a rule.
    engine.register_fn("contains_any", |text: ImmutableString, words: Array| {
        words.iter().any(|w| {
            w.read_lock::<ImmutableString>()
                .is_some_and(|w| text.contains(w.as_str()))
        })
    });
    let catalogue = causes.clone();
    engine.register_fn(
        "cause",
        move |reason: ImmutableString, fallback: ImmutableString| {
            causes_value(Causes::from_reason(&catalogue, &reason, &fallback))
        },
    );
    let catalogue = causes.clone();
    engine.register_fn("cause_of", move |code: ImmutableString| {
        causes_value(Causes::given(&catalogue, &code, ""))
    });
    let catalogue = causes.clone();
    engine.register_fn(
        "cause_of",
        move |code: ImmutableString, reason: ImmutableString| {
            causes_value(Causes::given(&catalogue, &code, &reason))
        },
    );
    // Whether the unit's reason names a cause (first or among others), negations honoured:
    // "不存在跨年度结算" does not name cross_year_settlement.
    let catalogue = causes;
    engine.register_fn(
        "names_cause",
        move |reason: ImmutableString, code: ImmutableString| {
            catalogue
                .classify(&reason)
                .iter()
                .any(|(cause, _)| cause.code == code.as_str())
        },
    );
    engine
}

fn cause_map(cause: &crate::engine::finding::Cause) -> Map {
    let mut map = Map::new();
    map.insert("code".into(), text(&cause.code));
    map.insert("text".into(), text(&cause.text));
    map
}

/// A finding's causes as rules hold them: `()` when there is none, else
/// `#{code, text, other_causes: [#{code, text}, …]}`.
fn causes_value(causes: Result<Causes, String>) -> Result<Dynamic, Box<EvalAltResult>> {
    let causes = causes.map_err(|message| -> Box<EvalAltResult> { message.into() })?;
    let Some(primary) = &causes.primary else {
        return Ok(Dynamic::UNIT);
    };
    let mut map = cause_map(primary);
    let others = causes.others.iter().map(|c| cause_map(c).into()).collect();
    map.insert("other_causes".into(), Dynamic::from_array(others));
    Ok(map.into())
}

/// Where a Rhai error happened: the innermost position of a chain of function calls.
pub fn innermost(error: &EvalAltResult) -> (Position, String) {
    match error {
        EvalAltResult::ErrorInFunctionCall(_, _, inner, pos) => {
            let (p, message) = innermost(inner);
            (if p.is_none() { *pos } else { p }, message)
        }
        other => (other.position(), describe(other)),
    }
}

/// The error's message, with a hint when a rule read a field its record type lacks.
fn describe(error: &EvalAltResult) -> String {
    let message = match error {
        EvalAltResult::ErrorRuntime(value, _) => value.to_string(),
        EvalAltResult::ErrorTooManyOperations(_) => format!(
            "stopped after {MAX_OPERATIONS} operations on one record: is there a loop that never ends?"
        ),
        other => {
            let message = other.to_string();
            match message.rfind(" (line ") {
                Some(at) => message[..at].to_string(),
                None => message,
            }
        }
    };
    let unknown_property = message
        .strip_prefix("Unknown property '")
        .and_then(|rest| rest.split_once("' - a getter is not registered for type '"))
        .map(|(field, rest)| (field, rest.trim_end_matches('\'')));
    if let Some((field, type_name)) = unknown_property
        && let Some((_, fields)) = record_types().into_iter().find(|(t, _)| *t == type_name)
    {
        return format!(
            "{type_name} has no field `{field}`{}",
            suggest(field, &fields)
        );
    }
    message
}

/// Converts a finished Rhai value into an array of finding maps: `()` is none, a map is one,
/// `findings()` or an array are each of theirs.
pub fn as_findings(value: Dynamic) -> Result<Array, String> {
    if value.is::<Findings>() {
        Ok(value.cast::<Findings>().items)
    } else if value.is_unit() {
        Ok(Array::new())
    } else if value.is_map() {
        Ok(vec![value])
    } else if value.is_array() {
        Ok(value.cast::<Array>())
    } else {
        Err(format!(
            "`check` must return a finding map, `findings()`, an array of findings, or (); it returned {}",
            value.type_name()
        ))
    }
}
