//! Finding the unit files under the paths given: a file is read as given; a folder is searched
//! for `*.toml` (except a case's `case.toml`), `*.jsonl` and workbooks (`*.xlsx`, `*.xls`,
//! `*.ods`, except the `~$…` lock files Excel keeps beside an open workbook), in sorted order.
//!
//! The search never follows a link to a folder (a link to a parent folder would read the same
//! units again and again) and says so; a link to a file is read. What is not a regular file —
//! a pipe named `x.toml` would block the read forever, a socket or a device cannot be read — is
//! skipped and reported, as are broken links, unreadable folders and a folder with no unit
//! files at all, so that nothing is left out without a word.

use super::CASE_FILE;
use crate::diagnostic::{Problem, ProblemKind};
use std::fs::Metadata;
use std::path::{Path, PathBuf};

/// Unit files under `paths`, in a stable order, and what could not be searched or read.
pub fn unit_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Problem>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut files, &mut problems),
            Ok(meta) if meta.is_file() => files.push(path.clone()),
            Ok(_) => problems.push(not_regular(path)),
            Err(e) => problems.push(unreadable(path, &e)),
        }
    }
    (files, problems)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, problems: &mut Vec<Problem>) {
    let before = files.len();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(dir);
                let message = match e.io_error() {
                    Some(io) => format!("cannot read folder: {io}"),
                    None => format!("cannot read folder: {e}"),
                };
                problems.push(Problem::new(ProblemKind::Input, shown(path), message));
                continue;
            }
        };
        let path = entry.path();
        let file_type = entry.file_type();
        if file_type.is_dir() {
            continue;
        }
        if file_type.is_symlink() {
            match std::fs::metadata(path) {
                Ok(target) => link(path, &target, files, problems),
                Err(e) => problems.push(unreadable(path, &e)),
            }
        } else if is_unit_file(path) {
            if file_type.is_file() {
                files.push(path.to_path_buf());
            } else {
                problems.push(not_regular(path));
            }
        }
    }
    if files.len() == before {
        problems.push(Problem::new(
            ProblemKind::Input,
            shown(dir),
            format!(
                "no unit files (*.toml, *.jsonl, *.xlsx, *.xls, *.ods) under {}",
                shown(dir)
            ),
        ));
    }
}

/// A link met in a folder: read when it leads to a unit file, reported when it leads to a
/// folder (not followed) or to something that is not a regular file.
fn link(path: &Path, target: &Metadata, files: &mut Vec<PathBuf>, problems: &mut Vec<Problem>) {
    if target.is_dir() {
        problems.push(Problem::new(
            ProblemKind::Input,
            shown(path),
            "is a link to a folder, which a folder search does not follow; give the folder itself to read it",
        ));
    } else if is_unit_file(path) {
        if target.is_file() {
            files.push(path.to_path_buf());
        } else {
            problems.push(not_regular(path));
        }
    }
}

fn is_unit_file(path: &Path) -> bool {
    match path.extension().and_then(|x| x.to_str()) {
        Some("toml") => path.file_name().is_some_and(|n| n != CASE_FILE),
        Some("jsonl") => true,
        _ => {
            super::workbook::is_workbook(path)
                && path
                    .file_name()
                    .is_some_and(|n| !n.to_string_lossy().starts_with("~$"))
        }
    }
}

fn not_regular(path: &Path) -> Problem {
    Problem::new(
        ProblemKind::Input,
        shown(path),
        "is not a regular file (a pipe, socket or device); not read",
    )
}

/// A path that cannot be looked at: missing, a broken link, or not allowed.
fn unreadable(path: &Path, error: &std::io::Error) -> Problem {
    let message = match error.kind() {
        std::io::ErrorKind::NotFound if path.symlink_metadata().is_ok() => {
            match std::fs::read_link(path) {
                Ok(target) => format!(
                    "is a broken link: its target {} does not exist",
                    target.display()
                ),
                Err(_) => "is a broken link: its target does not exist".into(),
            }
        }
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        _ => format!("cannot read: {error}"),
    };
    Problem::new(ProblemKind::Input, shown(path), message)
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}
