//! The unit record (单位绩效自评数据) as it is written in a unit file: one unit, its
//! unit-level tables and its projects. See `docs/record-format.md`.
//!
//! Amounts are 万元 as exact decimals: `8.56` and `"8.56"` both read as 8.56. Amounts, points,
//! counts, years and operators are checked as they are read (see [`checked`]). Unknown keys
//! are rejected so that a misspelt field name is an error, never a silently missing value.

pub mod checked;

use checked::{Amount, Count, Operator, Points, Year};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UnitFile {
    pub unit: Unit,
    #[serde(default)]
    pub projects: Vec<Project>,
    /// Findings a reviewer has accepted, each with its reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suppress: Vec<Suppression>,
}

/// `[[suppress]]`: findings of `rule` (on `project`, on `indicator`, when given) that a
/// reviewer accepts for `reason`. They are still reported, marked suppressed with the reason;
/// a suppression that matches nothing is reported too.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Suppression {
    pub rule: String,
    pub project: Option<String>,
    pub indicator: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub code: String,
    pub name: String,
    /// 主管部门: the department the unit reports to; `summary` and `report` group units by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// The scoring form (`rules/scoring/<name>.toml`) the unit filed on; the default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scoring: Option<String>,
    #[serde(default, deserialize_with = "checked::optional::<_, Year>")]
    pub year: Option<i64>,
    pub budget: Option<UnitBudget>,
    #[serde(default)]
    pub cost_controls: Vec<CostControl>,
    pub staff: Option<Staff>,
    pub institutions: Option<Institutions>,
    pub basic: Option<Basic>,
    #[serde(default)]
    pub groups: Vec<Group>,
}

/// 部门整体资金: the unit's whole budget with its two splits, each of which must sum to
/// `executed`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UnitBudget {
    #[serde(default, deserialize_with = "checked::optional::<_, Amount>")]
    pub budget_initial: Option<Decimal>,
    #[serde(default, deserialize_with = "checked::optional::<_, Amount>")]
    pub budget_adjusted: Option<Decimal>,
    #[serde(deserialize_with = "checked::one::<_, Amount>")]
    pub executed: Decimal,
    #[serde(default, deserialize_with = "checked::map::<_, Amount>")]
    pub by_income: BTreeMap<String, Decimal>,
    #[serde(default, deserialize_with = "checked::map::<_, Amount>")]
    pub by_spending: BTreeMap<String, Decimal>,
}

/// One line of 经费控制情况 (三公经费, 公用经费, 会议费 …).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CostControl {
    pub name: String,
    #[serde(default, deserialize_with = "checked::optional::<_, Amount>")]
    pub last_year: Option<Decimal>,
    #[serde(default, deserialize_with = "checked::optional::<_, Amount>")]
    pub budget: Option<Decimal>,
    #[serde(deserialize_with = "checked::one::<_, Amount>")]
    pub actual: Decimal,
}

/// 人员情况.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Staff {
    #[serde(default, deserialize_with = "checked::optional::<_, Count>")]
    pub authorized: Option<i64>,
    #[serde(default, deserialize_with = "checked::optional::<_, Count>")]
    pub total: Option<i64>,
    #[serde(default, deserialize_with = "checked::optional::<_, Count>")]
    pub in_service: Option<i64>,
    #[serde(default, deserialize_with = "checked::optional::<_, Count>")]
    pub retired: Option<i64>,
    #[serde(default, deserialize_with = "checked::map::<_, Count>")]
    pub establishment: BTreeMap<String, i64>,
}

/// 机构情况: each stated count beside the names actually listed.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Institutions {
    #[serde(default, deserialize_with = "checked::optional::<_, Count>")]
    pub internal_count: Option<i64>,
    #[serde(default)]
    pub internal: Vec<String>,
    #[serde(default, deserialize_with = "checked::optional::<_, Count>")]
    pub subordinate_count: Option<i64>,
    #[serde(default)]
    pub subordinate: Vec<String>,
}

/// 基本支出 = 人员经费 (`personnel`) + 日常公用经费 (`public`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Basic {
    #[serde(deserialize_with = "checked::one::<_, Amount>")]
    pub total: Decimal,
    #[serde(deserialize_with = "checked::one::<_, Amount>")]
    pub personnel: Decimal,
    #[serde(deserialize_with = "checked::one::<_, Amount>")]
    pub public: Decimal,
}

/// A subtotal the report states over the projects whose `group` names it (勾稽).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub name: String,
    #[serde(default, deserialize_with = "checked::optional::<_, Count>")]
    pub count: Option<i64>,
    #[serde(default, deserialize_with = "checked::optional::<_, Amount>")]
    pub executed: Option<Decimal>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub code: String,
    pub name: String,
    pub group: Option<String>,
    /// 年初预算数
    #[serde(default, deserialize_with = "checked::optional::<_, Amount>")]
    pub budget_initial: Option<Decimal>,
    /// 全年预算数 (调整后预算数): the base of the execution rate.
    #[serde(deserialize_with = "checked::one::<_, Amount>")]
    pub budget_adjusted: Decimal,
    /// 全年执行数
    #[serde(deserialize_with = "checked::one::<_, Amount>")]
    pub executed: Decimal,
    /// 跨年度结算: work done this year, to be paid next year.
    #[serde(default, deserialize_with = "checked::one::<_, Amount>")]
    pub unsettled: Decimal,
    #[serde(default)]
    pub deviation_reason: String,
    #[serde(default)]
    pub improvement: String,
    #[serde(default)]
    pub funds: Vec<Fund>,
    #[serde(default)]
    pub indicators: Vec<Indicator>,
}

/// The project's amounts split by source (当年财政拨款 / 上年结转 / 其他资金).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fund {
    pub source: String,
    #[serde(default, deserialize_with = "checked::optional::<_, Amount>")]
    pub budget_initial: Option<Decimal>,
    #[serde(default, deserialize_with = "checked::optional::<_, Amount>")]
    pub budget_adjusted: Option<Decimal>,
    #[serde(deserialize_with = "checked::one::<_, Amount>")]
    pub executed: Decimal,
}

/// A performance indicator (绩效指标) as filed: target (年度指标值) and actual (实际完成值)
/// are kept as the unit wrote them and parsed later.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub level1: String,
    #[serde(default)]
    pub level2: String,
    pub name: String,
    pub target: Option<RawValue>,
    /// Operator for a bare numeric `target` (`">="`, `"≤"`, …).
    #[serde(default, deserialize_with = "checked::optional::<_, Operator>")]
    pub op: Option<String>,
    /// Unit of measure for a bare numeric `target`.
    pub unit: Option<String>,
    pub actual: Option<RawValue>,
    #[serde(default, deserialize_with = "checked::optional::<_, Points>")]
    pub weight: Option<Decimal>,
    /// Self-reported 得分: checked, not trusted.
    #[serde(default, deserialize_with = "checked::optional::<_, Points>")]
    pub score: Option<Decimal>,
    #[serde(default)]
    pub deviation_reason: String,
}

/// An indicator value as written: a number or a phrase.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum RawValue {
    Number(Decimal),
    Text(String),
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<RawValue, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = RawValue;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number or text such as \"≥50个\", \"=100%\" or \"效果明显\"")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawValue, E> {
                Ok(RawValue::Text(v.to_string()))
            }

            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<RawValue, E> {
                Ok(RawValue::Number(Decimal::from(v)))
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<RawValue, E> {
                Ok(RawValue::Number(Decimal::from(v)))
            }

            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<RawValue, E> {
                checked::decimal_from_f64(v)
                    .map(RawValue::Number)
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Float(v), &self))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}
