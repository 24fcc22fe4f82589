//! `jixiao explain`: for one record, every rule's outcome — fired, did not fire, or error —
//! with the record fields and thresholds the rule read, so an analyst sees why a deviation
//! was or was not flagged.

use super::{load_rules, report};
use jixiao::evaluate::Evaluator;
use jixiao::rule_set::RuleScope;
use jixiao::script_api::Trace;
use jixiao::view::UnitRef;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// A unit file, a folder of them, or a JSON Lines file.
    pub path: PathBuf,
    /// The project to explain; without it, the unit rules of the unit are explained.
    #[arg(long)]
    pub project: Option<String>,
    /// The unit, when several units under PATH have the project code.
    #[arg(long)]
    pub unit: Option<String>,
    /// Only this rule.
    #[arg(long)]
    pub rule: Option<String>,
    #[arg(long, default_value = "rules")]
    pub rules: PathBuf,
}

pub fn explain(args: &Args) -> ExitCode {
    let mut problems = Vec::new();
    let Some(rule_set) = load_rules(&args.rules, None, &mut problems) else {
        report(&problems);
        return ExitCode::from(2);
    };
    let mut found = None;
    for source in jixiao::load::sources(std::slice::from_ref(&args.path)) {
        match source.and_then(jixiao::load::Source::read) {
            Ok((unit, _)) => {
                let record = &unit.record;
                let unit_matches = args.unit.as_ref().is_none_or(|u| *u == record.unit.code);
                let project_matches = args
                    .project
                    .as_ref()
                    .is_none_or(|p| record.projects.iter().any(|x| x.code == *p));
                if unit_matches && project_matches {
                    found = Some(unit);
                    break;
                }
            }
            Err(problem) => problems.push(problem),
        }
    }
    report(&problems);
    let Some(source) = found else {
        eprintln!(
            "jixiao: no unit under {} has {}",
            args.path.display(),
            match (&args.unit, &args.project) {
                (Some(u), Some(p)) => format!("unit `{u}` with project `{p}`"),
                (Some(u), None) => format!("the code `{u}`"),
                (None, Some(p)) => format!("a project `{p}`"),
                (None, None) => "any readable unit".to_string(),
            }
        );
        return ExitCode::from(2);
    };
    let unit = UnitRef::build(source.record, &rule_set.scoring);
    let project = args
        .project
        .as_ref()
        .and_then(|code| unit.0.projects.iter().find(|p| p.0.record.code == *code));
    let scope = if project.is_some() {
        RuleScope::Project
    } else {
        RuleScope::Unit
    };
    match project {
        Some(p) => println!(
            "{} {} · {} {}\n",
            unit.0.record.code, unit.0.record.name, p.0.record.code, p.0.record.name
        ),
        None => println!(
            "{} {} (unit rules)\n",
            unit.0.record.code, unit.0.record.name
        ),
    }
    let trace = Trace::default();
    let evaluator = Evaluator::traced(&rule_set, &trace);
    let mut shown = 0;
    for rule in evaluator.all_rules() {
        let wanted = args
            .rule
            .as_ref()
            .is_none_or(|id| rule.meta.id.eq_ignore_ascii_case(id));
        if rule.meta.scope != scope || !wanted {
            continue;
        }
        shown += 1;
        trace.take();
        let outcome = evaluator.evaluate_rule(rule, &unit, project);
        let reads = trace.take();
        let status = if !outcome.problems.is_empty() {
            "error"
        } else if outcome.findings.is_empty() {
            "not fired"
        } else {
            "fired"
        };
        println!("{status:<10} {}  {}", rule.meta.id, rule.meta.title);
        for finding in &outcome.findings {
            println!("           → {}", finding.message);
        }
        for problem in &outcome.problems {
            println!(
                "           ! {}",
                problem.with_source().replace('\n', "\n             ")
            );
        }
        for read in reads {
            println!("           {read}");
        }
        println!();
    }
    if shown == 0 {
        eprintln!(
            "jixiao: no {} rule matches",
            if project.is_some() { "project" } else { "unit" }
        );
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}
