//! Property tests: the display helpers near Decimal's limits, and "any record that loads can be
//! evaluated, scored and rendered without a panic" over generated records mixing ordinary,
//! extreme, negative, empty, full-width and nonsense values.

use jixiao::engine::evaluate::Evaluator;
use jixiao::engine::guard::Flags;
use jixiao::engine::rule_set::RuleSet;
use jixiao::input::load;
use jixiao::model::view::UnitRef;
use jixiao::number_text;
use jixiao::output::ranking::{ScoreFormat, ScoreWriter};
use jixiao::output::{Format, RunWriter};
use jixiao::score::ranking::UnitSummary;
use jixiao::score::scorecard;
use proptest::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};
use std::path::Path;
use std::sync::LazyLock;

/// Any Decimal: a 96-bit mantissa at any scale.
fn any_decimal() -> impl Strategy<Value = Decimal> {
    let max = (1i128 << 96) - 1;
    (-max..=max, 0u32..=28).prop_map(|(m, s)| Decimal::from_i128_with_scale(m, s))
}

proptest! {
    #[test]
    fn display_helpers_never_panic_and_round_half_up(d in any_decimal(), places in 0u32..=8) {
        let shown = number_text::fixed(d, places);
        prop_assert!(shown.parse::<Decimal>().is_ok() || shown.len() > 28, "{shown}");
        let pct = number_text::pct(d);
        prop_assert!(pct.ends_with('%'));
        prop_assert!(number_text::wan(d).ends_with("万元"));
        prop_assert_eq!(number_text::plain(d).parse::<Decimal>().ok(), Some(d.normalize()));
        // Where the rounded value fits, the text is exactly it, with `places` decimals.
        let rounded = d.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
        if rounded.abs() < Decimal::from(10i64.pow(15)) {
            prop_assert_eq!(shown.parse::<Decimal>().ok(), Some(rounded));
            let decimals = shown.split_once('.').map_or(0, |(_, f)| f.len());
            prop_assert_eq!(decimals, places as usize);
        }
    }
}

/// Amounts as a hostile file may write them: ordinary, extreme, negative, text, empty.
fn amount() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..100_000, 0u32..100).prop_map(|(a, b)| format!("{a}.{b:02}")),
        Just("0".to_string()),
        Just("-50".to_string()),
        Just("\"79228162514264337593543950335\"".to_string()),
        Just("\"70000000000000000000000000000\"".to_string()),
        Just("\"0.0000000000000000000000000001\"".to_string()),
        Just("1e300".to_string()),
        Just("\"45.00万元\"".to_string()),
        Just("\"\"".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
    ]
}

/// Indicator values as people (and fuzzers) write them.
fn indicator_value() -> impl Strategy<Value = String> {
    let ops = prop_oneof![
        Just(""),
        Just("≥"),
        Just("≤"),
        Just(">"),
        Just("<"),
        Just("="),
        Just("＞＝"),
        Just("≧"),
    ];
    let units = prop_oneof![
        Just(""),
        Just("个"),
        Just("%"),
        Just("万元"),
        Just("人次"),
        Just("百分比")
    ];
    prop_oneof![
        (ops, any_decimal(), units).prop_map(|(o, d, u)| format!("{o}{d}{u}")),
        Just("效果明显".to_string()),
        Just("部分达成".to_string()),
        Just("12月底前".to_string()),
        Just("次年3月".to_string()),
        Just("是".to_string()),
        Just("≥５０个".to_string()),
        Just("1,86人次".to_string()),
        Just("≥0.0000000000000000000000001个".to_string()),
        Just("79228162514264337593543950335个".to_string()),
        Just("≥-5%".to_string()),
        "\\PC{0,12}",
    ]
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn unit_text() -> impl Strategy<Value = String> {
    let indicator = (
        indicator_value(),
        indicator_value(),
        prop_oneof![
            Just("数量指标"),
            Just("成本指标"),
            Just("满意度指标"),
            Just("质量指标")
        ],
        proptest::option::of(0u32..60),
        proptest::option::of(0u32..60),
    );
    let project = (
        amount(),
        amount(),
        amount(),
        amount(),
        proptest::collection::vec(indicator, 0..5),
        "\\PC{0,20}",
    );
    proptest::collection::vec(project, 1..4).prop_map(|projects| {
        let mut text = String::from("[unit]\ncode = \"PROP\"\nname = \"性质测试单位\"\nyear = 2023\n");
        for (i, (initial, adjusted, executed, unsettled, indicators, reason)) in projects.into_iter().enumerate() {
            text += &format!(
                "[[projects]]\ncode = \"P{i}\"\nname = \"项目{i}\"\ngroup = \"组\"\nbudget_initial = {initial}\nbudget_adjusted = {adjusted}\nexecuted = {executed}\nunsettled = {unsettled}\ndeviation_reason = {}\n",
                toml_string(&reason)
            );
            for (j, (target, actual, level2, weight, score)) in indicators.into_iter().enumerate() {
                text += &format!(
                    "[[projects.indicators]]\nlevel1 = \"产出指标\"\nlevel2 = \"{level2}\"\nname = \"指标{j}\"\ntarget = {}\nactual = {}\n",
                    toml_string(&target),
                    toml_string(&actual)
                );
                if let Some(w) = weight {
                    text += &format!("weight = {w}\n");
                }
                if let Some(s) = score {
                    text += &format!("score = {s}\n");
                }
            }
        }
        text += "[[unit.groups]]\nname = \"组\"\nexecuted = 1\n";
        text
    })
}

/// A `WHEN` guard only saves work: on every project where a bundled rule's guard is false,
/// the rule called anyway (as `explain` calls it) reports nothing.
fn no_guard_hides_a_finding(evaluator: &Evaluator, unit: &UnitRef) {
    for project in &unit.0.projects {
        let flags = Flags::of(&project.0);
        for rule in evaluator.all_rules() {
            let Some(when) = &rule.meta.when else {
                continue;
            };
            if when.holds(flags) {
                continue;
            }
            let report = evaluator.evaluate_rule(rule, unit, Some(project));
            assert!(
                report.findings.is_empty() && report.problems.is_empty(),
                "{}'s guard is false on project {} of unit {}, which it reports: {:?} {:?}",
                rule.meta.id,
                project.0.record.code,
                unit.0.record.code,
                report.findings,
                report.problems,
            );
        }
    }
}

#[test]
fn the_bundled_guards_hide_no_finding_on_a_generated_batch() {
    let form = RULES.scoring.default_form().expect("a default form");
    let evaluator = Evaluator::new(&RULES);
    for record in jixiao::analyst::generate::units(30, 20, 7) {
        no_guard_hides_a_finding(&evaluator, &UnitRef::build(record, form));
    }
}

static RULES: LazyLock<RuleSet> = LazyLock::new(|| crate::common::rules(Path::new("rules")));

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    #[test]
    fn any_record_that_loads_is_evaluated_scored_and_rendered_without_a_panic(text in unit_text()) {
        let Ok((source, _)) = load::parse_unit(Path::new("unit.toml"), text.as_bytes()) else {
            return Ok(());
        };
        let unit = UnitRef::build(source.record, RULES.scoring.default_form().expect("a default form"));
        let evaluator = Evaluator::new(&RULES);
        no_guard_hides_a_finding(&evaluator, &unit);
        let report = evaluator.evaluate(&unit, "unit.toml");
        let score = scorecard::score_unit(&unit.0);
        for format in [Format::Table, Format::Json, Format::Md, Format::Jsonl, Format::Xlsx] {
            let mut writer = RunWriter::begin(format, &RULES, Vec::new()).unwrap();
            writer.unit(&report, &score).unwrap();
            writer.problems(&report.problems).unwrap();
            writer.finish(&report.problems).unwrap();
        }
        for format in [ScoreFormat::Table, ScoreFormat::Json, ScoreFormat::Csv] {
            let mut writer = ScoreWriter::begin(format, Vec::new()).unwrap();
            writer.scorecard(&report, &score).unwrap();
            let summary = UnitSummary::new(&report, &score, report.problems.len());
            writer.finish(&[summary], &report.problems).unwrap();
        }
    }
}
