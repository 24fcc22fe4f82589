//! jixiao (绩效): a rules engine for budget performance-deviation analysis.
//!
//! The data flow, one folder a stage; dependencies point one way, down this list:
//! - [`input`] finds unit files and reads them into records;
//! - [`model`] computes what rules and scores read (views, comparisons, the scoring form);
//! - [`engine`] loads the Rhai rules of `rules/` and runs them into findings;
//! - [`score`] scores units and adds a batch up;
//! - [`batch`] runs those stages for many units on all cores, in input order;
//! - [`output`] renders results: table, JSON, JSON Lines, the write-up, CSV, xlsx, HTML;
//! - [`analyst`] runs and snapshots the cases, and generates synthetic batches.
//!
//! Below them all, [`diagnostic`] says what went wrong and where, and [`number_text`] writes
//! amounts and rates as a Chinese finance report does (`8.56万元`, `85.60%`).

#![allow(clippy::result_large_err)]

pub mod analyst;
pub mod batch;
pub mod diagnostic;
pub mod engine;
pub mod input;
pub mod model;
pub mod number_text;
pub mod output;
pub mod score;
