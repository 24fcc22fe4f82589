//! `jixiao explain`: for one record, every rule's outcome — fired, did not fire, or error —
//! with the record fields and thresholds the rule read, so an analyst sees why a deviation
//! was or was not flagged.

use super::{load_rules, output, report};
use jixiao::engine::evaluate::{CompiledRule, Evaluator};
use jixiao::engine::rule_set::RuleScope;
use jixiao::engine::script::Trace;
use jixiao::model::view::UnitRef;
use jixiao::output::safe::{Escaped, Layout, escape};
use std::io::Write;
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
    for source in jixiao::input::load::sources(std::slice::from_ref(&args.path)) {
        match source
            .map_err(|p| vec![p])
            .and_then(jixiao::input::load::Source::read)
        {
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
            Err(mut unread) => problems.append(&mut unread),
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
    let form = match rule_set
        .scoring
        .for_unit(source.record.unit.scoring.as_deref())
    {
        Ok(form) => form,
        Err(message) => {
            eprintln!("{}: field `unit.scoring`: {message}", source.file);
            return ExitCode::from(2);
        }
    };
    let unit = UnitRef::build(source.record, form);
    let project = args
        .project
        .as_ref()
        .and_then(|code| unit.0.projects.iter().find(|p| p.0.record.code == *code));
    let scope = if project.is_some() {
        RuleScope::Project
    } else {
        RuleScope::Unit
    };
    let trace = Trace::default();
    let evaluator = Evaluator::traced(&rule_set, &trace);
    let rules: Vec<_> = match &args.rule {
        None => evaluator
            .all_rules()
            .iter()
            .filter(|rule| rule.meta.scope == scope)
            .collect(),
        Some(id) => match wanted_rule(&evaluator, id, scope) {
            Ok(rule) => vec![rule],
            Err(why) => {
                eprintln!("jixiao: {why}");
                return ExitCode::from(2);
            }
        },
    };
    if rules.is_empty() {
        eprintln!("jixiao: the rules define no {} rule", scope_name(scope));
        return ExitCode::from(2);
    }
    output(|out| {
        match project {
            Some(p) => writeln!(
                out,
                "{} {} · {} {}\n",
                Escaped(&unit.0.record.code),
                Escaped(&unit.0.record.name),
                Escaped(&p.0.record.code),
                Escaped(&p.0.record.name)
            )?,
            None => writeln!(
                out,
                "{} {} (unit rules)\n",
                Escaped(&unit.0.record.code),
                Escaped(&unit.0.record.name)
            )?,
        }
        for rule in rules {
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
            let title = Escaped(&rule.meta.title);
            writeln!(out, "{status:<10} {}  {title}", rule.meta.id)?;
            for finding in &outcome.findings {
                writeln!(out, "           → {}", Escaped(&finding.message))?;
            }
            for problem in &outcome.problems {
                let shown = problem.with_source();
                let shown = escape(&shown, Layout::Lines).replace('\n', "\n             ");
                writeln!(out, "           ! {shown}")?;
            }
            for read in reads {
                writeln!(out, "           {}", Escaped(&read))?;
            }
            writeln!(out)?;
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn scope_name(scope: RuleScope) -> &'static str {
    match scope {
        RuleScope::Project => "project",
        RuleScope::Unit => "unit",
    }
}

/// The rule `--rule` names, in any case (`exec-rate-low`), if it can be explained here: a
/// project rule needs `--project`, a unit rule must not have it. Otherwise what to do instead.
fn wanted_rule<'e>(
    evaluator: &'e Evaluator,
    id: &str,
    scope: RuleScope,
) -> Result<&'e CompiledRule, String> {
    let Some(rule) = evaluator
        .all_rules()
        .iter()
        .find(|rule| rule.meta.id.eq_ignore_ascii_case(id))
    else {
        let ids: Vec<&str> = evaluator
            .all_rules()
            .iter()
            .map(|r| r.meta.id.as_str())
            .collect();
        return Err(format!(
            "no rule `{id}`{}",
            jixiao::diagnostic::suggest(&id.to_ascii_uppercase(), &ids)
        ));
    };
    match (rule.meta.scope, scope) {
        (wanted, here) if wanted == here => Ok(rule),
        (RuleScope::Project, _) => Err(format!(
            "{} is a project rule: name the project with --project CODE",
            rule.meta.id
        )),
        (RuleScope::Unit, _) => Err(format!(
            "{} is a unit rule: leave out --project to explain it",
            rule.meta.id
        )),
    }
}
