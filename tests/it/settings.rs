//! Settings an analyst edits: validated when they load, with file, line and column (the
//! kind of each `rules.toml` value against how the rules use it, the order of grades and
//! tiers in a scoring form); scoring forms chosen per unit or per run; the worker count kept sane.

use crate::common;

use common::{edit, jixiao, jixiao_in, text};
use std::path::Path;

/// A copy of the rules with one edit to `file`, and what `check` says of it (exit 2 asserted),
/// with the line (from 1) of the first line of the edited file that starts with `line_start`.
fn check_after_edit(
    file: &str,
    (from, to): (&str, &str),
    line_start: &str,
) -> (tempfile::TempDir, String, usize) {
    let dir = common::workspace(&["rules"]);
    let path = dir.path().join("rules").join(file);
    edit(&path, from, to);
    let out = jixiao_in(dir.path(), &["check"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let line = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .position(|l| l.starts_with(line_start))
        .unwrap()
        + 1;
    (dir, stderr, line)
}

#[test]
fn a_threshold_of_the_wrong_kind_is_reported_where_it_is_written() {
    let (dir, stderr, line) = check_after_edit(
        "rules.toml",
        ("total_tolerance = 0.00", "total_tolerance = \"0\""),
        "total_tolerance",
    );
    assert!(
        stderr.contains(&format!("rules/rules.toml:{line}:19: field `total_tolerance`: threshold `total_tolerance` is text (\"0\"), but rules/basic-total.rhai:")),
        "{stderr}"
    );
    assert!(
        stderr.contains("uses it as a number: write a number without quotes"),
        "{stderr}"
    );
    // Before this check, the text compared false and a total that adds up was reported as
    // wrong; now `run` leaves the rule out and says why.
    let case = Path::new(common::ROOT).join("cases/basic-total");
    let run = jixiao_in(
        dir.path(),
        &["run", case.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(run.status.code(), Some(2));
    assert!(
        !text(&run.stdout).contains("\"rule\": \"BASIC-TOTAL\""),
        "{}",
        text(&run.stdout)
    );
    assert!(text(&run.stderr).contains("threshold `total_tolerance` is text"));
}

#[test]
fn a_word_list_that_is_not_a_list_is_reported() {
    let dir = common::workspace(&["rules"]);
    let rules = dir.path().join("rules");
    edit(
        &rules.join("rules.toml"),
        "cost_control_year_on_year = [",
        "cost_control_year_on_year = 3 # [",
    );
    let out = jixiao_in(dir.path(), &["check"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("threshold `cost_control_year_on_year` is a number (3), but rules/cost-control-exceeded.rhai:"),
        "{stderr}"
    );
    assert!(stderr.contains("uses it as a list of words"), "{stderr}");
}

#[test]
fn a_threshold_named_only_in_a_comment_or_string_is_not_a_read() {
    let dir = common::workspace(&["rules"]);
    let rules = dir.path().join("rules");
    edit(
        &rules.join("overspend.rhai"),
        "fn check(p, unit, t) {",
        "// t.not_a_threshold in a comment\nfn check(p, unit, t) {\n    let note = \"t.also_not_one\";",
    );
    let out = jixiao_in(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn grades_out_of_order_are_reported_at_the_grade() {
    let dir = common::workspace(&["rules"]);
    let scoring = dir.path().join("rules/scoring/default.toml");
    edit(
        &scoring,
        "name = \"良\"\nmin = 80",
        "name = \"良\"\nmin = 95",
    );
    let out = jixiao_in(dir.path(), &["check"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let line = std::fs::read_to_string(&scoring)
        .unwrap()
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "[[grades]]")
        .nth(1)
        .unwrap()
        .0
        + 1;
    assert!(
        stderr.contains(&format!("rules/scoring/default.toml:{line}:1: grade `良` (from 95) comes after `优` (from 90): list the grades highest first")),
        "{stderr}"
    );
}

#[test]
fn tiers_out_of_order_are_reported() {
    let dir = common::workspace(&["rules"]);
    let scoring = dir.path().join("rules/scoring/default.toml");
    edit(&scoring, "min = 0.80\nmax = 1.00", "min = 0.10\nmax = 0.20");
    let out = jixiao_in(dir.path(), &["check"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "tier `达成年度指标` comes after `部分达成并具有一定效果` but its band is lower"
        ),
        "{stderr}"
    );
}

#[test]
fn an_absurd_job_count_is_capped_with_a_note() {
    let out = jixiao(&[
        "run",
        "cases/overspend",
        "--jobs",
        "100000",
        "--format",
        "json",
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("--jobs 100000 is more than 4 per core"),
        "{stderr}"
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["units"][0]["code"], "CASE-OVERSPEND");
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out.stderr)))
}

#[test]
fn run_and_score_use_the_same_form_and_a_unit_may_name_its_own() {
    let case = "cases/score-mismatch-form";
    // The inferred weights make the finding the same on any form; the scores differ by form.
    for form in ["default", "execution-20"] {
        let run = json(&jixiao(&[
            "run",
            case,
            "--scoring",
            form,
            "--format",
            "json",
        ]));
        let score = json(&jixiao(&[
            "score",
            case,
            "--scoring",
            form,
            "--format",
            "json",
        ]));
        let mismatches = |doc: &serde_json::Value| {
            doc["units"][0]["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["rule"] == "SCORE-MISMATCH")
                .count()
        };
        assert_eq!(mismatches(&run), 1, "{form}");
        for card in score["scorecards"].as_array().unwrap() {
            assert_eq!(card["form"], form);
        }
    }
    // Without --scoring each unit is scored by its own form.
    let score = json(&jixiao(&["score", case, "--format", "json"]));
    let forms: Vec<&str> = score["scorecards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["form"].as_str().unwrap())
        .collect();
    assert_eq!(forms, ["default", "execution-20"]);
}

#[test]
fn an_unknown_form_is_an_error_naming_the_forms() {
    let out = jixiao(&["score", "cases/overspend", "--scoring", "executoin-20"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("did you mean `execution-20`?"), "{stderr}");
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("unit.toml");
    let good =
        std::fs::read_to_string(Path::new(common::ROOT).join("cases/overspend/unit.toml")).unwrap();
    std::fs::write(
        &unit,
        good.replacen("year = 2023", "year = 2023\nscoring = \"guangxi\"", 1),
    )
    .unwrap();
    let out = jixiao(&[
        "score",
        unit.to_str().unwrap(),
        "cases/budget-adjusted",
        "--format",
        "json",
    ]);
    let doc = json(&out);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(doc["errors"][0]["field"], "unit.scoring");
    assert!(
        doc["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("no scoring form `guangxi`")
    );
    // The unit with an unknown form is not ranked; the other one is.
    assert_eq!(doc["ranking"].as_array().unwrap().len(), 1);
}

#[test]
fn the_seed_score_covers_only_its_scored_projects_and_says_so() {
    let doc = json(&jixiao(&[
        "score",
        "cases/lukou-hrss-2023",
        "--format",
        "json",
    ]));
    let card = &doc["scorecards"][0];
    assert_eq!(card["scored_projects"], 3);
    assert_eq!(card["unscored_projects"], 18);
    let unscored = card["projects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["unscored"] == "no_indicators")
        .count();
    assert_eq!(unscored, 18);
    let share: f64 = card["scored_budget_share"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(share > 0.0 && share < 0.1, "{share}");
    assert_eq!(
        doc["ranking"][0]["scored_budget_share"],
        card["scored_budget_share"]
    );
    assert_eq!(doc["ranking"][0]["score"], card["score"]);
    assert!(doc["ranking"][0]["by_severity"]["warning"].is_number());
    assert!(doc["ranking"][0]["by_category"]["indicator_gap"].is_number());
    let table = text(&jixiao(&["score", "cases/lukou-hrss-2023"]).stdout);
    assert!(table.contains("评分覆盖"), "{table}");
}

#[test]
fn a_category_list_naming_no_category_is_reported_where_it_is_written() {
    let (_dir, stderr, line) = check_after_edit(
        "rules.toml",
        ("\"overspend\",", "\"overspent\","),
        "deviation_categories",
    );
    assert!(
        stderr.contains(&format!(
            "rules/rules.toml:{line}:24: field `deviation_categories`: threshold `deviation_categories`: `overspent` is not a finding category; did you mean `overspend`?"
        )),
        "{stderr}"
    );
}

#[test]
fn a_rule_has_one_entry_point_reading_findings_or_not() {
    let dir = common::workspace(&["rules"]);
    let rule = dir.path().join("rules/overspend.rhai");
    edit(
        &rule,
        "fn check(p, unit, t) {",
        "fn check(p, unit, t, earlier) {\n    ()\n}\n\nfn check(p, unit, t) {",
    );
    let out = jixiao_in(dir.path(), &["check"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("rules/overspend.rhai: a rule has one entry point: `fn check(p, unit, t)` or `fn check(p, unit, t, earlier)`, not both"),
        "{stderr}"
    );
}

#[test]
fn a_guard_rules_projects_out_before_the_rule_runs() {
    let dir = common::workspace(&["rules"]);
    let rules = dir.path().join("rules");
    let case = Path::new(common::ROOT).join("cases/overspend");
    let overspends = |dir: &Path| {
        let run = jixiao_in(dir, &["run", case.to_str().unwrap(), "--format", "json"]);
        text(&run.stdout).matches("\"rule\": \"OVERSPEND\"").count()
    };
    assert_eq!(overspends(dir.path()), 2);
    // A guard that holds on no overspent project: the rule is never called on one.
    edit(
        &rules.join("overspend.rhai"),
        "const WHEN = \"overspent\";",
        "const WHEN = \"!overspent\";",
    );
    assert_eq!(overspends(dir.path()), 0);
}

#[test]
fn a_guard_that_does_not_parse_is_reported_where_it_is_written() {
    let (_dir, stderr, line) = check_after_edit(
        "cross-year.rhai",
        (
            "const WHEN = \"has_unsettled || has_reason\";",
            "const WHEN = \"has_unsettled || has_reasons\";",
        ),
        "const WHEN",
    );
    assert!(
        stderr.contains(&format!(
            "rules/cross-year.rhai:{line}:32: in WHEN: unknown flag `has_reasons`; did you mean `has_reason`?"
        )),
        "{stderr}"
    );
}
