//! Chinese display formatting for amounts and rates, as the seed report writes them.
//!
//! Arithmetic everywhere else stays exact; only these functions round, half-up (四舍五入)
//! to two places: `8.5` 万元 shows as `8.50万元`, a rate of `0.26625` as `26.63%`.

use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds half-up (away from zero on a tie) to `places` and always shows that many places.
pub fn fixed(value: Decimal, places: u32) -> String {
    let mut rounded = value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(places);
    rounded.to_string()
}

/// An amount in 万元: `8.56万元`.
pub fn wan(amount: Decimal) -> String {
    format!("{}万元", fixed(amount, 2))
}

/// A ratio shown as a percentage: `0.856` → `85.60%`.
pub fn pct(ratio: Decimal) -> String {
    format!("{}%", fixed(ratio * Decimal::ONE_HUNDRED, 2))
}

/// An exact decimal without trailing zeros, for evidence and JSON (`20.00` → `20`).
pub fn plain(value: Decimal) -> String {
    value.normalize().to_string()
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
    fn plain_drops_trailing_zeros_only() {
        assert_eq!(plain(d("20.00")), "20");
        assert_eq!(plain(d("8.560")), "8.56");
    }
}
