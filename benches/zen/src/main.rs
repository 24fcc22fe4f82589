//! The peer benchmark against GoRules ZEN (issue 12 §3): jixiao's six core rules —
//! BUDGET-BELOW-INITIAL, COST-GAP, CROSS-YEAR, EXEC-RATE-LOW, OVERSPEND, QUANTITY-GAP, pinned
//! in `rules/` with their thresholds — against the same rules as a ZEN decision graph in two
//! forms (`graphs/`), on the batch the repository's benchmarks use (`jixiao::analyst::generate`, 100
//! units × 20 projects, seed 7, as `benches/rules/fixture.rs`).
//!
//! Both engines start from the same views (records parsed, indicators compared) and end with
//! findings in Rust: jixiao runs its rules (`Evaluator`, as each `Batch` worker does); ZEN is
//! fed the views as `Variable`s (`input.rs`), evaluates the graph and its result is read back
//! (`findings.rs`). Each thread keeps its own compiled rules or graph, built before timing.
//! Both allocate with mimalloc, as `jixiao` does.
//!
//! Usage: `jixiao-zen-bench check` (the engines agree, or the first difference is named);
//! `time [PASSES]` (the table, one thread and all cores); `list`; `MODE` (one pass of one
//! engine on one thread, for `run.sh`'s callgrind counts of `zen_measured`).

mod findings;
mod graph;
mod input;

use findings::Found;
use graph::Form;
use jixiao::engine::evaluate::Evaluator;
use jixiao::engine::rule_set::{self, RuleSet};
use jixiao::model::view::{UnitRef, UnitView};
use rayon::prelude::*;
use std::cell::OnceCell;
use std::path::Path;
use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use zen_engine::Decision;

/// As `jixiao` itself and the repository's instruction counts allocate.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const UNITS: usize = 100;
const PROJECTS: usize = 20;
const SEED: u64 = 7;

/// An engine under test.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Engine {
    Jixiao,
    Zen(Form),
}

impl Engine {
    const ALL: [Engine; 3] = [
        Engine::Jixiao,
        Engine::Zen(Form::Expressions),
        Engine::Zen(Form::Table),
    ];

    fn name(self) -> String {
        match self {
            Engine::Jixiao => "jixiao".to_owned(),
            Engine::Zen(form) => format!("zen-{}", form.name()),
        }
    }

    /// One unit's findings, with this thread's compiled rules or graph.
    fn evaluate(self, unit: &UnitRef) -> Vec<Found> {
        match self {
            Engine::Jixiao => JIXIAO.with(|e| {
                let report = e
                    .get_or_init(|| Evaluator::new(&setup().rules))
                    .evaluate(unit, "bench");
                // A pinned rule that no longer runs (a helper renamed in jixiao) must stop
                // the bench, not shrink what it measures.
                assert!(
                    report.problems.is_empty(),
                    "jixiao could not run the pinned rules on unit {}: {:?}",
                    report.code,
                    report.problems
                );
                report.findings.into_iter().map(Found::from).collect()
            }),
            Engine::Zen(form) => ZEN.with(|workers| {
                let (expressions, table) = workers;
                let worker = match form {
                    Form::Expressions => expressions,
                    Form::Table => table,
                };
                worker
                    .get_or_init(|| ZenWorker::new(form))
                    .evaluate(&unit.0)
            }),
        }
    }
}

/// What every thread builds its engines from.
struct Setup {
    rules: RuleSet,
    graphs: [String; 2],
}

static SETUP: OnceLock<Setup> = OnceLock::new();

fn setup() -> &'static Setup {
    SETUP.get_or_init(|| {
        let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/rules"));
        let loaded = rule_set::load(dir, None);
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let rules = loaded.rule_set.expect("the pinned rules load");
        let mut ids: Vec<_> = rules.rules.iter().map(|r| r.meta.id.as_str()).collect();
        ids.sort_unstable();
        assert_eq!(
            ids,
            findings::RULES,
            "the pinned rule set is the six core rules"
        );
        let graphs = Form::ALL.map(|form| graph::json(form, &rules));
        Setup { rules, graphs }
    })
}

/// A ZEN graph ready to run on this thread (ZEN's values are not `Send`), with the runtime
/// its asynchronous `evaluate` is driven by.
struct ZenWorker {
    runtime: tokio::runtime::Runtime,
    decision: Decision,
}

impl ZenWorker {
    fn new(form: Form) -> ZenWorker {
        let json = match form {
            Form::Expressions => &setup().graphs[0],
            Form::Table => &setup().graphs[1],
        };
        ZenWorker {
            runtime: tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("a tokio runtime"),
            decision: graph::decision(json),
        }
    }

    fn evaluate(&self, unit: &UnitView) -> Vec<Found> {
        let input = input::unit(unit, &setup().rules.causes);
        let response = self
            .runtime
            .block_on(self.decision.evaluate(input))
            .unwrap_or_else(|e| panic!("ZEN failed on unit {}: {e}", unit.record.code));
        findings::from_zen(unit, &response.result)
    }
}

thread_local! {
    static JIXIAO: OnceCell<Evaluator> = const { OnceCell::new() };
    static ZEN: (OnceCell<ZenWorker>, OnceCell<ZenWorker>) = const { (OnceCell::new(), OnceCell::new()) };
}

fn views() -> Vec<UnitRef> {
    let form = setup()
        .rules
        .scoring
        .default_form()
        .expect("a default form");
    jixiao::analyst::generate::units(UNITS, PROJECTS, SEED)
        .map(|u| UnitRef::build(u, form))
        .collect()
}

/// Panics, naming the unit and the first difference, unless every ZEN form gives exactly
/// jixiao's findings; prints how often each rule fired.
fn check(views: &[UnitRef]) {
    let mut fired = [0usize; 6];
    for unit in views {
        let expected = Engine::Jixiao.evaluate(unit);
        for f in &expected {
            if let Some(n) = findings::RULES.iter().position(|r| *r == f.rule) {
                fired[n] += 1;
            }
        }
        for form in Form::ALL {
            let got = Engine::Zen(form).evaluate(unit);
            if got != expected {
                let at = got.iter().zip(&expected).position(|(g, e)| g != e);
                let at = at.unwrap_or(got.len().min(expected.len()));
                panic!(
                    "ZEN ({}) differs from jixiao on unit {}, finding {at}:\njixiao: {:#?}\nzen:    {:#?}",
                    form.name(),
                    unit.0.record.code,
                    expected.get(at),
                    got.get(at),
                );
            }
        }
    }
    let total: usize = fired.iter().sum();
    println!("ZEN (expressions, table) and jixiao agree: {total} findings on {UNITS} units:");
    for (rule, n) in findings::RULES.iter().zip(fired) {
        println!("  {rule}: {n}");
    }
}

fn pass(engine: Engine, views: &[UnitRef], parallel: bool) -> usize {
    if parallel {
        views.par_iter().map(|u| engine.evaluate(u).len()).sum()
    } else {
        views.iter().map(|u| engine.evaluate(u).len()).sum()
    }
}

/// CPU time of the whole process (every thread) so far: on these shared machines wall time
/// moves ±30% with the load, CPU time for the same work far less.
fn cpu_time() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for clock_gettime to fill.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) } == 0;
    assert!(ok, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// The median wall and CPU time of `passes` timed passes, after one untimed pass that builds
/// each thread's engine.
fn time(engine: Engine, views: &[UnitRef], parallel: bool, passes: usize) -> (Duration, Duration) {
    let warm = pass(engine, views, parallel);
    let (mut wall, mut cpu): (Vec<Duration>, Vec<Duration>) = (0..passes.max(1))
        .map(|_| {
            let (start, start_cpu) = (Instant::now(), cpu_time());
            assert_eq!(pass(engine, views, parallel), warm);
            (start.elapsed(), cpu_time() - start_cpu)
        })
        .unzip();
    wall.sort_unstable();
    cpu.sort_unstable();
    (wall[wall.len() / 2], cpu[cpu.len() / 2])
}

fn table(views: &[UnitRef], passes: usize) {
    let threads = rayon::current_num_threads();
    let project_rules = (UNITS * PROJECTS * findings::RULES.len()) as f64;
    let ns = |d: Duration| d.as_nanos() as f64 / project_rules;
    println!(
        "\nns per project-rule ({UNITS} units × {PROJECTS} projects × 6 rules; median of {passes} passes):\n"
    );
    println!(
        "| engine | 1 thread, CPU | 1 thread, wall | {threads} threads, wall | {threads} threads, CPU | / jixiao: 1 thread CPU | / jixiao: {threads} threads wall |"
    );
    println!("|---|---|---|---|---|---|---|");
    let mut base = None;
    for engine in Engine::ALL {
        let (one_wall, one_cpu) = time(engine, views, false, passes);
        let (all_wall, all_cpu) = time(engine, views, true, passes);
        let (cpu_base, wall_base) = *base.get_or_insert((one_cpu, all_wall));
        println!(
            "| {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.2}× | {:.2}× |",
            engine.name(),
            ns(one_cpu),
            ns(one_wall),
            ns(all_wall),
            ns(all_cpu),
            ns(one_cpu) / ns(cpu_base),
            ns(all_wall) / ns(wall_base),
        );
    }
}

/// The only function callgrind counts (`run.sh`): one pass of one engine on one thread.
#[unsafe(no_mangle)]
#[inline(never)]
fn zen_measured(engine: Engine, views: &[UnitRef]) -> usize {
    pass(engine, views, false)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let views = views();
    match args.first().map(String::as_str) {
        Some("check") => check(&views),
        Some("time") => {
            let passes = args.get(1).and_then(|p| p.parse().ok()).unwrap_or(11);
            table(&views, passes);
        }
        Some("list") => Engine::ALL.iter().for_each(|e| println!("{}", e.name())),
        Some(mode) => match Engine::ALL.into_iter().find(|e| e.name() == mode) {
            Some(engine) => {
                pass(engine, &views, false); // builds the engine, uncounted
                std::hint::black_box(zen_measured(engine, &views));
            }
            None => {
                eprintln!("unknown mode `{mode}`: check, time [PASSES], list, or one of `list`");
                return ExitCode::FAILURE;
            }
        },
        None => {
            eprintln!("usage: jixiao-zen-bench check | time [PASSES] | list | MODE");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    /// `cargo test --release` here (the release build's dependencies are reused).
    #[test]
    fn both_zen_forms_give_exactly_jixiaos_findings() {
        let views = super::views();
        super::check(views.get(..10).expect("the batch has 10 units"));
    }
}
