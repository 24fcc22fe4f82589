//! The `jixiao` binary end to end: what a user on a fresh checkout sees, exit codes, and
//! that editing rules or thresholds changes the next run without rebuilding.

use crate::common;

use common::{edit, jixiao};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

fn stdout(o: &Output) -> String {
    common::text(&o.stdout)
}

fn stderr(o: &Output) -> String {
    common::text(&o.stderr)
}

/// A copy of the bundled rules the test may edit.
fn rules_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = common::workspace(&["rules"]);
    let rules = dir.path().join("rules");
    (dir, rules)
}

fn seed_json(extra: &[&str]) -> (serde_json::Value, Output) {
    let mut args = vec!["run", "cases/lukou-hrss-2023", "--format", "json"];
    args.extend_from_slice(extra);
    let out = jixiao(&args);
    (
        serde_json::from_slice(&out.stdout).expect("json output"),
        out,
    )
}

fn findings(doc: &serde_json::Value) -> Vec<serde_json::Value> {
    doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|u| u["findings"].as_array().unwrap().clone())
        .collect()
}

#[test]
fn default_run_prints_the_seed_findings() {
    let out = jixiao(&["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("430212-RSJ"));
    assert!(text.contains("年初预算数20.00万元"));
    assert!(text.contains("报告称所属事业单位8个，实际列出5个"));
}

#[test]
fn seed_json_reports_the_seed_deviations_with_their_causes() {
    let (doc, out) = seed_json(&[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(doc["errors"], serde_json::json!([]));
    let all = findings(&doc);
    let on = |project: &str| -> Vec<(String, String)> {
        all.iter()
            .filter(|f| f["project"] == project)
            .map(|f| {
                (
                    f["category"].as_str().unwrap().to_string(),
                    f["cause"]["code"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    for (project, cause) in [
        ("P01", "platform_change"),
        ("P02", "beneficiary_change"),
        ("P03", "cross_year_settlement"),
    ] {
        let found = on(project);
        assert!(
            found.contains(&("budget_accuracy".into(), cause.into())),
            "{project}: {found:?}"
        );
        assert!(
            found.contains(&("indicator_gap".into(), cause.into())),
            "{project}: {found:?}"
        );
        assert!(
            found.iter().all(|(_, c)| c == cause),
            "{project}: {found:?}"
        );
    }
    assert!(on("P03").contains(&(
        "cross_year_settlement".into(),
        "cross_year_settlement".into()
    )));
    assert!(all.iter().any(|f| f["category"] == "consistency"
        && f["project"].is_null()
        && f["evidence"]["stated"] == 8
        && f["evidence"]["listed"] == 5));
    let others: Vec<_> = all
        .iter()
        .filter(|f| {
            !["P01", "P02", "P03"].contains(&f["project"].as_str().unwrap_or(""))
                && !f["project"].is_null()
        })
        .collect();
    assert_eq!(
        others.len(),
        18,
        "one data note per project without indicators"
    );
    assert!(
        others
            .iter()
            .all(|f| f["severity"] == "info" && f["category"] == "data_quality")
    );
    let amounts = all
        .iter()
        .find(|f| f["rule"] == "BUDGET-BELOW-INITIAL" && f["project"] == "P01")
        .unwrap();
    assert_eq!(amounts["evidence"]["executed"], "8.56");
    assert_eq!(amounts["evidence"]["shortfall"], "11.44");
}

#[test]
fn the_appropriation_projects_sum_to_exactly_1758_76() {
    let (unit, problems) = jixiao::input::load::read_unit(Path::new(&format!(
        "{}/cases/lukou-hrss-2023/unit.toml",
        env!("CARGO_MANIFEST_DIR")
    )))
    .unwrap();
    assert!(problems.is_empty());
    let group = "一般公共预算财政拨款项目";
    let members: Vec<_> = unit
        .record
        .projects
        .iter()
        .filter(|p| p.group.as_deref() == Some(group))
        .collect();
    assert_eq!(members.len(), 14);
    let sum: rust_decimal::Decimal = members.iter().map(|p| p.executed).sum();
    assert_eq!(sum.to_string(), "1758.76");
}

#[test]
fn editing_a_threshold_changes_the_next_run() {
    let (_dir, rules) = rules_copy();
    let before = findings(&seed_json(&["--rules", rules.to_str().unwrap()]).0);
    assert!(!before.iter().any(|f| f["rule"] == "EXEC-RATE-LOW"));
    edit(
        &rules.join("rules.toml"),
        "execution_rate_min = 0.90",
        "execution_rate_min = 0.95",
    );
    let after = findings(&seed_json(&["--rules", rules.to_str().unwrap()]).0);
    let fired: Vec<_> = after
        .iter()
        .filter(|f| f["rule"] == "EXEC-RATE-LOW")
        .collect();
    assert_eq!(fired.len(), 1);
    assert_eq!(fired[0]["project"], "P03");
    assert_eq!(fired[0]["evidence"]["execution_rate_min"], "0.95");
}

#[test]
fn editing_a_rule_changes_the_next_run() {
    let (_dir, rules) = rules_copy();
    edit(
        &rules.join("institutions-count.rhai"),
        "报告称",
        "自评报告称",
    );
    let out = stdout(&jixiao(&["run", "--rules", rules.to_str().unwrap()]));
    assert!(out.contains("自评报告称所属事业单位8个"));
}

#[test]
fn a_syntax_error_in_a_rule_is_located_by_check() {
    let (_dir, rules) = rules_copy();
    let path = rules.join("overspend.rhai");
    let text = fs::read_to_string(&path).unwrap();
    edit(
        &path,
        "let over = p.executed - p.budget_adjusted;",
        "let over = p.executed - ;",
    );
    let out = jixiao(&["check", "--rules", rules.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let line = text.lines().position(|l| l.contains("let over =")).unwrap() + 1;
    let err = stderr(&out);
    assert!(err.contains(&format!("overspend.rhai:{line}:")), "{err}");
    assert_eq!(jixiao(&["check"]).status.code(), Some(0));
}

#[test]
fn a_malformed_unit_is_located_and_the_good_ones_still_reported() {
    let dir = tempfile::tempdir().unwrap();
    let seed = fs::read_to_string(format!(
        "{}/cases/lukou-hrss-2023/unit.toml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    fs::write(dir.path().join("a-good.toml"), &seed).unwrap();
    let bad = seed
        .replace("code = \"430212-RSJ\"", "code = \"BAD-1\"")
        .replacen("executed = 8.56", "executed = \"8.5x6\"", 1);
    fs::write(dir.path().join("b-bad.toml"), &bad).unwrap();
    let line = bad.lines().position(|l| l.contains("8.5x6")).unwrap() + 1;
    let out = jixiao(&["run", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["units"].as_array().unwrap().len(), 1);
    assert_eq!(doc["units"][0]["code"], "430212-RSJ");
    let error = &doc["errors"][0];
    assert_eq!(error["line"], line);
    assert_eq!(error["column"], 12);
    assert!(error["file"].as_str().unwrap().ends_with("b-bad.toml"));
    assert!(
        stderr(&out).contains(&format!("b-bad.toml:{line}:12:")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_endless_rule_fails_alone_in_bounded_time() {
    let (_dir, rules) = rules_copy();
    let started = std::time::Instant::now();
    let (baseline, _) = seed_json(&["--rules", rules.to_str().unwrap()]);
    let normal = started.elapsed();
    fs::write(
        rules.join("loop-forever.rhai"),
        "//! Never ends.\nconst ID = \"LOOP-FOREVER\";\nconst TITLE = \"死循环\";\nconst SEVERITY = \"info\";\nconst CATEGORY = \"data_quality\";\nconst SCOPE = \"project\";\nfn check(p, unit, t) {\n    let n = 0;\n    loop { n += 1; }\n}\n",
    )
    .unwrap();
    let started = std::time::Instant::now();
    let (doc, out) = seed_json(&["--rules", rules.to_str().unwrap()]);
    let looping = started.elapsed();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(doc["units"], baseline["units"], "other results unchanged");
    // The bound is the operations limit, not a clock: 21 projects × 200,000 operations cost
    // seconds at most. Far above the run without the rule would mean the limit did not hold.
    assert!(
        looping < normal * 20 + std::time::Duration::from_secs(30),
        "the endless rule took {looping:?} (the run without it {normal:?})"
    );
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 21, "one error per project");
    assert!(errors.iter().all(|e| {
        e["rule"] == "LOOP-FOREVER"
            && e["message"]
                .as_str()
                .unwrap()
                .contains("operations on one record")
    }));
}

#[test]
fn a_misspelt_field_is_an_error_with_a_suggestion() {
    let (_dir, rules) = rules_copy();
    edit(
        &rules.join("overspend.rhai"),
        "p.executed - p.budget_adjusted",
        "p.excuted - p.budget_adjusted",
    );
    // Found when the rules load, so a rule the seed's data never reaches (OVERSPEND fires
    // on no seed project) or a guard skips is still caught, at the line that reads it.
    let line = 1 + fs::read_to_string(rules.join("overspend.rhai"))
        .unwrap()
        .lines()
        .position(|l| l.contains("p.excuted"))
        .unwrap();
    let (doc, out) = seed_json(&["--rules", rules.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let error = &doc["errors"][0];
    assert!(
        error["file"].as_str().unwrap().ends_with("overspend.rhai"),
        "{error}"
    );
    assert_eq!(error["line"], line, "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("Project has no field `excuted`; did you mean `executed`?"),
        "{error}"
    );
    // The other rules still ran.
    assert!(!doc["units"][0]["findings"].as_array().unwrap().is_empty());
}

#[test]
fn rules_cannot_reach_files_or_eval() {
    let (_dir, rules) = rules_copy();
    let header = "//! Tries to escape.\nconst ID = \"ESCAPE\";\nconst TITLE = \"x\";\nconst SEVERITY = \"info\";\nconst CATEGORY = \"data_quality\";\nconst SCOPE = \"unit\";\n";
    fs::write(
        rules.join("escape.rhai"),
        format!("{header}fn check(unit, t) {{ eval(\"1\") }}\n"),
    )
    .unwrap();
    let out = jixiao(&["check", "--rules", rules.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("escape.rhai:7:21: reserved keyword 'eval' is disabled"),
        "{}",
        stderr(&out)
    );
    // A module that exists and would load, were file access allowed.
    let secret = rules.parent().unwrap().join("secret");
    fs::write(secret.with_extension("rhai"), "export const KEY = 42;\n").unwrap();
    fs::write(
        rules.join("escape.rhai"),
        format!(
            "{header}import \"{}\" as s;\nfn check(unit, t) {{ }}\n",
            secret.display()
        ),
    )
    .unwrap();
    let out = jixiao(&["check", "--rules", rules.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // The sandbox's module resolver finds nothing, not even a file that is there.
    assert!(
        stderr(&out).contains(&format!(
            "escape.rhai:7:8: Module not found: {}",
            secret.display()
        )),
        "{}",
        stderr(&out)
    );
}

#[test]
fn duplicate_unit_and_project_codes_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let seed = fs::read_to_string(format!(
        "{}/cases/lukou-hrss-2023/unit.toml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    fs::write(dir.path().join("a.toml"), &seed).unwrap();
    fs::write(
        dir.path().join("b.toml"),
        seed.replace("code = \"P02\"", "code = \"P01\""),
    )
    .unwrap();
    let out = jixiao(&["run", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let messages: Vec<&str> = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("project code `P01` is used more than once")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("unit code `430212-RSJ` is already used by")),
        "{messages:?}"
    );
    let units = doc["units"].as_array().unwrap();
    assert_eq!(units.len(), 1, "the later unit with the code is left out");
    assert!(units[0]["file"].as_str().unwrap().ends_with("a.toml"));
}

#[test]
/// The default case's write-up; tests/it/writeup.rs reads it closely.
fn markdown_reads_like_the_seed_report() {
    let out = stdout(&jixiao(&["run", "--format", "md"]));
    assert!(out.contains("## 四、存在的问题及原因分析"));
    assert!(out.contains("## 五、下一步改进措施"));
    assert!(out.contains("一是全年执行数低于年初预算数，涉及"));
    assert!(
        out.contains("| 数据系统维护费 | 全年执行数低于年初预算数 | — | 年初预算数20.00万元 |")
    );
}
