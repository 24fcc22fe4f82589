//! jixiao as a pipeline's map step: `-` reads JSON Lines from stdin, `--format jsonl` writes a
//! line per unit (and per problem) as each is done. The stdin run equals the file-based run;
//! a batch split into parts and run apart equals the whole, after sorting; no input line is
//! lost, good or bad.

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const RULES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/rules");

/// Runs the binary in `dir` with `input` on stdin.
fn jixiao_with_stdin(dir: &Path, args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("jixiao starts");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    // Written from a thread of its own: the output pipe fills while the input is still written.
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("jixiao runs");
    writer.join().unwrap().unwrap();
    out
}

/// A generated batch of `units` units as JSON Lines, `batch.jsonl` in a new folder.
fn batch(units: &str) -> (tempfile::TempDir, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let out = common::jixiao_in(
        dir.path(),
        &[
            "gen",
            "--units",
            units,
            "--projects",
            "6",
            "--seed",
            "11",
            "--out",
            "batch.jsonl",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::text(&out.stderr));
    let bytes = std::fs::read(dir.path().join("batch.jsonl")).unwrap();
    (dir, bytes)
}

/// The lines of JSON Lines output with each `"file"` (where the unit came from: a stream and
/// a line) left out, sorted.
fn sorted_without_file(output: &[u8]) -> Vec<String> {
    let file = regex::Regex::new(r#""file":"[^"]*","#).unwrap();
    let mut lines: Vec<String> = common::text(output)
        .lines()
        .map(|l| file.replace(l, "").into_owned())
        .collect();
    lines.sort();
    lines
}

#[test]
fn stdin_gives_the_file_based_run_byte_for_byte() {
    let (dir, bytes) = batch("300");
    let args = ["run", "--rules", RULES, "--format", "jsonl"];
    let from_file = common::jixiao_in(dir.path(), &[&args[..], &["batch.jsonl"]].concat());
    assert_eq!(from_file.status.code(), Some(0));
    let from_stdin = jixiao_with_stdin(dir.path(), &[&args[..], &["-"]].concat(), &bytes);
    assert_eq!(
        from_stdin.status.code(),
        Some(0),
        "{}",
        common::text(&from_stdin.stderr)
    );
    let lines = common::text(&from_file.stdout);
    assert_eq!(lines.lines().count(), 300);
    // Only the name of the source differs: the file's, or stdin's.
    let renamed = common::text(&from_stdin.stdout).replace("\"<stdin>:", "\"batch.jsonl:");
    assert_eq!(renamed, lines);
    // Each line is one unit: code, score, grade, rate and findings, decimals as exact strings.
    let first: serde_json::Value = serde_json::from_str(lines.lines().next().unwrap()).unwrap();
    assert_eq!(first["code"], "G11-000001");
    assert_eq!(first["file"], "batch.jsonl:1");
    assert!(first["score"].is_string() && first["grade"].is_string());
    assert!(first["findings"].is_array());

    // The summary reads stdin as it reads the file: the same figures.
    let args = ["summary", "--rules", RULES, "--format", "json"];
    let from_file = common::jixiao_in(dir.path(), &[&args[..], &["batch.jsonl"]].concat());
    let from_stdin = jixiao_with_stdin(dir.path(), &[&args[..], &["-"]].concat(), &bytes);
    assert_eq!(from_stdin.stdout, from_file.stdout);
}

#[test]
fn a_batch_split_and_run_in_parts_equals_the_whole_after_sorting() {
    let (dir, bytes) = batch("300");
    let whole = common::jixiao_in(
        dir.path(),
        &["run", "--rules", RULES, "--format", "jsonl", "batch.jsonl"],
    );
    assert_eq!(whole.status.code(), Some(0));
    // As `split -n l/3` and `xargs -P 3` would: three parts, each on its own process with its
    // own thread count, collected in whatever order they finish.
    let lines: Vec<&[u8]> = bytes.split_inclusive(|b| *b == b'\n').collect();
    let mut collected = Vec::new();
    for (part, jobs) in lines.chunks(100).zip(["2", "1", "3"]).rev() {
        let out = jixiao_with_stdin(
            dir.path(),
            &[
                "run", "--rules", RULES, "--format", "jsonl", "--jobs", jobs, "-",
            ],
            &part.concat(),
        );
        assert_eq!(out.status.code(), Some(0));
        collected.extend(out.stdout);
    }
    assert_eq!(
        sorted_without_file(&collected),
        sorted_without_file(&whole.stdout)
    );
}

#[test]
fn every_input_line_comes_out_as_a_unit_or_an_error_in_input_order() {
    let (dir, bytes) = batch("3");
    let units: Vec<&str> = std::str::from_utf8(&bytes).unwrap().lines().collect();
    let input = [
        units[0],
        "{\"unit\": {\"code\": \"X\"",
        "",
        units[1],
        "[1, 2]",
        units[1],
        "{\"unit\": {\"code\": \"Y\", \"name\": \"某局\"}, \"projects\": [{\"code\": \"P1\"}]}",
        units[2],
    ]
    .join("\n");
    let out = jixiao_with_stdin(
        dir.path(),
        &["run", "--rules", RULES, "--format", "jsonl", "-"],
        input.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(2), "input errors exit 2");
    let lines: Vec<serde_json::Value> = common::text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    // Each line names its place in the input: `<stdin>:N` for a unit, line N for an error.
    let places: Vec<String> = lines
        .iter()
        .map(|l| match (&l["file"], &l["error"]) {
            (serde_json::Value::String(file), _) => format!("unit {file}"),
            // A unit left out after it was read is named as units are, `<stdin>:N`.
            (_, error) => {
                let text = |key: &str| error[key].as_str().unwrap_or_default().to_string();
                let line = error["line"].as_u64().map(|l| format!(":{l}"));
                let (file, field) = (text("file"), text("field"));
                format!("error {file}{} {field}", line.unwrap_or_default())
            }
        })
        .collect();
    assert_eq!(
        places,
        [
            "unit <stdin>:1",
            "error <stdin>:2 ",
            "unit <stdin>:4",
            "error <stdin>:5 ",
            // The second unit with a code already used is left out, and says why.
            "error <stdin>:6 unit.code",
            "error <stdin>:7 projects[0]",
            "unit <stdin>:8",
        ]
    );
    assert!(
        common::text(&out.stderr).contains("<stdin>:2:"),
        "problems are reported on stderr too: {}",
        common::text(&out.stderr)
    );
}

#[test]
fn each_unit_comes_out_as_soon_as_it_is_done_while_stdin_stays_open() {
    let (dir, bytes) = batch("2");
    let units: Vec<String> = common::text(&bytes).lines().map(str::to_string).collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["run", "--rules", RULES, "--format", "jsonl", "-"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let (sender, received) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let _ = sender.send(line.unwrap());
        }
    });
    for (i, unit) in units.iter().enumerate() {
        writeln!(stdin, "{unit}").unwrap();
        stdin.flush().unwrap();
        // stdin is still open: the unit's line comes out without waiting for more input.
        let line = received
            .recv_timeout(Duration::from_secs(60))
            .expect("the unit's line before stdin closes");
        assert!(
            line.contains(&format!("\"file\":\"<stdin>:{}\"", i + 1)),
            "{line}"
        );
    }
    drop(stdin);
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn stdin_with_nothing_on_it_is_a_problem_not_a_silent_success() {
    let dir = tempfile::tempdir().unwrap();
    let out = jixiao_with_stdin(
        dir.path(),
        &["run", "--rules", RULES, "--format", "jsonl", "-"],
        b"\n",
    );
    assert_eq!(out.status.code(), Some(2));
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["error"]["file"], "<stdin>");
    assert!(
        line["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("holds no units"),
        "{line}"
    );
}
