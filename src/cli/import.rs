//! `jixiao import`: workbooks read into unit TOML files, one per workbook, for an analyst to
//! review and correct; every later run can use them instead of the workbook.

use super::finish;
use jixiao::diagnostic::{Problem, ProblemKind};
use jixiao::input::load::{self, workbook};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Workbooks (`.xlsx`, `.xls`, `.ods`), or folders searched for them.
    #[arg(required = true)]
    pub books: Vec<PathBuf>,
    /// The folder to write `<workbook name>.toml` into (created if missing). Keep it apart
    /// from the workbooks: a folder holding both would read each unit twice.
    #[arg(long)]
    pub out: PathBuf,
    /// Replace TOML files that already exist.
    #[arg(long)]
    pub force: bool,
}

/// The unit file for `record`, read from `book`: a comment saying where it came from, then the
/// record as `check`-style loading reads it back.
fn unit_toml(book: &Path, record: &jixiao::input::record::UnitFile) -> Result<String, String> {
    let cannot = |e: &dyn std::fmt::Display| format!("cannot write it as TOML: {e}");
    let mut value = toml::Value::try_from(record).map_err(|e| cannot(&e))?;
    leave_out_defaults(&mut value);
    let body = toml::to_string(&value).map_err(|e| cannot(&e))?;
    Ok(format!(
        "# Read from {} by `jixiao import`. Amounts are in 万元, as the cells showed them.\n# Check it against the workbook, correct what was misread, and run this file from now on.\n\n{body}",
        book.display()
    ))
}

/// Text keys that may be left out (they default to empty); other empty text (a unit's name)
/// is kept, since reading it back needs the key.
const OPTIONAL_TEXT: [&str; 3] = ["deviation_reason", "improvement", "level2"];

/// Drops what reading the file back fills in anyway — empty lists and tables, the optional
/// empty texts — so the file shows what the workbook said.
fn leave_out_defaults(value: &mut toml::Value) {
    match value {
        toml::Value::Table(table) => {
            for (_, item) in table.iter_mut() {
                leave_out_defaults(item);
            }
            table.retain(|key, item| match item {
                toml::Value::Array(a) => !a.is_empty(),
                toml::Value::Table(t) => !t.is_empty(),
                toml::Value::String(s) => !(s.is_empty() && OPTIONAL_TEXT.contains(&key)),
                _ => true,
            });
        }
        toml::Value::Array(items) => items.iter_mut().for_each(leave_out_defaults),
        _ => {}
    }
}

pub fn import(args: &Args) -> ExitCode {
    let mut problems = Vec::new();
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        eprintln!(
            "jixiao: cannot create the folder {}: {e}",
            args.out.display()
        );
        return ExitCode::from(2);
    }
    let (files, mut unfound) = load::unit_files(&args.books);
    problems.append(&mut unfound);
    for book in files.iter().filter(|f| workbook::is_workbook(f)) {
        let record = match workbook::read(book) {
            Ok(record) => record,
            Err(mut unread) => {
                problems.append(&mut unread);
                continue;
            }
        };
        let stem = book.file_stem().unwrap_or_default().to_string_lossy();
        let target = args.out.join(format!("{stem}.toml"));
        let written = unit_toml(book, &record).and_then(|text| {
            let mut file = jixiao::output::atomic_file::AtomicFile::create(&target)
                .map_err(|e| e.to_string())?;
            std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|e| e.to_string())?;
            let committed = if args.force {
                file.commit()
            } else {
                file.commit_new()
            };
            committed.map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => format!(
                    "{} exists: pass --force to replace it, or choose another --out folder",
                    target.display()
                ),
                _ => format!("cannot write {}: {e}", target.display()),
            })
        });
        match written {
            Ok(()) => eprintln!(
                "wrote {} ({} projects) from {}",
                target.display(),
                record.projects.len(),
                book.display()
            ),
            Err(message) => problems.push(Problem::new(
                ProblemKind::Input,
                book.display().to_string(),
                message,
            )),
        }
    }
    for other in files.iter().filter(|f| !workbook::is_workbook(f)) {
        problems.push(Problem::new(
            ProblemKind::Input,
            other.display().to_string(),
            "is not a workbook (.xlsx, .xls, .ods): import reads workbooks only",
        ));
    }
    finish(&problems)
}
