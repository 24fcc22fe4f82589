//! Settings an analyst edits are validated when they load, with file, line and column: the
//! kind of each `rules.toml` value against how the rules use it, the order of grades and
//! tiers in `scoring.toml`; and the worker count is kept sane.

mod common;

use common::{edit, jixiao, jixiao_in, text};
use std::path::Path;

#[test]
fn a_threshold_of_the_wrong_kind_is_reported_where_it_is_written() {
    let dir = common::workspace(&["rules"]);
    let rules = dir.path().join("rules");
    edit(
        &rules.join("rules.toml"),
        "total_tolerance = 0.00",
        "total_tolerance = \"0\"",
    );
    let out = jixiao_in(dir.path(), &["check"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let line = std::fs::read_to_string(rules.join("rules.toml"))
        .unwrap()
        .lines()
        .position(|l| l.starts_with("total_tolerance"))
        .unwrap()
        + 1;
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
        "cross_year_words = [",
        "cross_year_words = 3 # [",
    );
    let out = jixiao_in(dir.path(), &["check"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("threshold `cross_year_words` is a number (3), but rules/cross-year.rhai:"),
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
    let scoring = dir.path().join("rules/scoring.toml");
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
        stderr.contains(&format!("rules/scoring.toml:{line}:1: grade `良` (from 95) comes after `优` (from 90): list the grades highest first")),
        "{stderr}"
    );
}

#[test]
fn tiers_out_of_order_are_reported() {
    let dir = common::workspace(&["rules"]);
    let scoring = dir.path().join("rules/scoring.toml");
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
