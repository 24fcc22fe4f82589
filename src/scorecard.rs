//! A unit's scorecard: each project's score with its breakdown (execution points, each
//! indicator's points and the formula branch used, the indicators dropped as not applicable),
//! the unit's score combined from its projects', and its grade — so that a reviewer can check
//! every figure by hand.

use crate::score::{ScoringSettings, UnitCombination};
use crate::view::{ProjectView, UnitView, checked_sum};
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorPoints {
    pub name: String,
    pub weight: Decimal,
    pub points: Decimal,
    pub branch: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectScore {
    pub code: String,
    pub execution_rate: Option<Decimal>,
    /// min(rate, 1) × execution weight; `None` when the adjusted budget is zero.
    pub execution_points: Option<Decimal>,
    pub indicators: Vec<IndicatorPoints>,
    /// Indicators left out (no weight, or values that cannot be compared).
    pub not_applicable: Vec<String>,
    pub earned: Decimal,
    pub available: Decimal,
    /// earned / available × 100 (按百分制折算); `None` when nothing applies.
    pub score: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitScore {
    pub score: Option<Decimal>,
    pub grade: Option<String>,
    /// Σ executed / Σ budget_adjusted over the unit's projects.
    pub execution_rate: Option<Decimal>,
    pub projects: Vec<ProjectScore>,
}

pub fn score_project(project: &ProjectView, settings: &ScoringSettings) -> ProjectScore {
    let execution_points = settings.execution_points(project.execution_rate);
    let mut earned = execution_points.unwrap_or_default();
    let mut available = if execution_points.is_some() {
        settings.execution_weight
    } else {
        Decimal::ZERO
    };
    let mut indicators = Vec::new();
    let mut not_applicable = Vec::new();
    for indicator in &project.indicators {
        let view = &indicator.0;
        // Weights are bounded on input, so their sum fits; a row that would not is left out.
        let added = view.score.as_ref().and_then(|s| {
            Some((
                earned.checked_add(s.points)?,
                available.checked_add(s.weight)?,
            ))
        });
        match (&view.score, added) {
            (Some(s), Some((e, a))) => {
                (earned, available) = (e, a);
                indicators.push(IndicatorPoints {
                    name: view.record.name.clone(),
                    weight: s.weight,
                    points: s.points,
                    branch: s.branch,
                });
            }
            _ => not_applicable.push(view.record.name.clone()),
        }
    }
    let score = percent_of(earned, available);
    ProjectScore {
        code: project.record.code.clone(),
        execution_rate: project.execution_rate,
        execution_points,
        indicators,
        not_applicable,
        earned,
        available,
        score,
    }
}

/// part / whole × 100 (按百分制折算); `None` when nothing applies.
fn percent_of(part: Decimal, whole: Decimal) -> Option<Decimal> {
    if whole.is_zero() {
        return None;
    }
    part.checked_div(whole)?.checked_mul(Decimal::ONE_HUNDRED)
}

pub fn score_unit(unit: &UnitView, settings: &ScoringSettings) -> UnitScore {
    let projects: Vec<ProjectScore> = unit
        .projects
        .iter()
        .map(|p| score_project(&p.0, settings))
        .collect();
    let sum = |amount: fn(&ProjectView) -> Decimal| {
        checked_sum(unit.projects.iter().map(|p| Some(amount(&p.0))))
    };
    let budget = sum(|p| p.record.budget_adjusted);
    let executed = sum(|p| p.record.executed);
    let scored: Vec<(Decimal, Decimal)> = unit
        .projects
        .iter()
        .zip(&projects)
        .filter_map(|(p, s)| Some((s.score?, p.0.record.budget_adjusted)))
        .collect();
    let score = match settings.unit_combination {
        UnitCombination::Budget => {
            let weighted_budget = checked_sum(scored.iter().map(|(_, b)| Some(*b)));
            let weighted = checked_sum(scored.iter().map(|(s, b)| s.checked_mul(*b)));
            match (weighted, weighted_budget) {
                (Some(w), Some(b)) if b > Decimal::ZERO => w.checked_div(b),
                _ => equal_mean(&scored),
            }
        }
        UnitCombination::Equal => equal_mean(&scored),
    };
    let execution_rate = match (executed, budget) {
        (Some(e), Some(b)) if !b.is_zero() => e.checked_div(b),
        _ => None,
    };
    UnitScore {
        grade: score.map(|s| settings.grade(s).to_string()),
        score,
        execution_rate,
        projects,
    }
}

/// The plain mean of the projects' scores; `None` when no project is scored.
fn equal_mean(scored: &[(Decimal, Decimal)]) -> Option<Decimal> {
    if scored.is_empty() {
        return None;
    }
    checked_sum(scored.iter().map(|(s, _)| Some(*s)))?.checked_div(Decimal::from(scored.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::UnitFile;
    use crate::view::UnitRef;
    use std::str::FromStr;

    fn settings() -> ScoringSettings {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/scoring.toml");
        toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    fn unit(toml_text: &str) -> UnitRef {
        let file: UnitFile = toml::from_str(toml_text).unwrap();
        UnitRef::build(file, &settings())
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    const TWO_PROJECTS: &str = r#"
        [unit]
        code = "U"
        name = "单位"
        [[projects]]
        code = "P01"
        name = "甲"
        budget_adjusted = 30
        executed = 24
          [[projects.indicators]]
          level1 = "产出指标"
          level2 = "数量指标"
          name = "数量"
          target = "≥5个"
          actual = "4个"
          weight = 40
          [[projects.indicators]]
          level1 = "产出指标"
          level2 = "质量指标"
          name = "无法识别"
          target = "约50-60个"
          actual = "55个"
          weight = 10
          [[projects.indicators]]
          level1 = "满意度指标"
          level2 = "服务对象满意度指标"
          name = "满意度"
          target = "效果明显"
          actual = "部分达成"
          weight = 10
        [[projects]]
        code = "P02"
        name = "乙"
        budget_adjusted = 10
        executed = 10
    "#;

    #[test]
    fn a_project_score_drops_what_does_not_apply_and_rescales_to_100() {
        let u = unit(TWO_PROJECTS);
        let s = score_project(&u.0.projects[0].0, &settings());
        // execution 24 / 30 = 0.8 → 8 of 10; 数量 4 / 5 × 40 = 32; 满意度 partial tier, max 0.8 × 10 = 8.
        assert_eq!(s.execution_points, Some(d("8")));
        assert_eq!(
            s.indicators
                .iter()
                .map(|i| (i.points, i.branch))
                .collect::<Vec<_>>(),
            vec![(d("32"), "proportional"), (d("8"), "qualitative")]
        );
        assert_eq!(s.not_applicable, vec!["无法识别".to_string()]);
        assert_eq!((s.earned, s.available), (d("48"), d("60")));
        assert_eq!(s.score, Some(d("80")));
    }

    #[test]
    fn a_unit_score_is_budget_weighted_or_equal() {
        let u = unit(TWO_PROJECTS);
        let mut s = settings();
        // P01 80 on budget 30, P02 100 (execution only) on budget 10: (2400 + 1000) / 40 = 85.
        let weighted = score_unit(&u.0, &s);
        assert_eq!(weighted.score, Some(d("85")));
        assert_eq!(weighted.grade.as_deref(), Some("良"));
        assert_eq!(weighted.execution_rate, Some(d("0.85")));
        s.unit_combination = UnitCombination::Equal;
        assert_eq!(score_unit(&u.0, &s).score, Some(d("90")));
        assert_eq!(score_unit(&u.0, &s).grade.as_deref(), Some("优"));
    }
}
