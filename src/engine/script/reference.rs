//! The reference for rule writers, written where it cannot fall behind: every record field is
//! documented in the table entry that registers its getter ([`Field`]), every helper beside
//! its registration ([`Helper`]). `jixiao rules fields` renders both (`docs/fields.md`).

use rhai::Dynamic;

/// A value's type as a rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Text,
    /// An exact decimal: amounts in 万元, rates and ratios as fractions (`0.9` is 90%).
    Decimal,
    Integer,
    Bool,
    /// A registered record type with fields of its own, e.g. `Indicator`.
    Record(&'static str),
    /// A registered type without fields of its own, e.g. the `Findings` collector.
    Named(&'static str),
    /// A map with these keys, as written in Rhai: `#{project, group}`.
    Object(&'static str),
    /// A map from text keys to values of this type.
    MapOf(&'static Type),
    ListOf(&'static Type),
    /// `()` when the record does not give it or it cannot be computed.
    OrUnit(&'static Type),
    /// Nothing: `()` always.
    Unit,
}

/// One field of a record type: its documentation and the getter registered under its name.
pub struct Field<T> {
    pub name: &'static str,
    pub ty: Type,
    /// The term on the Chinese form, where there is one.
    pub zh: &'static str,
    /// What the value means, in English.
    pub doc: &'static str,
    pub get: fn(&T) -> Dynamic,
}

/// A field's documentation, whatever record it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct FieldDoc {
    pub name: &'static str,
    pub ty: Type,
    pub zh: &'static str,
    pub doc: &'static str,
}

impl<T> Field<T> {
    pub fn about(&self) -> FieldDoc {
        FieldDoc {
            name: self.name,
            ty: self.ty,
            zh: self.zh,
            doc: self.doc,
        }
    }
}

/// A record type: its Rhai name, how a rule reaches it, and its fields.
#[derive(Debug, Clone)]
pub struct RecordDoc {
    pub name: &'static str,
    pub reached: &'static str,
    pub fields: Vec<FieldDoc>,
}

/// One helper function as a rule calls it.
#[derive(Debug, Clone, Copy)]
pub struct Helper {
    pub name: &'static str,
    /// The call with its parameters, e.g. `ratio(a, b)`: a row per way of calling it that
    /// means something else (`cause_of(code)`, `cause_of(code, reason)`).
    pub call: &'static str,
    pub returns: Type,
    pub doc: &'static str,
}

#[cfg(test)]
mod tests {
    use super::super::helpers::{HELPERS, register};
    use crate::engine::cause_catalogue::{CauseCatalogue, STANDARD_CAUSE_CODES};
    use rhai::Engine;
    use std::collections::BTreeSet;
    use std::sync::Arc;

    fn catalogue() -> CauseCatalogue {
        let text: String = STANDARD_CAUSE_CODES
            .iter()
            .map(|code| {
                format!("[[cause]]\ncode = \"{code}\"\nlabel = \"标签\"\nsuggestion = \"建议\"\n")
            })
            .collect();
        CauseCatalogue::new(toml::from_str(&text).unwrap()).unwrap()
    }

    #[test]
    fn the_helpers_documented_are_the_helpers_registered() {
        let mut engine = Engine::new_raw();
        register(&mut engine, Arc::new(catalogue()), None);
        let registered: BTreeSet<String> = engine
            .gen_fn_signatures(false)
            .iter()
            .filter_map(|signature| signature.split_once('(').map(|(name, _)| name.to_string()))
            .collect();
        let documented: BTreeSet<String> = HELPERS.iter().map(|h| h.name.to_string()).collect();
        assert_eq!(
            registered, documented,
            "document each helper in `HELPERS` beside its registration (helpers.rs)"
        );
    }
}
