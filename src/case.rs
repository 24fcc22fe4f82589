//! Cases (`cases/<name>/`): unit files plus a `case.toml` saying what the case is for —
//! `expect = ["QUANTITY-GAP@P01"]` findings that must appear, `expect_not` findings that must
//! not, and `todo` known gaps that are reported but do not fail. The snapshot of a case's
//! outcome sits beside it as `findings.snap`.

use crate::batch;
use crate::evaluate::UnitReport;
use crate::problem::Problem;
use crate::rule_set::RuleSet;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseSpec {
    /// What the case is for, in a sentence.
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub expect: Vec<String>,
    #[serde(default)]
    pub expect_not: Vec<String>,
    #[serde(default)]
    pub todo: Vec<String>,
}

/// What a case produced: the part of a run that is snapshotted.
#[derive(Debug, Clone, Serialize)]
pub struct CaseOutcome {
    pub units: Vec<UnitReport>,
    pub errors: Vec<Problem>,
}

pub fn run_case(dir: &Path, rule_set: &RuleSet) -> CaseOutcome {
    let (units, errors) = batch::collect(&[dir.to_path_buf()], rule_set);
    CaseOutcome { units, errors }
}

/// Does any finding match `RULE` or `RULE@CODE` (CODE a project code, or a unit code)?
pub fn matches(outcome: &CaseOutcome, expectation: &str) -> bool {
    let (rule, code) = match expectation.split_once('@') {
        Some((rule, code)) => (rule, Some(code)),
        None => (expectation, None),
    };
    outcome.units.iter().flat_map(|u| &u.findings).any(|f| {
        f.rule == rule && code.is_none_or(|c| f.project.as_deref() == Some(c) || f.unit == c)
    })
}

/// The stated expectations the outcome breaks, as sentences.
pub fn unmet_expectations(spec: &CaseSpec, outcome: &CaseOutcome) -> Vec<String> {
    let mut unmet = Vec::new();
    for e in &spec.expect {
        if !matches(outcome, e) {
            unmet.push(format!("expected {e}, but it did not fire"));
        }
    }
    for e in &spec.expect_not {
        if matches(outcome, e) {
            unmet.push(format!("expected no {e}, but it fired"));
        }
    }
    unmet
}
