//! The benchmarks' own copies of the rules (`benches/rules/pinned`, `benches/zen/rules`) still
//! load and run without a problem. The benches are not run by `cargo test` (the ZEN one is a
//! crate of its own), so a helper renamed in jixiao would otherwise only show when someone
//! next runs them, as `cause(reason, …)` did in the ZEN bench's copy until it was re-pinned.

use jixiao::engine::evaluate::Evaluator;
use jixiao::model::view::UnitRef;
use std::path::Path;

fn runs_cleanly(dir: &str) {
    let rules = crate::common::rules(Path::new(dir));
    let form = rules.scoring.default_form().expect("a default form");
    let evaluator = Evaluator::new(&rules);
    let mut findings = 0;
    for record in jixiao::analyst::generate::units(10, 20, 7) {
        let report = evaluator.evaluate(&UnitRef::build(record, form), "generated");
        assert!(
            report.problems.is_empty(),
            "{dir}: unit {}: {:?}",
            report.code,
            report.problems
        );
        findings += report.findings.len();
    }
    assert!(findings > 0, "{dir}: the pinned rules found nothing");
}

#[test]
fn the_native_benchmarks_pinned_rules_load_and_run() {
    runs_cleanly("benches/rules/pinned");
}

#[test]
fn the_zen_benchmarks_pinned_rules_load_and_run() {
    runs_cleanly("benches/zen/rules");
}
