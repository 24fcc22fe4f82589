//! Instruction counts (`benches/callgrind.sh`): one exact pass of one phase over the fixed
//! generated batch, run under `valgrind --tool=callgrind --toggle-collect=jixiao_measured`, so
//! that only the phase itself is counted — not generating the batch, compiling the rules or
//! freeing what the phase built. Unlike wall time on these shared machines (±30%), the count
//! repeats to within 0.01% for the same binary and input (BENCHMARKS.md says what still
//! moves), so it can tell a 1% change from noise.
//!
//! `instructions list` prints every mode; `instructions check` verifies that the native rules
//! produce exactly the scripted findings (run natively, once, before counting); `instructions
//! MODE` runs one mode. Like `jixiao` itself, it allocates with mimalloc.

#[path = "../rules/fixture.rs"]
mod fixture;
#[path = "../rules/native.rs"]
mod native;

use fixture::{RULE_IDS, Which, views};
use jixiao::engine::evaluate::Evaluator;
use jixiao::engine::rule_set::RuleSet;
use jixiao::input::record::UnitFile;
use jixiao::model::view::UnitRef;
use native::NativeRules;
use std::any::Any;
use std::process::ExitCode;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The only function callgrind counts. What the phase returns is kept alive past it, so the
/// count leaves out freeing it on every side alike.
#[unsafe(no_mangle)]
#[inline(never)]
pub fn jixiao_measured(phase: Box<dyn FnOnce() -> Box<dyn Any> + '_>) -> Box<dyn Any> {
    phase()
}

/// Which rules evaluate the views: the scripted ones or the hand-written baseline.
enum Side {
    Scripted(Evaluator),
    Native(NativeRules, Which<'static>),
}

impl Side {
    fn evaluate(&self, views: &[UnitRef]) -> usize {
        match self {
            Side::Scripted(evaluator) => views
                .iter()
                .map(|u| evaluator.evaluate(u, "bench").findings.len())
                .sum(),
            Side::Native(rules, which) => {
                views.iter().map(|u| rules.evaluate(u, *which).len()).sum()
            }
        }
    }
}

fn side(name: &str, rules: &RuleSet, which: Which<'static>) -> Option<Side> {
    match name {
        "scripted" => Some(Side::Scripted(Evaluator::new(&fixture::select(
            rules, which,
        )))),
        "native" => Some(Side::Native(NativeRules::new(rules), which)),
        _ => None,
    }
}

/// Generated record texts → records.
type Parse = fn(&[String]) -> Vec<UnitFile>;

fn parse_json(json: &[String]) -> Vec<UnitFile> {
    json.iter()
        .map(|j| serde_json::from_str(j).expect("generated JSON parses"))
        .collect()
}

fn parse_toml(toml: &[String]) -> Vec<UnitFile> {
    toml.iter()
        .map(|t| toml::from_str(t).expect("generated TOML parses"))
        .collect()
}

/// The mirrored rules that read the others' findings: measured alone they would read none,
/// so each is measured as the whole set without it (`rules-SIDE-without:ID`), and its cost
/// is the difference.
const READERS: [&str; 1] = ["REASON-MISSING"];

fn modes() -> Vec<String> {
    let fixed = [
        "parse-json",
        "parse-toml",
        "views",
        "rules-scripted",
        "rules-native",
        "e2e-json-scripted",
        "e2e-json-native",
        "e2e-toml-scripted",
        "e2e-toml-native",
    ];
    let per_rule = RULE_IDS.iter().flat_map(|id| {
        ["scripted", "native"].map(|side| match READERS.contains(id) {
            true => format!("rules-{side}-without:{id}"),
            false => format!("rule-{side}:{id}"),
        })
    });
    fixed
        .iter()
        .map(|m| m.to_string())
        .chain(per_rule)
        .collect()
}

fn main() -> ExitCode {
    // Rhai hashes with a random key per process unless given one; a fixed key makes the
    // counts repeat exactly. It must be set before the first engine is built.
    if rhai::config::hashing::set_hashing_seed(Some([1, 2, 3, 4])).is_err() {
        eprintln!("the hashing seed was already set");
        return ExitCode::FAILURE;
    }
    let mode = std::env::args().nth(1).unwrap_or_default();
    if mode == "list" {
        modes().iter().for_each(|m| println!("{m}"));
        return ExitCode::SUCCESS;
    }
    let rules = fixture::mirrored_rules();
    let units = fixture::units();
    if mode == "check" {
        fixture::assert_native_matches_scripted(&rules, &views(units.into_iter(), &rules));
        println!("the native rules produce the scripted findings");
        return ExitCode::SUCCESS;
    }
    let json: Vec<String> = units
        .iter()
        .map(|u| serde_json::to_string(u).expect("a record serialises"))
        .collect();
    let toml: Vec<String> = units
        .iter()
        .map(|u| toml::to_string(u).expect("a record serialises"))
        .collect();
    // `rules-SIDE` runs the whole rule set, `rule-SIDE:ID` one rule, `rules-SIDE-without:ID`
    // all but one.
    let known = |id: &str| RULE_IDS.iter().copied().find(|r| *r == id);
    let rules_mode = if let Some(rest) = mode.strip_prefix("rule-") {
        rest.split_once(':')
            .and_then(|(name, id)| Some((name, Which::Only(known(id)?))))
    } else if let Some(rest) = mode.strip_prefix("rules-") {
        match rest.split_once("-without:") {
            Some((name, id)) => known(id).map(|id| (name, Which::AllBut(id))),
            None => Some((rest, Which::All)),
        }
    } else {
        None
    };
    let kept = if mode.starts_with("rule") {
        let Some((name, which)) = rules_mode else {
            return unknown(&mode);
        };
        let Some(side) = side(name, &rules, which) else {
            return unknown(&mode);
        };
        let views = views(units.into_iter(), &rules);
        jixiao_measured(Box::new(|| Box::new(side.evaluate(&views))))
    } else if let Some((format, name)) = mode.strip_prefix("e2e-").and_then(|m| m.split_once('-')) {
        let (parse, text): (Parse, _) = match format {
            "json" => (parse_json, &json),
            "toml" => (parse_toml, &toml),
            _ => return unknown(&mode),
        };
        let Some(side) = side(name, &rules, Which::All) else {
            return unknown(&mode);
        };
        jixiao_measured(Box::new(|| {
            let views = views(parse(text).into_iter(), &rules);
            let findings = side.evaluate(&views);
            Box::new((views, findings))
        }))
    } else {
        match mode.as_str() {
            "parse-json" => jixiao_measured(Box::new(|| Box::new(parse_json(&json)))),
            "parse-toml" => jixiao_measured(Box::new(|| Box::new(parse_toml(&toml)))),
            "views" => jixiao_measured(Box::new(|| Box::new(views(units.into_iter(), &rules)))),
            _ => return unknown(&mode),
        }
    };
    std::hint::black_box(kept);
    ExitCode::SUCCESS
}

fn unknown(mode: &str) -> ExitCode {
    eprintln!("unknown mode `{mode}`; `instructions list` prints the modes");
    ExitCode::FAILURE
}
