//! Stage 4, score: a unit's [`scorecard`] (each project's score, the unit's score and grade), the
//! [`ranking`] of many units, and
//! a batch added up for `summary` ([`summary`]).

pub mod ranking;
pub mod scorecard;
pub mod summary;
