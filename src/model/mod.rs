//! Stage 2, model: what rules and scores read about a unit, computed once in Rust — the
//! [`view`]s (execution rates, parsed values, selections by kind, group subtotals), the
//! [`compare`]son of an indicator's actual value with its target, and the [`scoring_form`]
//! (评分表) that turns them into points.

pub mod compare;
pub mod scoring_form;
pub mod view;
