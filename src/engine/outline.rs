//! What the write-up (`run --format md`) needs of a unit beyond its findings: the year, and
//! each project in file order with its code, name, own reason and improvement text (改进措施),
//! and its indicators' values as the unit wrote them. Findings name a project and an
//! indicator but carry neither the unit's improvement nor the order and names of the other
//! projects, which tell two projects of the same name apart.

use crate::model::compare::Comparison;
use crate::model::view::UnitRef;
use rust_decimal::Decimal;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitOutline {
    pub year: Option<i64>,
    pub projects: Vec<ProjectOutline>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProjectOutline {
    pub code: String,
    pub name: String,
    /// The project's own 偏差原因 (trimmed; empty when none).
    pub deviation_reason: String,
    /// The project's own 改进措施 (trimmed; empty when none).
    pub improvement: String,
    pub indicators: Vec<IndicatorOutline>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorOutline {
    pub name: String,
    /// 年度指标值 as written (`≥5个`).
    pub target: String,
    /// 实际完成值 as written (`2个`).
    pub actual: String,
    /// (actual − target) / |target| when both are numbers that compare.
    pub deviation: Option<Decimal>,
}

impl UnitOutline {
    pub fn of(unit: &UnitRef) -> UnitOutline {
        let projects = unit
            .0
            .projects
            .iter()
            .map(|p| {
                let view = &p.0;
                ProjectOutline {
                    code: view.record.code.clone(),
                    name: view.record.name.clone(),
                    deviation_reason: view.record.deviation_reason.clone(),
                    improvement: view.record.improvement.trim().to_string(),
                    indicators: view
                        .indicators
                        .iter()
                        .map(|i| IndicatorOutline {
                            name: i.0.record.name.clone(),
                            target: i.0.target_text(),
                            actual: i.0.actual_text(),
                            deviation: match i.0.comparison {
                                Comparison::Quantitative { deviation, .. } => deviation,
                                _ => None,
                            },
                        })
                        .collect(),
                }
            })
            .collect();
        UnitOutline {
            year: unit.0.record.year,
            projects,
        }
    }
}
