//! What an analyst asks of a batch in one command: `summary` (kinds of finding, execution-rate
//! bands, 主管部门) on a batch whose figures are known by construction and cross-checked
//! against `run`'s own findings; `run --min-severity` / `--fail-on`, the filter and the gate a
//! unit's own submission check uses; and tables whose headers stand over their columns.

use crate::common;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Output;

const RULES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/rules");

/// A unit file: its code, 主管部门 and projects as (code, adjusted budget, executed), each with a
/// reason so that only the deviations themselves are reported.
fn unit(code: &str, department: Option<&str>, projects: &[(&str, u32, u32)]) -> String {
    let mut text = format!("[unit]\ncode = \"{code}\"\nname = \"{code}单位\"\n");
    if let Some(department) = department {
        text += &format!("department = \"{department}\"\n");
    }
    for (project, budget, executed) in projects {
        text += &format!(
            "[[projects]]\ncode = \"{project}\"\nname = \"项目{project}\"\n\
             budget_initial = {budget}\nbudget_adjusted = {budget}\nexecuted = {executed}\n\
             deviation_reason = \"项目因审批手续延期，进度滞后。\"\n"
        );
    }
    text
}

/// Five units, one in each execution-rate band, in two departments and none; U4's overspend
/// is suppressed.
fn known_batch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let units = [
        (
            "u1.toml",
            unit("U1", Some("人力资源和社会保障局"), &[("P1", 100, 50)]),
        ),
        (
            "u2.toml",
            unit("U2", Some("人力资源和社会保障局"), &[("P1", 100, 70)]),
        ),
        ("u3.toml", unit("U3", Some("民政局"), &[("P1", 100, 85)])),
        (
            "u4.toml",
            unit("U4", None, &[("P1", 100, 95), ("P2", 10, 12)])
                + "[[suppress]]\nrule = \"OVERSPEND\"\nproject = \"P2\"\nreason = \"经批准的应急支出。\"\n",
        ),
        ("u5.toml", unit("U5", Some(" "), &[])),
    ];
    for (name, text) in units {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// A kind of finding: (category, severity).
type Kind = (String, String);

fn jixiao(dir: &Path, args: &[&str]) -> Output {
    let out = common::jixiao_in(dir, &[args, &["--rules", RULES]].concat());
    assert!(
        matches!(out.status.code(), Some(0..=2)),
        "{}",
        common::text(&out.stderr)
    );
    out
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

fn codes(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

#[test]
fn summary_figures_match_the_batch_and_the_findings_run_reports() {
    let dir = known_batch();
    let out = jixiao(dir.path(), &["summary", ".", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out.stderr));
    let summary = json(&out);
    assert_eq!(
        (summary["units"].as_u64(), summary["projects"].as_u64()),
        (Some(5), Some(5))
    );
    assert_eq!(summary["suppressed"], 1);
    assert_eq!(summary["below_90"], 3);

    // One unit in each band; U5 has no budget to compute a rate from.
    let bands: Vec<(&str, Vec<&str>)> = summary["execution_rate_bands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["label"].as_str().unwrap(), codes(&b["which"])))
        .collect();
    assert_eq!(
        bands,
        [
            ("<60%", vec!["U1"]),
            ("60%–80%", vec!["U2"]),
            ("80%–90%", vec!["U3"]),
            ("≥90%", vec!["U4"]),
            ("无法计算", vec!["U5"]),
        ]
    );

    // Departments by name; a blank one counts as none, and those come last.
    let departments: Vec<(Value, Vec<&str>, u64, u64)> = summary["departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let bands = &d["bands"];
            (
                d["department"].clone(),
                codes(&d["which"]),
                d["projects"].as_u64().unwrap(),
                bands["below_60"].as_u64().unwrap() + bands["60_to_80"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        departments,
        [
            (Value::from("人力资源和社会保障局"), vec!["U1", "U2"], 2, 2),
            (Value::from("民政局"), vec!["U3"], 1, 0),
            (Value::Null, vec!["U4", "U5"], 2, 0),
        ]
    );

    // Low execution: U1, U2 and U3 (below 90%), one project each.
    let kinds = summary["kinds"].as_array().unwrap();
    let low = kinds
        .iter()
        .find(|k| k["category"] == "execution_rate")
        .expect("low execution is reported");
    assert_eq!(
        (low["units"].as_u64(), low["projects"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(
        low["which"],
        serde_json::json!([
            {"unit": "U1", "projects": ["P1"]},
            {"unit": "U2", "projects": ["P1"]},
            {"unit": "U3", "projects": ["P1"]},
        ])
    );
    // U4's overspend is accepted: not a kind of finding of the batch.
    assert!(
        kinds.iter().all(|k| k["category"] != "overspend"),
        "{kinds:?}"
    );

    // Every kind as `run` reports it: findings, units and projects, suppressed ones apart.
    let run = json(&jixiao(dir.path(), &["run", ".", "--format", "json"]));
    let mut expected: BTreeMap<Kind, (u64, BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    for unit in run["units"].as_array().unwrap() {
        for f in unit["findings"].as_array().unwrap() {
            if f.get("suppressed").is_some() {
                continue;
            }
            let key = (f["category"].to_string(), f["severity"].to_string());
            let (count, units, projects) = expected.entry(key).or_default();
            *count += 1;
            units.insert(f["unit"].to_string());
            if !f["project"].is_null() {
                projects.insert(format!("{}/{}", f["unit"], f["project"]));
            }
        }
    }
    let summarised: BTreeMap<Kind, (u64, u64, u64)> = kinds
        .iter()
        .map(|k| {
            let n = |key: &str| k[key].as_u64().unwrap();
            let key = (k["category"].to_string(), k["severity"].to_string());
            (key, (n("findings"), n("units"), n("projects")))
        })
        .collect();
    let counted: BTreeMap<Kind, (u64, u64, u64)> = expected
        .into_iter()
        .map(|(key, (n, units, projects))| (key, (n, units.len() as u64, projects.len() as u64)))
        .collect();
    assert_eq!(summarised, counted);
    let total: u64 = summarised.values().map(|(n, _, _)| n).sum();
    let by_severity: u64 = ["error", "warning", "info"]
        .iter()
        .map(|s| summary["findings"][s].as_u64().unwrap())
        .sum();
    assert_eq!(total, by_severity);
}

#[test]
fn the_summary_table_answers_how_many_are_below_90_percent_and_csv_opens_in_excel() {
    let dir = known_batch();
    let table = common::text(&jixiao(dir.path(), &["summary", "."]).stdout);
    assert!(
        table.contains("执行率低于90%的单位 3 个（60.00%）"),
        "{table}"
    );
    assert!(table.contains("\n执行率偏低  "), "{table}");
    let department = table
        .lines()
        .find(|l| l.starts_with("人力资源和社会保障局"))
        .expect("a row per department");
    // 2 units, 2 projects, …, one below 60% and one at 60–80%.
    let cells: Vec<&str> = department.split_whitespace().collect();
    assert_eq!(cells[1..3], ["2", "2"], "{department}");
    assert_eq!(cells[6..11], ["1", "1", "0", "0", "0"], "{department}");

    let csv = jixiao(dir.path(), &["summary", ".", "--format", "csv"]).stdout;
    let csv = String::from_utf8(csv).unwrap();
    let csv = csv
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for Excel");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header[..6],
        ["维度", "名称", "细分", "单位数", "项目数", "问题数"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let band = rows
        .iter()
        .find(|r| &r[0] == "执行率区间" && &r[1] == "<60%")
        .unwrap();
    assert_eq!((&band[3], &band[10]), ("1", "U1"));
    let none = rows
        .iter()
        .find(|r| &r[0] == "主管部门" && &r[1] == "未填主管部门")
        .unwrap();
    assert_eq!((&none[3], &none[4], &none[10]), ("2", "2", "U4、U5"));
}

#[test]
fn min_severity_shows_only_what_is_at_or_above_and_says_how_much_it_hid() {
    let dir = known_batch();
    let all = json(&jixiao(dir.path(), &["run", ".", "--format", "json"]));
    let out = jixiao(
        dir.path(),
        &["run", ".", "--format", "json", "--min-severity", "warning"],
    );
    assert_eq!(out.status.code(), Some(0));
    let shown = json(&out);
    let mut hidden = 0;
    for (unit, kept) in all["units"]
        .as_array()
        .unwrap()
        .iter()
        .zip(shown["units"].as_array().unwrap())
    {
        let findings = unit["findings"].as_array().unwrap();
        let wanted: Vec<&Value> = findings
            .iter()
            .filter(|f| f["severity"] != "info")
            .collect();
        hidden += findings.len() - wanted.len();
        assert_eq!(
            kept["findings"]
                .as_array()
                .unwrap()
                .iter()
                .collect::<Vec<_>>(),
            wanted
        );
    }
    assert!(hidden > 0, "the batch has info findings to hide");
    assert!(
        common::text(&out.stderr).contains(&format!("{hidden} findings below warning not shown")),
        "{}",
        common::text(&out.stderr)
    );
    // The table says so in each unit's total.
    let table = common::text(&jixiao(dir.path(), &["run", ".", "--min-severity", "error"]).stdout);
    assert!(table.contains("未显示"), "{table}");
    assert!(!table.contains("  info "), "{table}");
}

#[test]
fn fail_on_exits_1_for_a_finding_at_or_above_and_2_still_wins() {
    let dir = known_batch();
    let code = |args: &[&str]| jixiao(dir.path(), args).status.code();
    // The only error, U4's overspend, is suppressed: it never fails a run.
    assert_eq!(code(&["run", "u4.toml", "--fail-on", "error"]), Some(0));
    assert_eq!(code(&["run", "u4.toml"]), Some(0));
    // U1 has warnings (low execution): at or above warning fails, error does not.
    assert_eq!(code(&["run", "u1.toml", "--fail-on", "warning"]), Some(1));
    assert_eq!(code(&["run", "u1.toml", "--fail-on", "error"]), Some(0));
    // Hidden or not, a finding counts.
    let out = jixiao(
        dir.path(),
        &[
            "run",
            "u1.toml",
            "--fail-on",
            "warning",
            "--min-severity",
            "error",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        common::text(&out.stderr).contains("at or above warning (--fail-on warning)"),
        "{}",
        common::text(&out.stderr)
    );
    // An input error is exit 2, whatever the findings.
    std::fs::write(dir.path().join("bad.toml"), "[unit]\ncode = \"B\"\n").unwrap();
    assert_eq!(code(&["run", ".", "--fail-on", "warning"]), Some(2));
}

/// Each whitespace-separated cell of a table line as (first, last) display column.
fn cells(line: &str) -> Vec<(usize, usize)> {
    use unicode_width::UnicodeWidthChar;
    let mut cells = Vec::new();
    let mut column = 0;
    let mut start = None;
    for c in line.chars().chain([' ']) {
        match (c == ' ', start) {
            (false, None) => start = Some(column),
            (true, Some(first)) => {
                cells.push((first, column));
                start = None;
            }
            _ => {}
        }
        column += c.width().unwrap_or(0);
    }
    cells
}

#[test]
fn the_ranking_headers_stand_over_their_columns() {
    let table = common::text(&common::jixiao(&["score", "cases"]).stdout);
    let lines: Vec<&str> = table.lines().collect();
    let header = cells(lines[0]);
    assert_eq!(header.len(), 9, "{table}");
    // Rows with every figure (a unit without a score or a rate has cells fewer).
    let full: Vec<Vec<(usize, usize)>> = lines[1..]
        .iter()
        .map(|l| cells(l))
        .filter(|cells| cells.len() == header.len() + 1)
        .collect();
    assert!(full.len() > 10, "{table}");
    for row in full {
        // 排名 得分 · 执行率 评分覆盖 错误 警告 提示 end where their figures end; 等级 and 单位
        // start where theirs start.
        for column in [0, 1, 3, 4, 5, 6, 7] {
            assert_eq!(header[column].1, row[column].1, "column {column}:\n{table}");
        }
        for column in [2, 8] {
            assert_eq!(header[column].0, row[column].0, "column {column}:\n{table}");
        }
    }
}

#[test]
fn write_up_files_follow_the_filter_and_the_gate() {
    let dir = known_batch();
    let out = tempfile::tempdir().unwrap();
    let write = |sub: &str, extra: &[&str]| {
        let folder = out.path().join(sub);
        let folder_arg = folder.to_str().unwrap().to_string();
        let mut args = vec!["run", "u1.toml", "--format", "md", "--out", &folder_arg];
        args.extend(extra);
        let status = jixiao(dir.path(), &args).status.code();
        let text = std::fs::read_to_string(folder.join("U1.md")).unwrap();
        (status, text)
    };
    let (status, all) = write("all", &[]);
    assert_eq!(status, Some(0));
    let (status, errors_only) = write(
        "errors",
        &["--min-severity", "error", "--fail-on", "warning"],
    );
    // U1's findings are warnings: hidden from its write-up, yet they fail the gate.
    assert_eq!(status, Some(1));
    assert!(all.contains("一是"), "{all}");
    assert!(!errors_only.contains("一是"), "{errors_only}");
}
