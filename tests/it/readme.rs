//! The README's "Writing and testing a rule" walkthrough runs as written: every shell command
//! in that section's `sh` blocks, in a scratch copy of the project, with `jixiao` on the PATH.
//! A command commented `# fails` must fail; every other one must succeed.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

/// The commands of the `sh` blocks in the README section headed `heading`.
fn commands(readme: &str, heading: &str) -> Vec<String> {
    let start = readme.find(heading).expect("the section exists");
    let section = &readme[start + heading.len()..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let mut in_block = false;
    let mut commands = Vec::new();
    for line in section.lines() {
        match line.trim() {
            "```sh" => in_block = true,
            "```" => in_block = false,
            command if in_block && !command.is_empty() => commands.push(command.to_string()),
            _ => {}
        }
    }
    commands
}

/// Runs each command with `bash -c` in `dir`, with the `jixiao` under test first on the PATH.
fn run_in<'a>(dir: &Path, commands: &'a [String]) -> Vec<(&'a String, Output)> {
    let bin = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_jixiao"), bin.path().join("jixiao")).unwrap();
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    commands
        .iter()
        .map(|command| {
            let out = Command::new("bash")
                .args(["-c", command])
                .current_dir(dir)
                .env("PATH", &path)
                .output()
                .unwrap();
            (command, out)
        })
        .collect()
}

#[test]
fn the_rule_writing_walkthrough_runs_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let commands = commands(&readme, "## Writing and testing a rule");
    assert!(commands.len() >= 10, "{commands:?}");

    let work = common::workspace(&["rules", "cases", "docs"]);
    for (command, out) in run_in(work.path(), &commands) {
        let should_fail = command.contains("# fails");
        assert_eq!(
            !out.status.success(),
            should_fail,
            "`{command}` {}:\n{}{}",
            if should_fail { "should fail" } else { "failed" },
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn the_from_excel_commands_run_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let commands = commands(&readme, "## From Excel");
    assert_eq!(commands.len(), 2, "{commands:?}");

    let work = common::workspace(&["rules"]);
    let books = work.path().join("自评表");
    std::fs::create_dir(&books).unwrap();
    std::fs::copy(
        root.join("cases/lukou-hrss-2023-xlsx/unit.xlsx"),
        books.join("渌口区人社局.xlsx"),
    )
    .unwrap();
    for (command, out) in run_in(work.path(), &commands) {
        assert!(
            out.status.success(),
            "`{command}` failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(work.path().join("units/渌口区人社局.toml").is_file());
    assert!(work.path().join("排名.xlsx").is_file());
}
