//! The standard rule set of `rules/`, hand-written in Rust: the lower bound the scripted
//! figures are divided by. Each rule mirrors its `.rhai` file line for line — the same
//! conditions, the same Decimal operations in the same order, the same message text, cause,
//! suggestion and evidence — and reads the same precomputed view values the script getters
//! expose (`src/engine/script/`). Findings come out in the order of `src/engine/evaluate.rs`: the unit
//! rules by file name, then each project in file order with the project rules by file name.
//!
//! Where a scripted finding map holds a `()` evidence value, `Finding::from_script` rejects it
//! (an evaluation problem, no finding); the native rule skips that finding the same way, so
//! that the two produce equal findings.

use crate::fixture::Which;
use jixiao::engine::cause_catalogue::CauseCatalogue;
use jixiao::engine::finding::{Causes, Evidence, Finding};
use jixiao::engine::rule_set::{RuleMeta, RuleScope, RuleSet};
use jixiao::input::indicator_value::Value;
use jixiao::model::compare::Comparison;
use jixiao::model::view::{
    GroupView, IndicatorKind, IndicatorView, ProjectView, UnitRef, UnitView, WeightBasis,
};
use jixiao::number_text::{pct, plain, wan};
use rhai::Dynamic;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::sync::Arc;

type UnitCheck = fn(&NativeRules, &UnitView, &mut Emit<'_>);
type ProjectCheck = fn(&NativeRules, &ProjectView, &mut Emit<'_>);

/// A numeric threshold: its value for comparisons, and the evidence it shows as (a `rules.toml`
/// integer stays an integer in evidence, as it does in the scripts).
struct Threshold {
    value: Decimal,
    evidence: Evidence,
}

/// The standard rule set of `rules/`, hand-written in Rust.
pub struct NativeRules {
    unit_rules: Vec<(Arc<RuleMeta>, UnitCheck)>,
    project_rules: Vec<(Arc<RuleMeta>, ProjectCheck)>,
    execution_rate_min: Threshold,
    indicator_deviation_max: Threshold,
    /// `indicator_deviation_max_by_kind`: a kind's own threshold, by kind code.
    deviation_max_by_kind: BTreeMap<String, Threshold>,
    budget_shortfall_min: Threshold,
    budget_increase_min: Threshold,
    over_achievement_ratio: Threshold,
    score_tolerance: Threshold,
    total_tolerance: Threshold,
    cost_control_year_on_year: Vec<String>,
    deviation_categories: Vec<String>,
    catalogue: Arc<CauseCatalogue>,
}

/// What INDICATOR-UNPARSED reports about an indicator.
enum Unparsed {
    Target,
    Actual,
    Units,
}

/// A finding's causes as `cause(...)` / `cause_of(...)` return them, with the improvement the
/// primary cause suggests in the catalogue (the no-reason improvement when there is none).
struct Why {
    causes: Causes,
    suggestion: String,
}

/// Where one rule call's findings go, filled in from the rule's declaration and the record as
/// `Finding::from_script` does.
struct Emit<'a> {
    meta: &'a RuleMeta,
    unit: &'a str,
    project: Option<(&'a str, &'a str)>,
    out: &'a mut Vec<Finding>,
    /// Where this rule's findings start, and this record's.
    start: usize,
    record_start: usize,
}

impl Emit<'_> {
    fn push(
        &mut self,
        indicator: Option<&str>,
        message: String,
        why: Why,
        suggestion: Option<&str>,
        evidence: BTreeMap<String, Evidence>,
    ) {
        self.out.push(Finding {
            rule: self.meta.id.clone(),
            severity: self.meta.severity,
            category: self.meta.category.clone(),
            unit: self.unit.to_owned(),
            project: self.project.map(|(code, _)| code.to_owned()),
            project_name: self.project.map(|(_, name)| name.to_owned()),
            indicator: indicator.map(str::to_owned),
            message,
            cause: why.causes.primary,
            other_causes: why.causes.others,
            suggestion: suggestion.map_or(why.suggestion, str::to_owned),
            evidence,
            suppressed: None,
        });
    }

    /// The script raised an error: the rule returns nothing for this record.
    fn abandon(&mut self) {
        self.out.truncate(self.start);
    }
}

fn evidence<'a>(
    items: impl IntoIterator<Item = (&'a str, Evidence)>,
) -> BTreeMap<String, Evidence> {
    items.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

fn dec(d: Decimal) -> Evidence {
    Evidence::Decimal(d)
}

fn text(s: &str) -> Evidence {
    Evidence::Text(s.to_owned())
}

/// `join(items, "、")`.
fn joined<'s>(items: impl Iterator<Item = &'s str>) -> String {
    let mut all = String::new();
    for n in items {
        if !all.is_empty() {
            all.push('、');
        }
        all.push_str(n);
    }
    all
}

fn threshold(t: &BTreeMap<String, Dynamic>, key: &str) -> Threshold {
    let value = t
        .get(key)
        .unwrap_or_else(|| panic!("rules.toml defines no `{key}`"));
    if let Ok(d) = value.as_decimal() {
        Threshold {
            value: d,
            evidence: Evidence::Decimal(d),
        }
    } else if let Ok(i) = value.as_int() {
        Threshold {
            value: Decimal::from(i),
            evidence: Evidence::Integer(i),
        }
    } else {
        panic!("threshold `{key}` is not a number")
    }
}

fn words(t: &BTreeMap<String, Dynamic>, key: &str) -> Vec<String> {
    t.get(key)
        .and_then(|v| v.clone().into_array().ok())
        .unwrap_or_else(|| panic!("threshold `{key}` is not a list"))
        .into_iter()
        .map(|w| {
            w.into_string()
                .unwrap_or_else(|_| panic!("threshold `{key}` holds a non-string"))
        })
        .collect()
}

// Indicator getters of `src/engine/script/`.

fn gap(i: &IndicatorView) -> Option<Decimal> {
    match i.comparison {
        Comparison::Quantitative { gap, .. } => gap,
        _ => None,
    }
}

fn deviation(i: &IndicatorView) -> Option<Decimal> {
    match i.comparison {
        Comparison::Quantitative { deviation, .. } => deviation,
        _ => None,
    }
}

fn quantitative(i: &IndicatorView) -> bool {
    matches!(i.comparison, Comparison::Quantitative { .. })
}

fn qualitative(i: &IndicatorView) -> bool {
    matches!(i.comparison, Comparison::Qualitative)
}

fn lower_is_better(i: &IndicatorView) -> bool {
    matches!(
        i.comparison,
        Comparison::Quantitative {
            lower_is_better: true,
            ..
        }
    )
}

fn tier_met(i: &IndicatorView) -> Option<bool> {
    i.tier_met
}

fn missing(v: &Value) -> bool {
    matches!(v, Value::Missing)
}

/// The reason `cause(p, ind, fallback)` reads: the indicator's own, else the project's.
fn reason<'a>(i: &'a IndicatorView, p: &'a ProjectView) -> &'a str {
    if i.record.deviation_reason.is_empty() {
        &p.record.deviation_reason
    } else {
        &i.record.deviation_reason
    }
}

fn unit_check(id: &str) -> Option<UnitCheck> {
    Some(match id {
        "BASIC-TOTAL" => NativeRules::basic_total,
        "BUDGET-SPLITS" => NativeRules::budget_splits,
        "COST-CONTROL-EXCEEDED" => NativeRules::cost_control_exceeded,
        "GROUP-TOTALS" => NativeRules::group_totals,
        "INSTITUTIONS-COUNT" => NativeRules::institutions_count,
        "OVER-ESTABLISHMENT" => NativeRules::over_establishment,
        "STAFF-TOTALS" => NativeRules::staff_totals,
        _ => return None,
    })
}

fn project_check(id: &str) -> Option<ProjectCheck> {
    Some(match id {
        "BUDGET-ADJUSTED" => NativeRules::budget_adjusted,
        "BUDGET-BELOW-INITIAL" => NativeRules::budget_below_initial,
        "COST-GAP" => NativeRules::cost_gap,
        "CROSS-YEAR" => NativeRules::cross_year,
        "EXEC-RATE-LOW" => NativeRules::exec_rate_low,
        "INDICATOR-NOT-MET" => NativeRules::indicator_not_met,
        "INDICATOR-UNPARSED" => NativeRules::indicator_unparsed,
        "INDICATOR-VALUE-MISSING" => NativeRules::indicator_value_missing,
        "INDICATORS-MISSING" => NativeRules::indicators_missing,
        "OVER-ACHIEVED" => NativeRules::over_achieved,
        "OVERSPEND" => NativeRules::overspend,
        "PROJECT-FUNDS" => NativeRules::project_funds,
        "QUANTITY-GAP" => NativeRules::quantity_gap,
        "REASON-MISSING" => NativeRules::reason_missing,
        "SCORE-MISMATCH" => NativeRules::score_mismatch,
        _ => return None,
    })
}

impl NativeRules {
    /// Reads the thresholds, the cause catalogue and each rule's declaration once. The rules
    /// run in the order of `rule_set.rules` (sorted by file name, as `src/engine/evaluate.rs` runs
    /// them). Panics on a rule this file does not implement, or on a threshold the standard
    /// rules need that `rules.toml` lacks: the comparison would be meaningless.
    pub fn new(rule_set: &RuleSet) -> NativeRules {
        let mut unit_rules = Vec::new();
        let mut project_rules = Vec::new();
        for rule in &rule_set.rules {
            let meta = rule.meta.clone();
            let missing =
                || -> ! { panic!("rule `{}` has no native implementation", rule.meta.id) };
            match meta.scope {
                RuleScope::Unit => {
                    let check = unit_check(&meta.id).unwrap_or_else(|| missing());
                    unit_rules.push((meta, check));
                }
                RuleScope::Project => {
                    let check = project_check(&meta.id).unwrap_or_else(|| missing());
                    project_rules.push((meta, check));
                }
            }
        }
        let thresholds = rule_set.thresholds();
        let t = &thresholds.0;
        let catalogue = rule_set.causes.clone();
        NativeRules {
            unit_rules,
            project_rules,
            execution_rate_min: threshold(t, "execution_rate_min"),
            indicator_deviation_max: threshold(t, "indicator_deviation_max"),
            deviation_max_by_kind: t
                .get("indicator_deviation_max_by_kind")
                .and_then(|m| m.read_lock::<rhai::Map>().map(|m| m.clone()))
                .map(|m| {
                    let t: BTreeMap<String, Dynamic> =
                        m.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
                    t.keys().map(|k| (k.clone(), threshold(&t, k))).collect()
                })
                .unwrap_or_default(),
            budget_shortfall_min: threshold(t, "budget_shortfall_min"),
            budget_increase_min: threshold(t, "budget_increase_min"),
            over_achievement_ratio: threshold(t, "over_achievement_ratio"),
            score_tolerance: threshold(t, "score_tolerance"),
            total_tolerance: threshold(t, "total_tolerance"),
            cost_control_year_on_year: words(t, "cost_control_year_on_year"),
            deviation_categories: words(t, "deviation_categories"),
            catalogue,
        }
    }

    /// Findings for one unit, in exactly the order and with exactly the content the scripted
    /// rules produce (src/engine/evaluate.rs order: unit-scope rules first, by rule file name; then
    /// each project in order, project-scope rules by rule file name), of the rules `which`
    /// selects.
    pub fn evaluate(&self, unit: &UnitRef, which: Which) -> Vec<Finding> {
        let u = &*unit.0;
        let wanted = |meta: &RuleMeta| which.wants(&meta.id);
        let mut out = Vec::new();
        for (meta, check) in &self.unit_rules {
            if wanted(meta) {
                let start = out.len();
                let mut emit = Emit {
                    meta,
                    unit: &u.record.code,
                    project: None,
                    out: &mut out,
                    start,
                    record_start: 0,
                };
                check(self, u, &mut emit);
            }
        }
        for p in &u.projects {
            let p = &*p.0;
            let record_start = out.len();
            for (meta, check) in &self.project_rules {
                if wanted(meta) {
                    let start = out.len();
                    let mut emit = Emit {
                        meta,
                        unit: &u.record.code,
                        project: Some((&p.record.code, &p.record.name)),
                        out: &mut out,
                        start,
                        record_start,
                    };
                    check(self, p, &mut emit);
                }
            }
        }
        out
    }

    /// A kind's own deviation threshold, else the default (`t.….get(kind) ?? t.…`).
    fn deviation_max(&self, kind: IndicatorKind) -> &Threshold {
        self.deviation_max_by_kind
            .get(kind.code())
            .unwrap_or(&self.indicator_deviation_max)
    }

    fn why(&self, causes: Result<Causes, String>) -> Why {
        let causes = causes.unwrap_or_else(|e| panic!("{e}"));
        let suggestion = match &causes.primary {
            Some(cause) => self
                .catalogue
                .cause(&cause.code)
                .unwrap_or_else(|e| panic!("{e}"))
                .suggestion
                .clone(),
            None => self.catalogue.no_reason_suggestion().to_owned(),
        };
        Why { causes, suggestion }
    }

    /// A finding with no cause (no `cause` in the script's map).
    fn no_cause(&self) -> Why {
        self.why(Ok(Causes::default()))
    }

    /// `cause_of(code)` and `cause_of(code, reason)`.
    fn cause_of(&self, code: &str, reason: &str) -> Why {
        self.why(Causes::given(&self.catalogue, code, reason))
    }

    /// `cause(p, fallback)` and `cause(p, ind, fallback)`, given the reason they read.
    fn cause(&self, reason: &str, fallback: &str, unsettled: Decimal) -> Why {
        self.why(Causes::of_deviation(
            &self.catalogue,
            reason,
            fallback,
            unsettled,
        ))
    }

    // ---- unit rules ----------------------------------------------------------------------

    fn basic_total(&self, u: &UnitView, e: &mut Emit<'_>) {
        let Some(basic) = &u.record.basic else {
            return;
        };
        let parts = basic.personnel + basic.public;
        if (basic.total - parts).abs() <= self.total_tolerance.value {
            return;
        }
        e.push(
            None,
            format!(
                "基本支出{}，人员经费{}与日常公用经费{}合计{}，相差{}。",
                wan(basic.total),
                wan(basic.personnel),
                wan(basic.public),
                wan(parts),
                wan((basic.total - parts).abs())
            ),
            self.cause_of("data_error", ""),
            None,
            evidence([
                ("total", dec(basic.total)),
                ("personnel", dec(basic.personnel)),
                ("public_expense", dec(basic.public)),
                ("difference", dec(basic.total - parts)),
            ]),
        );
    }

    fn budget_splits(&self, u: &UnitView, e: &mut Emit<'_>) {
        let Some(budget) = &u.record.budget else {
            return;
        };
        let total = |m: &BTreeMap<String, Decimal>| {
            (!m.is_empty()).then(|| m.values().copied().sum::<Decimal>())
        };
        let splits = [
            ("by_income", "按资金来源", total(&budget.by_income)),
            ("by_spending", "按支出用途", total(&budget.by_spending)),
        ];
        for (split, label, total) in splits {
            let Some(total) = total else {
                continue;
            };
            if (total - budget.executed).abs() <= self.total_tolerance.value {
                continue;
            }
            e.push(
                None,
                format!(
                    "部门资金{label}合计{}，与年度执行数{}不符，相差{}。",
                    wan(total),
                    wan(budget.executed),
                    wan((total - budget.executed).abs())
                ),
                self.cause_of("data_error", ""),
                None,
                evidence([
                    ("split", text(split)),
                    ("split_total", dec(total)),
                    ("executed", dec(budget.executed)),
                    ("difference", dec(total - budget.executed)),
                ]),
            );
        }
    }

    fn cost_control_exceeded(&self, u: &UnitView, e: &mut Emit<'_>) {
        for line in &u.record.cost_controls {
            if let Some(budget) = line.budget
                && line.actual > budget
            {
                e.push(
                    None,
                    format!(
                        "{}本年预算数{}，决算数{}，超预算{}。",
                        line.name,
                        wan(budget),
                        wan(line.actual),
                        wan(line.actual - budget)
                    ),
                    self.no_cause(),
                    Some("严格按预算控制经费支出，确需超出的按程序调整预算并说明原因。"),
                    evidence([
                        ("name", text(&line.name)),
                        ("budget", dec(budget)),
                        ("actual", dec(line.actual)),
                        ("excess", dec(line.actual - budget)),
                    ]),
                );
            }
            if let Some(last_year) = line.last_year
                && line.actual > last_year
                && self
                    .cost_control_year_on_year
                    .iter()
                    .any(|word| line.name.contains(word.as_str()))
            {
                e.push(
                    None,
                    format!(
                        "{}本年决算数{}，高于上年决算数{}，增加{}。",
                        line.name,
                        wan(line.actual),
                        wan(last_year),
                        wan(line.actual - last_year)
                    ),
                    self.no_cause(),
                    Some(
                        "落实“三公”经费只减不增的要求，从严控制公务接待、公务用车和因公出国（境）支出。",
                    ),
                    evidence([
                        ("name", text(&line.name)),
                        ("last_year", dec(last_year)),
                        ("actual", dec(line.actual)),
                        ("increase", dec(line.actual - last_year)),
                    ]),
                );
            }
        }
    }

    fn group_totals(&self, u: &UnitView, e: &mut Emit<'_>) {
        for g in &u.group_values {
            let g = g.read_lock::<GroupView>().expect("a group value");
            if let Some(stated) = g.stated_count
                && stated != g.listed_count
            {
                e.push(
                    None,
                    format!(
                        "“{}”说明共{stated}个项目，明细列出{}个。",
                        g.name, g.listed_count
                    ),
                    self.cause_of("data_error", ""),
                    None,
                    evidence([
                        ("group", text(&g.name)),
                        ("stated_count", Evidence::Integer(stated)),
                        ("listed_count", Evidence::Integer(g.listed_count)),
                    ]),
                );
            }
            if let (Some(stated), Some(listed)) = (g.stated_executed, g.listed_executed)
                && (stated - listed).abs() > self.total_tolerance.value
            {
                e.push(
                    None,
                    format!(
                        "“{}”说明共{}，明细项目合计{}，相差{}。",
                        g.name,
                        wan(stated),
                        wan(listed),
                        wan((stated - listed).abs())
                    ),
                    self.cause_of("data_error", ""),
                    None,
                    evidence([
                        ("group", text(&g.name)),
                        ("stated_executed", dec(stated)),
                        ("listed_executed", dec(listed)),
                        ("difference", dec(stated - listed)),
                    ]),
                );
            }
        }
        for (code, group) in &u.ungrouped {
            e.push(
                None,
                format!("项目{code}所属分类“{group}”未在单位的项目分类中列出。"),
                self.cause_of("data_error", ""),
                None,
                evidence([("project", text(code)), ("group", text(group))]),
            );
        }
    }

    fn institutions_count(&self, u: &UnitView, e: &mut Emit<'_>) {
        let Some(inst) = &u.record.institutions else {
            return;
        };
        let kinds = [
            ("内设机构", inst.internal_count, &inst.internal),
            ("所属事业单位", inst.subordinate_count, &inst.subordinate),
        ];
        for (kind, stated, names) in kinds {
            let listed = names.len() as i64;
            let Some(stated) = stated else {
                continue;
            };
            if listed == 0 || stated == listed {
                continue;
            }
            e.push(
                None,
                format!(
                    "报告称{kind}{stated}个，实际列出{listed}个（{}）。",
                    joined(names.iter().map(String::as_str))
                ),
                self.cause_of("data_error", ""),
                None,
                evidence([
                    ("kind", text(kind)),
                    ("stated", Evidence::Integer(stated)),
                    ("listed", Evidence::Integer(listed)),
                ]),
            );
        }
    }

    fn over_establishment(&self, u: &UnitView, e: &mut Emit<'_>) {
        let Some(staff) = &u.record.staff else {
            return;
        };
        let (Some(authorized), Some(in_service)) = (staff.authorized, staff.in_service) else {
            return;
        };
        if in_service <= authorized {
            return;
        }
        e.push(
            None,
            format!(
                "编制数{authorized}人，在职人数{in_service}人，超编{}人。",
                in_service - authorized
            ),
            self.no_cause(),
            Some("严格执行机构编制管理规定，按编制核定人员，超编人员逐步消化。"),
            evidence([
                ("authorized", Evidence::Integer(authorized)),
                ("in_service", Evidence::Integer(in_service)),
            ]),
        );
    }

    fn staff_totals(&self, u: &UnitView, e: &mut Emit<'_>) {
        let Some(staff) = &u.record.staff else {
            return;
        };
        if let (Some(total), Some(in_service), Some(retired)) =
            (staff.total, staff.in_service, staff.retired)
            && in_service + retired != total
        {
            e.push(
                None,
                format!(
                    "年末实有人数{total}人，在职{in_service}人与离退休{retired}人合计{}人，不一致。",
                    in_service + retired
                ),
                self.cause_of("data_error", ""),
                None,
                evidence([
                    ("total", Evidence::Integer(total)),
                    ("in_service", Evidence::Integer(in_service)),
                    ("retired", Evidence::Integer(retired)),
                ]),
            );
        }
        let listed =
            (!staff.establishment.is_empty()).then(|| staff.establishment.values().sum::<i64>());
        if let (Some(listed), Some(in_service)) = (listed, staff.in_service)
            && listed != in_service
        {
            e.push(
                None,
                format!("在职人员{in_service}人，按编制类型列出合计{listed}人，不一致。"),
                self.cause_of("data_error", ""),
                None,
                evidence([
                    ("in_service", Evidence::Integer(in_service)),
                    ("establishment_total", Evidence::Integer(listed)),
                ]),
            );
        }
    }

    // ---- project rules -------------------------------------------------------------------

    fn budget_adjusted(&self, p: &ProjectView, e: &mut Emit<'_>) {
        let r = &p.record;
        let Some(initial) = r.budget_initial else {
            return;
        };
        if initial <= Decimal::ZERO {
            return;
        }
        let added = r.budget_adjusted - initial;
        if added <= Decimal::ZERO || added / initial <= self.budget_increase_min.value {
            return;
        }
        e.push(
            None,
            format!(
                "年初预算数{}，年中追加后全年预算数{}，增加{}（{}），需单独说明调整原因。",
                wan(initial),
                wan(r.budget_adjusted),
                wan(added),
                pct(added / initial)
            ),
            self.cause(&r.deviation_reason, "budget_adjustment", r.unsettled),
            None,
            evidence([
                ("budget_initial", dec(initial)),
                ("budget_adjusted", dec(r.budget_adjusted)),
                ("increase", dec(added)),
                ("increase_rate", dec(added / initial)),
            ]),
        );
    }

    fn budget_below_initial(&self, p: &ProjectView, e: &mut Emit<'_>) {
        let r = &p.record;
        let Some(initial) = r.budget_initial else {
            return;
        };
        if initial <= Decimal::ZERO {
            return;
        }
        let shortfall = initial - r.executed;
        if shortfall <= Decimal::ZERO || shortfall / initial <= self.budget_shortfall_min.value {
            return;
        }
        let adjusted = if r.budget_adjusted != initial {
            format!("，年中预算调整为{}", wan(r.budget_adjusted))
        } else {
            String::new()
        };
        let why = self.cause(&r.deviation_reason, "budget_adjustment", r.unsettled);
        e.push(
            None,
            format!(
                "年初预算数{}{adjusted}，全年执行数{}，低于年初预算数{}（{}）。",
                wan(initial),
                wan(r.executed),
                wan(shortfall),
                pct(shortfall / initial)
            ),
            why,
            None,
            evidence([
                ("budget_initial", dec(initial)),
                ("budget_adjusted", dec(r.budget_adjusted)),
                ("executed", dec(r.executed)),
                ("shortfall", dec(shortfall)),
                ("shortfall_rate", dec(shortfall / initial)),
            ]),
        );
    }

    fn cost_gap(&self, p: &ProjectView, e: &mut Emit<'_>) {
        let max = self.deviation_max(IndicatorKind::Cost);
        for ind in p
            .indicators
            .iter()
            .filter(|i| i.0.kind == IndicatorKind::Cost)
        {
            let ind = &*ind.0;
            let Some(deviation) = deviation(ind) else {
                continue;
            };
            if deviation.abs() <= max.value {
                continue;
            }
            let direction = if deviation < Decimal::ZERO {
                "低于"
            } else {
                "高于"
            };
            let (Some(target), Some(actual)) = (ind.target.number(), ind.actual.number()) else {
                continue; // a `()` evidence value: no finding
            };
            let why = self.cause(reason(ind, p), "target_unreasonable", p.record.unsettled);
            let mut found = evidence([
                ("target", dec(target)),
                ("actual", dec(actual)),
                ("deviation", dec(deviation)),
                ("indicator_deviation_max", max.evidence.clone()),
            ]);
            if let Some(score) = &ind.score {
                found.insert("score_branch".to_owned(), text(score.branch));
            }
            e.push(
                Some(&ind.record.name),
                format!(
                    "成本指标“{}”年度指标值{}，实际完成值{}，{direction}指标值{}，超过{}。",
                    ind.record.name,
                    ind.target_text(),
                    ind.actual_text(),
                    pct(deviation.abs()),
                    pct(max.value)
                ),
                why,
                None,
                found,
            );
        }
    }

    fn cross_year(&self, p: &ProjectView, e: &mut Emit<'_>) {
        let r = &p.record;
        let unsettled = r.unsettled > Decimal::ZERO;
        let said_so = self
            .catalogue
            .classify(&r.deviation_reason)
            .iter()
            .any(|(cause, _)| cause.code == "cross_year_settlement");
        if !unsettled && !said_so {
            return;
        }
        let amount = if unsettled {
            format!("未结算金额{}，", wan(r.unsettled))
        } else {
            String::new()
        };
        let why = self.cause_of("cross_year_settlement", &r.deviation_reason);
        e.push(
            None,
            format!(
                "存在跨年度结算事项，{amount}全年执行数{}。",
                wan(r.executed)
            ),
            why,
            None,
            evidence([
                ("executed", dec(r.executed)),
                ("unsettled", dec(r.unsettled)),
            ]),
        );
    }

    fn exec_rate_low(&self, p: &ProjectView, e: &mut Emit<'_>) {
        let r = &p.record;
        let min = &self.execution_rate_min;
        let Some(rate) = p.execution_rate else {
            return;
        };
        if rate >= min.value {
            return;
        }
        e.push(
            None,
            format!(
                "全年预算数{}，全年执行数{}，执行率{}，低于{}。",
                wan(r.budget_adjusted),
                wan(r.executed),
                pct(rate),
                pct(min.value)
            ),
            self.cause(&r.deviation_reason, "project_delay", r.unsettled),
            None,
            evidence([
                ("budget_adjusted", dec(r.budget_adjusted)),
                ("executed", dec(r.executed)),
                ("execution_rate", dec(rate)),
                ("execution_rate_min", min.evidence.clone()),
            ]),
        );
    }

    fn indicator_not_met(&self, p: &ProjectView, e: &mut Emit<'_>) {
        let others = p
            .indicators
            .iter()
            .filter(|i| !matches!(i.0.kind, IndicatorKind::Quantity | IndicatorKind::Cost));
        for ind in others {
            let ind = &*ind.0;
            let max = self.deviation_max(ind.kind);
            let mut extra: [Option<(&str, Evidence)>; 2] = [None, None];
            let how = match gap(ind) {
                Some(gap) if quantitative(ind) => {
                    if gap <= max.value {
                        continue;
                    }
                    extra = [
                        Some(("gap", dec(gap))),
                        Some(("indicator_deviation_max", max.evidence.clone())),
                    ];
                    if max.value.is_zero() {
                        format!("偏差{}", pct(gap))
                    } else {
                        format!("偏差{}，超过{}", pct(gap), pct(max.value))
                    }
                }
                _ if ind.comparison.met() == Some(false) => "未达到年度指标值".to_owned(),
                _ if qualitative(ind) && tier_met(ind) == Some(false) => {
                    let Some(band) = ind.band() else {
                        continue; // `tier: ()`: no finding
                    };
                    extra[0] = Some(("tier", text(&band.tier)));
                    format!("评价为“{}”", band.tier)
                }
                _ => continue,
            };
            let target_text = ind.target_text();
            let actual_text = ind.actual_text();
            let message = format!(
                "{}“{}”年度指标值{target_text}，实际完成值{actual_text}，{how}。",
                ind.record.level2, ind.record.name
            );
            let mut ev = evidence([
                ("target", Evidence::Text(target_text)),
                ("actual", Evidence::Text(actual_text)),
            ]);
            for (k, v) in extra.into_iter().flatten() {
                ev.insert(k.to_owned(), v);
            }
            e.push(
                Some(&ind.record.name),
                message,
                self.cause(reason(ind, p), "project_delay", p.record.unsettled),
                None,
                ev,
            );
        }
    }

    fn indicator_unparsed(&self, p: &ProjectView, e: &mut Emit<'_>) {
        for ind in &p.indicators {
            let ind = &*ind.0;
            let target_understood = ind.target.is_understood();
            let actual_understood = ind.actual.is_understood();
            let which = if !missing(&ind.target) && !target_understood {
                Unparsed::Target
            } else if !missing(&ind.actual) && !actual_understood {
                Unparsed::Actual
            } else if target_understood
                && actual_understood
                && matches!(ind.comparison, Comparison::NotComparable)
            {
                Unparsed::Units
            } else {
                continue;
            };
            let target_text = ind.target_text();
            let actual_text = ind.actual_text();
            let problem = match which {
                Unparsed::Target => format!("年度指标值“{target_text}”无法识别"),
                Unparsed::Actual => format!("实际完成值“{actual_text}”无法识别"),
                Unparsed::Units => format!(
                    "年度指标值“{target_text}”与实际完成值“{actual_text}”的计量单位或形式不一致"
                ),
            };
            e.push(
                Some(&ind.record.name),
                format!("指标“{}”{problem}，未能比较和评分。", ind.record.name),
                self.cause_of("data_error", ""),
                Some(
                    "按“符号+数值+计量单位”的格式填写指标值（如≥50个、≤90万元、=100%），年度指标值与实际完成值使用同一计量单位。",
                ),
                evidence([
                    ("target", Evidence::Text(target_text)),
                    ("actual", Evidence::Text(actual_text)),
                ]),
            );
        }
    }

    fn indicator_value_missing(&self, p: &ProjectView, e: &mut Emit<'_>) {
        for ind in &p.indicators {
            let ind = &*ind.0;
            let (message, list) = match (missing(&ind.target), missing(&ind.actual)) {
                (true, true) => (
                    "未填报年度指标值和实际完成值",
                    vec![text("年度指标值"), text("实际完成值")],
                ),
                (true, false) => ("未填报年度指标值", vec![text("年度指标值")]),
                (false, true) => ("未填报实际完成值", vec![text("实际完成值")]),
                (false, false) => continue,
            };
            e.push(
                Some(&ind.record.name),
                format!("指标“{}”{message}。", ind.record.name),
                self.cause_of("data_error", ""),
                Some("补填年度指标值和实际完成值，无法取得的说明原因。"),
                evidence([("missing", Evidence::List(list))]),
            );
        }
    }

    fn indicators_missing(&self, p: &ProjectView, e: &mut Emit<'_>) {
        if !p.indicators.is_empty() {
            return;
        }
        e.push(
            None,
            "未提供绩效指标，无法评价产出和效益。".to_owned(),
            Why {
                causes: Causes {
                    primary: Some(jixiao::engine::finding::Cause {
                        code: "data_error".to_owned(),
                        text: "自评材料未附该项目的绩效指标表".to_owned(),
                    }),
                    others: Vec::new(),
                },
                suggestion: self.cause_of("data_error", "").suggestion,
            },
            Some("补充该项目的绩效目标表和绩效自评表，列明各级指标的年度指标值和实际完成值。"),
            BTreeMap::new(),
        );
    }

    fn over_achieved(&self, p: &ProjectView, e: &mut Emit<'_>) {
        let ratio = &self.over_achievement_ratio;
        for ind in &p.indicators {
            let ind = &*ind.0;
            if !quantitative(ind) || lower_is_better(ind) || ind.kind == IndicatorKind::Cost {
                continue;
            }
            // `ind.target <= 0` is false for `()`; then `ind.actual / ind.target` fails on a
            // missing number. Quantitative indicators always have both.
            if ind.target.number().is_some_and(|t| t <= Decimal::ZERO) {
                continue;
            }
            let (Some(target), Some(actual)) = (ind.target.number(), ind.actual.number()) else {
                e.abandon();
                return;
            };
            let achieved = actual / target;
            if achieved < ratio.value {
                continue;
            }
            e.push(
                Some(&ind.record.name),
                format!(
                    "{}“{}”年度指标值{}，实际完成值{}，达到指标值的{}，指标值设置偏低。",
                    ind.record.level2,
                    ind.record.name,
                    ind.target_text(),
                    ind.actual_text(),
                    pct(achieved)
                ),
                self.cause_of("target_unreasonable", ""),
                None,
                evidence([
                    ("target", dec(target)),
                    ("actual", dec(actual)),
                    ("achieved", dec(achieved)),
                    ("over_achievement_ratio", ratio.evidence.clone()),
                ]),
            );
        }
    }

    fn overspend(&self, p: &ProjectView, e: &mut Emit<'_>) {
        let r = &p.record;
        let over = r.executed - r.budget_adjusted;
        if over <= Decimal::ZERO {
            return;
        }
        if r.budget_adjusted.is_zero() {
            e.push(
                None,
                format!(
                    "全年预算数为0，全年执行数却为{}，数据有误。",
                    wan(r.executed)
                ),
                self.cause_of("data_error", ""),
                None,
                evidence([
                    ("budget_adjusted", dec(r.budget_adjusted)),
                    ("executed", dec(r.executed)),
                ]),
            );
            return;
        }
        let Some(rate) = p.execution_rate else {
            e.abandon(); // `pct(())`: the script fails
            return;
        };
        e.push(
            None,
            format!(
                "全年预算数{}，全年执行数{}，超支{}，执行率{}。",
                wan(r.budget_adjusted),
                wan(r.executed),
                wan(over),
                pct(rate)
            ),
            self.cause(&r.deviation_reason, "budget_adjustment", r.unsettled),
            None,
            evidence([
                ("budget_adjusted", dec(r.budget_adjusted)),
                ("executed", dec(r.executed)),
                ("overspend", dec(over)),
                ("execution_rate", dec(rate)),
            ]),
        );
    }

    fn project_funds(&self, p: &ProjectView, e: &mut Emit<'_>) {
        let r = &p.record;
        let totals = &p.funds_totals;
        if totals.executed.is_none() {
            return;
        }
        let lines = [
            ("executed", "全年执行数", totals.executed, Some(r.executed)),
            (
                "budget_adjusted",
                "全年预算数",
                totals.budget_adjusted,
                Some(r.budget_adjusted),
            ),
            (
                "budget_initial",
                "年初预算数",
                totals.budget_initial,
                r.budget_initial,
            ),
        ];
        for (field, label, sum, stated) in lines {
            let (Some(sum), Some(stated)) = (sum, stated) else {
                continue;
            };
            if (sum - stated).abs() <= self.total_tolerance.value {
                continue;
            }
            e.push(
                None,
                format!(
                    "分资金来源{label}合计{}，与项目{label}{}不符，相差{}。",
                    wan(sum),
                    wan(stated),
                    wan((sum - stated).abs())
                ),
                self.cause_of("data_error", ""),
                None,
                evidence([
                    ("field", text(field)),
                    ("sources_total", dec(sum)),
                    ("stated", dec(stated)),
                    ("difference", dec(sum - stated)),
                ]),
            );
        }
    }

    fn quantity_gap(&self, p: &ProjectView, e: &mut Emit<'_>) {
        let max = self.deviation_max(IndicatorKind::Quantity);
        for ind in p
            .indicators
            .iter()
            .filter(|i| i.0.kind == IndicatorKind::Quantity)
        {
            let ind = &*ind.0;
            // A zero target (`0起`) has no relative gap: any miss is reported.
            let gap = gap(ind);
            let missed = match gap {
                Some(gap) => gap > max.value,
                None => quantitative(ind) && ind.comparison.met() == Some(false),
            };
            if !missed {
                continue;
            }
            let (Some(target), Some(actual)) = (ind.target.number(), ind.actual.number()) else {
                continue; // a `()` evidence value: no finding
            };
            let how = match gap {
                Some(gap) => format!("偏差{}，超过{}", pct(gap), pct(max.value)),
                None => "未达到年度指标值".to_string(),
            };
            let mut found = evidence([
                ("target", dec(target)),
                ("actual", dec(actual)),
                ("indicator_deviation_max", max.evidence.clone()),
            ]);
            if let Some(gap) = gap {
                found.insert("gap".to_string(), dec(gap));
            }
            e.push(
                Some(&ind.record.name),
                format!(
                    "数量指标“{}”年度指标值{}，实际完成值{}，{how}。",
                    ind.record.name,
                    ind.target_text(),
                    ind.actual_text(),
                ),
                self.cause(reason(ind, p), "target_unreasonable", p.record.unsettled),
                None,
                found,
            );
        }
    }

    /// Reads the findings the project's other rules emitted: those of the deviation
    /// categories all come from rules whose file sorts before this one, so they are emitted
    /// before it runs, as the scripted rule gets them.
    fn reason_missing(&self, p: &ProjectView, e: &mut Emit<'_>) {
        let r = &p.record;
        if !r.deviation_reason.is_empty() {
            return;
        }
        let earlier = e.out.get(e.record_start..e.start).unwrap_or_default();
        let mut deviations: Vec<String> = Vec::new();
        for category in &self.deviation_categories {
            let own = earlier
                .iter()
                .filter(|f| &f.category == category && f.indicator.is_none());
            for f in own {
                let name = match category.as_str() {
                    // EXEC-RATE-LOW reports only a rate there is.
                    "execution_rate" => {
                        format!("执行率{}", pct(p.execution_rate.unwrap_or_default()))
                    }
                    "budget_accuracy" => "执行数低于年初预算数".to_owned(),
                    "budget_adjustment" => "年中追加预算".to_owned(),
                    "overspend" => "超预算支出".to_owned(),
                    "cross_year_settlement" => "跨年度结算".to_owned(),
                    _ => f.message.clone(),
                };
                if !deviations.contains(&name) {
                    deviations.push(name);
                }
            }
        }
        let named: Vec<&str> = earlier
            .iter()
            .filter(|f| self.deviation_categories.contains(&f.category))
            .filter_map(|f| f.indicator.as_deref())
            .collect();
        if !named.is_empty() {
            let off_target = p.indicators.iter().filter(|i| i.0.is_off_target());
            let above_target = p.indicators.iter().filter(|i| i.0.is_above_target());
            for ind in off_target.chain(above_target) {
                let ind = &*ind.0;
                let name = &ind.record.name;
                if !ind.record.deviation_reason.is_empty() || !named.contains(&name.as_str()) {
                    continue;
                }
                deviations.push(match deviation(ind) {
                    Some(off) => format!("指标“{name}”偏差{}", pct(off.abs())),
                    None => format!("指标“{name}”未达成"),
                });
            }
        }
        if deviations.is_empty() {
            return;
        }
        e.push(
            None,
            format!(
                "存在偏差（{}），但未说明偏差原因。",
                joined(deviations.iter().map(String::as_str))
            ),
            self.no_cause(),
            None,
            evidence([(
                "deviations",
                Evidence::List(deviations.into_iter().map(Evidence::Text).collect()),
            )]),
        );
    }

    fn score_mismatch(&self, p: &ProjectView, e: &mut Emit<'_>) {
        for ind in &p.indicators {
            let ind = &*ind.0;
            let (Some(reported), Some(check)) = (ind.record.score, &ind.self_check) else {
                continue;
            };
            let score = &check.score;
            let weight = [
                ("weight", dec(check.weight)),
                ("weight_basis", text(check.basis.code())),
            ];
            if qualitative(ind) {
                let Some(band) = ind.band() else {
                    e.abandon(); // `if ()`: the script fails
                    return;
                };
                if band.contains(reported) {
                    continue;
                }
                e.push(
                    Some(&ind.record.name),
                    format!(
                        "指标“{}”实际完成值“{}”属“{}”档，得分应在{}至{}分之间，自评{}分。",
                        ind.record.name,
                        ind.actual_text(),
                        band.tier,
                        jixiao::number_text::fixed(band.min, 2),
                        jixiao::number_text::fixed(band.max, 2),
                        plain(reported)
                    ),
                    self.cause_of("data_error", ""),
                    None,
                    evidence(
                        [
                            ("reported", dec(reported)),
                            ("band_min", dec(band.min)),
                            ("band_max", dec(band.max)),
                            ("tier", text(&band.tier)),
                        ]
                        .into_iter()
                        .chain(weight),
                    ),
                );
            } else {
                let difference = (reported - score.points).abs();
                if difference <= self.score_tolerance.value {
                    continue;
                }
                let note = if check.basis == WeightBasis::Inferred {
                    format!(
                        "（分值按本单位已完成指标的自评得分推定为{}分）",
                        plain(check.weight)
                    )
                } else {
                    String::new()
                };
                e.push(
                    Some(&ind.record.name),
                    format!(
                        "指标“{}”年度指标值{}，实际完成值{}，按评分办法应得{}分{note}，自评{}分。",
                        ind.record.name,
                        ind.target_text(),
                        ind.actual_text(),
                        jixiao::number_text::fixed(score.points, 2),
                        plain(reported)
                    ),
                    self.cause_of("data_error", ""),
                    None,
                    evidence(
                        [
                            ("reported", dec(reported)),
                            ("computed", dec(score.points)),
                            ("branch", text(score.branch)),
                            ("score_tolerance", self.score_tolerance.evidence.clone()),
                        ]
                        .into_iter()
                        .chain(weight),
                    ),
                );
            }
        }
    }
}
