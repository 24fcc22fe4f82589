//! Parsing indicator values (年度指标值 / 实际完成值) as units write them: `≥50个`, `>=50`,
//! `≤90万元`, `<5%`, `=100%`, `100百分比`, `12月底前`, `是`/`否`, and free phrases such as
//! `效果明显`. A value that looks numeric but fits no shape is kept as text and marked
//! unparsed, so that a rule can report it instead of it disappearing.

use crate::record::RawValue;
use regex::Regex;
use rust_decimal::Decimal;
use serde::Serialize;
use std::str::FromStr;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Op {
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "=")]
    Eq,
}

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Ge => "≥",
            Op::Gt => ">",
            Op::Le => "≤",
            Op::Lt => "<",
            Op::Eq => "=",
        }
    }

    /// Reads an operator written as a symbol (ASCII or full-width) or as words.
    pub fn parse(text: &str) -> Option<Op> {
        let op = match text.trim() {
            "≥" | ">=" | "＞=" | "≧" | "不低于" | "不少于" | "不小于" | "达到" => {
                Op::Ge
            }
            ">" | "＞" | "大于" | "高于" | "多于" | "超过" => Op::Gt,
            "≤" | "<=" | "＜=" | "≦" | "不高于" | "不超过" | "不多于" | "不大于" | "控制在" => {
                Op::Le
            }
            "<" | "＜" | "小于" | "低于" | "少于" => Op::Lt,
            "=" | "＝" | "==" => Op::Eq,
            _ => return None,
        };
        Some(op)
    }

    pub fn is_lower_better(self) -> bool {
        matches!(self, Op::Le | Op::Lt)
    }
}

/// What an indicator value says, once understood.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Value {
    /// A number with an optional comparison and unit of measure (`%` for 百分比).
    Quantity {
        op: Option<Op>,
        number: Decimal,
        unit: String,
    },
    /// A deadline (`12月底前`) as months from January of the report year (`次年3月` is 15),
    /// with the day when one is written.
    Deadline {
        month: u32,
        day: Option<u32>,
    },
    YesNo {
        yes: bool,
    },
    /// A free phrase (`效果明显`, `达成预期指标`).
    Phrase {
        text: String,
    },
    /// Looks like data but fits no known shape: kept verbatim and reported by a rule.
    Unparsed {
        text: String,
    },
    Missing,
}

static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<op>≥|>=|＞=|≧|≤|<=|＜=|≦|>|＞|<|＜|==|=|＝|不低于|不少于|不小于|达到|不高于|不超过|不多于|不大于|控制在|大于|高于|多于|超过|小于|低于|少于)?\s*(?P<num>[+-]?\d[\d,]*(?:\.\d+)?)\s*(?P<unit>[^\d.]*?)\s*(?:以上|以内|以下|左右)?$",
    )
    .expect("quantity pattern")
});

static DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?P<year>\d{4})年|(?P<next>次年|下年|明年))?(?P<month>\d{1,2})月(?:(?P<day>\d{1,2})日|底|末|份)?(?:前|之前|以前|内|完成|前完成)*$",
    )
    .expect("deadline pattern")
});

impl Value {
    /// Parses a value; `year` is the report year, so that `2024年3月` in a 2023 report is month 15.
    pub fn parse(raw: Option<&RawValue>, year: Option<i64>) -> Value {
        match raw {
            None => Value::Missing,
            Some(RawValue::Number(number)) => Value::Quantity {
                op: None,
                number: *number,
                unit: String::new(),
            },
            Some(RawValue::Text(text)) => Value::parse_text(text, year),
        }
    }

    fn parse_text(text: &str, year: Option<i64>) -> Value {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Value::Missing;
        }
        match trimmed {
            "是" | "有" | "已完成" => return Value::YesNo { yes: true },
            "否" | "无" | "未完成" => return Value::YesNo { yes: false },
            _ => {}
        }
        if let Some(c) = DEADLINE.captures(trimmed) {
            let month: u32 = c["month"].parse().unwrap_or(0);
            let offset = match (c.name("year"), c.name("next"), year) {
                (Some(y), _, Some(report)) => {
                    let written: i64 = y.as_str().parse().unwrap_or(report);
                    u32::try_from((written - report) * 12).ok()
                }
                (_, Some(_), _) => Some(12),
                _ => Some(0),
            };
            let day = c.name("day").and_then(|d| d.as_str().parse().ok());
            if let (1..=12, Some(offset)) = (month, offset) {
                return Value::Deadline {
                    month: month + offset,
                    day,
                };
            }
        }
        if let Some(c) = QUANTITY.captures(trimmed) {
            let number = c["num"].replace(',', "");
            if let Ok(number) = Decimal::from_str(&number) {
                let unit = normalize_unit(&c["unit"]);
                if !unit.chars().any(|ch| ch.is_ascii_digit()) {
                    return Value::Quantity {
                        op: c.name("op").and_then(|op| Op::parse(op.as_str())),
                        number,
                        unit,
                    };
                }
            }
        }
        if trimmed.chars().any(|ch| ch.is_ascii_digit()) {
            Value::Unparsed {
                text: trimmed.to_string(),
            }
        } else {
            Value::Phrase {
                text: trimmed.to_string(),
            }
        }
    }

    /// Applies the separate `op` and `unit` keys a record may give for a bare numeric target.
    pub fn with_op_and_unit(self, op: Option<&str>, unit: Option<&str>) -> Value {
        match self {
            Value::Quantity {
                op: written_op,
                number,
                unit: written_unit,
            } => Value::Quantity {
                op: written_op.or_else(|| op.and_then(Op::parse)),
                number,
                unit: if written_unit.is_empty() {
                    unit.map(normalize_unit).unwrap_or_default()
                } else {
                    written_unit
                },
            },
            other => other,
        }
    }

    pub fn is_understood(&self) -> bool {
        !matches!(self, Value::Unparsed { .. } | Value::Missing)
    }

    pub fn number(&self) -> Option<Decimal> {
        match self {
            Value::Quantity { number, .. } => Some(*number),
            _ => None,
        }
    }

    pub fn op(&self) -> Option<Op> {
        match self {
            Value::Quantity { op, .. } => *op,
            Value::Deadline { .. } => Some(Op::Le),
            _ => None,
        }
    }

    pub fn unit(&self) -> &str {
        match self {
            Value::Quantity { unit, .. } => unit,
            _ => "",
        }
    }
}

/// `百分比` and the full-width `％` both mean `%`.
fn normalize_unit(unit: &str) -> String {
    match unit.trim() {
        "百分比" | "％" | "百分点" => "%".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Value {
        Value::parse(Some(&RawValue::Text(text.to_string())), Some(2023))
    }

    fn quantity(op: Option<Op>, number: &str, unit: &str) -> Value {
        Value::Quantity {
            op,
            number: Decimal::from_str(number).unwrap(),
            unit: unit.to_string(),
        }
    }

    #[test]
    fn every_documented_shape_parses() {
        assert_eq!(parse("≥50个"), quantity(Some(Op::Ge), "50", "个"));
        assert_eq!(parse(">=50"), quantity(Some(Op::Ge), "50", ""));
        assert_eq!(parse("≤90万元"), quantity(Some(Op::Le), "90", "万元"));
        assert_eq!(parse("<5%"), quantity(Some(Op::Lt), "5", "%"));
        assert_eq!(parse("=100%"), quantity(Some(Op::Eq), "100", "%"));
        assert_eq!(parse("100百分比"), quantity(None, "100", "%"));
        assert_eq!(parse("8.56万元"), quantity(None, "8.56", "万元"));
        assert_eq!(parse("1,580份"), quantity(None, "1580", "份"));
        assert_eq!(parse("不少于 12 人"), quantity(Some(Op::Ge), "12", "人"));
        assert_eq!(parse("95%以上"), quantity(None, "95", "%"));
        assert_eq!(parse("48个左右"), quantity(None, "48", "个"));
        assert_eq!(parse("是"), Value::YesNo { yes: true });
        assert_eq!(parse("否"), Value::YesNo { yes: false });
        assert_eq!(
            parse("效果明显"),
            Value::Phrase {
                text: "效果明显".into()
            }
        );
    }

    #[test]
    fn deadlines_count_months_from_the_report_year() {
        assert_eq!(
            parse("12月底前"),
            Value::Deadline {
                month: 12,
                day: None
            }
        );
        assert_eq!(
            parse("6月30日前"),
            Value::Deadline {
                month: 6,
                day: Some(30)
            }
        );
        assert_eq!(
            parse("次年3月"),
            Value::Deadline {
                month: 15,
                day: None
            }
        );
        assert_eq!(
            parse("2024年3月完成"),
            Value::Deadline {
                month: 15,
                day: None
            }
        );
    }

    #[test]
    fn numeric_text_that_fits_no_shape_is_kept_as_unparsed() {
        assert_eq!(
            parse("约50-60个"),
            Value::Unparsed {
                text: "约50-60个".into()
            }
        );
        assert_eq!(parse("  "), Value::Missing);
        assert_eq!(Value::parse(None, None), Value::Missing);
    }

    #[test]
    fn bare_numbers_take_op_and_unit_from_their_own_keys() {
        let value = Value::parse(Some(&RawValue::Number(Decimal::from(5))), None)
            .with_op_and_unit(Some(">="), Some("个"));
        assert_eq!(value, quantity(Some(Op::Ge), "5", "个"));
    }
}
