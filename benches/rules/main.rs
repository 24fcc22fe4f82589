//! Benchmarks (`cargo bench`): the scripted standard rule set against the same rules written
//! natively in Rust (`native.rs`, bench code only), over the same parsed records.
//!
//! Every figure is reported per project (divan's item counter), and the ratios that matter —
//! scripted / native, end to end and per rule — are computed from the same run, since these
//! machines are shared and noisy. Before timing anything the harness checks that the native
//! rules produce exactly the scripted findings, so the baseline does the same work.

mod native;

use divan::Bencher;
use divan::counter::ItemsCount;
use jixiao::evaluate::Evaluator;
use jixiao::record::UnitFile;
use jixiao::rule_set::{self, RuleSet};
use jixiao::view::UnitRef;
use native::NativeRules;
use std::path::Path;
use std::sync::LazyLock;

const UNITS: usize = 100;
const PROJECTS: usize = 20;
const SEED: u64 = 7;

struct Fixture {
    rules: RuleSet,
    toml: Vec<String>,
    json: Vec<String>,
    views: Vec<UnitRef>,
}

fn views(units: impl Iterator<Item = UnitFile>, rules: &RuleSet) -> Vec<UnitRef> {
    units
        .map(|u| UnitRef::build(u, rules.scoring.default_form().expect("a default form")))
        .collect()
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let loaded = rule_set::load(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/rules")),
        None,
    );
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let mut rules = loaded.rule_set.expect("the bundled rules load");
    // The baseline mirrors these rules; rules added since are left out of both sides, so
    // scripted and native do the same work.
    rules
        .rules
        .retain(|r| RULE_IDS.contains(&r.meta.id.as_str()));
    assert_eq!(
        rules.rules.len(),
        RULE_IDS.len(),
        "every mirrored rule is bundled"
    );
    let units: Vec<UnitFile> = jixiao::generate::units(UNITS, PROJECTS, SEED).collect();
    let toml = units.iter().map(|u| toml::to_string(u).unwrap()).collect();
    let json = units
        .iter()
        .map(|u| serde_json::to_string(u).unwrap())
        .collect();
    let views = views(units.into_iter(), &rules);
    let scripted = Evaluator::new(&rules);
    let native = NativeRules::new(&rules);
    for unit in &views {
        let (scripted, native) = (
            scripted.evaluate(unit, "bench").findings,
            native.evaluate(unit, None),
        );
        // The first finding that differs, so a rule edit that the baseline does not mirror is
        // named at once.
        let differs = scripted.iter().zip(&native).position(|(s, n)| s != n);
        assert!(
            differs.is_none() && scripted.len() == native.len(),
            "the native rules must produce the scripted findings; first difference:\nscripted: {:?}\nnative:   {:?}",
            differs
                .and_then(|i| scripted.get(i))
                .or(scripted.get(native.len())),
            differs
                .and_then(|i| native.get(i))
                .or(native.get(scripted.len())),
        );
    }
    Fixture {
        rules,
        toml,
        json,
        views,
    }
});

fn projects() -> ItemsCount {
    ItemsCount::new(UNITS * PROJECTS)
}

fn parse_toml(f: &Fixture) -> Vec<UnitRef> {
    views(f.toml.iter().map(|t| toml::from_str(t).unwrap()), &f.rules)
}

fn parse_json(f: &Fixture) -> Vec<UnitRef> {
    views(
        f.json.iter().map(|j| serde_json::from_str(j).unwrap()),
        &f.rules,
    )
}

fn scripted(evaluator: &Evaluator, units: &[UnitRef]) -> usize {
    units
        .iter()
        .map(|u| evaluator.evaluate(u, "bench").findings.len())
        .sum()
}

fn native(rules: &NativeRules, units: &[UnitRef], only: Option<&str>) -> usize {
    units.iter().map(|u| rules.evaluate(u, only).len()).sum()
}

fn main() {
    LazyLock::force(&FIXTURE);
    divan::main();
}

/// Reading records: TOML or JSON text → records → the views rules read.
mod parse {
    use super::*;

    #[divan::bench(sample_count = 10)]
    fn toml(bencher: Bencher) {
        bencher
            .counter(projects())
            .bench_local(|| parse_toml(&FIXTURE));
    }

    #[divan::bench(sample_count = 10)]
    fn json(bencher: Bencher) {
        bencher
            .counter(projects())
            .bench_local(|| parse_json(&FIXTURE));
    }
}

/// The whole standard rule set over parsed records.
mod rules {
    use super::*;

    #[divan::bench(sample_count = 10)]
    fn scripted(bencher: Bencher) {
        let evaluator = Evaluator::new(&FIXTURE.rules);
        bencher
            .counter(projects())
            .bench_local(|| super::scripted(&evaluator, &FIXTURE.views));
    }

    #[divan::bench(sample_count = 10)]
    fn native(bencher: Bencher) {
        let rules = NativeRules::new(&FIXTURE.rules);
        bencher
            .counter(projects())
            .bench_local(|| super::native(&rules, &FIXTURE.views, None));
    }
}

/// Parse and evaluate, as `jixiao score` does per unit, on one thread.
mod end_to_end {
    use super::*;

    #[divan::bench(sample_count = 10)]
    fn scripted_toml(bencher: Bencher) {
        let evaluator = Evaluator::new(&FIXTURE.rules);
        bencher
            .counter(projects())
            .bench_local(|| super::scripted(&evaluator, &parse_toml(&FIXTURE)));
    }

    #[divan::bench(sample_count = 10)]
    fn native_toml(bencher: Bencher) {
        let rules = NativeRules::new(&FIXTURE.rules);
        bencher
            .counter(projects())
            .bench_local(|| super::native(&rules, &parse_toml(&FIXTURE), None));
    }

    #[divan::bench(sample_count = 10)]
    fn scripted_json(bencher: Bencher) {
        let evaluator = Evaluator::new(&FIXTURE.rules);
        bencher
            .counter(projects())
            .bench_local(|| super::scripted(&evaluator, &parse_json(&FIXTURE)));
    }

    #[divan::bench(sample_count = 10)]
    fn native_json(bencher: Bencher) {
        let rules = NativeRules::new(&FIXTURE.rules);
        bencher
            .counter(projects())
            .bench_local(|| super::native(&rules, &parse_json(&FIXTURE), None));
    }
}

const RULE_IDS: [&str; 22] = [
    "BASIC-TOTAL",
    "BUDGET-ADJUSTED",
    "BUDGET-BELOW-INITIAL",
    "BUDGET-SPLITS",
    "COST-CONTROL-EXCEEDED",
    "COST-GAP",
    "CROSS-YEAR",
    "EXEC-RATE-LOW",
    "GROUP-TOTALS",
    "INDICATOR-NOT-MET",
    "INDICATOR-UNPARSED",
    "INDICATOR-VALUE-MISSING",
    "INDICATORS-MISSING",
    "INSTITUTIONS-COUNT",
    "OVER-ACHIEVED",
    "OVER-ESTABLISHMENT",
    "OVERSPEND",
    "PROJECT-FUNDS",
    "QUANTITY-GAP",
    "REASON-MISSING",
    "SCORE-MISMATCH",
    "STAFF-TOTALS",
];

/// One rule at a time, per project: which rules are expensive. (Unit rules run once per unit,
/// so their per-project figure is their per-unit cost divided by the projects in a unit.)
mod per_rule {
    use super::*;

    fn only(id: &str) -> RuleSet {
        let mut rules = FIXTURE.rules.clone();
        rules.rules.retain(|r| r.meta.id == id);
        assert_eq!(rules.rules.len(), 1, "{id} is a bundled rule");
        rules
    }

    #[divan::bench(args = RULE_IDS, sample_count = 10)]
    fn scripted(bencher: Bencher, id: &str) {
        let evaluator = Evaluator::new(&only(id));
        bencher
            .counter(projects())
            .bench_local(|| super::scripted(&evaluator, &FIXTURE.views));
    }

    #[divan::bench(args = RULE_IDS, sample_count = 10)]
    fn native(bencher: Bencher, id: &str) {
        let rules = NativeRules::new(&FIXTURE.rules);
        bencher
            .counter(projects())
            .bench_local(|| super::native(&rules, &FIXTURE.views, Some(id)));
    }
}
