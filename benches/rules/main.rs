//! Benchmarks (`cargo bench`): the scripted standard rule set against the same rules written
//! natively in Rust (`native.rs`, bench code only), over the same parsed records.
//!
//! Every figure is reported per project (divan's item counter), and the ratios that matter —
//! scripted / native, end to end and per rule — are computed from the same run, since these
//! machines are shared and noisy. Before timing anything the harness checks that the native
//! rules produce exactly the scripted findings, so the baseline does the same work.

mod fixture;
mod native;

use divan::Bencher;
use divan::counter::ItemsCount;
use fixture::{PROJECTS, RULE_IDS, UNITS, Which, views};
use jixiao::engine::evaluate::Evaluator;
use jixiao::engine::rule_set::RuleSet;
use jixiao::model::view::UnitRef;
use native::NativeRules;
use std::sync::LazyLock;

struct Fixture {
    rules: RuleSet,
    toml: Vec<String>,
    json: Vec<String>,
    views: Vec<UnitRef>,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let rules = fixture::mirrored_rules();
    let units = fixture::units();
    let toml = units.iter().map(|u| toml::to_string(u).unwrap()).collect();
    let json = units
        .iter()
        .map(|u| serde_json::to_string(u).unwrap())
        .collect();
    let views = views(units.into_iter(), &rules);
    fixture::assert_native_matches_scripted(&rules, &views);
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

fn native(rules: &NativeRules, units: &[UnitRef], which: Which) -> usize {
    units.iter().map(|u| rules.evaluate(u, which).len()).sum()
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
            .bench_local(|| super::native(&rules, &FIXTURE.views, Which::All));
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
            .bench_local(|| super::native(&rules, &parse_toml(&FIXTURE), Which::All));
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
            .bench_local(|| super::native(&rules, &parse_json(&FIXTURE), Which::All));
    }
}

/// One rule at a time, per project: which rules are expensive. (Unit rules run once per unit,
/// so their per-project figure is their per-unit cost divided by the projects in a unit.)
mod per_rule {
    use super::*;

    #[divan::bench(args = RULE_IDS, sample_count = 10)]
    fn scripted(bencher: Bencher, id: &str) {
        let evaluator = Evaluator::new(&fixture::select(&FIXTURE.rules, Which::Only(id)));
        bencher
            .counter(projects())
            .bench_local(|| super::scripted(&evaluator, &FIXTURE.views));
    }

    #[divan::bench(args = RULE_IDS, sample_count = 10)]
    fn native(bencher: Bencher, id: &str) {
        let rules = NativeRules::new(&FIXTURE.rules);
        bencher
            .counter(projects())
            .bench_local(|| super::native(&rules, &FIXTURE.views, Which::Only(id)));
    }
}
