//! The thresholds of `rules/rules.toml` as rules read them: `t.execution_rate_min`.

use super::trace::{Trace, show};
use rhai::{Dynamic, Engine, EvalAltResult};
use std::collections::BTreeMap;
use std::sync::Arc;

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
                crate::diagnostic::suggest(key, &known)
            )
            .into()
        })
    }
}

/// Registers the thresholds' type, an indexer for any key, and a getter per defined key.
pub(super) fn register(engine: &mut Engine, thresholds: &Thresholds, trace: Option<&Trace>) {
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
}
