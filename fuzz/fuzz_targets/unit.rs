//! Any bytes as a unit file: loading, then (when it loads) evaluating every bundled rule,
//! scoring and rendering every output format, never panic.
#![no_main]

use jixiao::engine::evaluate::Evaluator;
use jixiao::input::load;
use jixiao::output::ranking::{ScoreFormat, ScoreWriter};
use jixiao::score::ranking::UnitSummary;
use jixiao::output::{Format, RunWriter};
use jixiao::engine::rule_set::{self, RuleSet};
use jixiao::score::scorecard;
use jixiao::model::view::UnitRef;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static RULES: LazyLock<(RuleSet, Evaluator)> = LazyLock::new(|| {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules");
    let rules = rule_set::load(&dir, None).rule_set.expect("the bundled rules load");
    let evaluator = Evaluator::new(&rules);
    (rules, evaluator)
});

fuzz_target!(|bytes: &[u8]| {
    let Ok((source, _)) = load::parse_unit(std::path::Path::new("fuzz.toml"), bytes) else {
        return;
    };
    let (rules, evaluator) = &*RULES;
    let unit = UnitRef::build(source.record, rules.scoring.default_form().expect("a default form"));
    let report = evaluator.evaluate(&unit, "fuzz.toml");
    let score = scorecard::score_unit(&unit.0);
    for format in [Format::Table, Format::Json, Format::Md, Format::Jsonl, Format::Xlsx] {
        let mut writer = RunWriter::begin(format, rules, Vec::new()).expect("writes to memory");
        writer.unit(&report, &score).expect("writes to memory");
        writer.problems(&report.problems).expect("writes to memory");
        writer.finish(&report.problems).expect("writes to memory");
    }
    for format in [ScoreFormat::Table, ScoreFormat::Json, ScoreFormat::Csv] {
        let mut writer = ScoreWriter::begin(format, Vec::new()).expect("writes to memory");
        writer.scorecard(&report, &score).expect("writes to memory");
        let summary = UnitSummary::new(&report, &score, report.problems.len());
        writer.finish(&[summary], &report.problems).expect("writes to memory");
    }
});
