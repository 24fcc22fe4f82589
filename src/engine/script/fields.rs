//! The record types rules read — unit, project, indicator and their parts — each with a
//! getter per field, so that a misspelt field is an error naming the nearest one rather than
//! a silent `()`. With a trace, every read is recorded for `explain`. Each field's entry also
//! documents it: the same tables register the getters and make `docs/fields.md`. The tables
//! are in [`unit`] (with the unit's parts), [`project`] (with its funds), [`indicator`] and
//! [`finding`] (the findings a rule reads).

mod finding;
mod indicator;
mod project;
#[cfg(test)]
mod tests;
mod unit;

pub(super) use finding::EarlierFinding;

use super::reference::{Field, RecordDoc};
use super::trace::{Trace, show};
use rhai::{Dynamic, Engine, ImmutableString};

pub(super) fn text(s: &str) -> Dynamic {
    Dynamic::from(ImmutableString::from(s))
}

pub(super) fn opt<T: Into<Dynamic>>(value: Option<T>) -> Dynamic {
    value.map_or(Dynamic::UNIT, Into::into)
}

/// A record type: its Rhai name, how a rule reaches it, its fields, and how a trace names
/// one record (`p`, `indicator “…”`).
struct Record<T: 'static> {
    name: &'static str,
    reached: &'static str,
    fields: &'static [Field<T>],
    label: fn(&T) -> String,
}

/// Every record type rules read: the one list that registers them and documents them.
static RECORDS: &[&dyn Registered] = &[
    &unit::UNIT,
    &project::PROJECT,
    &indicator::INDICATOR,
    &project::FUND,
    &unit::GROUP,
    &unit::BUDGET,
    &unit::COST_CONTROL,
    &unit::STAFF,
    &unit::INSTITUTIONS,
    &unit::BASIC,
    &finding::FINDING,
];

/// A [`Record`] of any type, so that one list holds them all.
trait Registered: Sync {
    fn register(&self, engine: &mut Engine, trace: Option<&Trace>);
    fn doc(&self) -> RecordDoc;
    fn name(&self) -> &'static str;
    fn field_names(&self) -> Vec<&'static str>;
}

impl<T: Clone + Send + Sync + 'static> Registered for Record<T> {
    fn register(&self, engine: &mut Engine, trace: Option<&Trace>) {
        engine.register_type_with_name::<T>(self.name);
        for field in self.fields {
            let (name, get) = (field.name, field.get);
            match trace {
                None => engine.register_get(name, move |value: &mut T| get(value)),
                Some(trace) => {
                    let (trace, label) = (trace.clone(), self.label);
                    engine.register_get(name, move |value: &mut T| {
                        let result = get(value);
                        trace.push(format!("{}.{name} = {}", label(value), show(&result)));
                        result
                    })
                }
            };
        }
    }

    fn name(&self) -> &'static str {
        self.name
    }

    fn field_names(&self) -> Vec<&'static str> {
        self.fields.iter().map(|f| f.name).collect()
    }

    fn doc(&self) -> RecordDoc {
        RecordDoc {
            name: self.name,
            reached: self.reached,
            fields: self.fields.iter().map(Field::about).collect(),
        }
    }
}

/// Every record type a rule can read, with its fields' documentation.
pub fn record_types() -> Vec<RecordDoc> {
    RECORDS.iter().map(|record| record.doc()).collect()
}

/// What a rule is told when it reads `field` of a `type_name` record and there is no such
/// field, with the nearest one; `None` when the field exists or no record type has that name.
pub fn no_such_field(type_name: &str, field: &str) -> Option<String> {
    let record = RECORDS.iter().find(|r| r.name() == type_name)?;
    let fields = record.field_names();
    (!fields.contains(&field)).then(|| {
        format!(
            "{type_name} has no field `{field}`{}",
            crate::diagnostic::suggest(field, &fields)
        )
    })
}

/// Registers every record type with its getters.
pub(super) fn register_all(engine: &mut Engine, trace: Option<&Trace>) {
    for record in RECORDS {
        record.register(engine, trace);
    }
}
