//! The hostile corpus (`tests/hostile/`): each input a problem once found by trying to break
//! jixiao, with the verdict it must reach (`verdicts.toml`). Each runs beside a good unit that
//! must still be reported in full, through `run` and `score`, with no panic and no hang.

use crate::common;

use common::{jixiao, text};
use serde::Deserialize;
use serde_json::Value;
use std::path::Path;

const GOOD: &str = "cases/overspend";

#[derive(Deserialize)]
struct Corpus {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    file: String,
    why: String,
    verdict: String,
    field: Option<String>,
    message: Option<String>,
    rule: Option<String>,
    count: Option<usize>,
    #[serde(default)]
    units: Vec<String>,
}

fn corpus() -> Vec<Case> {
    let path = Path::new(common::ROOT).join("tests/hostile/verdicts.toml");
    let text = std::fs::read_to_string(path).unwrap();
    toml::from_str::<Corpus>(&text).unwrap().case
}

/// `run --format json` of the hostile input beside the good unit.
fn run(file: &str) -> (Value, std::process::Output) {
    let path = format!("tests/hostile/{file}");
    let out = jixiao(&["run", &path, GOOD, "--format", "json"]);
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{file}: the JSON output is cut or broken ({e}); stderr:\n{}",
            text(&out.stderr)
        )
    });
    (doc, out)
}

fn unit<'a>(doc: &'a Value, code: &str) -> Option<&'a Value> {
    doc["units"].as_array()?.iter().find(|u| u["code"] == code)
}

#[test]
fn every_hostile_input_gets_its_verdict_and_the_good_unit_beside_it_is_whole() {
    let alone = jixiao(&["run", GOOD, "--format", "json"]);
    let alone: Value = serde_json::from_slice(&alone.stdout).unwrap();
    let good = unit(&alone, "CASE-OVERSPEND").unwrap().clone();
    let mut failures = Vec::new();
    for case in corpus() {
        let (doc, out) = run(&case.file);
        let stderr = text(&out.stderr);
        let mut fail =
            |what: String| failures.push(format!("{} ({}): {what}", case.file, case.why));
        if stderr.contains("internal error") || out.status.code() == Some(101) {
            fail(format!("panicked: {stderr}"));
            continue;
        }
        if unit(&doc, "CASE-OVERSPEND") != Some(&good) {
            fail("the good unit beside it is not reported in full".into());
        }
        let errors: Vec<&Value> = doc["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| {
                e["file"]
                    .as_str()
                    .is_some_and(|f| f.contains(case.file.as_str()))
            })
            .collect();
        let codes: Vec<&str> = doc["units"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|u| u["code"].as_str())
            .filter(|c| *c != "CASE-OVERSPEND")
            .collect();
        if !case.units.is_empty() && codes != case.units {
            fail(format!(
                "reported units {codes:?}, expected {:?}",
                case.units
            ));
        }
        match case.verdict.as_str() {
            "rejected" => {
                if out.status.code() != Some(2) {
                    fail(format!("exit {:?}, expected 2", out.status.code()));
                }
                let matching = errors.iter().any(|e| {
                    let field = e["field"].as_str().unwrap_or("");
                    let message = e["message"].as_str().unwrap_or("");
                    case.field
                        .as_ref()
                        .is_none_or(|f| field.contains(f.as_str()))
                        && case
                            .message
                            .as_ref()
                            .is_none_or(|m| message.contains(m.as_str()))
                });
                if !matching {
                    fail(format!(
                        "no input error with field {:?} and message {:?}: {errors:?}",
                        case.field, case.message
                    ));
                }
                if case.units.is_empty() && !codes.is_empty() {
                    fail(format!("a rejected unit was reported: {codes:?}"));
                }
            }
            "finding" | "reported" => {
                if !errors.is_empty() {
                    fail(format!("unexpected errors: {errors:?}"));
                }
                if codes.len() != 1 {
                    fail(format!("expected the unit reported once, got {codes:?}"));
                    continue;
                }
                if case.verdict == "finding" {
                    let rule = case.rule.as_deref().unwrap_or_default();
                    let found = unit(&doc, codes[0]).unwrap()["findings"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|f| f["rule"] == rule)
                        .count();
                    let enough = match case.count {
                        Some(n) => found == n,
                        None => found > 0,
                    };
                    if !enough {
                        fail(format!(
                            "{found} {rule} findings, expected {:?}",
                            case.count
                        ));
                    }
                }
            }
            other => fail(format!("unknown verdict `{other}`")),
        }
        let scored = jixiao(&[
            "score",
            &format!("tests/hostile/{}", case.file),
            GOOD,
            "--format",
            "csv",
        ]);
        let ranking = text(&scored.stdout);
        if text(&scored.stderr).contains("internal error") || !ranking.contains("CASE-OVERSPEND") {
            fail(format!("score lost the batch: {}", text(&scored.stderr)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
