//! A finding as a rule that reads findings (`check(…, earlier)`) gets it: read-only, shared,
//! so that a loop over `earlier` or a `push` of one costs a reference count, not a copy of
//! every text in it.

use super::{Record, opt};
use crate::engine::finding::Finding;
use crate::engine::script::reference::{Field, Type};
use rhai::ImmutableString;
use std::sync::Arc;

/// One earlier finding of the same record.
#[derive(Clone)]
pub struct EarlierFinding(Arc<Earlier>);

struct Earlier {
    rule: ImmutableString,
    severity: ImmutableString,
    category: ImmutableString,
    deviation: bool,
    indicator: Option<ImmutableString>,
    message: ImmutableString,
    cause: Option<ImmutableString>,
}

impl EarlierFinding {
    /// `deviation_categories`: the categories of `rules.toml` that are deviations.
    pub fn of(finding: &Finding, deviation_categories: &[String]) -> EarlierFinding {
        EarlierFinding(Arc::new(Earlier {
            rule: finding.rule.as_str().into(),
            severity: finding.severity.name().into(),
            category: finding.category.as_str().into(),
            deviation: deviation_categories.contains(&finding.category),
            indicator: finding.indicator.as_deref().map(Into::into),
            message: finding.message.as_str().into(),
            cause: finding.cause.as_ref().map(|c| c.code.as_str().into()),
        }))
    }
}

pub(super) static FINDING: Record<EarlierFinding> = Record {
    name: "Finding",
    reached: "each of `earlier`, in a rule whose `check` reads findings",
    fields: FINDING_FIELDS,
    label: |f| format!("finding {}", f.0.rule),
};

const FINDING_FIELDS: &[Field<EarlierFinding>] = &[
    Field {
        name: "rule",
        ty: Type::Text,
        zh: "",
        doc: "the id of the rule that reported it",
        get: |f| f.0.rule.clone().into(),
    },
    Field {
        name: "severity",
        ty: Type::Text,
        zh: "",
        doc: "`error`, `warning` or `info`",
        get: |f| f.0.severity.clone().into(),
    },
    Field {
        name: "category",
        ty: Type::Text,
        zh: "",
        doc: "the rule's category, e.g. `execution_rate`",
        get: |f| f.0.category.clone().into(),
    },
    Field {
        name: "deviation",
        ty: Type::Bool,
        zh: "偏差",
        doc: "whether the category is one of `deviation_categories` in `rules.toml`: a deviation the unit must explain",
        get: |f| f.0.deviation.into(),
    },
    Field {
        name: "indicator",
        ty: Type::OrUnit(&Type::Text),
        zh: "三级指标",
        doc: "the indicator it names, `()` for a finding on the record as a whole",
        get: |f| opt(f.0.indicator.clone()),
    },
    Field {
        name: "message",
        ty: Type::Text,
        zh: "",
        doc: "its message",
        get: |f| f.0.message.clone().into(),
    },
    Field {
        name: "cause",
        ty: Type::OrUnit(&Type::Text),
        zh: "原因",
        doc: "its cause's code, `()` when it has none",
        get: |f| opt(f.0.cause.clone()),
    },
];
