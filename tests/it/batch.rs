//! Batches end to end: `gen` is deterministic, `score` ranks identically on any number of
//! threads and from a folder or its JSON Lines twin, and the scoring settings are a file.

use crate::common;

use std::fs;
use std::path::Path;
use std::process::Output;

/// Runs the binary in the project folder; exit 0 or 2 (a located problem), never a crash.
fn jixiao(args: &[&str]) -> Output {
    let out = common::jixiao(args);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(2),
        "{}",
        common::text(&out.stderr)
    );
    out
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Generates a batch of 8-project units into `out`.
fn generate(units: &str, seed: &str, out: &Path) -> Output {
    jixiao(&[
        "gen",
        "--units",
        units,
        "--projects",
        "8",
        "--seed",
        seed,
        "--out",
        path(out),
    ])
}

/// A folder and a JSON Lines file holding the same generated batch.
fn batch(units: &str) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("batch");
    let lines = dir.path().join("batch.jsonl");
    for out in [&folder, &lines] {
        assert_eq!(generate(units, "7", out).status.code(), Some(0));
    }
    (dir, folder, lines)
}

/// CSV rows without the last column (the file each unit came from).
fn rows_without_file(csv: &[u8]) -> Vec<String> {
    String::from_utf8(csv.to_vec())
        .unwrap()
        .lines()
        .map(|l| l.rsplit_once(',').unwrap().0.to_string())
        .collect()
}

#[test]
fn gen_is_deterministic_and_covers_every_category() {
    let (dir, folder, lines) = batch("60");
    let again = dir.path().join("again.jsonl");
    generate("60", "7", &again);
    assert_eq!(fs::read(&lines).unwrap(), fs::read(&again).unwrap());
    let other = dir.path().join("other.jsonl");
    generate("60", "8", &other);
    assert_ne!(fs::read(&lines).unwrap(), fs::read(&other).unwrap());
    assert_eq!(fs::read_dir(&folder).unwrap().count(), 60);

    let out = jixiao(&["run", path(&lines), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "generated units are valid");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let categories: std::collections::BTreeSet<&str> = doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|u| u["findings"].as_array().unwrap())
        .map(|f| f["category"].as_str().unwrap())
        .collect();
    for category in jixiao::engine::cause_catalogue::CATEGORIES {
        assert!(
            categories.contains(category),
            "no {category} finding in {categories:?}"
        );
    }
}

#[test]
fn score_is_identical_on_any_thread_count_and_from_either_format() {
    let (_dir, folder, lines) = batch("150");
    let one = jixiao(&["score", path(&folder), "--format", "csv", "--jobs", "1"]);
    let many = jixiao(&["score", path(&folder), "--format", "csv", "--jobs", "8"]);
    assert_eq!(one.stdout, many.stdout, "byte-identical on 1 and 8 threads");
    let from_lines = jixiao(&["score", path(&lines), "--format", "csv", "--jobs", "3"]);
    assert_eq!(
        rows_without_file(&one.stdout),
        rows_without_file(&from_lines.stdout)
    );

    let json_one = jixiao(&["run", path(&lines), "--format", "json", "--jobs", "1"]);
    let json_many = jixiao(&["run", path(&lines), "--format", "json", "--jobs", "8"]);
    assert_eq!(json_one.stdout, json_many.stdout);
}

#[test]
fn the_csv_is_ranked_excel_ready_and_counts_findings() {
    let (_dir, folder, _) = batch("40");
    let csv =
        String::from_utf8(jixiao(&["score", path(&folder), "--format", "csv"]).stdout).unwrap();
    assert!(
        csv.starts_with('\u{feff}'),
        "UTF-8 byte-order mark for Excel"
    );
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(
        &header[..6],
        ["排名", "单位编码", "单位名称", "得分", "等级", "执行率(%)"]
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 40);
    // Ranked by the exact score (the CSV shows it rounded), ties by unit code.
    let json = jixiao(&["score", path(&folder), "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let ranking: Vec<(rust_decimal::Decimal, &str)> = doc["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["score"].as_str().unwrap().parse().unwrap(),
                r["code"].as_str().unwrap(),
            )
        })
        .collect();
    for pair in ranking.windows(2) {
        let ((a, code_a), (b, code_b)) = (pair[0], pair[1]);
        assert!(
            a > b || (a == b && code_a < code_b),
            "{a} {code_a} before {b} {code_b}"
        );
    }
    let csv_codes: Vec<&str> = rows.iter().map(|r| r[1]).collect();
    let json_codes: Vec<&str> = ranking.iter().map(|(_, code)| *code).collect();
    assert_eq!(csv_codes, json_codes);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row[0], (i + 1).to_string());
        let severities: usize = row[7..10].iter().map(|n| n.parse::<usize>().unwrap()).sum();
        let categories: usize = row[10..23]
            .iter()
            .map(|n| n.parse::<usize>().unwrap())
            .sum();
        assert_eq!(
            severities, categories,
            "every finding counted once by severity and by category"
        );
    }
}

#[test]
fn a_scoring_file_changes_the_scores_without_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases/score-mismatch");
    let default = jixiao(&["score", path(&case), "--format", "json"]);
    let text = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/scoring/default.toml"),
    )
    .unwrap();
    let equal = dir.path().join("equal.toml");
    fs::write(
        &equal,
        text.replace(
            "unit_combination = \"budget\"",
            "unit_combination = \"equal\"",
        ),
    )
    .unwrap();
    let varied = jixiao(&[
        "score",
        path(&case),
        "--format",
        "json",
        "--scoring",
        path(&equal),
    ]);
    let score = |o: &Output| -> String {
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        doc["ranking"][0]["score"].as_str().unwrap().to_string()
    };
    assert_ne!(score(&default), score(&varied));
    let broken = dir.path().join("broken.toml");
    fs::write(
        &broken,
        text.replace(
            "lower_is_better = \"linear\"",
            "lower_is_better = \"quadratic\"",
        ),
    )
    .unwrap();
    let out = jixiao(&["score", path(&case), "--scoring", path(&broken)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("broken.toml:"),
        "a located error"
    );
}

#[test]
fn a_bad_json_line_is_located_and_the_rest_scored() {
    let (dir, _, lines) = batch("5");
    let text = fs::read_to_string(&lines).unwrap();
    let mut rows: Vec<String> = text.lines().map(str::to_string).collect();
    rows[2] = rows[2].replacen("\"executed\":\"", "\"executed\":\"x", 1);
    let bad = dir.path().join("bad.jsonl");
    fs::write(&bad, rows.join("\n")).unwrap();
    let out = jixiao(&["score", path(&bad), "--format", "csv"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.jsonl:3:"), "{stderr}");
    assert!(stderr.contains("field `"), "{stderr}");
    let csv = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        csv.lines().count(),
        1 + 4,
        "the other four units are ranked"
    );
}
