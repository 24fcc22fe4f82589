//! Input loading end to end: JSON Lines hold exactly one unit per line (a BOM accepted,
//! columns in characters, a line that is not UTF-8 located), a unit code used twice keeps the
//! first unit only, amounts and counts are checked on load, errors speak plain words, and a
//! folder search neither follows links to folders nor hangs on a pipe. Every bad unit sits
//! beside a good one, which must still be reported in full.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// The good unit: every amount, count and points field, each on its own line.
const GOOD: &str = include_str!("../fixtures/good-unit.toml");

/// The good unit under another code.
fn unit(code: &str) -> String {
    GOOD.replacen("code = \"GOOD\"", &format!("code = \"{code}\""), 1)
}

/// `unit(code)` as one line of JSON.
fn json_line(code: &str) -> String {
    let value: serde_json::Value = toml::from_str(&unit(code)).unwrap();
    serde_json::to_string(&value).unwrap()
}

/// Runs the binary in the project folder; a run that has not finished after a minute hangs.
fn jixiao(args: &[&str]) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(common::ROOT)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let id = child.id();
    let (done, output) = std::sync::mpsc::channel();
    std::thread::spawn(move || done.send(child.wait_with_output()));
    match output.recv_timeout(Duration::from_secs(60)) {
        Ok(output) => output.unwrap(),
        Err(_) => {
            // SAFETY: `kill` on the id of the child this test started.
            unsafe { libc::kill(id as i32, libc::SIGKILL) };
            panic!("jixiao {args:?} did not finish within a minute");
        }
    }
}

/// `jixiao run PATHS --format json`: the document and the exit code.
fn run(paths: &[&Path]) -> (serde_json::Value, Option<i32>) {
    let mut args = vec!["run"];
    args.extend(paths.iter().map(|p| p.to_str().unwrap()));
    args.extend(["--format", "json"]);
    let out = jixiao(&args);
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", common::text(&out.stderr));
    });
    (doc, out.status.code())
}

fn codes(doc: &serde_json::Value) -> Vec<&str> {
    doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["code"].as_str().unwrap())
        .collect()
}

fn errors(doc: &serde_json::Value) -> &Vec<serde_json::Value> {
    doc["errors"].as_array().unwrap()
}

/// Asserts that unit `code` is reported with every finding it has when run alone.
fn assert_reported_in_full(doc: &serde_json::Value, code: &str) {
    let dir = tempfile::tempdir().unwrap();
    let alone = dir.path().join("alone.toml");
    fs::write(&alone, unit(code)).unwrap();
    let (expected, status) = run(&[&alone]);
    assert_eq!(status, Some(0), "{expected}");
    let reported = doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == code)
        .unwrap_or_else(|| panic!("{code} is not reported: {doc}"));
    assert!(
        !expected["units"][0]["findings"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(reported["findings"], expected["units"][0]["findings"]);
}

/// The column of `needle` in `line`, in characters, 1-based.
fn column_of(line: &str, needle: &str) -> usize {
    line[..line.find(needle).unwrap()].chars().count() + 1
}

#[test]
fn a_json_lines_line_holds_exactly_one_unit() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("batch.jsonl");
    let two = format!("{} {}", json_line("J1"), json_line("J2"));
    let junk = format!("{}  xyz", json_line("J3"));
    fs::write(&file, format!("{two}\n{junk}\n{}\n", json_line("J4"))).unwrap();
    let (doc, status) = run(&[&file]);
    assert_eq!(status, Some(2));
    assert_eq!(codes(&doc), ["J4"], "no unit of a line with junk is kept");
    assert_reported_in_full(&doc, "J4");
    let located: Vec<(u64, u64)> = errors(&doc)
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["column"].as_u64().unwrap()))
        .collect();
    // Columns in characters: the lines hold Chinese names, three bytes a character.
    assert_eq!(
        located,
        [
            (1, json_line("J1").chars().count() as u64 + 2),
            (2, column_of(&junk, "xyz") as u64)
        ]
    );
    assert!(
        errors(&doc)[0]["message"]
            .as_str()
            .unwrap()
            .contains("exactly one unit (one JSON object) per line")
    );
}

#[test]
fn a_json_lines_file_may_start_with_a_byte_order_mark() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("batch.jsonl");
    let lines = format!("\u{feff}{}\r\n{}\r\n", json_line("J1"), json_line("J2"));
    fs::write(&file, lines).unwrap();
    let (doc, status) = run(&[&file]);
    assert_eq!(status, Some(0), "{doc}");
    assert_eq!(codes(&doc), ["J1", "J2"]);
    assert_reported_in_full(&doc, "J1");
}

#[test]
fn a_line_that_is_not_utf8_is_located_and_the_other_lines_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("batch.jsonl");
    let bad = json_line("J2");
    let at = bad.find("人才").unwrap();
    let mut bytes = format!("{}\n", json_line("J1")).into_bytes();
    // 人才 as GBK, the encoding a file saved as "ANSI" on a Chinese Windows gets.
    bytes.extend_from_slice(&bad.as_bytes()[..at]);
    bytes.extend_from_slice(b"\xc8\xcb\xb2\xc5");
    bytes.extend_from_slice(&bad.as_bytes()[at + "人才".len()..]);
    bytes.extend_from_slice(format!("\n{}\n", json_line("J3")).as_bytes());
    fs::write(&file, bytes).unwrap();
    let (doc, status) = run(&[&file]);
    assert_eq!(status, Some(2));
    assert_eq!(codes(&doc), ["J1", "J3"]);
    assert_reported_in_full(&doc, "J3");
    let error = &errors(&doc)[0];
    assert_eq!(error["line"], 2);
    assert_eq!(error["column"], bad[..at].chars().count() + 1);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("save the file as UTF-8")
    );
}

#[test]
fn a_unit_code_used_again_keeps_the_first_unit_only_on_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let batch = dir.path().join("batch");
    fs::create_dir(&batch).unwrap();
    fs::write(batch.join("a.toml"), unit("DUP")).unwrap();
    // The later unit would add findings of its own, were it evaluated.
    let later = unit("DUP").replacen(
        "budget_adjusted = 70.00\nexecuted = 65.00",
        "budget_adjusted = 70.00\nexecuted = 5.00",
        1,
    );
    fs::write(batch.join("b.toml"), later).unwrap();
    fs::write(batch.join("c.toml"), unit("OTHER")).unwrap();
    let path = batch.to_str().unwrap();
    let one = jixiao(&["run", path, "--format", "json", "--jobs", "1"]);
    let many = jixiao(&["run", path, "--format", "json", "--jobs", "3"]);
    assert_eq!(one.stdout, many.stdout, "the same on any number of threads");
    let doc: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    assert_eq!(one.status.code(), Some(2));
    assert_eq!(codes(&doc), ["DUP", "OTHER"]);
    assert!(
        doc["units"][0]["file"]
            .as_str()
            .unwrap()
            .ends_with("a.toml")
    );
    assert_reported_in_full(&doc, "DUP");
    assert_reported_in_full(&doc, "OTHER");
    let errors = errors(&doc);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0]["file"].as_str().unwrap().ends_with("b.toml"));
    let message = errors[0]["message"].as_str().unwrap();
    assert!(
        message.contains("a.toml") && message.contains("left out"),
        "{message}"
    );

    let scores = jixiao(&["score", path, "--format", "csv"]);
    let csv = common::text(&scores.stdout);
    assert_eq!(
        csv.lines().count(),
        1 + 2,
        "the later unit is not ranked: {csv}"
    );
}

/// A spoilt copy of the good unit: `from` (unique in it) replaced by `to`, which holds the
/// line the problem must point at, at the column of `at`, naming `field`, saying `message`.
struct Spoilt {
    from: &'static str,
    to: String,
    at: &'static str,
    field: &'static str,
    message: String,
}

fn spoilt(
    from: &'static str,
    to: &str,
    at: &'static str,
    field: &'static str,
    message: &str,
) -> Spoilt {
    Spoilt {
        from,
        to: to.to_string(),
        at,
        field,
        message: message.to_string(),
    }
}

#[test]
fn values_no_report_can_hold_are_located_input_errors_in_plain_words() {
    let digits = "9".repeat(301);
    let cases = [
        spoilt(
            "budget_adjusted = 70.00\nexecuted = 65.00",
            "budget_adjusted = 70.00\nexecuted = -50",
            "-50",
            "projects.executed",
            "`-50` is negative: amounts (in 万元) are 0 or more",
        ),
        spoilt(
            "budget_adjusted = 130.00",
            "budget_adjusted = 1000000000000.5",
            "1000",
            "unit.budget.budget_adjusted",
            "is too large: amounts (in 万元) are at most 1000000000000",
        ),
        spoilt(
            "\"其他资金\" = 25.00",
            "\"其他资金\" = -25.00",
            "-25",
            "unit.budget.by_income.其他资金",
            "`-25` is negative",
        ),
        spoilt(
            "actual = 11.00",
            "actual = -1",
            "-1",
            "unit.cost_controls.actual",
            "`-1` is negative",
        ),
        spoilt(
            "retired = 1",
            "retired = -1",
            "-1",
            "unit.staff.retired",
            "`-1` is negative: counts are 0 or more",
        ),
        spoilt(
            "\"行政编制\" = 6",
            "\"行政编制\" = 6.5",
            "6.5",
            "unit.staff.establishment.行政编制",
            "`6.5` is not a whole number",
        ),
        spoilt(
            "in_service = 10",
            "in_service = \"10人\"",
            "\"10人",
            "unit.staff.in_service",
            "`10人` is not a whole number: write 10",
        ),
        spoilt(
            "internal_count = 2",
            "internal_count = -2",
            "-2",
            "unit.institutions.internal_count",
            "`-2` is negative",
        ),
        spoilt(
            "public = 10.00",
            "public = \"10.0000001\"",
            "\"10.0",
            "unit.basic.public",
            "`10.0000001` has more than 6 decimal places",
        ),
        spoilt(
            "count = 1",
            "count = -1",
            "-1",
            "unit.groups.count",
            "`-1` is negative",
        ),
        spoilt(
            "unsettled = 0",
            "unsettled = \"-0.01\"",
            "\"-0.01",
            "projects.unsettled",
            "`-0.01` is negative",
        ),
        spoilt(
            "  budget_adjusted = 70.00\n  executed = 65.00",
            "  budget_adjusted = 70.00\n  executed = -65",
            "-65",
            "projects.funds.executed",
            "`-65` is negative",
        ),
        spoilt(
            "weight = 20",
            "weight = -20",
            "-20",
            "projects.indicators.weight",
            "`-20` is negative: weights and scores are 0 or more",
        ),
        spoilt(
            "score = 16",
            "score = 1001",
            "1001",
            "projects.indicators.score",
            "`1001` is too large: weights and scores are at most 1000",
        ),
        spoilt(
            "year = 2023",
            "year = 1800",
            "1800",
            "unit.year",
            "`1800` is not a year between 1900 and 2100",
        ),
        spoilt(
            "op = \">=\"",
            "op = \"~\"",
            "\"~\"",
            "projects.indicators.op",
            "`~` is not an operator: write ≥ (or >=), >, ≤ (or <=), < or =",
        ),
        spoilt(
            "budget_adjusted = 70.00\nexecuted = 65.00",
            "budget_adjusted = 70.00\nexecuted = \"45.00万元\"",
            "\"45",
            "projects.executed",
            "`45.00万元` is not a number: write 45.00 (amounts are in 万元)",
        ),
        spoilt(
            "budget_adjusted = 70.00\nexecuted = 65.00",
            "budget_adjusted = 70.00\nexecuted = 45.00万元",
            "45",
            "projects.executed",
            "`45.00万元` is not a number: write 45.00 (amounts are in 万元)",
        ),
        spoilt(
            "budget_adjusted = 70.00\nexecuted = 65.00",
            &format!("budget_adjusted = 70.00\nexecuted = \"{digits}\""),
            "\"999",
            "projects.executed",
            &format!("`{}…` is too large", "9".repeat(40)),
        ),
        spoilt(
            "year = 2023",
            "year = \"2023年\"",
            "\"2023",
            "unit.year",
            "`2023年` is not a whole number: write 2023",
        ),
        spoilt(
            "unsettled = 0",
            "unsetled = 0",
            "unsetled",
            "projects.unsetled",
            "unknown key `unsetled`; did you mean `unsettled`?",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let batch = dir.path().join("batch");
    fs::create_dir(&batch).unwrap();
    fs::write(batch.join("a-good.toml"), unit("GOOD")).unwrap();
    for (n, case) in cases.iter().enumerate() {
        let text = unit(&format!("BAD-{n}"));
        assert_eq!(text.matches(case.from).count(), 1, "{}", case.from);
        fs::write(
            batch.join(format!("b-{n:02}.toml")),
            text.replace(case.from, &case.to),
        )
        .unwrap();
    }
    let (doc, status) = run(&[&batch]);
    assert_eq!(status, Some(2));
    assert_eq!(codes(&doc), ["GOOD"], "{doc}");
    assert_reported_in_full(&doc, "GOOD");
    let errors = errors(&doc);
    assert_eq!(errors.len(), cases.len(), "{errors:#?}");
    for (n, (case, error)) in cases.iter().zip(errors).enumerate() {
        let bad = unit(&format!("BAD-{n}")).replace(case.from, &case.to);
        let spoilt_line = case.to.lines().last().unwrap();
        let (line, text) = bad
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(spoilt_line))
            .unwrap();
        assert!(
            error["file"]
                .as_str()
                .unwrap()
                .ends_with(&format!("b-{n:02}.toml"))
        );
        let message = error["message"].as_str().unwrap();
        assert!(
            message.contains(&case.message),
            "{message} ≠ {}",
            case.message
        );
        assert!(
            !message.contains("Decimal") && !message.contains("i64"),
            "{message}"
        );
        assert!(message.chars().count() < 120, "{message}");
        assert_eq!(error["field"], case.field, "{message}");
        assert_eq!(
            (&error["line"], &error["column"]),
            (&(line + 1).into(), &column_of(text, case.at).into()),
            "{message}"
        );
    }
}

#[test]
fn a_misspelt_key_gets_the_nearest_key_not_the_whole_list() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.toml");
    fs::write(&file, unit("U").replace("improvement =", "improvment =")).unwrap();
    let (doc, _) = run(&[&file]);
    let message = errors(&doc)[0]["message"].as_str().unwrap();
    assert_eq!(
        message,
        "unknown key `improvment`; did you mean `improvement`?"
    );
}

/// Makes a named pipe; the search must skip it rather than wait on it forever.
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

#[test]
fn a_folder_search_does_not_follow_folder_links_or_open_what_is_not_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let batch = dir.path().join("batch");
    fs::create_dir_all(batch.join("sub")).unwrap();
    fs::write(batch.join("a.toml"), unit("GOOD")).unwrap();
    fs::write(dir.path().join("linked.toml"), unit("LINKED")).unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("linked.toml"),
        batch.join("sub/linked.toml"),
    )
    .unwrap();
    std::os::unix::fs::symlink("..", batch.join("sub/up")).unwrap();
    std::os::unix::fs::symlink("gone.toml", batch.join("broken.toml")).unwrap();
    mkfifo(&batch.join("pipe.toml"));
    let _socket = std::os::unix::net::UnixListener::bind(batch.join("socket.jsonl")).unwrap();

    let (doc, status) = run(&[&batch]);
    assert_eq!(status, Some(2));
    assert_eq!(codes(&doc), ["GOOD", "LINKED"], "read once each, in order");
    assert_reported_in_full(&doc, "GOOD");
    assert_reported_in_full(&doc, "LINKED");
    let problems: Vec<(String, &str)> = errors(&doc)
        .iter()
        .map(|e| {
            let file = PathBuf::from(e["file"].as_str().unwrap());
            let name = file.strip_prefix(&batch).unwrap().display().to_string();
            (name, e["message"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        problems,
        [
            (
                "broken.toml".to_string(),
                "is a broken link: its target gone.toml does not exist"
            ),
            (
                "pipe.toml".to_string(),
                "is not a regular file (a pipe, socket or device); not read"
            ),
            (
                "socket.jsonl".to_string(),
                "is not a regular file (a pipe, socket or device); not read"
            ),
            (
                "sub/up".to_string(),
                "is a link to a folder, which a folder search does not follow; give the folder itself to read it"
            ),
        ]
    );

    // A pipe named on the command line is reported, not opened.
    let (doc, status) = run(&[&batch.join("pipe.toml"), &batch.join("a.toml")]);
    assert_eq!(status, Some(2));
    assert_eq!(codes(&doc), ["GOOD"]);
    assert_eq!(
        errors(&doc)[0]["message"],
        "is not a regular file (a pipe, socket or device); not read"
    );
}

#[test]
fn a_folder_or_file_without_units_is_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    let notes = dir.path().join("notes");
    fs::create_dir(&empty).unwrap();
    fs::create_dir(&notes).unwrap();
    fs::write(notes.join("readme.txt"), "not a unit").unwrap();
    let lines = dir.path().join("none.jsonl");
    fs::write(&lines, "\n\n").unwrap();
    let good = dir.path().join("good.toml");
    fs::write(&good, unit("GOOD")).unwrap();

    let (doc, status) = run(&[&empty, &notes, &lines, &good]);
    assert_eq!(status, Some(2));
    assert_eq!(codes(&doc), ["GOOD"]);
    assert_reported_in_full(&doc, "GOOD");
    let messages: Vec<&str> = errors(&doc)
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            format!(
                "no unit files (*.toml, *.jsonl, *.xlsx, *.xls, *.ods) under {}",
                empty.display()
            ),
            format!(
                "no unit files (*.toml, *.jsonl, *.xlsx, *.xls, *.ods) under {}",
                notes.display()
            ),
            "holds no units: a JSON Lines file holds one unit (a JSON object) per line".into(),
        ]
    );

    let out = jixiao(&["score", empty.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an empty folder is not a clean run"
    );
}
