//! What ZEN is fed: one unit's projects and indicators as a ZEN `Variable`, built from the
//! same views jixiao's rules read. ZEN cannot parse `≥50个` or read a reason for its causes,
//! so the indicator values come pre-parsed (jixiao's parser and comparison) and whether the
//! reason names a cross-year settlement comes from jixiao's cause catalogue; everything a rule
//! decides from those values is left to the graph. Indicators are listed flat beside the
//! projects (`project` is the index of their project): a graph node loops over one list.

use jixiao::engine::cause_catalogue::CauseCatalogue;
use jixiao::model::compare::Comparison;
use jixiao::model::view::{IndicatorView, ProjectView, UnitView};
use rust_decimal::Decimal;
use zen_expression::variable::{Symbol, Variable, VariableMap};

fn number(value: Option<Decimal>) -> Variable {
    value.map_or(Variable::Null, Variable::Number)
}

fn text(value: &str) -> Variable {
    Variable::String(Symbol::from(value))
}

fn object<const N: usize>(fields: [(&str, Variable); N]) -> Variable {
    let mut map = VariableMap::default();
    for (key, value) in fields {
        map.insert_str(key, value);
    }
    Variable::from_object(map)
}

fn project(p: &ProjectView, catalogue: &CauseCatalogue) -> Variable {
    let r = &p.record;
    let names_cross_year = catalogue
        .classify(&r.deviation_reason)
        .iter()
        .any(|(cause, _)| cause.code == "cross_year_settlement");
    object([
        ("budget_initial", number(r.budget_initial)),
        ("budget_adjusted", Variable::Number(r.budget_adjusted)),
        ("executed", Variable::Number(r.executed)),
        ("unsettled", Variable::Number(r.unsettled)),
        ("execution_rate", number(p.execution_rate)),
        ("reason_names_cross_year", Variable::Bool(names_cross_year)),
    ])
}

fn indicator(project: usize, i: &IndicatorView) -> Variable {
    let (quantitative, deviation, gap) = match i.comparison {
        Comparison::Quantitative { deviation, gap, .. } => (true, deviation, gap),
        _ => (false, None, None),
    };
    object([
        ("project", Variable::Number(Decimal::from(project))),
        ("name", text(&i.record.name)),
        ("kind", text(i.kind.code())),
        ("target", number(i.target.number())),
        ("actual", number(i.actual.number())),
        ("target_text", text(&i.target_text())),
        ("actual_text", text(&i.actual_text())),
        ("quantitative", Variable::Bool(quantitative)),
        (
            "met",
            i.comparison.met().map_or(Variable::Null, Variable::Bool),
        ),
        ("deviation", number(deviation)),
        ("gap", number(gap)),
        (
            "score_branch",
            i.score.as_ref().map_or(Variable::Null, |s| text(s.branch)),
        ),
    ])
}

/// `{ projects: [...], indicators: [...] }` for one unit.
pub fn unit(u: &UnitView, catalogue: &CauseCatalogue) -> Variable {
    let projects = u
        .projects
        .iter()
        .map(|p| project(&p.0, catalogue))
        .collect();
    let indicators = u
        .projects
        .iter()
        .enumerate()
        .flat_map(|(n, p)| p.0.indicators.iter().map(move |i| indicator(n, &i.0)))
        .collect();
    object([
        ("projects", Variable::from_array(projects)),
        ("indicators", Variable::from_array(indicators)),
    ])
}
