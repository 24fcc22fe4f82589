//! What rules read while they ran, for `jixiao explain`.

use crate::number_text;
use rhai::{Array, Dynamic};
use rust_decimal::Decimal;
use std::sync::Arc;

/// What rules read while they ran, in order (`p.execution_rate = 0.428`), for
/// `jixiao explain`. Only an engine built with a trace records anything.
#[derive(Clone, Default)]
pub struct Trace(Arc<std::sync::Mutex<Vec<String>>>);

impl Trace {
    pub(super) fn push(&self, line: String) {
        self.0
            .lock()
            .expect("the trace is never poisoned")
            .push(line);
    }

    /// Records a field a helper read on a rule's behalf, as a getter records it.
    pub(super) fn read(&self, record: &str, field: &str, value: &Dynamic) {
        self.push(format!("{record}.{field} = {}", show(value)));
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
pub(super) fn show(value: &Dynamic) -> String {
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
