//! jixiao (绩效): a rules engine for budget performance-deviation analysis.
//!
//! The data flow, one module a step:
//! [`load`] unit files into [`record`]s → [`rule_set`] compiles the Rhai rules of `rules/` →
//! [`view`] precomputes what rules read ([`indicator_value`] parses values, [`compare`]
//! compares them) → [`evaluate`] runs them ([`script_api`] is the engine they run in) into
//! [`finding`]s ([`outline`] keeps what the write-up also needs) → [`score`] and [`scorecard`] →
//! [`render`] as a table, JSON, JSON Lines, the report's Chinese narrative, or a ranking;
//! [`summary`] adds a batch up, and [`severity`] orders findings for filters and gates.
//! [`batch`] runs many units on all cores; [`case`] and
//! [`snapshot`] run and check the cases; [`generate`] makes synthetic batches; [`atomic_file`]
//! writes files whole or not at all.

// A `Problem` is a cold-path value carrying its full location; boxing it would buy nothing.
#![allow(clippy::result_large_err)]

pub mod atomic_file;
pub mod batch;
pub mod case;
pub mod catalogue;
pub mod classifier;
pub mod compare;
pub mod evaluate;
pub mod finding;
pub mod format;
pub mod generate;
pub mod indicator_value;
pub mod load;
pub mod outline;
pub mod problem;
pub mod record;
pub mod render;
pub mod rule_set;
pub mod score;
pub mod scorecard;
pub mod script_api;
pub mod severity;
pub mod snapshot;
pub mod summary;
pub mod view;
