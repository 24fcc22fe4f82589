//! Cases (`cases/<name>/`): unit files plus a `case.toml` saying what the case is for —
//! `expect = ["QUANTITY-GAP@P01"]` findings that must appear, `expect_not` findings that must
//! not, and `todo` known gaps (`RULE@CODE` not firing yet, or `!RULE@CODE` still firing) that
//! are reported but do not fail. The snapshot of a case's outcome sits beside it as
//! `findings.snap`. Running a case, checking it and measuring rule coverage live here; the
//! `jixiao test` command and the insta test both use them.

use crate::batch::Batch;
use crate::diagnostic::Problem;
use crate::engine::evaluate::UnitReport;
use crate::engine::rule_set::RuleSet;
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

/// Runs a case's units on `batch`: one pool and one compiled rule set serve every case.
pub fn run_case(dir: &Path, batch: &Batch) -> CaseOutcome {
    let (units, errors) = batch.collect(&[dir.to_path_buf()]);
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

/// The case folders under `dir` (those with a `case.toml`), sorted, whose name contains
/// `filter` when one is given.
pub fn discover(dir: &Path, filter: Option<&str>) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut cases: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join(crate::input::load::CASE_FILE).is_file())
        .filter(|p| {
            filter.is_none_or(|f| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().contains(f))
            })
        })
        .collect();
    cases.sort();
    Ok(cases)
}

/// How a case's outcome compares with its stored snapshot.
pub enum SnapshotStatus {
    Matches,
    Missing,
    Differs(Vec<crate::analyst::snapshot::Change>),
    /// The stored snapshot is not a case outcome (truncated, or edited by hand): why.
    Unreadable(String),
}

/// One case, run and checked: its snapshot status, broken expectations, and the `todo` items
/// with whether each now holds.
pub struct CaseReport {
    pub dir: std::path::PathBuf,
    pub spec: CaseSpec,
    pub outcome: CaseOutcome,
    pub snapshot: SnapshotStatus,
    pub unmet: Vec<String>,
    pub todo: Vec<(String, bool)>,
}

impl CaseReport {
    pub fn passed(&self) -> bool {
        matches!(self.snapshot, SnapshotStatus::Matches) && self.unmet.is_empty()
    }
}

/// Reads a case's `case.toml`, locating any error.
pub fn read_spec(dir: &Path) -> Result<CaseSpec, Problem> {
    crate::engine::rule_set::read_toml(
        &dir.join(crate::input::load::CASE_FILE),
        crate::diagnostic::ProblemKind::Input,
    )
}

/// Whether a `todo` entry (`RULE@CODE` that should fire, or `!RULE@CODE` that should not) holds.
fn todo_holds(outcome: &CaseOutcome, entry: &str) -> bool {
    match entry.strip_prefix('!') {
        Some(not) => !matches(outcome, not),
        None => matches(outcome, entry),
    }
}

/// Runs one case and compares it with its snapshot and its stated expectations.
pub fn check(dir: &Path, spec: CaseSpec, batch: &Batch) -> std::io::Result<CaseReport> {
    let outcome = run_case(dir, batch);
    let stored =
        crate::analyst::snapshot::read(&dir.join(crate::analyst::snapshot::SNAPSHOT_FILE))?;
    let body = crate::analyst::snapshot::body(&outcome);
    let snapshot = match stored {
        None => SnapshotStatus::Missing,
        Some(s) if crate::analyst::snapshot::matches(&s.body, &body) => SnapshotStatus::Matches,
        Some(s) => match crate::analyst::snapshot::diff(&s, &outcome) {
            Ok(changes) => SnapshotStatus::Differs(changes),
            Err(why) => SnapshotStatus::Unreadable(why),
        },
    };
    let unmet = unmet_expectations(&spec, &outcome);
    let todo = spec
        .todo
        .iter()
        .map(|t| (t.clone(), todo_holds(&outcome, t)))
        .collect();
    Ok(CaseReport {
        dir: dir.to_path_buf(),
        spec,
        outcome,
        snapshot,
        unmet,
        todo,
    })
}

/// Rewrites a case's snapshot with its new outcome.
pub fn update_snapshot(report: &CaseReport) -> std::io::Result<()> {
    let path = report.dir.join(crate::analyst::snapshot::SNAPSHOT_FILE);
    let stored = crate::analyst::snapshot::read(&path)?;
    let case_file = report.dir.join(crate::input::load::CASE_FILE);
    crate::analyst::snapshot::write(
        &path,
        stored.as_ref(),
        &report.spec.description,
        &case_file.display().to_string(),
        &crate::analyst::snapshot::body(&report.outcome),
    )
}

/// For each rule: the cases where it fires and the cases that state it must not.
pub struct Coverage {
    pub rule: String,
    pub fires_in: Vec<String>,
    pub near_misses_in: Vec<String>,
}

pub fn coverage(rule_set: &RuleSet, reports: &[CaseReport]) -> Vec<Coverage> {
    let name = |r: &CaseReport| {
        r.dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string()
    };
    rule_set
        .rules
        .iter()
        .map(|rule| {
            let id = rule.meta.id.as_str();
            let states_not =
                |e: &String| e == id || e.split_once('@').is_some_and(|(r, _)| r == id);
            Coverage {
                rule: id.to_string(),
                fires_in: reports
                    .iter()
                    .filter(|r| matches(&r.outcome, id))
                    .map(name)
                    .collect(),
                near_misses_in: reports
                    .iter()
                    .filter(|r| r.spec.expect_not.iter().any(states_not))
                    .map(name)
                    .collect(),
            }
        })
        .collect()
}
