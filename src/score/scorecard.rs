//! A unit's scorecard: each project's score with its breakdown (execution points, each
//! indicator's points and the formula branch used, the indicators dropped as not applicable),
//! the unit's score combined from its scored projects', its grade, and how much of its budget
//! the score covers — so that a reviewer can check every figure by hand.
//!
//! A project with no indicator to score is not scored (it is not 100 on execution alone): it
//! is listed as unscored, and the unit's score is over the others, saying what share of the
//! budget they hold (已评分预算占比). Every decimal serializes as an exact string without
//! trailing zeros, the same in scorecards and in the ranking.

use crate::model::scoring_form::{MissingActual, ScoringSettings, UnitCombination};
use crate::model::view::{ProjectView, UnitView, checked_sum};
use crate::number_text::plain_decimal;
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorPoints {
    pub name: String,
    #[serde(serialize_with = "plain_decimal")]
    pub weight: Decimal,
    #[serde(serialize_with = "plain_decimal")]
    pub points: Decimal,
    /// `met`, `proportional`, `linear`, `reciprocal`, `binary_missed`, `qualitative`, or
    /// `missing_actual` / `unreadable` (zero points: 未填报不得分).
    pub branch: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectScore {
    pub code: String,
    #[serde(serialize_with = "plain_decimal")]
    pub budget_adjusted: Decimal,
    #[serde(serialize_with = "plain_decimal")]
    pub execution_rate: Option<Decimal>,
    /// min(rate, 1) × execution weight; `None` when the adjusted budget is zero.
    #[serde(serialize_with = "plain_decimal")]
    pub execution_points: Option<Decimal>,
    pub indicators: Vec<IndicatorPoints>,
    /// Indicators left out (not applicable; or, when the form drops them, missing or unreadable).
    pub not_applicable: Vec<String>,
    #[serde(serialize_with = "plain_decimal")]
    pub earned: Decimal,
    #[serde(serialize_with = "plain_decimal")]
    pub available: Decimal,
    /// earned / available × 100 (按百分制折算); `None` when the project is not scored.
    #[serde(serialize_with = "plain_decimal")]
    pub score: Option<Decimal>,
    /// Why the project is not scored: `no_indicators` (未提供绩效指标) or
    /// `no_applicable_indicators` (every indicator dropped).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unscored: Option<&'static str>,
}

/// Where a unit's execution rate comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RateBasis {
    /// `[unit.budget]`: the unit's whole budget (部门整体).
    UnitBudget,
    /// The sums over the unit's projects.
    Projects,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitScore {
    /// The scoring form used (`rules/scoring/<form>.toml`) and how it counts a missing actual.
    pub form: String,
    pub missing_actual: MissingActual,
    /// The combined score of the scored projects; `None` when no project is scored.
    #[serde(serialize_with = "plain_decimal")]
    pub score: Option<Decimal>,
    pub grade: Option<String>,
    /// executed / budget_adjusted, from `execution_rate_basis`.
    #[serde(serialize_with = "plain_decimal")]
    pub execution_rate: Option<Decimal>,
    pub execution_rate_basis: RateBasis,
    pub scored_projects: usize,
    pub unscored_projects: usize,
    /// Σ budget_adjusted of the scored projects / Σ over all (已评分预算占比).
    #[serde(serialize_with = "plain_decimal")]
    pub scored_budget_share: Option<Decimal>,
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
    let unscored = match (project.indicators.is_empty(), indicators.is_empty()) {
        (true, _) => Some("no_indicators"),
        (false, true) => Some("no_applicable_indicators"),
        (false, false) => None,
    };
    let score = match unscored {
        Some(_) => None,
        None => percent_of(earned, available),
    };
    ProjectScore {
        code: project.record.code.clone(),
        budget_adjusted: project.record.budget_adjusted,
        execution_rate: project.execution_rate,
        execution_points,
        indicators,
        not_applicable,
        earned,
        available,
        score,
        unscored,
    }
}

/// part / whole × 100 (按百分制折算); `None` when nothing applies.
fn percent_of(part: Decimal, whole: Decimal) -> Option<Decimal> {
    if whole.is_zero() {
        return None;
    }
    part.checked_div(whole)?.checked_mul(Decimal::ONE_HUNDRED)
}

pub fn score_unit(unit: &UnitView) -> UnitScore {
    let settings = &unit.scoring;
    let projects: Vec<ProjectScore> = unit
        .projects
        .iter()
        .map(|p| score_project(&p.0, settings))
        .collect();
    let scored: Vec<(Decimal, Decimal)> = projects
        .iter()
        .filter_map(|s| Some((s.score?, s.budget_adjusted)))
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
    let total_budget = checked_sum(projects.iter().map(|p| Some(p.budget_adjusted)));
    let scored_budget = checked_sum(scored.iter().map(|(_, b)| Some(*b)));
    let scored_budget_share = match (scored_budget, total_budget) {
        (Some(part), Some(whole)) if !whole.is_zero() => part.checked_div(whole),
        _ => None,
    };
    let (execution_rate, execution_rate_basis) = execution_rate(unit);
    UnitScore {
        form: settings.name.clone(),
        missing_actual: settings.missing_actual,
        grade: score.map(|s| settings.grade(s).to_string()),
        score,
        execution_rate,
        execution_rate_basis,
        scored_projects: scored.len(),
        unscored_projects: projects.len() - scored.len(),
        scored_budget_share,
        projects,
    }
}

/// The unit's execution rate: from its whole budget (`[unit.budget]`, 部门整体) when the record
/// gives the adjusted figure, else from the sums over its projects.
fn execution_rate(unit: &UnitView) -> (Option<Decimal>, RateBasis) {
    if let Some(budget) = &unit.record.budget
        && let Some(adjusted) = budget.budget_adjusted
    {
        let rate = (!adjusted.is_zero())
            .then(|| budget.executed.checked_div(adjusted))
            .flatten();
        return (rate, RateBasis::UnitBudget);
    }
    let sum = |amount: fn(&ProjectView) -> Decimal| {
        checked_sum(unit.projects.iter().map(|p| Some(amount(&p.0))))
    };
    let rate = match (
        sum(|p| p.record.executed),
        sum(|p| p.record.budget_adjusted),
    ) {
        (Some(e), Some(b)) if !b.is_zero() => e.checked_div(b),
        _ => None,
    };
    (rate, RateBasis::Projects)
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
    use crate::input::record::UnitFile;
    use crate::model::view::UnitRef;
    use std::str::FromStr;

    fn settings() -> ScoringSettings {
        crate::model::scoring_form::test_form()
    }

    fn unit(toml_text: &str) -> UnitRef {
        unit_on(toml_text, settings())
    }

    fn unit_on(toml_text: &str, form: ScoringSettings) -> UnitRef {
        let file: UnitFile = toml::from_str(toml_text).unwrap();
        UnitRef::build(file, &std::sync::Arc::new(form))
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
    fn an_unreadable_or_missing_actual_scores_zero_by_default() {
        let u = unit(TWO_PROJECTS);
        let s = score_project(&u.0.projects[0].0, &settings());
        // execution 24 / 30 = 0.8 → 8 of 10; 数量 4 / 5 × 40 = 32; the unreadable target keeps
        // its 10 points and earns none; 满意度 partial tier, max 0.8 × 10 = 8.
        assert_eq!(s.execution_points, Some(d("8")));
        assert_eq!(
            s.indicators
                .iter()
                .map(|i| (i.points, i.branch))
                .collect::<Vec<_>>(),
            vec![
                (d("32"), "proportional"),
                (d("0"), "unreadable"),
                (d("8"), "qualitative")
            ]
        );
        assert!(s.not_applicable.is_empty());
        assert_eq!((s.earned, s.available), (d("48"), d("70")));
        assert_eq!(s.score, Some(d("48") / d("70") * d("100")));
    }

    #[test]
    fn a_form_may_drop_what_cannot_be_read_and_rescale_to_100() {
        let mut form = settings();
        form.missing_actual = MissingActual::Drop;
        let u = unit_on(TWO_PROJECTS, form.clone());
        let s = score_project(&u.0.projects[0].0, &form);
        assert_eq!(s.not_applicable, vec!["无法识别".to_string()]);
        assert_eq!((s.earned, s.available), (d("48"), d("60")));
        assert_eq!(s.score, Some(d("80")));
    }

    #[test]
    fn an_indicator_marked_not_applicable_is_dropped_and_the_rest_rescaled() {
        let text = TWO_PROJECTS.replace("actual = \"55个\"", "actual = \"不适用\"");
        let u = unit(&text);
        let s = score_project(&u.0.projects[0].0, &settings());
        assert_eq!(s.not_applicable, vec!["无法识别".to_string()]);
        assert_eq!((s.earned, s.available), (d("48"), d("60")));
        assert!(!u.0.projects[0].0.indicators[1].0.is_unreadable());
    }

    #[test]
    fn leaving_an_actual_blank_never_raises_the_score() {
        let missed = TWO_PROJECTS.replace("actual = \"4个\"", "actual = \"1个\"");
        let blank = TWO_PROJECTS.replace("actual = \"4个\"", "actual = \"\"");
        let score = |text: &str| score_project(&unit(text).0.projects[0].0, &settings());
        let blank = score(&blank);
        assert_eq!(blank.indicators[0].branch, "missing_actual");
        assert!(blank.score < score(&missed).score);
    }

    #[test]
    fn a_project_without_indicators_is_not_scored_and_the_unit_says_what_it_covers() {
        let u = unit(TWO_PROJECTS);
        let card = score_unit(&u.0);
        let p01 = card.projects[0].score.unwrap();
        // P02 has no indicators: not 100 on execution alone, but unscored.
        assert_eq!(card.projects[1].score, None);
        assert_eq!(card.projects[1].unscored, Some("no_indicators"));
        assert_eq!(card.score, Some(p01));
        assert_eq!((card.scored_projects, card.unscored_projects), (1, 1));
        assert_eq!(card.scored_budget_share, Some(d("0.75")));
        // Σ executed / Σ adjusted = 34 / 40 over the projects.
        assert_eq!(card.execution_rate, Some(d("0.85")));
        assert_eq!(card.execution_rate_basis, RateBasis::Projects);
        assert_eq!(card.grade.as_deref(), Some("中"));
    }

    #[test]
    fn the_unit_execution_rate_uses_the_unit_budget_when_given() {
        let text = TWO_PROJECTS.replace(
            "name = \"单位\"\n",
            "name = \"单位\"\n[unit.budget]\nbudget_adjusted = 100\nexecuted = 95\n",
        );
        let card = score_unit(&unit(&text).0);
        assert_eq!(card.execution_rate, Some(d("0.95")));
        assert_eq!(card.execution_rate_basis, RateBasis::UnitBudget);
    }

    #[test]
    fn a_unit_score_is_budget_weighted_or_equal_over_scored_projects() {
        let text = TWO_PROJECTS.replace(
            "budget_adjusted = 10\n        executed = 10\n",
            "budget_adjusted = 10\n        executed = 10\n          [[projects.indicators]]\n          level1 = \"产出指标\"\n          level2 = \"数量指标\"\n          name = \"数量\"\n          target = \"≥5个\"\n          actual = \"5个\"\n          weight = 40\n",
        );
        let u = unit(&text);
        let p01 = d("48") / d("70") * d("100");
        // P01 on budget 30, P02 (all met: 100) on budget 10.
        let weighted = score_unit(&u.0);
        assert_eq!(weighted.score, Some((p01 * d("30") + d("1000")) / d("40")));
        assert_eq!(weighted.scored_budget_share, Some(d("1")));
        let mut form = settings();
        form.unit_combination = UnitCombination::Equal;
        let equal = score_unit(&unit_on(&text, form).0);
        assert_eq!(equal.score, Some((p01 + d("100")) / d("2")));
    }
}
