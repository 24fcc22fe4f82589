//! How grave a finding is: `error`, `warning` or `info` (错误, 警告, 提示). A rule declares its
//! severity by name (`const SEVERITY = "warning";`), checked when the rules load; from there on
//! it is this type, ordered info < warning < error, for what `run --min-severity` shows, what
//! `run --fail-on` gates on and what the write-up puts first.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// The severities by name, gravest first: the order of counts in the ranking and summaries.
pub const SEVERITIES: &[&str] = &["error", "warning", "info"];

impl Severity {
    pub fn of(name: &str) -> Option<Severity> {
        match name {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// The Chinese name in tables and reports.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "提示",
            Severity::Warning => "警告",
            Severity::Error => "错误",
        }
    }
}

impl fmt::Display for Severity {
    /// The name, padded as the format asks (`{:<7}` lines up a table).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back_and_run_gravest_first() {
        let read: Vec<Severity> = SEVERITIES.iter().filter_map(|n| Severity::of(n)).collect();
        assert_eq!(read, [Severity::Error, Severity::Warning, Severity::Info]);
        assert!(read.windows(2).all(|w| w[0] > w[1]));
        for severity in read {
            assert_eq!(Severity::of(severity.name()), Some(severity));
            assert_eq!(
                format!("{severity:<8}|"),
                format!("{:<8}|", severity.name())
            );
        }
        assert_eq!(Severity::of("fatal"), None);
    }
}
