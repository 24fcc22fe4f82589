//! `jixiao test`: every case against its snapshot (the same `findings.snap` files the insta
//! test uses) and its stated expectations, with differences shown finding by finding; and
//! `--coverage`, which rules have a firing case and a near-miss case.

use super::{load_rules, output, report, start_batch};
use jixiao::analyst::case::{self, CaseReport, SnapshotStatus};
use jixiao::analyst::snapshot::Change;
use jixiao::output::safe::Escaped;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, default_value = "cases")]
    pub cases: PathBuf,
    #[arg(long, default_value = "rules")]
    pub rules: PathBuf,
    /// Rewrite the snapshots that differ (or are missing) with the new findings.
    #[arg(long)]
    pub update: bool,
    /// Only the cases whose folder name contains TEXT.
    #[arg(long)]
    pub filter: Option<String>,
    /// List, for each rule, the cases where it fires and those that state it must not.
    #[arg(long)]
    pub coverage: bool,
}

/// A finding that appeared (`+`) or disappeared (`-`), with its message under it.
fn print_entry(
    out: &mut impl Write,
    sign: char,
    what: &str,
    message: Option<&str>,
) -> io::Result<()> {
    writeln!(out, "        {sign} {}", Escaped(what))?;
    match message {
        Some(message) => writeln!(out, "            {}", Escaped(message)),
        None => Ok(()),
    }
}

fn print_changes(out: &mut impl Write, changes: &[Change]) -> io::Result<()> {
    for change in changes {
        match change {
            Change::Appeared(what, message) => print_entry(out, '+', what, message.as_deref())?,
            Change::Disappeared(what, message) => print_entry(out, '-', what, message.as_deref())?,
            Change::Changed(what, fields) => {
                writeln!(out, "        ~ {}", Escaped(what))?;
                for (field, old, new) in fields {
                    writeln!(out, "            {}: {}", Escaped(field), Escaped(old))?;
                    let width = field.len();
                    writeln!(out, "            {:width$}→ {}", "", Escaped(new))?;
                }
            }
        }
    }
    Ok(())
}

/// Prints one case's result; returns whether it passed (after an update, if asked).
fn show(out: &mut impl Write, report: &CaseReport, update: bool) -> io::Result<bool> {
    let snapshot_path = report.dir.join(jixiao::analyst::snapshot::SNAPSHOT_FILE);
    let mut snapshot_ok = matches!(report.snapshot, SnapshotStatus::Matches);
    let mut lines = Vec::new();
    match &report.snapshot {
        SnapshotStatus::Matches => {}
        SnapshotStatus::Missing => lines.push("no snapshot yet".to_string()),
        SnapshotStatus::Differs(changes) => {
            let count = |f: fn(&Change) -> bool| changes.iter().filter(|c| f(c)).count();
            lines.push(format!(
                "findings differ from the snapshot: {} appeared, {} disappeared, {} changed",
                count(|c| matches!(c, Change::Appeared(..))),
                count(|c| matches!(c, Change::Disappeared(..))),
                count(|c| matches!(c, Change::Changed(..))),
            ));
        }
        SnapshotStatus::Unreadable(why) => lines.push(format!(
            "the snapshot {} cannot be read as findings ({why}); `--update` rewrites it",
            snapshot_path.display()
        )),
    }
    let mut updated = false;
    if update && !snapshot_ok {
        match case::update_snapshot(report) {
            Ok(()) => {
                lines.push(format!("updated {}", snapshot_path.display()));
                snapshot_ok = true;
                updated = true;
            }
            Err(e) => lines.push(format!(
                "cannot rewrite {} (the old one is kept): {e}",
                snapshot_path.display()
            )),
        }
    }
    let passed = snapshot_ok && report.unmet.is_empty();
    let label = match (passed, updated) {
        (false, _) => "FAIL",
        (true, true) => "updated",
        (true, false) => "ok  ",
    };
    writeln!(
        out,
        "{label}  {}",
        Escaped(&report.dir.display().to_string())
    )?;
    for line in &lines {
        writeln!(out, "      {}", Escaped(line))?;
    }
    if let SnapshotStatus::Differs(changes) = &report.snapshot {
        print_changes(out, changes)?;
    }
    for unmet in &report.unmet {
        writeln!(out, "      {}", Escaped(unmet))?;
    }
    for (todo, holds) in &report.todo {
        if *holds {
            let todo = Escaped(todo);
            writeln!(
                out,
                "      todo {todo} now holds: move it to expect / expect_not"
            )?;
        } else {
            writeln!(out, "      todo {} (known gap)", Escaped(todo))?;
        }
    }
    Ok(passed)
}

pub fn test(args: &Args) -> ExitCode {
    let mut problems = Vec::new();
    let Some(rule_set) = load_rules(&args.rules, None, &mut problems) else {
        report(&problems);
        return ExitCode::from(2);
    };
    report(&problems);
    let dirs = match case::discover(&args.cases, args.filter.as_deref()) {
        Ok(dirs) => dirs,
        Err(e) => {
            eprintln!(
                "jixiao: cannot read the cases folder {}: {e}",
                args.cases.display()
            );
            return ExitCode::from(2);
        }
    };
    if dirs.is_empty() {
        let cases = args.cases.display();
        match &args.filter {
            Some(filter) => eprintln!(
                "jixiao: no case under {cases} has `{filter}` in its name; `ls {cases}` lists them"
            ),
            None => eprintln!(
                "jixiao: no case under {cases}: a case is a folder with a {}",
                jixiao::input::load::CASE_FILE
            ),
        }
        return ExitCode::from(2);
    }
    let Some(batch) = start_batch(&rule_set, None) else {
        return ExitCode::from(2);
    };
    output(|out| {
        let (mut passed, mut failed) = (0, 0);
        let mut reports = Vec::new();
        for dir in dirs {
            let spec = match case::read_spec(&dir) {
                Ok(spec) => spec,
                Err(problem) => {
                    report(&[problem]);
                    failed += 1;
                    continue;
                }
            };
            match case::check(&dir, spec, &batch) {
                Ok(r) => {
                    let ok = if args.coverage {
                        r.passed()
                    } else {
                        show(out, &r, args.update)?
                    };
                    if ok {
                        passed += 1
                    } else {
                        failed += 1
                    }
                    reports.push(r);
                }
                Err(e) => {
                    eprintln!("jixiao: {}: {e}", dir.display());
                    failed += 1;
                }
            }
        }
        if args.coverage {
            return coverage(out, &rule_set, &reports);
        }
        writeln!(out, "{passed} passed, {failed} failed")?;
        Ok(if failed > 0 || !problems.is_empty() {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    })
}

fn coverage(
    out: &mut impl Write,
    rule_set: &jixiao::engine::rule_set::RuleSet,
    reports: &[CaseReport],
) -> io::Result<ExitCode> {
    let coverage = case::coverage(rule_set, reports);
    let width = coverage.iter().map(|c| c.rule.len()).max().unwrap_or(4);
    writeln!(out, "{:<width$}  fires in / near miss in", "rule")?;
    for c in &coverage {
        writeln!(out, "{:<width$}  fires in: {}", c.rule, list(&c.fires_in))?;
        writeln!(
            out,
            "{:<width$}  near miss in: {}",
            "",
            list(&c.near_misses_in)
        )?;
    }
    let lacking = |f: fn(&case::Coverage) -> bool| -> Vec<&str> {
        coverage
            .iter()
            .filter(|c| f(c))
            .map(|c| c.rule.as_str())
            .collect()
    };
    let no_firing = lacking(|c| c.fires_in.is_empty());
    let no_near_miss = lacking(|c| c.near_misses_in.is_empty());
    let neither = lacking(|c| c.fires_in.is_empty() && c.near_misses_in.is_empty());
    if !neither.is_empty() {
        writeln!(out, "rules with no case at all: {}", neither.join(", "))?;
    }
    if !no_firing.is_empty() {
        writeln!(out, "rules without a firing case: {}", no_firing.join(", "))?;
    }
    if !no_near_miss.is_empty() {
        writeln!(
            out,
            "rules without a near-miss case: {}",
            no_near_miss.join(", ")
        )?;
    }
    if no_firing.is_empty() && no_near_miss.is_empty() {
        writeln!(out, "every rule has a firing case and a near-miss case")?;
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::from(1))
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "—".to_string()
    } else {
        items.join(", ")
    }
}
