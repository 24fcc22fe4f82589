//! Chinese display formatting for amounts and rates, as the seed report writes them.
//!
//! Arithmetic everywhere else stays exact; only these functions round, half-up (四舍五入)
//! to two places: `8.5` 万元 shows as `8.50万元`, a rate of `0.26625` as `26.63%`.

use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds half-up (away from zero on a tie) to `places` and always shows that many places.
pub fn fixed(value: Decimal, places: u32) -> String {
    let mut rounded = value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(places);
    // Near Decimal's limit there is no room for the places: add the zeros as text.
    let missing = places.saturating_sub(rounded.scale()) as usize;
    match missing {
        0 => rounded.to_string(),
        _ if rounded.scale() == 0 => format!("{rounded}.{}", "0".repeat(missing)),
        _ => format!("{rounded}{}", "0".repeat(missing)),
    }
}

/// An amount in 万元: `8.56万元`.
pub fn wan(amount: Decimal) -> String {
    format!("{}万元", fixed(amount, 2))
}

/// A ratio shown as a percentage: `0.856` → `85.60%`.
pub fn pct(ratio: Decimal) -> String {
    format!("{}%", percent(ratio))
}

/// A ratio as the number of its percentage, for columns headed `(%)`: `0.856` → `85.60`. A
/// ratio too large to multiply by 100 (past 10^26) is shown in scientific notation rather
/// than not at all.
pub fn percent(ratio: Decimal) -> String {
    match ratio.checked_mul(Decimal::ONE_HUNDRED) {
        Some(percent) => fixed(percent, 2),
        None => {
            // `{:e}` gives mantissa and exponent exactly; ×100 adds 2 to the exponent.
            let scientific = format!("{:e}", ratio.normalize());
            match scientific
                .split_once('e')
                .map(|(m, e)| (m, e.parse::<i64>()))
            {
                Some((mantissa, Ok(exponent))) => format!("{mantissa}e{}", exponent + 2),
                _ => format!("{scientific}×100"),
            }
        }
    }
}

/// An exact decimal without trailing zeros, for evidence and JSON (`20.00` → `20`).
pub fn plain(value: Decimal) -> String {
    value.normalize().to_string()
}

/// Serializes a decimal, or an optional one, as its exact plain string (`"20"`, `"8.56"`):
/// every decimal in JSON output goes through this one function.
pub fn plain_decimal<T: PlainDecimal, S: serde::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    value.serialize_plain(serializer)
}

/// What [`plain_decimal`] serializes.
pub trait PlainDecimal {
    fn serialize_plain<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

impl PlainDecimal for Decimal {
    fn serialize_plain<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&plain(*self))
    }
}

impl PlainDecimal for Option<Decimal> {
    fn serialize_plain<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(d) => d.serialize_plain(serializer),
            None => serializer.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn amounts_round_half_up_and_keep_two_places() {
        assert_eq!(wan(d("8.56")), "8.56万元");
        assert_eq!(wan(d("8.5")), "8.50万元");
        assert_eq!(wan(d("0.125")), "0.13万元");
        assert_eq!(wan(d("-0.125")), "-0.13万元");
        assert_eq!(wan(d("1758.76")), "1758.76万元");
    }

    #[test]
    fn rates_show_as_percentages() {
        assert_eq!(pct(d("0.26625")), "26.63%");
        assert_eq!(pct(d("0.856")), "85.60%");
        assert_eq!(pct(d("1")), "100.00%");
    }

    #[test]
    fn rates_past_the_range_of_a_percentage_still_show() {
        assert_eq!(pct(Decimal::MAX), "7.9228162514264337593543950335e30%");
        assert_eq!(pct(-Decimal::MAX), "-7.9228162514264337593543950335e30%");
        assert_eq!(wan(Decimal::MAX), "79228162514264337593543950335.00万元");
        assert_eq!(fixed(d("0.0000000000000000000000000001"), 2), "0.00");
    }

    #[test]
    fn plain_drops_trailing_zeros_only() {
        assert_eq!(plain(d("20.00")), "20");
        assert_eq!(plain(d("8.560")), "8.56");
    }
}
