//! What the binary writes, and where it cannot: every command on a full disk (`>/dev/full`)
//! and a closed pipe (`| head -1`); text from hostile unit files in the table, the Markdown
//! and the CSV; `gen` and `new-rule` writing files whole or not at all.

use crate::common;

use common::{ROOT, jixiao_in, text};
use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Every command, with what it exits with when its results cannot be written: 2, or 0 for
/// the commands that write nothing on stdout.
const COMMANDS: &[(&[&str], i32)] = &[
    (&["check"], 0),
    (&["run"], 2),
    (&["run", "--format", "json"], 2),
    (&["run", "--format", "md"], 2),
    (&["score", "cases/lukou-hrss-2023"], 2),
    (&["score", "cases/lukou-hrss-2023", "--format", "csv"], 2),
    (&["score", "cases/lukou-hrss-2023", "--format", "json"], 2),
    (&["gen", "--units", "1", "--out", "generated"], 0),
    (&["test", "--filter", "overspend"], 2),
    (&["test", "--coverage"], 2),
    (&["rules", "list"], 2),
    (&["rules", "list", "--format", "json"], 2),
    (&["rules", "explain", "QUANTITY-GAP"], 2),
    (&["rules", "doc"], 2),
    (&["rules", "definitions", "definitions"], 0),
    (&["explain", "cases/lukou-hrss-2023", "--project", "P02"], 2),
    (&["watch"], 2),
    (
        &[
            "new-rule",
            "OUTPUT-CHECK",
            "--category",
            "indicator_gap",
            "--scope",
            "project",
        ],
        2,
    ),
];

fn workspace() -> tempfile::TempDir {
    common::workspace(&["rules", "cases", "docs"])
}

fn run_with_stdout(dir: &Path, args: &[&str], stdout: Stdio) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(dir)
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .expect("jixiao runs")
}

#[test]
fn every_command_on_a_full_disk_exits_2_with_one_line() {
    let ws = workspace();
    for (args, code) in COMMANDS {
        let full = fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = run_with_stdout(ws.path(), args, full.into());
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(*code), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        if *code == 2 {
            assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
            assert!(
                stderr.starts_with("jixiao: cannot write the results: "),
                "{args:?}: {stderr}"
            );
            assert!(stderr.contains("free some space"), "{args:?}: {stderr}");
        }
    }
}

#[test]
fn every_command_on_a_closed_pipe_ends_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let ws = workspace();
    for (args, _) in COMMANDS {
        // The reading end is closed before the command writes anything, as `head` does
        // once it has its line.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = run_with_stdout(ws.path(), args, writer.into());
        let stderr = text(&out.stderr);
        assert!(
            out.status.success() || out.status.signal() == Some(libc::SIGPIPE),
            "{args:?}: {:?} {stderr}",
            out.status
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("cannot write"), "{args:?}: {stderr}");
    }
}

/// The seed unit with its name, a project name and a reason replaced.
fn hostile_unit(dir: &Path, unit_name: &str, project_name: &str, reason: &str) {
    let seed = fs::read_to_string(Path::new(ROOT).join("cases/lukou-hrss-2023/unit.toml")).unwrap();
    let toml_string = |s: &str| toml::Value::String(s.to_string()).to_string();
    let hostile = seed
        .replacen(
            "name = \"株洲市渌口区人力资源和社会保障局\"",
            &format!("name = {}", toml_string(unit_name)),
            1,
        )
        .replacen(
            "name = \"数据系统维护费\"",
            &format!("name = {}", toml_string(project_name)),
            1,
        );
    let reason_at = hostile.find("deviation_reason = ").unwrap();
    let line_end = reason_at + hostile[reason_at..].find('\n').unwrap();
    let hostile = format!(
        "{}deviation_reason = {}{}",
        &hostile[..reason_at],
        toml_string(reason),
        &hostile[line_end..]
    );
    assert_ne!(hostile, seed);
    fs::write(dir.join("unit.toml"), hostile).unwrap();
}

#[test]
fn a_unit_file_cannot_drive_the_terminal_or_forge_markdown() {
    let dir = tempfile::tempdir().unwrap();
    hostile_unit(
        dir.path(),
        "渌口区\u{1b}[2J\u{1b}[H人社局\u{202e}",
        "维护费\r  error   FORGED-RULE\n# 伪造",
        "原因\u{9b}31m\u{2028}",
    );
    let path = dir.path().to_str().unwrap();
    for format in ["table", "md"] {
        let out = jixiao_in(Path::new(ROOT), &["run", path, "--format", format]);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let unsafe_chars: Vec<char> = stdout
            .chars()
            .filter(|c| {
                (c.is_control() && *c != '\n')
                    || matches!(c, '\u{2028}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            })
            .collect();
        assert!(unsafe_chars.is_empty(), "{format}: {unsafe_chars:?}");
        assert!(
            stdout.contains("渌口区\\u{1b}[2J\\u{1b}[H人社局"),
            "{stdout}"
        );
        assert!(
            !stdout
                .lines()
                .any(|l| l.starts_with("# 伪造")
                    || l.trim_start().starts_with("error   FORGED-RULE")),
            "{format}: {stdout}"
        );
    }
    let json = jixiao_in(Path::new(ROOT), &["run", path, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        doc["units"][0]["name"], "渌口区\u{1b}[2J\u{1b}[H人社局\u{202e}",
        "JSON keeps the text as it is, escaped by JSON itself"
    );
}

#[test]
fn csv_cells_that_excel_would_run_stay_text() {
    let dir = tempfile::tempdir().unwrap();
    hostile_unit(
        dir.path(),
        "=HYPERLINK(\"http://x\",\"点击\")",
        "项目",
        "原因",
    );
    let out = jixiao_in(
        Path::new(ROOT),
        &["score", dir.path().to_str().unwrap(), "--format", "csv"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    let row = csv.lines().nth(1).unwrap();
    assert!(
        row.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"点击\"\")\","),
        "{row}"
    );
    assert!(row.contains(",430212-RSJ,"), "codes stay as written: {row}");
}

#[test]
fn gen_refuses_a_folder_that_is_not_empty_and_force_replaces_its_own_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("batch");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("unit-000009.toml"), "old").unwrap();
    let gen_into = |extra: &[&str]| {
        let mut args = vec!["gen", "--units", "2", "--projects", "3", "--out"];
        args.push(out.to_str().unwrap());
        args.extend_from_slice(extra);
        jixiao_in(dir.path(), &args)
    };
    let refused = gen_into(&[]);
    let stderr = text(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("is not empty"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");

    let forced = gen_into(&["--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced.stderr));
    let mut names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["unit-000001.toml", "unit-000002.toml"]);
}

#[test]
fn an_interrupted_gen_leaves_only_whole_unit_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("batch");
    let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["gen", "--units", "50", "--projects", "1500", "--out"])
        .arg(&out)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let unit_files = || -> Vec<std::path::PathBuf> {
        fs::read_dir(&out)
            .map(|entries| {
                entries
                    .map(|e| e.unwrap().path())
                    .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                    .collect()
            })
            .unwrap_or_default()
    };
    // Killed while it writes its second unit or so.
    while unit_files().is_empty() {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let written = unit_files();
    assert!(!written.is_empty() && written.len() < 50, "{written:?}");
    for path in &written {
        let (unit, problems) = jixiao::input::load::read_unit(path).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(unit.record.projects.len(), 1500, "{}", path.display());
    }
    // What the killed run left behind is gen's own: --force clears it.
    let again = jixiao_in(
        dir.path(),
        &[
            "gen",
            "--units",
            "1",
            "--projects",
            "2",
            "--out",
            "batch",
            "--force",
        ],
    );
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    assert_eq!(fs::read_dir(&out).unwrap().count(), 1);
}

#[test]
fn new_rule_writes_any_title_into_a_rule_that_compiles() {
    let ws = workspace();
    let title = "含\"引号\"、反斜杠\\与\n换行的标题";
    let out = jixiao_in(
        ws.path(),
        &[
            "new-rule",
            "TITLE-CHECK",
            "--category",
            "indicator_gap",
            "--scope",
            "unit",
            "--title",
            title,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let check = jixiao_in(ws.path(), &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    let list = jixiao_in(ws.path(), &["rules", "list", "--format", "json"]);
    let rules: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let rule = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "TITLE-CHECK")
        .unwrap();
    assert_eq!(rule["title"], title);
}

#[test]
fn new_rule_creates_everything_or_nothing() {
    let ws = workspace();
    // A dangling link where the rule goes: the case is written first, then the rule cannot
    // be, and the case must go again.
    std::os::unix::fs::symlink("nowhere", ws.path().join("rules/half-done.rhai")).unwrap();
    let out = jixiao_in(
        ws.path(),
        &[
            "new-rule",
            "HALF-DONE",
            "--category",
            "indicator_gap",
            "--scope",
            "unit",
        ],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("rules/half-done.rhai already exists"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was created"), "{stderr}");
    assert!(!ws.path().join("cases/half-done").exists());
    assert!(text(&out.stdout).is_empty());
}

#[test]
fn a_problem_quoting_a_unit_file_line_is_escaped_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    // Not JSON (a raw control character inside a string): the error shows the line.
    fs::write(
        dir.path().join("units.jsonl"),
        "{\"unit\": {\"code\": \"X\u{1b}]0;pwned\u{7}\u{1b}[2J\", \"name\": \"n\"}}\n",
    )
    .unwrap();
    let out = jixiao_in(Path::new(ROOT), &["run", dir.path().to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("units.jsonl:1:"), "{stderr}");
    assert!(
        !stderr.chars().any(|c| c.is_control() && c != '\n'),
        "{stderr:?}"
    );
    assert!(stderr.contains("\\u{1b}[2J"), "{stderr}");
}
