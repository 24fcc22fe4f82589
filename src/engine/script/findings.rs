//! The findings a rule returns: the `findings()` collector, with limits of its own, and the
//! conversion of whatever `check` returned into a list of finding maps; and the findings a
//! rule reads, as `check(…, earlier)` gets them.

use super::fields::EarlierFinding;
use super::{MAX_FINDINGS_BYTES, MAX_FINDINGS_PER_RECORD};
use crate::engine::finding::Finding;
use rhai::{Array, Dynamic, EvalAltResult, ImmutableString, Map};

/// The findings a rule collects: `let found = findings(); found.push(#{…}); found`. Unlike an
/// array, whose strings Rhai adds up against one string limit, each finding is checked on its
/// own as it is pushed, so a long reason repeated over many findings loses none of them.
#[derive(Clone, Default)]
pub struct Findings {
    pub(super) items: Array,
    bytes: usize,
}

impl Findings {
    pub(super) fn push(&mut self, finding: Map) -> Result<(), Box<EvalAltResult>> {
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

/// Findings as a rule that reads them gets them: read-only [`EarlierFinding`]s, whose
/// `deviation` says whether the category is one of `deviation_categories`.
pub fn earlier_findings(findings: &[Finding], deviation_categories: &[String]) -> Array {
    findings
        .iter()
        .map(|f| Dynamic::from(EarlierFinding::of(f, deviation_categories)))
        .collect()
}
