//! A batch: load every unit under the given paths, evaluate each on a worker thread with
//! that worker's own engine, and return the reports in input order with every problem.

use crate::evaluate::{Evaluator, UnitReport};
use crate::load::{self, UnitSource};
use crate::problem::Problem;
use crate::rule_set::RuleSet;
use crate::view::UnitRef;
use rayon::prelude::*;
use std::path::PathBuf;

pub struct BatchResult {
    pub reports: Vec<UnitReport>,
    /// Load problems first (in file order), then each unit's evaluation problems.
    pub problems: Vec<Problem>,
}

/// Evaluates one loaded unit.
pub fn evaluate_source(
    evaluator: &Evaluator,
    rule_set: &RuleSet,
    source: UnitSource,
) -> UnitReport {
    let UnitSource { file, record } = source;
    let unit = UnitRef::build(record.unit, record.projects, &rule_set.scoring);
    evaluator.evaluate(&unit, &file)
}

pub fn run(paths: &[PathBuf], rule_set: &RuleSet) -> BatchResult {
    let (files, mut problems) = load::unit_files(paths);
    let outcomes: Vec<Result<(UnitReport, Vec<Problem>), Problem>> = files
        .par_iter()
        .map_init(
            || Evaluator::new(rule_set),
            |evaluator, path| {
                let (source, problems) = load::read_unit(path)?;
                Ok((evaluate_source(evaluator, rule_set, source), problems))
            },
        )
        .collect();
    let mut reports = Vec::new();
    for outcome in outcomes {
        match outcome {
            Ok((report, load_problems)) => {
                problems.extend(load_problems);
                reports.push(report);
            }
            Err(problem) => problems.push(problem),
        }
    }
    problems.extend(load::duplicate_units(
        reports.iter().map(|r| (r.code.as_str(), r.file.as_str())),
    ));
    for report in &mut reports {
        problems.append(&mut report.problems);
    }
    BatchResult { reports, problems }
}
