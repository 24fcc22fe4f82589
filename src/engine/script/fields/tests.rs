//! Each field documents the type its getter gives: checked on a full and a sparse unit.

use super::*;
use crate::engine::script::reference::Type;
use crate::input::record::UnitFile;
use crate::model::view::UnitRef;
use rhai::{Array, Map, Scope};
use rust_decimal::Decimal;
use std::sync::Arc;

/// Every part a unit file can have, with indicators of every shape, so that each field
/// gives a value other than `()` on some record.
const FULL: &str = r#"
    [unit]
    code = "U"
    name = "单位"
    year = 2023
    [unit.budget]
    budget_initial = 100
    budget_adjusted = 110
    executed = 100
    by_income = { "一般公共预算" = 100 }
    by_spending = { "项目支出" = 100 }
    [[unit.cost_controls]]
    name = "公用经费"
    last_year = 10
    budget = 12
    actual = 13
    [unit.staff]
    authorized = 10
    total = 9
    in_service = 8
    retired = 1
    establishment = { "行政编制" = 9 }
    [unit.institutions]
    internal_count = 2
    internal = ["办公室"]
    subordinate_count = 1
    subordinate = ["中心"]
    [unit.basic]
    total = 30
    personnel = 20
    public = 10
    [[unit.groups]]
    name = "财政拨款项目"
    count = 1
    executed = 8
    [[projects]]
    code = "P01"
    name = "甲"
    group = "财政拨款项目"
    budget_initial = 20
    budget_adjusted = 20
    executed = 8
    unsettled = 1
    deviation_reason = "系统调整"
    improvement = "改进"
      [[projects.funds]]
      source = "上年结转"
      budget_initial = 20
      budget_adjusted = 20
      executed = 8
      [[projects.indicators]]
      level1 = "产出指标"
      level2 = "数量指标"
      name = "短缺"
      target = "≥5个"
      actual = "2个"
      weight = 20
      score = 8
      [[projects.indicators]]
      level1 = "产出指标"
      level2 = "数量指标"
      name = "超额"
      target = "≥5个"
      actual = "≥8个"
      weight = 10
      [[projects.indicators]]
      level1 = "产出指标"
      level2 = "成本指标"
      name = "成本"
      target = "≤90万元"
      actual = "100万元"
      weight = 20
      [[projects.indicators]]
      level1 = "效益指标"
      level2 = "社会效益"
      name = "效果"
      target = "效果明显"
      actual = "部分达成"
      weight = 30
      score = 20
      [[projects.indicators]]
      level1 = "满意度指标"
      level2 = "服务对象满意度"
      name = "满意度"
      target = "≥90%"
      weight = 10
    [[projects]]
    code = "P02"
    name = "乙"
    group = "未声明的小计"
    budget_adjusted = 0
    executed = 0
"#;

/// Only what a unit file requires: every optional field absent.
const SPARSE: &str = r#"
    [unit]
    code = "U"
    name = "单位"
    [[projects]]
    code = "P01"
    name = "甲"
    budget_adjusted = 0
    executed = 0
      [[projects.indicators]]
      level1 = ""
      level2 = ""
      name = "空"
"#;

/// Every record of each type in a unit, as a Rhai expression over `unit`.
const RECORDS_OF: &[(&str, &str)] = &[
    ("Unit", "[unit]"),
    ("Project", "unit.projects"),
    (
        "Indicator",
        "unit.projects.reduce(|all, p| all + p.indicators, [])",
    ),
    ("Fund", "unit.projects.reduce(|all, p| all + p.funds, [])"),
    ("Group", "unit.groups"),
    (
        "UnitBudget",
        "[unit.budget].filter(|b| type_of(b) != \"()\")",
    ),
    ("CostControl", "unit.cost_controls"),
    ("Staff", "[unit.staff].filter(|s| type_of(s) != \"()\")"),
    (
        "Institutions",
        "[unit.institutions].filter(|i| type_of(i) != \"()\")",
    ),
    ("Basic", "[unit.basic].filter(|b| type_of(b) != \"()\")"),
    ("Finding", "earlier"),
];

/// The findings a rule reading findings gets: one on an indicator with a cause, one on the
/// record as a whole without.
fn earlier() -> Array {
    use crate::engine::finding::{Cause, Finding};
    use crate::engine::severity::Severity;
    let finding = |category: &str, indicator: Option<&str>, cause: Option<&str>| Finding {
        rule: "RULE".into(),
        severity: Severity::Warning,
        category: category.into(),
        unit: "U".into(),
        project: Some("P1".into()),
        project_name: Some("项目".into()),
        indicator: indicator.map(Into::into),
        message: "消息".into(),
        cause: cause.map(|code| Cause {
            code: code.into(),
            text: "原因".into(),
        }),
        other_causes: Vec::new(),
        suggestion: "建议".into(),
        evidence: Default::default(),
        suppressed: None,
    };
    let findings = [
        finding("indicator_gap", Some("指标"), Some("project_delay")),
        finding("consistency", None, None),
    ];
    crate::engine::script::earlier_findings(&findings, &["indicator_gap".to_string()])
}

fn has_type(value: &Dynamic, ty: &Type, engine: &Engine) -> bool {
    match ty {
        Type::Text => value.is_string(),
        Type::Decimal => value.is::<Decimal>(),
        Type::Integer => value.is_int(),
        Type::Bool => value.is_bool(),
        Type::Unit => value.is_unit(),
        Type::Record(name) | Type::Named(name) => engine.map_type_name(value.type_name()) == *name,
        Type::Object(keys) => value.read_lock::<Map>().is_some_and(|map| {
            let mut written: Vec<&str> = keys
                .trim_start_matches("#{")
                .trim_end_matches('}')
                .split(", ")
                .collect();
            written.sort_unstable();
            map.keys().map(|k| k.as_str()).eq(written)
        }),
        Type::MapOf(item) => value
            .read_lock::<Map>()
            .is_some_and(|map| map.values().all(|v| has_type(v, item, engine))),
        Type::ListOf(item) => value
            .read_lock::<Array>()
            .is_some_and(|list| list.iter().all(|v| has_type(v, item, engine))),
        Type::OrUnit(inner) => value.is_unit() || has_type(value, inner, engine),
    }
}

/// Each documented field's value on every record of each type in `unit_toml`, checked
/// against its documented type.
fn field_values(unit_toml: &str) -> (Engine, Vec<(String, Type, Vec<Dynamic>)>) {
    let file: UnitFile = toml::from_str(unit_toml).unwrap();
    let form = Arc::new(crate::model::scoring_form::test_form());
    let unit = UnitRef::build(file, &form);
    let mut engine = Engine::new();
    register_all(&mut engine, None);
    let mut values = Vec::new();
    for record in record_types() {
        let (_, records) = RECORDS_OF
            .iter()
            .find(|(name, _)| *name == record.name)
            .unwrap_or_else(|| panic!("add {} to RECORDS_OF", record.name));
        for field in &record.fields {
            let script = format!("{records}.map(|r| r.{})", field.name);
            let mut scope = Scope::new();
            scope.push("unit", unit.clone());
            scope.push("earlier", earlier());
            let read: Array = engine
                .eval_with_scope(&mut scope, &script)
                .unwrap_or_else(|e| panic!("{script}: {e}"));
            values.push((format!("{}.{}", record.name, field.name), field.ty, read));
        }
    }
    (engine, values)
}

#[test]
fn every_field_gives_the_type_its_documentation_says() {
    for fixture in [FULL, SPARSE] {
        let (engine, values) = field_values(fixture);
        for (field, ty, read) in values {
            for value in read {
                assert!(
                    has_type(&value, &ty, &engine),
                    "{field} is documented as {ty:?} but gave {value:?}"
                );
            }
        }
    }
}

#[test]
fn every_field_has_a_value_on_a_full_unit() {
    let (_, values) = field_values(FULL);
    for (field, _, read) in values {
        let given = read.iter().any(|value| {
            !value.is_unit()
                && value
                    .read_lock::<Array>()
                    .is_none_or(|list| !list.is_empty())
        });
        assert!(
            given,
            "the full fixture gives no value for {field}: {read:?}"
        );
    }
}

#[test]
fn the_optional_value_operators_the_reference_documents_read_through_absent_fields() {
    let mut engine = Engine::new();
    register_all(&mut engine, None);
    let read = |unit_toml: &str, script: &str| -> Dynamic {
        let file: UnitFile = toml::from_str(unit_toml).unwrap();
        let form = Arc::new(crate::model::scoring_form::test_form());
        let mut scope = Scope::new();
        scope.push("unit", UnitRef::build(file, &form));
        engine.eval_with_scope(&mut scope, script).unwrap()
    };
    let budget = "unit.budget?.executed";
    assert!(read(SPARSE, budget).is_unit());
    assert_eq!(read(FULL, budget).as_decimal(), Ok(Decimal::from(100)));
    let initial = "let p = unit.projects[0]; p.budget_initial ?? p.budget_adjusted";
    assert_eq!(read(SPARSE, initial).as_decimal(), Ok(Decimal::ZERO));
    assert_eq!(read(FULL, initial).as_decimal(), Ok(Decimal::from(20)));
}
