//! Parsing indicator values (年度指标值 / 实际完成值) as units write them: `≥50个`, `>=50`,
//! `≤90万元`, `<5%`, `=100%`, `100百分比`, `1,580份`, `95%以上`, `12月底前`, `是`/`否`, and
//! free phrases such as `效果明显`. Full-width forms (`≥５０个`) are normalised first.
//!
//! A value is a phrase only when it reads as one: Han text, with ordinary punctuation. Anything
//! else that fits no shape (an operator, digits or latin letters; a unit that does not read; a
//! number beyond what a decimal holds exactly) is kept verbatim as `Unparsed`, so that a rule
//! reports it and scoring leaves it out, instead of it passing as a phrase in the top tier.

use crate::input::normalize::normalize;
use crate::input::operator::{OP_SPELLINGS, Op};
use crate::input::record::RawValue;
use regex::Regex;
use rust_decimal::Decimal;
use serde::Serialize;
use std::sync::LazyLock;

/// Words after a number. `以上` (inclusive in Chinese usage) reads as `≥`, `以下`/`以内` as
/// `≤`; `左右` (about) gives no direction and leaves a plain number.
const TRAILING_WORDS: &[(&str, Option<Op>)] = &[
    ("及以上", Some(Op::Ge)),
    ("以上", Some(Op::Ge)),
    ("及以下", Some(Op::Le)),
    ("以下", Some(Op::Le)),
    ("以内", Some(Op::Le)),
    ("左右", None),
];

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
    /// A free phrase (`效果明显`, `达成预期指标`): Han text with ordinary punctuation.
    Phrase {
        text: String,
    },
    /// Fits no shape and is no phrase (`≥abc个`, `???`, `1,86人次`): kept verbatim, reported by
    /// a rule and left out of scoring.
    Unparsed {
        text: String,
    },
    /// Marked by the unit as not applicable (`不适用`, `/`, `—`, `无此项`): the indicator is left
    /// out of scoring and the rest rescaled (按百分制折算), and nothing is reported.
    NotApplicable,
    Missing,
}

/// How units mark an indicator that does not apply to them.
const NOT_APPLICABLE: &[&str] = &["不适用", "不涉及", "无此项", "/", "-", "--", "—", "——", "―"];

/// What a unit of measure may be made of: Han (`个`, `万元`, `人次`), latin letters (`km`),
/// `%` and a few unit signs, and `/` for rates (`次/年`). No digits, signs or spaces.
const UNIT_CHAR: &str = r"[\p{Han}A-Za-z%‰℃°㎡㎥²³/·]";

/// What a phrase may contain besides Han: spaces and ordinary punctuation (after normalising,
/// so `，` is `,`).
const PHRASE_CHAR: &str = r"[\p{Han}\s,.;:!()、。“”‘’《》〈〉【】…—·]";

fn alternation<T>(table: &[(&str, T)]) -> String {
    let spellings: Vec<String> = table.iter().map(|(s, _)| regex::escape(s)).collect();
    spellings.join("|")
}

/// `op`, number (thousands grouped by three or not at all), unit, trailing word.
static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:(?P<op>{ops})\s*)?(?P<num>[+-]?(?:[0-9]{{1,3}}(?:,[0-9]{{3}})+|[0-9]+)(?:\.[0-9]+)?)\s*(?P<unit>{UNIT_CHAR}*?)\s*(?P<tail>{tails})?$",
        ops = alternation(OP_SPELLINGS),
        tails = alternation(TRAILING_WORDS),
    ))
    .expect("quantity pattern")
});

static UNIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^{UNIT_CHAR}*$")).expect("unit pattern"));

static PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^{PHRASE_CHAR}*\p{{Han}}{PHRASE_CHAR}*$")).expect("phrase pattern")
});

static DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?P<year>[0-9]{4})年|(?P<next>次年|下年|明年))?(?P<month>[0-9]{1,2})月(?:(?P<day>[0-9]{1,2})日|底|末|份)?(?:前|之前|以前|内|完成|前完成)*$",
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
        let written = text.trim();
        if written.is_empty() {
            return Value::Missing;
        }
        let normalized = normalize(written);
        let normalized = normalized.trim();
        match normalized {
            "是" | "有" | "已完成" => return Value::YesNo { yes: true },
            "否" | "无" | "未完成" => return Value::YesNo { yes: false },
            marker if NOT_APPLICABLE.contains(&marker) => return Value::NotApplicable,
            _ => {}
        }
        let text = written.to_string();
        parse_deadline(normalized, year)
            .or_else(|| parse_quantity(normalized))
            .unwrap_or_else(|| {
                if PHRASE.is_match(normalized) {
                    Value::Phrase { text }
                } else {
                    Value::Unparsed { text }
                }
            })
    }

    /// Applies the separate `op` and `unit` keys a record may give for a bare numeric target.
    /// A key that is given but does not read (`op = "大约"`) makes the value unparsed rather
    /// than silently `≥`.
    pub fn with_op_and_unit(self, op: Option<&str>, unit: Option<&str>) -> Value {
        let Value::Quantity {
            op: written_op,
            number,
            unit: written_unit,
        } = self
        else {
            return self;
        };
        let unreadable = || Value::Unparsed {
            text: format!(
                "{}{}{}",
                op.unwrap_or("").trim(),
                crate::number_text::plain(number),
                unit.unwrap_or("").trim()
            ),
        };
        let keyed_op = match op.map(str::trim).filter(|op| !op.is_empty()) {
            Some(written) => match Op::parse(written) {
                Some(op) => Some(op),
                None => return unreadable(),
            },
            None => None,
        };
        let keyed_unit = unit.map(read_unit);
        if keyed_unit
            .as_deref()
            .is_some_and(|unit| !UNIT.is_match(unit))
        {
            return unreadable();
        }
        Value::Quantity {
            op: written_op.or(keyed_op),
            number,
            unit: if written_unit.is_empty() {
                keyed_unit.unwrap_or_default()
            } else {
                written_unit
            },
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

/// A deadline, or `None` when the text is not one (or names an impossible month or day).
fn parse_deadline(text: &str, report_year: Option<i64>) -> Option<Value> {
    let c = DEADLINE.captures(text)?;
    let month: u32 = c["month"].parse().ok().filter(|m| (1..=12).contains(m))?;
    let day = match c.name("day") {
        Some(day) => Some(day.as_str().parse().ok().filter(|d| (1..=31).contains(d))?),
        None => None,
    };
    let years_on = match (c.name("year"), c.name("next"), report_year) {
        (Some(written), _, Some(report)) => {
            written.as_str().parse::<i64>().ok()?.checked_sub(report)?
        }
        (_, Some(_), _) => 1,
        _ => 0,
    };
    let months_on = u32::try_from(years_on.checked_mul(12)?).ok()?;
    Some(Value::Deadline {
        month: month.checked_add(months_on)?,
        day,
    })
}

/// A quantity, or `None` when the text fits no quantity shape: a thousands separator out of
/// place (`1,86`), a unit that does not read, a number a decimal cannot hold exactly, or an
/// operator the trailing word contradicts (`≤10个以上`).
fn parse_quantity(text: &str) -> Option<Value> {
    let c = QUANTITY.captures(text)?;
    let number = Decimal::from_str_exact(&c["num"].replace(',', "")).ok()?;
    let written_op = c.name("op").and_then(|op| Op::parse(op.as_str()));
    let implied_op = c.name("tail").and_then(|tail| {
        TRAILING_WORDS
            .iter()
            .find(|(word, _)| *word == tail.as_str())
            .and_then(|(_, op)| *op)
    });
    let op = match (written_op, implied_op) {
        (Some(written), Some(implied))
            if written.is_lower_better() != implied.is_lower_better() =>
        {
            return None;
        }
        (written, implied) => written.or(implied),
    };
    Some(Value::Quantity {
        op,
        number,
        unit: read_unit(&c["unit"]),
    })
}

/// `百分比` and `百分点` both mean `%`; full-width forms (`％`, `ｋｍ`) read as ASCII.
fn read_unit(unit: &str) -> String {
    let normalized = normalize(unit);
    match normalized.trim() {
        "百分比" | "百分点" => "%".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

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

    fn unparsed(text: &str) -> Value {
        Value::Unparsed { text: text.into() }
    }

    #[test]
    fn not_applicable_markers_read_as_such() {
        for marker in ["不适用", "/", "／", "—", "-", " 无此项 ", "不涉及"] {
            assert_eq!(parse(marker), Value::NotApplicable, "{marker}");
        }
        assert!(Value::NotApplicable.is_understood());
        assert_eq!(parse("无"), Value::YesNo { yes: false });
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
        assert_eq!(parse("不少于 12 人"), quantity(Some(Op::Ge), "12", "人"));
        assert_eq!(parse("≥2次/年"), quantity(Some(Op::Ge), "2", "次/年"));
        assert_eq!(parse("≥500㎡"), quantity(Some(Op::Ge), "500", "㎡"));
        assert_eq!(parse("≥-5%"), quantity(Some(Op::Ge), "-5", "%"));
        assert_eq!(parse("是"), Value::YesNo { yes: true });
        assert_eq!(parse("否"), Value::YesNo { yes: false });
    }

    #[test]
    fn full_width_digits_operators_and_signs_read_as_their_ascii_forms() {
        assert_eq!(parse("≥５０个"), quantity(Some(Op::Ge), "50", "个"));
        assert_eq!(parse("３０个"), quantity(None, "30", "个"));
        assert_eq!(parse("＞＝５０"), quantity(Some(Op::Ge), "50", ""));
        assert_eq!(parse("≧５０个"), quantity(Some(Op::Ge), "50", "个"));
        assert_eq!(parse("≦９０万元"), quantity(Some(Op::Le), "90", "万元"));
        assert_eq!(parse("＜５％"), quantity(Some(Op::Lt), "5", "%"));
        assert_eq!(parse("＞５"), quantity(Some(Op::Gt), "5", ""));
        assert_eq!(parse("＝１００％"), quantity(Some(Op::Eq), "100", "%"));
        assert_eq!(parse("＋５"), quantity(None, "5", ""));
        assert_eq!(parse("≥－５％"), quantity(Some(Op::Ge), "-5", "%"));
        assert_eq!(parse("≥−5%"), quantity(Some(Op::Ge), "-5", "%"));
        assert_eq!(parse("９９．５％"), quantity(None, "99.5", "%"));
        assert_eq!(parse("　≥　５０　个　"), quantity(Some(Op::Ge), "50", "个"));
        assert_eq!(parse("≥5ｋｍ"), quantity(Some(Op::Ge), "5", "km"));
        assert_eq!(
            parse("１２月底前"),
            Value::Deadline {
                month: 12,
                day: None
            }
        );
    }

    #[test]
    fn thousands_separators_read_only_in_groups_of_three() {
        assert_eq!(parse("1,580份"), quantity(None, "1580", "份"));
        assert_eq!(parse("12,345,678"), quantity(None, "12345678", ""));
        assert_eq!(
            parse("≥1,580.5万元"),
            quantity(Some(Op::Ge), "1580.5", "万元")
        );
        assert_eq!(parse("１，５８０份"), quantity(None, "1580", "份"));
        for text in [
            "1,86人次",
            "1234,567",
            "1,2345",
            "12,34,567",
            ",580",
            "1,580,",
        ] {
            assert_eq!(parse(text), unparsed(text), "{text}");
        }
    }

    #[test]
    fn trailing_words_give_a_direction_where_they_have_one() {
        assert_eq!(parse("95%以上"), quantity(Some(Op::Ge), "95", "%"));
        assert_eq!(parse("95%及以上"), quantity(Some(Op::Ge), "95", "%"));
        assert_eq!(parse("10个以内"), quantity(Some(Op::Le), "10", "个"));
        assert_eq!(parse("10个以下"), quantity(Some(Op::Le), "10", "个"));
        assert_eq!(parse("48个左右"), quantity(None, "48", "个"));
        assert_eq!(parse("≥95%以上"), quantity(Some(Op::Ge), "95", "%"));
        assert_eq!(parse("≤10个以上"), unparsed("≤10个以上"));
    }

    #[test]
    fn only_han_text_reads_as_a_phrase() {
        for text in [
            "效果明显",
            "显著提升",
            "达到预期",
            "应保尽保",
            "良好",
            "效果明显，群众满意。",
        ] {
            assert_eq!(parse(text), Value::Phrase { text: text.into() }, "{text}");
        }
    }

    #[test]
    fn anything_else_that_fits_no_shape_is_unparsed_verbatim() {
        let thirty_six_digits = "123456789012345678901234567890123456";
        for text in [
            "≥abc个",
            "???",
            "≤",
            "NaN个",
            "≥inf个",
            "约50-60个",
            "50个?",
            "abc",
            "①个",
            "٥٠个",
            thirty_six_digits,
            "79228162514264337593543950336",
            "0.00000000000000000000000000001",
            "12.0000000000000000000000000001",
            "6月45日前",
        ] {
            assert_eq!(parse(text), unparsed(text), "{text}");
        }
        assert_eq!(parse("  ≥abc个 "), unparsed("≥abc个"));
        assert_eq!(parse("  "), Value::Missing);
        assert_eq!(parse("　"), Value::Missing);
        assert_eq!(Value::parse(None, None), Value::Missing);
    }

    #[test]
    fn the_largest_and_smallest_exact_decimals_still_read() {
        assert_eq!(
            parse("79228162514264337593543950335个"),
            Value::Quantity {
                op: None,
                number: Decimal::MAX,
                unit: "个".into()
            }
        );
        assert_eq!(
            parse("7922816251426433759354395033.5"),
            Value::Quantity {
                op: None,
                number: Decimal::from_parts(u32::MAX, u32::MAX, u32::MAX, false, 1),
                unit: String::new()
            }
        );
        assert_eq!(
            parse("≥0.0000000000000000000000001个"),
            quantity(Some(Op::Ge), "0.0000000000000000000000001", "个")
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
    fn a_report_year_too_far_from_the_written_year_to_count_months_is_no_deadline() {
        for year in [i64::MIN, i64::MAX] {
            let value = Value::parse(Some(&RawValue::Text("2024年3月".into())), Some(year));
            assert!(
                !matches!(value, Value::Deadline { .. }),
                "{year}: {value:?}"
            );
        }
    }

    #[test]
    fn bare_numbers_take_op_and_unit_from_their_own_keys() {
        let bare = || Value::parse(Some(&RawValue::Number(Decimal::from(5))), None);
        assert_eq!(
            bare().with_op_and_unit(Some(">="), Some("个")),
            quantity(Some(Op::Ge), "5", "个")
        );
        assert_eq!(
            bare().with_op_and_unit(Some("＞＝"), Some("％")),
            quantity(Some(Op::Ge), "5", "%")
        );
        assert_eq!(
            bare().with_op_and_unit(Some("大约"), Some("个")),
            unparsed("大约5个")
        );
        assert_eq!(
            bare().with_op_and_unit(Some(">="), Some("个?")),
            unparsed(">=5个?")
        );
    }

    /// ASCII `!` … `~` as their full-width forms, the way a Chinese input method types them.
    fn full_width(text: &str) -> String {
        text.chars()
            .map(|ch| match ch {
                '!'..='~' => char::from_u32(u32::from(ch) + 0xFEE0).unwrap_or(ch),
                _ => ch,
            })
            .collect()
    }

    /// `1234567.5` as `1,234,567.5`.
    fn group_thousands(number: &str) -> String {
        let (sign, unsigned) = number.split_at(usize::from(number.starts_with('-')));
        let (int, fraction) = unsigned.split_at(unsigned.find('.').unwrap_or(unsigned.len()));
        let digits: Vec<char> = int.chars().collect();
        let groups: Vec<String> = digits
            .rchunks(3)
            .rev()
            .map(|group| group.iter().collect())
            .collect();
        format!("{sign}{}{fraction}", groups.join(","))
    }

    /// (as written, as read)
    const UNITS: &[(&str, &str)] = &[
        ("", ""),
        ("个", "个"),
        ("万元", "万元"),
        ("人次", "人次"),
        ("%", "%"),
        ("百分比", "%"),
        ("km", "km"),
        ("m²", "m²"),
        ("次/年", "次/年"),
    ];

    fn any_decimal() -> impl Strategy<Value = Decimal> {
        (any::<i64>(), 0u32..=12).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
    }

    proptest! {
        #[test]
        fn no_text_makes_the_parser_panic(text in any::<String>()) {
            let _ = parse(&text);
        }

        #[test]
        fn no_value_like_text_makes_the_parser_panic(
            text in "[0-9０-９,，.．+\\-－−≥≤<>=＞＜＝≧≦%％个万元以上内下左右年月日底前次 aN]{0,16}",
            year in any::<Option<i64>>(),
        ) {
            let _ = Value::parse(Some(&RawValue::Text(text)), year);
        }

        #[test]
        fn a_written_quantity_reads_back_as_itself(
            op in proptest::option::of(proptest::sample::select(OP_SPELLINGS)),
            number in any_decimal(),
            (unit, read_as) in proptest::sample::select(UNITS),
            grouped: bool,
            typed_full_width: bool,
            spaced: bool,
        ) {
            let number_text = if grouped { group_thousands(&number.to_string()) } else { number.to_string() };
            let (op_text, op) = op.map_or(("", None), |(text, op)| (text, Some(op)));
            let gap = if spaced { " " } else { "" };
            let written = format!("{op_text}{gap}{number_text}{gap}{unit}");
            let written = if typed_full_width { full_width(&written) } else { written };
            prop_assert_eq!(
                parse(&written),
                Value::Quantity { op, number, unit: read_as.to_string() },
                "{}", written
            );
        }
    }
}
