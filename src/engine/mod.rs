//! Stage 3, engine: the rules. [`rule_set`] loads and checks `rules/` (scripts, thresholds,
//! causes, scoring forms); [`script`] is the sandboxed Rhai engine they run in, with the
//! types, getters and helpers rules use; [`evaluate`] runs every rule on every record into
//! [`finding`]s — skipping projects a rule's [`guard`] rules out — each with a cause from the [`cause_catalogue`] (read from the unit's words by
//! the [`classifier`]) and a [`severity`]; [`outline`] keeps what the write-up also needs.

pub mod cause_catalogue;
pub mod classifier;
pub mod evaluate;
pub mod finding;
pub mod guard;
pub mod outline;
pub mod rule_set;
pub mod script;
pub mod severity;
