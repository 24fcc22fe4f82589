//! What the end-to-end tests share: running the `jixiao` binary, scratch copies of the
//! project, editing a file in place.

// Each test binary uses only some of these helpers.
#![allow(dead_code)]

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Runs the binary in `dir`.
pub fn jixiao_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("jixiao runs")
}

/// Runs the binary in the project folder.
pub fn jixiao(args: &[&str]) -> Output {
    jixiao_in(Path::new(ROOT), args)
}

/// The rule set in `dir`, which must load without a problem.
pub fn rules(dir: &Path) -> jixiao::engine::rule_set::RuleSet {
    let loaded = jixiao::engine::rule_set::load(dir, None);
    assert!(
        loaded.problems.is_empty(),
        "{}: {:?}",
        dir.display(),
        loaded.problems
    );
    loaded.rule_set.expect("rules without problems load")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}

/// A scratch copy of these folders of the project (`rules`, `cases/overspend` …), as an
/// analyst's checkout to edit.
pub fn workspace(folders: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for folder in folders {
        copy_dir(&Path::new(ROOT).join(folder), &dir.path().join(folder));
    }
    dir
}

/// Replaces the first `from` in a file with `to`, which must be there.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}
