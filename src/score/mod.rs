//! Stage 4, score: a unit's [`scorecard`] (每个项目的得分 and the unit's score and grade) and
//! a batch added up for `summary` ([`summary`]).

pub mod scorecard;
pub mod summary;
