//! Evaluation: every project rule against every project, every unit rule against the unit,
//! collecting findings and, for a rule that fails on one record, a located problem — the
//! other rules and records still run. A rule that reads findings (`check(…, earlier)`) runs
//! after the record's other rules, with theirs.

use crate::diagnostic::{Problem, ProblemKind};
use crate::engine::cause_catalogue::CauseCatalogue;
use crate::engine::finding::{Finding, Subject};
use crate::engine::guard::Flags;
use crate::engine::outline::UnitOutline;
use crate::engine::rule_set::{RuleMeta, RuleScope, RuleSet};
use crate::engine::script::{self, Thresholds};
use crate::model::view::{ProjectRef, UnitRef};
use rhai::{AST, Array, CallFnOptions, Dynamic, Engine, Scope};
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

/// Whether a rule's `WHEN` guard lets it run on a project with these flags (a unit rule has
/// no flags and no guard).
fn runs_on(rule: &CompiledRule, flags: Option<Flags>) -> bool {
    match (&rule.meta.when, flags) {
        (Some(when), Some(flags)) => when.holds(flags),
        _ => true,
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
    /// The finding categories that are deviations (`deviation_categories` of `rules.toml`),
    /// marked as such in the findings a rule reads.
    deviation_categories: Vec<String>,
    /// The trace a traced evaluator records into, to forget what the rules a finding-reading
    /// rule waits for read (see [`Evaluator::evaluate_rule`]).
    trace: Option<script::Trace>,
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
            deviation_categories: rule_set.deviation_categories(),
            trace: trace.cloned(),
        }
    }

    pub fn evaluate(&self, unit: &UnitRef, file: &str) -> UnitReport {
        let mut report = UnitReport::empty(unit, file);
        let mut scope = Scope::new();
        for rule in self.rules(RuleScope::Unit) {
            self.call(rule, &mut scope, None, unit, None, &mut report);
        }
        let unit_rules = (RuleScope::Unit, None);
        self.run_readers(unit_rules, unit, 0, &mut scope, &mut report);
        for project in &unit.0.projects {
            let start = report.findings.len();
            let flags = Flags::of(&project.0);
            for rule in self.rules(RuleScope::Project) {
                if !runs_on(rule, Some(flags)) {
                    continue;
                }
                self.call(rule, &mut scope, None, unit, Some(project), &mut report);
            }
            let project_rules = (RuleScope::Project, Some((project, flags)));
            self.run_readers(project_rules, unit, start, &mut scope, &mut report);
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
    /// findings and problems, unsuppressed. A rule that reads findings gets those of the
    /// record's other rules, which are run first and then left out of the report (and of the
    /// trace).
    pub fn evaluate_rule(
        &self,
        rule: &CompiledRule,
        unit: &UnitRef,
        project: Option<&ProjectRef>,
    ) -> UnitReport {
        let mut report = UnitReport::empty(unit, "");
        let mut scope = Scope::new();
        let earlier = rule.meta.reads_findings.then(|| {
            let scope_kind = rule.meta.scope;
            let mut others = UnitReport::empty(unit, "");
            for other in self.rules(scope_kind) {
                self.call(other, &mut scope, None, unit, project, &mut others);
            }
            if let Some(trace) = &self.trace {
                trace.take();
            }
            script::earlier_findings(&others.findings, &self.deviation_categories)
        });
        self.call(rule, &mut scope, earlier, unit, project, &mut report);
        report
    }

    /// The rules of a scope that do not read findings, in id order.
    fn rules(&self, scope: RuleScope) -> impl Iterator<Item = &CompiledRule> {
        self.rules
            .iter()
            .filter(move |r| r.meta.scope == scope && !r.meta.reads_findings)
    }

    /// Runs the rules of a scope that read findings on one record, once the others have run:
    /// each gets the findings reported on the record since `start` (not those of another
    /// finding-reading rule), and its own take their place in rule-id order.
    fn run_readers(
        &self,
        (scope_kind, project): (RuleScope, Option<(&ProjectRef, Flags)>),
        unit: &UnitRef,
        start: usize,
        scope: &mut Scope,
        report: &mut UnitReport,
    ) {
        let mut readers = self
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.meta.scope == scope_kind && r.meta.reads_findings)
            .filter(|(_, r)| runs_on(r, project.map(|(_, flags)| flags)))
            .peekable();
        let project = project.map(|(project, _)| project);
        if readers.peek().is_none() {
            return;
        }
        let earlier = report.findings.get(start..).unwrap_or_default();
        let earlier = script::earlier_findings(earlier, &self.deviation_categories);
        let place = |id: &str| self.rules.iter().position(|r| r.meta.id == id);
        for (at, rule) in readers {
            let before = report.findings.len();
            self.call(rule, scope, Some(earlier.clone()), unit, project, report);
            let added = report.findings.len() - before;
            let preceding = report
                .findings
                .get(start..before)
                .unwrap_or_default()
                .iter()
                .filter(|f| place(&f.rule) < Some(at))
                .count();
            if let Some(tail) = report.findings.get_mut(start + preceding..) {
                tail.rotate_right(added);
            }
        }
    }

    /// Calls one rule on one record with the arguments its scope takes, and `earlier`, the
    /// findings it reads, when it reads them.
    fn call(
        &self,
        rule: &CompiledRule,
        scope: &mut Scope,
        earlier: Option<Array>,
        unit: &UnitRef,
        project: Option<&ProjectRef>,
        report: &mut UnitReport,
    ) {
        let (u, t) = (unit.clone(), self.thresholds.clone());
        match (project, earlier) {
            (Some(p), None) => self.run(rule, scope, (p.clone(), u, t), project, unit, report),
            (Some(p), Some(e)) => {
                self.run(rule, scope, (p.clone(), u, t, e), project, unit, report)
            }
            (None, None) => self.run(rule, scope, (u, t), None, unit, report),
            (None, Some(e)) => self.run(rule, scope, (u, t, e), None, unit, report),
        }
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
