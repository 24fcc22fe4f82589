//! The integration tests, one binary: each module tests one area through the `jixiao` binary
//! or the library; `common` holds what they share (a copy of the workspace, running jixiao).

mod analyst;
mod batch;
mod benches;
mod cases;
mod causes;
mod cli;
mod common;
mod hostile;
mod input;
mod output;
mod pipelines;
mod properties;
mod readme;
mod report_browser;
mod settings;
mod snapshot_agreement;
mod summary;
mod workbook;
mod writeup;
