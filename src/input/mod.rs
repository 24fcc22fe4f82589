//! Stage 1, input: finding unit files and reading them (TOML, JSON Lines, Excel workbooks)
//! into [`record`]s, with every value checked against its limits, and parsing indicator
//! values as units write them ([`indicator_value`]: `≥50个`, `100%`, `不适用`; [`operator`]s
//! and full-width forms [`normalize`]d first). What cannot be read becomes a located
//! [`Problem`](crate::diagnostic::Problem), never a panic.

pub mod indicator_value;
pub mod load;
pub mod normalize;
pub mod operator;
pub mod record;
