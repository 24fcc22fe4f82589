//! The helper functions rules call: Chinese number text (`wan`, `pct`, `fixed`, `num`),
//! exact `ratio`, `join`, `contains_any`, the `findings()` collector, and causes (`cause`,
//! `cause_of`, `names_cause`) read from the unit's words through the cause catalogue.

use super::fields::{opt, text};
use super::findings::Findings;
use super::reference::{Helper, Type};
use super::trace::Trace;
use crate::engine::cause_catalogue::CauseCatalogue;
use crate::engine::finding::Causes;
use crate::model::view::{IndicatorRef, ProjectRef};
use crate::number_text;
use rhai::{Array, Dynamic, Engine, EvalAltResult, INT, ImmutableString, Map};
use rust_decimal::Decimal;
use std::sync::Arc;

/// Registers every helper; the cause helpers read `causes`, and record the fields they read
/// into `trace`.
pub(super) fn register(engine: &mut Engine, causes: Arc<CauseCatalogue>, trace: Option<&Trace>) {
    // The items of a list as text, between `separator`: `join(names, "、")`.
    engine.register_fn("join", |items: Array, separator: ImmutableString| {
        let texts: Vec<String> = items.iter().map(|item| item.to_string()).collect();
        texts.join(separator.as_str())
    });
    engine
        .register_type_with_name::<Findings>("Findings")
        .register_fn("findings", Findings::default)
        .register_fn("push", Findings::push);

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
    register_cause(engine, causes.clone(), trace.cloned());
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
}

/// `cause(p, fallback)` and `cause(p, ind, fallback)`, the one way a rule builds the cause of
/// a deviation: from the indicator's own reason, else the project's, read by the catalogue
/// (`fallback` when it names no cause); with no reason at all, from the data
/// ([`Causes::of_deviation`]).
fn register_cause(engine: &mut Engine, causes: Arc<CauseCatalogue>, trace: Option<Trace>) {
    let catalogue = causes.clone();
    let project_trace = trace.clone();
    engine.register_fn("cause", move |p: ProjectRef, fallback: ImmutableString| {
        let record = &p.0.record;
        if let Some(trace) = &project_trace {
            trace.read("p", "deviation_reason", &text(&record.deviation_reason));
            trace.read("p", "unsettled", &record.unsettled.into());
        }
        let reason = &record.deviation_reason;
        causes_value(Causes::of_deviation(
            &catalogue,
            reason,
            &fallback,
            record.unsettled,
        ))
    });
    engine.register_fn(
        "cause",
        move |p: ProjectRef, ind: IndicatorRef, fallback: ImmutableString| {
            let (project, indicator) = (&p.0.record, &ind.0.record);
            if let Some(trace) = &trace {
                let label = format!("indicator “{}”", indicator.name);
                trace.read(
                    &label,
                    "deviation_reason",
                    &text(&indicator.deviation_reason),
                );
                trace.read("p", "deviation_reason", &text(&project.deviation_reason));
                trace.read("p", "unsettled", &project.unsettled.into());
            }
            let reason = if indicator.deviation_reason.is_empty() {
                &project.deviation_reason
            } else {
                &indicator.deviation_reason
            };
            causes_value(Causes::of_deviation(
                &causes,
                reason,
                &fallback,
                project.unsettled,
            ))
        },
    );
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

const CAUSE: Type = Type::Object("#{code, text, other_causes}");

/// The helpers [`register`] registers, as `docs/fields.md` lists them; a test checks that the
/// two name the same functions.
pub const HELPERS: &[Helper] = &[
    Helper {
        name: "wan",
        call: "wan(x)",
        returns: Type::Text,
        doc: "`8.56万元`: an amount (decimal or integer), rounded half-up to 2 places",
    },
    Helper {
        name: "pct",
        call: "pct(r)",
        returns: Type::Text,
        doc: "`85.60%`: a ratio as a percentage, rounded half-up to 2 places",
    },
    Helper {
        name: "num",
        call: "num(x)",
        returns: Type::Text,
        doc: "an exact decimal without trailing zeros",
    },
    Helper {
        name: "fixed",
        call: "fixed(x, n)",
        returns: Type::Text,
        doc: "`x` rounded half-up to `n` places, always showing them (`19.00`)",
    },
    Helper {
        name: "ratio",
        call: "ratio(a, b)",
        returns: Type::OrUnit(&Type::Decimal),
        doc: "exact a / b, or `()` when b is 0, so that a rule must decide what that means",
    },
    Helper {
        name: "join",
        call: "join(items, separator)",
        returns: Type::Text,
        doc: "the items of a list as text between `separator`: `join(names, \"、\")`",
    },
    Helper {
        name: "contains_any",
        call: "contains_any(text, words)",
        returns: Type::Bool,
        doc: "whether `text` contains any of the list `words` (e.g. `t.cost_control_year_on_year`)",
    },
    Helper {
        name: "cause",
        call: "cause(p, fallback)",
        returns: Type::OrUnit(&CAUSE),
        doc: "the cause of a deviation of project `p`: read from `p.deviation_reason` by the patterns of `rules/causes.toml`, its text the unit's words; `fallback` when the reason names none; with no reason, `cross_year_settlement` when `p.unsettled` is above 0, else `()` (no cause)",
    },
    Helper {
        name: "cause",
        call: "cause(p, ind, fallback)",
        returns: Type::OrUnit(&CAUSE),
        doc: "the same for indicator `ind` of project `p`: its own `deviation_reason`, else the project's",
    },
    Helper {
        name: "cause_of",
        call: "cause_of(code)",
        returns: CAUSE,
        doc: "`code` as the cause, with the catalogue's label as text: a cause the data shows; an unknown code is an error",
    },
    Helper {
        name: "cause_of",
        call: "cause_of(code, reason)",
        returns: CAUSE,
        doc: "`code` as the cause with the unit's reason as text (the label when empty), and the other causes the reason names",
    },
    Helper {
        name: "names_cause",
        call: "names_cause(reason, code)",
        returns: Type::Bool,
        doc: "whether the unit's reason names the cause `code` (first or among others), negations honoured: 不存在跨年度结算 does not name `cross_year_settlement`",
    },
    Helper {
        name: "findings",
        call: "findings()",
        returns: Type::Named("Findings"),
        doc: "an empty collector for a rule that reports several findings; each is checked on its own against the sandbox's limits",
    },
    Helper {
        name: "push",
        call: "found.push(finding)",
        returns: Type::Unit,
        doc: "adds a finding map to a `findings()` collector",
    },
];
