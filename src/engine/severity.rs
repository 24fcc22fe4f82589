//! Severity levels in their order (info < warning < error), for what `run --min-severity`
//! shows and what `run --fail-on` gates on. Findings carry their severity by name (one of
//! [`SEVERITIES`](crate::engine::cause_catalogue::SEVERITIES), checked when the rules load).

use crate::engine::finding::Finding;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

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

    /// The Chinese column heading the ranking and the summary use.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "提示",
            Severity::Warning => "警告",
            Severity::Error => "错误",
        }
    }
}

/// Whether `finding` is at `level` or above. A severity the levels do not know (the rules are
/// checked, so none should reach here) counts as above: a filter never hides, nor a gate
/// lets through, what it cannot place.
pub fn at_least(finding: &Finding, level: Severity) -> bool {
    Severity::of(&finding.severity).is_none_or(|s| s >= level)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::cause_catalogue::SEVERITIES;

    #[test]
    fn levels_are_the_catalogue_severities_in_rising_order() {
        let mut names: Vec<&str> = SEVERITIES.to_vec();
        names.sort_by_key(|n| Severity::of(n));
        assert_eq!(names, ["info", "warning", "error"]);
        for name in SEVERITIES {
            assert_eq!(Severity::of(name).map(Severity::name), Some(*name));
        }
    }
}
