//! Record values checked as they are read: amounts, points, head counts, years and indicator
//! operators. A value no report can hold (a negative or absurdly large amount, a fractional
//! head count, an operator nobody can read) is an input error located at its field, in the
//! user's terms, instead of a number the rules go on to compute with.
//!
//! The limits keep every sum the engine forms exact: `Decimal` holds a 96-bit integer
//! (about 7.9 × 10²⁸) with a decimal point. An amount of at most 10¹² 万元 with at most
//! 6 decimal places (10⁻⁶ 万元 is 1 分, the smallest sum of money) is an integer of at most
//! 10¹⁸ millionths, so billions of amounts add up without leaving that range. See
//! `docs/record-format.md`.

use crate::diagnostic::cut;
use rust_decimal::Decimal;
use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// The largest amount, in 万元 (one trillion 万元: hundreds of times a national budget).
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;
/// The largest weight or self-reported score of one indicator, in points.
pub const MAX_POINTS: i64 = 1_000;
/// Decimal places an amount or a points value may carry (10⁻⁶ 万元 = 1 分).
pub const MAX_DECIMAL_PLACES: u32 = 6;
/// The largest head count or institution count.
pub const MAX_COUNT: i64 = 100_000_000;
/// The report years accepted.
pub const YEARS: std::ops::RangeInclusive<i64> = 1900..=2100;

/// A value read through a check; `deserialize_with = "checked::one::<_, Amount>"` and its
/// optional and map forms below read a field through it.
pub trait Checked: for<'de> Deserialize<'de> {
    type Value;
    fn into_value(self) -> Self::Value;
}

pub fn one<'de, D: Deserializer<'de>, C: Checked>(deserializer: D) -> Result<C::Value, D::Error> {
    C::deserialize(deserializer).map(C::into_value)
}

pub fn optional<'de, D: Deserializer<'de>, C: Checked>(
    deserializer: D,
) -> Result<Option<C::Value>, D::Error> {
    Option::<C>::deserialize(deserializer).map(|value| value.map(C::into_value))
}

pub fn map<'de, D: Deserializer<'de>, C: Checked>(
    deserializer: D,
) -> Result<BTreeMap<String, C::Value>, D::Error> {
    BTreeMap::<String, C>::deserialize(deserializer).map(|map| {
        map.into_iter()
            .map(|(key, value)| (key, value.into_value()))
            .collect()
    })
}

/// An amount in 万元: 0 ≤ amount ≤ [`MAX_AMOUNT`], at most [`MAX_DECIMAL_PLACES`] places.
pub struct Amount(Decimal);

/// An indicator's weight (分值) or self-reported score (得分): 0 ≤ points ≤ [`MAX_POINTS`].
pub struct Points(Decimal);

/// A head count or institution count: a whole number, 0 ≤ count ≤ [`MAX_COUNT`].
pub struct Count(i64);

/// A report year in [`YEARS`].
pub struct Year(i64);

/// An indicator's `op`: anything [`crate::input::operator::Op::parse`] reads, kept as written.
pub struct Operator(String);

/// The two kinds of decimal value a record holds, which differ in their limits and wording.
#[derive(Clone, Copy)]
enum DecimalKind {
    Amount,
    Points,
}

impl DecimalKind {
    fn max(self) -> i64 {
        match self {
            DecimalKind::Amount => MAX_AMOUNT,
            DecimalKind::Points => MAX_POINTS,
        }
    }

    fn plural(self) -> &'static str {
        match self {
            DecimalKind::Amount => "amounts (in 万元)",
            DecimalKind::Points => "weights and scores",
        }
    }

    /// The value, when it is a number written with a unit or thousands separators.
    fn hint(self, text: &str) -> String {
        let bare: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, ',' | '，'))
            .collect();
        match self {
            DecimalKind::Amount => {
                if let Some(yuan) = bare.strip_suffix('元').filter(|b| !b.ends_with('万'))
                    && let Ok(yuan) = Decimal::from_str(yuan)
                    && let Some(wan) = yuan.checked_div(Decimal::from(10_000))
                {
                    return format!("amounts are in 万元: write {}", wan.normalize());
                }
                let number = bare.trim_end_matches("万元").trim_end_matches('万');
                match Decimal::from_str(number) {
                    Ok(_) => format!("write {number} (amounts are in 万元)"),
                    Err(_) => "write the amount in 万元 as a plain number, such as 8.56".into(),
                }
            }
            DecimalKind::Points => {
                let number = bare.trim_end_matches('分');
                match Decimal::from_str(number) {
                    Ok(_) => format!("write {number}"),
                    Err(_) => "write the points as a plain number, such as 20".into(),
                }
            }
        }
    }

    /// The value if it is within this kind's limits; otherwise what is wrong, in plain words.
    fn check(self, mut value: Decimal, written: &str) -> Result<Decimal, String> {
        let shown = cut(written);
        if value < Decimal::ZERO {
            return Err(format!(
                "`{shown}` is negative: {} are 0 or more",
                self.plural()
            ));
        }
        if value > Decimal::from(self.max()) {
            return Err(format!(
                "`{shown}` is too large: {} are at most {}",
                self.plural(),
                self.max()
            ));
        }
        if value.normalize().scale() > MAX_DECIMAL_PLACES {
            return Err(format!(
                "`{shown}` has more than {MAX_DECIMAL_PLACES} decimal places: round it to {MAX_DECIMAL_PLACES} at most"
            ));
        }
        // Trailing zeros past the limit carry no value; dropping them keeps the integer small.
        if value.scale() > MAX_DECIMAL_PLACES {
            value.rescale(MAX_DECIMAL_PLACES);
        }
        // `-0` is 0.
        value.set_sign_positive(true);
        Ok(value)
    }
}

/// The decimal a float stands for: its shortest text that reads back as the same float is
/// the text written. `None` for NaN, infinities and floats beyond `Decimal`'s range.
pub fn decimal_from_f64(value: f64) -> Option<Decimal> {
    value.to_string().parse().ok()
}

struct DecimalVisitor(DecimalKind);

impl DecimalVisitor {
    fn checked<E: de::Error>(&self, value: Decimal, written: &str) -> Result<Decimal, E> {
        self.0.check(value, written).map_err(E::custom)
    }

    fn too_large<E: de::Error>(&self, written: &str) -> E {
        E::custom(format!(
            "`{}` is too large: {} are at most {}",
            cut(written),
            self.0.plural(),
            self.0.max()
        ))
    }
}

impl Visitor<'_> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.0 {
            DecimalKind::Amount => f.write_str("an amount in 万元, such as 8.56"),
            DecimalKind::Points => f.write_str("a number of points, such as 20"),
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        self.checked(Decimal::from(v), &v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        self.checked(Decimal::from(v), &v.to_string())
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Decimal, E> {
        let written = v.to_string();
        match Decimal::try_from_i128_with_scale(v, 0) {
            Ok(value) => self.checked(value, &written),
            Err(_) => Err(self.too_large(&written)),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        let written = v.to_string();
        match decimal_from_f64(v) {
            Some(value) => self.checked(value, &written),
            None if v.is_finite() => Err(self.too_large(&written)),
            None => Err(E::custom(format!(
                "`{written}` is not a number: {}",
                self.0.hint("")
            ))),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        match Decimal::from_str(v.trim()) {
            Ok(value) => self.checked(value, v),
            Err(_) if looks_numeric(v) => Err(self.too_large(v)),
            Err(_) => Err(E::custom(format!(
                "`{}` is not a number: {}",
                cut(v),
                self.0.hint(v)
            ))),
        }
    }
}

/// Digits with at most a sign and a decimal point: a number, if perhaps too long for `Decimal`.
fn looks_numeric(text: &str) -> bool {
    let digits = text.trim().trim_start_matches(['+', '-']);
    digits.chars().any(|c| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1
}

/// The two kinds of whole number a record holds.
#[derive(Clone, Copy)]
enum WholeKind {
    Count,
    Year,
}

impl WholeKind {
    fn range(self) -> std::ops::RangeInclusive<i64> {
        match self {
            WholeKind::Count => 0..=MAX_COUNT,
            WholeKind::Year => YEARS,
        }
    }

    fn example(self) -> &'static str {
        match self {
            WholeKind::Count => "72",
            WholeKind::Year => "2023",
        }
    }

    /// The unit people write after the number (`72人`, `2023年`).
    fn suffixes(self) -> &'static [char] {
        match self {
            WholeKind::Count => &['人', '个', '名'],
            WholeKind::Year => &['年'],
        }
    }

    fn check(self, value: i128, written: &str) -> Result<i64, String> {
        let shown = cut(written);
        match i64::try_from(value) {
            Ok(value) if self.range().contains(&value) => Ok(value),
            _ => Err(match self {
                WholeKind::Count if value < 0 => {
                    format!("`{shown}` is negative: counts are 0 or more")
                }
                WholeKind::Count => {
                    format!("`{shown}` is too large: counts are at most {MAX_COUNT}")
                }
                WholeKind::Year => format!(
                    "`{shown}` is not a year between {} and {}",
                    YEARS.start(),
                    YEARS.end()
                ),
            }),
        }
    }

    fn not_whole(self, written: &str) -> String {
        let bare = written.trim().trim_end_matches(self.suffixes());
        let hint = match bare.parse::<i128>() {
            Ok(_) => format!("write {bare}"),
            Err(_) => format!("write it in digits, such as {}", self.example()),
        };
        format!("`{}` is not a whole number: {hint}", cut(written))
    }
}

struct WholeVisitor(WholeKind);

impl Visitor<'_> for WholeVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a whole number, such as {}", self.0.example())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        self.visit_i128(i128::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        self.visit_i128(i128::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<i64, E> {
        self.0.check(v, &v.to_string()).map_err(E::custom)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        let written = v.to_string();
        // `72.0` is the whole number 72; the cast saturates, and the range check catches that.
        if v.is_finite() && v.fract() == 0.0 {
            self.0.check(v as i128, &written).map_err(E::custom)
        } else {
            Err(E::custom(self.0.not_whole(&written)))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        match v.trim().parse::<i128>() {
            Ok(value) => self.0.check(value, v).map_err(E::custom),
            Err(_) => Err(E::custom(self.0.not_whole(v))),
        }
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Amount, D::Error> {
        deserializer
            .deserialize_any(DecimalVisitor(DecimalKind::Amount))
            .map(Amount)
    }
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Points, D::Error> {
        deserializer
            .deserialize_any(DecimalVisitor(DecimalKind::Points))
            .map(Points)
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Count, D::Error> {
        deserializer
            .deserialize_any(WholeVisitor(WholeKind::Count))
            .map(Count)
    }
}

impl<'de> Deserialize<'de> for Year {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Year, D::Error> {
        deserializer
            .deserialize_any(WholeVisitor(WholeKind::Year))
            .map(Year)
    }
}

impl<'de> Deserialize<'de> for Operator {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Operator, D::Error> {
        let written = String::deserialize(deserializer)?;
        match crate::input::operator::Op::parse(&written) {
            Some(_) => Ok(Operator(written)),
            None => Err(de::Error::custom(format!(
                "`{}` is not an operator: write ≥ (or >=), >, ≤ (or <=), < or =",
                cut(&written)
            ))),
        }
    }
}

impl Checked for Amount {
    type Value = Decimal;
    fn into_value(self) -> Decimal {
        self.0
    }
}

impl Checked for Points {
    type Value = Decimal;
    fn into_value(self) -> Decimal {
        self.0
    }
}

impl Checked for Count {
    type Value = i64;
    fn into_value(self) -> i64 {
        self.0
    }
}

impl Checked for Year {
    type Value = i64;
    fn into_value(self) -> i64 {
        self.0
    }
}

impl Checked for Operator {
    type Value = String;
    fn into_value(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Record {
        #[serde(default, deserialize_with = "optional::<_, Amount>")]
        amount: Option<Decimal>,
        #[serde(default, deserialize_with = "optional::<_, Points>")]
        points: Option<Decimal>,
        #[serde(default, deserialize_with = "optional::<_, Count>")]
        count: Option<i64>,
        #[serde(default, deserialize_with = "optional::<_, Year>")]
        year: Option<i64>,
        #[serde(default, deserialize_with = "optional::<_, Operator>")]
        op: Option<String>,
    }

    fn read(json: &str) -> Result<Record, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    fn amount(json_value: &str) -> Result<String, String> {
        read(&format!(r#"{{"amount": {json_value}}}"#)).map(|r| r.amount.unwrap().to_string())
    }

    #[test]
    fn amounts_read_exactly_as_numbers_or_text() {
        assert_eq!(amount("8.56").unwrap(), "8.56");
        assert_eq!(amount(r#""8.56""#).unwrap(), "8.56");
        assert_eq!(amount(r#"" 8.50 ""#).unwrap(), "8.50");
        assert_eq!(amount("0").unwrap(), "0");
        assert_eq!(amount(r#""-0.00""#).unwrap(), "0.00");
        assert_eq!(amount(r#""1000000000000""#).unwrap(), "1000000000000");
        // Zeros past the sixth place carry nothing and are dropped.
        assert_eq!(amount(r#""1.5000000000""#).unwrap(), "1.500000");
    }

    #[test]
    fn negative_huge_and_overprecise_amounts_are_rejected_in_plain_words() {
        let error = amount("-50").unwrap_err();
        assert!(error.starts_with("`-50` is negative: amounts"), "{error}");
        let error = amount(r#""1000000000000.01""#).unwrap_err();
        assert!(error.contains("is too large"), "{error}");
        let error = amount(r#""8.5600001""#).unwrap_err();
        assert!(error.contains("more than 6 decimal places"), "{error}");
        let long = "9".repeat(301);
        let error = amount(&format!(r#""{long}""#)).unwrap_err();
        assert!(error.contains("is too large"), "{error}");
        assert!(error.len() < 160, "long values are cut: {error}");
        let error = amount(&long).unwrap_err();
        assert!(
            error.contains("is too large") && error.len() < 160,
            "{error}"
        );
    }

    #[test]
    fn an_amount_written_with_its_unit_says_what_to_write() {
        let error = amount(r#""45.00万元""#).unwrap_err();
        assert!(
            error.starts_with("`45.00万元` is not a number: write 45.00 (amounts are in 万元)"),
            "{error}"
        );
        let error = amount(r#""1,234.5""#).unwrap_err();
        assert!(
            error.contains("write 1234.5 (amounts are in 万元)"),
            "{error}"
        );
        let error = amount(r#""8560元""#).unwrap_err();
        assert!(
            error.contains("amounts are in 万元: write 0.856"),
            "{error}"
        );
        let error = amount(r#""约五十万""#).unwrap_err();
        assert!(error.contains("as a plain number, such as 8.56"), "{error}");
    }

    #[test]
    fn points_are_between_0_and_1000() {
        let points = |v: &str| read(&format!(r#"{{"points": {v}}}"#)).map(|r| r.points);
        assert_eq!(points("20").unwrap(), Some(Decimal::from(20)));
        assert_eq!(points("1000").unwrap(), Some(Decimal::from(1000)));
        assert!(
            points("-1")
                .unwrap_err()
                .contains("weights and scores are 0 or more")
        );
        assert!(points("1000.5").unwrap_err().contains("too large"));
        assert!(
            points(r#""20分""#)
                .unwrap_err()
                .contains("`20分` is not a number: write 20")
        );
    }

    #[test]
    fn counts_are_whole_numbers_from_0() {
        let count = |v: &str| read(&format!(r#"{{"count": {v}}}"#)).map(|r| r.count);
        assert_eq!(count("72").unwrap(), Some(72));
        assert_eq!(count(r#""72""#).unwrap(), Some(72));
        assert_eq!(count("72.0").unwrap(), Some(72));
        assert!(
            count("-1")
                .unwrap_err()
                .contains("`-1` is negative: counts are 0 or more")
        );
        assert!(
            count("70.5")
                .unwrap_err()
                .contains("`70.5` is not a whole number")
        );
        assert!(
            count(r#""72人""#)
                .unwrap_err()
                .contains("`72人` is not a whole number: write 72")
        );
        assert!(count("100000001").unwrap_err().contains("too large"));
        assert!(count("1e300").unwrap_err().contains("too large"));
    }

    #[test]
    fn years_are_report_years() {
        let year = |v: &str| read(&format!(r#"{{"year": {v}}}"#)).map(|r| r.year);
        assert_eq!(year("2023").unwrap(), Some(2023));
        assert!(
            year("1800")
                .unwrap_err()
                .contains("not a year between 1900 and 2100")
        );
        assert!(
            year("99999999999999999999")
                .unwrap_err()
                .contains("not a year")
        );
        assert!(year(r#""2023年""#).unwrap_err().contains("write 2023"));
    }

    #[test]
    fn operators_are_those_an_indicator_value_reads() {
        let op = |v: &str| read(&format!(r#"{{"op": "{v}"}}"#)).map(|r| r.op);
        for written in [">=", "≥", "<", "＜", "=", "不少于"] {
            assert_eq!(op(written).unwrap().as_deref(), Some(written));
        }
        let error = op("~").unwrap_err();
        assert!(
            error.starts_with("`~` is not an operator: write ≥"),
            "{error}"
        );
        assert!(op("").is_err());
    }

    #[test]
    fn maps_check_every_value() {
        #[derive(Deserialize)]
        struct Split {
            #[serde(deserialize_with = "map::<_, Amount>")]
            split: BTreeMap<String, Decimal>,
        }
        let split: Split = serde_json::from_str(r#"{"split": {"a": 1, "b": "2.5"}}"#).unwrap();
        assert_eq!(split.split["b"], Decimal::new(25, 1));
        let error = serde_json::from_str::<Split>(r#"{"split": {"a": 1, "b": -2}}"#)
            .err()
            .unwrap()
            .to_string();
        assert!(error.contains("`-2` is negative"), "{error}");
    }
}
