//! Evaluation: every project rule against every project, every unit rule against the unit,
//! collecting findings and, for a rule that fails on one record, a located problem — the
//! other rules and records still run.

use crate::diagnostic::{Problem, ProblemKind};
use crate::engine::cause_catalogue::CauseCatalogue;
use crate::engine::finding::{Finding, Subject};
use crate::engine::guard::Flags;
use crate::engine::outline::UnitOutline;
use crate::engine::rule_set::{RuleMeta, RuleScope, RuleSet};
use crate::engine::script::{self, Thresholds};
use crate::model::view::{ProjectRef, UnitRef};
use rhai::{AST, CallFnOptions, Dynamic, Engine, Scope};
use std::sync::Arc;

/// The result for one unit: its findings in a fixed order (unit rules first, then each
/// project in file order, rules by id) and the problems met evaluating it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct UnitReport {
    pub code: String,
    pub name: String,
    /// 主管部门, when the record names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    pub file: String,
    pub findings: Vec<Finding>,
    #[serde(skip)]
    pub problems: Vec<Problem>,
    /// The projects as the write-up names them, with their own improvement texts (left empty
    /// by [`Evaluator::evaluate_rule`], whose reports are not written up).
    #[serde(skip)]
    pub outline: UnitOutline,
}

/// Marks the findings each `[[suppress]]` entry covers, and reports the entries that cover
/// nothing.
fn apply_suppressions(unit: &UnitRef, report: &mut UnitReport) {
    for s in &unit.0.suppressions {
        let mut used = false;
        for finding in report.findings.iter_mut().filter(|f| f.is_covered_by(s)) {
            finding.suppressed = Some(s.reason.clone());
            used = true;
        }
        if !used {
            let project_name = unit
                .0
                .projects
                .iter()
                .find(|p| s.project.as_ref() == Some(&p.0.record.code))
                .map(|p| p.0.record.name.as_str());
            let finding = Finding::unused_suppression(&report.code, project_name, s);
            report.findings.push(finding);
        }
    }
}

/// A rule compiled by one evaluator's engine.
pub struct CompiledRule {
    pub meta: Arc<RuleMeta>,
    ast: AST,
}

/// One worker's engine, compiled rules and thresholds. Build one per thread.
pub struct Evaluator {
    engine: Engine,
    rules: Vec<CompiledRule>,
    thresholds: Thresholds,
    causes: Arc<CauseCatalogue>,
}

impl UnitReport {
    fn empty(unit: &UnitRef, file: &str) -> UnitReport {
        UnitReport {
            code: unit.0.record.code.clone(),
            name: unit.0.record.name.clone(),
            department: unit.0.record.department.clone(),
            file: file.to_string(),
            findings: Vec::new(),
            problems: Vec::new(),
            outline: UnitOutline::default(),
        }
    }
}

impl Evaluator {
    /// An evaluator with its own engine, its own compiled copy of every rule and its own
    /// thresholds: threads that share compiled scripts or values contend on their reference
    /// counts on every call and do not scale.
    pub fn new(rule_set: &RuleSet) -> Evaluator {
        Evaluator::with_engine(rule_set, None)
    }

    /// An evaluator whose rules record every field and threshold they read into `trace`.
    pub fn traced(rule_set: &RuleSet, trace: &script::Trace) -> Evaluator {
        Evaluator::with_engine(rule_set, Some(trace))
    }

    fn with_engine(rule_set: &RuleSet, trace: Option<&script::Trace>) -> Evaluator {
        let thresholds = rule_set.thresholds();
        let causes = rule_set.causes.clone();
        let engine = match trace {
            None => script::new_engine(causes.clone(), &thresholds),
            Some(trace) => script::traced_engine(causes.clone(), &thresholds, trace),
        };
        let rules = rule_set
            .rules
            .iter()
            .map(|rule| CompiledRule {
                meta: rule.meta.clone(),
                ast: engine
                    .compile(&*rule.source)
                    .expect("a rule that compiled once compiles again"),
            })
            .collect();
        Evaluator {
            engine,
            rules,
            thresholds,
            causes,
        }
    }

    pub fn evaluate(&self, unit: &UnitRef, file: &str) -> UnitReport {
        let mut report = UnitReport::empty(unit, file);
        let mut scope = Scope::new();
        for rule in self.rules(RuleScope::Unit) {
            let args = (unit.clone(), self.thresholds.clone());
            self.run(rule, &mut scope, args, None, unit, &mut report);
        }
        for project in &unit.0.projects {
            let flags = Flags::of(&project.0);
            for rule in self.rules(RuleScope::Project) {
                if !rule.meta.when.as_ref().is_none_or(|when| when.holds(flags)) {
                    continue;
                }
                let args = (project.clone(), unit.clone(), self.thresholds.clone());
                self.run(rule, &mut scope, args, Some(project), unit, &mut report);
            }
        }
        apply_suppressions(unit, &mut report);
        report.outline = UnitOutline::of(unit);
        report
    }

    /// This evaluator's compiled rules, in order.
    pub fn all_rules(&self) -> &[CompiledRule] {
        &self.rules
    }

    /// One rule on one record — a project, or the unit itself for a unit rule — with its
    /// findings and problems, unsuppressed.
    pub fn evaluate_rule(
        &self,
        rule: &CompiledRule,
        unit: &UnitRef,
        project: Option<&ProjectRef>,
    ) -> UnitReport {
        let mut report = UnitReport::empty(unit, "");
        let mut scope = Scope::new();
        let thresholds = self.thresholds.clone();
        match project {
            Some(p) => {
                let args = (p.clone(), unit.clone(), thresholds);
                self.run(rule, &mut scope, args, project, unit, &mut report);
            }
            None => {
                let args = (unit.clone(), thresholds);
                self.run(rule, &mut scope, args, None, unit, &mut report);
            }
        }
        report
    }

    fn rules(&self, scope: RuleScope) -> impl Iterator<Item = &CompiledRule> {
        self.rules.iter().filter(move |r| r.meta.scope == scope)
    }

    /// Calls one rule's `check` and records what it returned, or the problem it raised.
    fn run(
        &self,
        rule: &CompiledRule,
        scope: &mut Scope,
        args: impl rhai::FuncArgs,
        project: Option<&ProjectRef>,
        unit: &UnitRef,
        report: &mut UnitReport,
    ) {
        let options = CallFnOptions::new().eval_ast(false).rewind_scope(true);
        let result = self
            .engine
            .call_fn_with_options::<Dynamic>(options, scope, &rule.ast, "check", args);
        let subject = Subject {
            unit: &unit.0.record.code,
            project: project.map(|p| (p.0.record.code.as_str(), p.0.record.name.as_str())),
        };
        let problem = |message: String, line: Option<usize>, column: Option<usize>| Problem {
            kind: ProblemKind::Evaluation,
            file: rule.meta.file.clone(),
            cell: None,
            line,
            column,
            field: None,
            rule: Some(rule.meta.id.clone()),
            unit: Some(subject.unit.to_string()),
            project: subject.project.map(|(code, _)| code.to_string()),
            message,
        };
        let values = match result.map_err(|e| script::innermost(&e)) {
            Ok(value) => script::as_findings(value),
            Err((pos, message)) => {
                report
                    .problems
                    .push(problem(message, pos.line(), pos.position()));
                return;
            }
        };
        match values {
            Ok(values) => {
                for value in values {
                    match Finding::from_script(value, &rule.meta, &subject, &self.causes) {
                        Ok(finding) => report.findings.push(finding),
                        Err(message) => report.problems.push(problem(message, None, None)),
                    }
                }
            }
            Err(message) => report.problems.push(problem(message, None, None)),
        }
    }
}
