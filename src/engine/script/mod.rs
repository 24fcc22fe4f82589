//! The Rhai engine rules run in, one job a file: the sandbox and its limits (here), the
//! record types rules read with a getter per field ([`fields`]), the thresholds of
//! `rules/rules.toml` ([`thresholds`]), the helper functions that keep rules short
//! ([`helpers`]), the findings collector ([`findings`]), what `explain` records ([`trace`]),
//! where a script error happened ([`errors`]) and the types that document fields and helpers
//! for rule writers ([`reference`]).
//!
//! Each worker thread builds its own engine: engines shared between threads do not scale.

mod errors;
pub mod fields;
mod findings;
mod helpers;
pub mod reference;
mod thresholds;
mod trace;

use crate::engine::cause_catalogue::CauseCatalogue;
use rhai::Engine;
use rhai::module_resolvers::DummyModuleResolver;
use std::sync::Arc;

pub use errors::innermost;
pub use findings::{Findings, as_findings, earlier_findings};
pub use helpers::HELPERS;
pub use thresholds::Thresholds;
pub use trace::Trace;

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
    fields::register_all(&mut engine, trace);
    thresholds::register(&mut engine, thresholds, trace);
    helpers::register(&mut engine, causes, trace);
    engine
}
