//! `jixiao test`: every case against its snapshot (the same `findings.snap` files the insta
//! test uses) and its stated expectations, with differences shown finding by finding; and
//! `--coverage`, which rules have a firing case and a near-miss case.

use super::{load_rules, report};
use jixiao::case::{self, CaseReport, SnapshotStatus};
use jixiao::snapshot::Change;
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

fn print_changes(changes: &[Change]) {
    for change in changes {
        match change {
            Change::Appeared(what) => println!("        + {what}"),
            Change::Disappeared(what) => println!("        - {what}"),
            Change::Changed(what, fields) => {
                println!("        ~ {what}");
                for (field, old, new) in fields {
                    println!("            {field}: {old}");
                    println!("            {:width$}→ {new}", "", width = field.len());
                }
            }
        }
    }
}

/// Prints one case's result; returns whether it passed (after an update, if asked).
fn show(report: &CaseReport, update: bool) -> std::io::Result<bool> {
    let name = report.dir.display();
    let mut snapshot_ok = matches!(report.snapshot, SnapshotStatus::Matches);
    let mut lines = Vec::new();
    match &report.snapshot {
        SnapshotStatus::Matches => {}
        SnapshotStatus::Missing => lines.push("no snapshot yet".to_string()),
        SnapshotStatus::Differs(changes) => {
            let count = |f: fn(&Change) -> bool| changes.iter().filter(|c| f(c)).count();
            lines.push(format!(
                "findings differ from the snapshot: {} appeared, {} disappeared, {} changed",
                count(|c| matches!(c, Change::Appeared(_))),
                count(|c| matches!(c, Change::Disappeared(_))),
                count(|c| matches!(c, Change::Changed(..))),
            ));
        }
    }
    if update && !snapshot_ok {
        case::update_snapshot(report)?;
        lines.push(format!(
            "updated {}",
            report.dir.join(jixiao::snapshot::SNAPSHOT_FILE).display()
        ));
        snapshot_ok = true;
    }
    let passed = snapshot_ok && report.unmet.is_empty();
    println!("{}  {name}", if passed { "ok  " } else { "FAIL" });
    for line in &lines {
        println!("      {line}");
    }
    if let SnapshotStatus::Differs(changes) = &report.snapshot {
        print_changes(changes);
    }
    for unmet in &report.unmet {
        println!("      {unmet}");
    }
    for (todo, holds) in &report.todo {
        if *holds {
            println!("      todo {todo} now holds: move it to expect / expect_not");
        } else {
            println!("      todo {todo} (known gap)");
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
        let result = case::check(&dir, spec, &rule_set).and_then(|r| {
            let ok = if args.coverage {
                r.passed()
            } else {
                show(&r, args.update)?
            };
            Ok((r, ok))
        });
        match result {
            Ok((r, ok)) => {
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
        return coverage(&rule_set, &reports);
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 || !problems.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn coverage(rule_set: &jixiao::rule_set::RuleSet, reports: &[CaseReport]) -> ExitCode {
    let coverage = case::coverage(rule_set, reports);
    let width = coverage.iter().map(|c| c.rule.len()).max().unwrap_or(4);
    println!("{:<width$}  fires in / near miss in", "rule");
    for c in &coverage {
        println!("{:<width$}  fires in: {}", c.rule, list(&c.fires_in));
        println!("{:<width$}  near miss in: {}", "", list(&c.near_misses_in));
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
        println!("rules with no case at all: {}", neither.join(", "));
    }
    if !no_firing.is_empty() {
        println!("rules without a firing case: {}", no_firing.join(", "));
    }
    if !no_near_miss.is_empty() {
        println!(
            "rules without a near-miss case: {}",
            no_near_miss.join(", ")
        );
    }
    if no_firing.is_empty() && no_near_miss.is_empty() {
        println!("every rule has a firing case and a near-miss case");
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "—".to_string()
    } else {
        items.join(", ")
    }
}
