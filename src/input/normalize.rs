//! Rewriting what Chinese input methods type into the forms the value shapes are written in,
//! before any shape is tried: full-width digits, letters, operators and signs (`＞＝５０`,
//! `－５％`, `１，５８０`), the ideographic space, and the other spellings of `≥`, `≤` and minus
//! (`≧`, `⩾`, `≦`, `⩽`, `−`).
//!
//! Unicode NFKC would do the full-width part, but it also rewrites characters whose meaning
//! the parser must keep: `㎡` becomes `m2` and `m²` becomes `m2` (a unit with a digit in it),
//! `①` becomes `1`, `½` becomes `1⁄2`, while it leaves `≧`/`≦`/`−` alone. So this is a small
//! explicit map instead.

/// The Halfwidth and Fullwidth Forms block (`！` … `～`) is ASCII `!` … `~` shifted by this.
const FULL_WIDTH_OFFSET: u32 = 0xFEE0;

/// The text with full-width ASCII forms and alternative operator and sign spellings replaced by
/// the ASCII (or `≥`/`≤`) the shapes use; every other character is kept.
pub(crate) fn normalize(text: &str) -> String {
    text.chars().map(normalize_char).collect()
}

fn normalize_char(ch: char) -> char {
    match ch {
        '！'..='～' => char::from_u32(u32::from(ch) - FULL_WIDTH_OFFSET).unwrap_or(ch),
        '\u{3000}' => ' ',
        '≧' | '⩾' => '≥',
        '≦' | '⩽' => '≤',
        '−' | '﹣' => '-',
        '﹢' => '+',
        _ => ch,
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn full_width_forms_become_ascii() {
        assert_eq!(normalize("＞＝５０个"), ">=50个");
        assert_eq!(normalize("＜＝９０．５万元"), "<=90.5万元");
        assert_eq!(normalize("－５％"), "-5%");
        assert_eq!(normalize("＋１，５８０　份"), "+1,580 份");
        assert_eq!(normalize("＝１００％"), "=100%");
        assert_eq!(normalize("ｋｍ"), "km");
    }

    #[test]
    fn other_operator_and_minus_spellings_become_the_usual_ones() {
        assert_eq!(normalize("≧50"), "≥50");
        assert_eq!(normalize("⩾50"), "≥50");
        assert_eq!(normalize("≦50"), "≤50");
        assert_eq!(normalize("⩽50"), "≤50");
        assert_eq!(normalize("≥−5%"), "≥-5%");
    }

    #[test]
    fn meaningful_characters_that_nfkc_would_rewrite_are_kept() {
        assert_eq!(normalize("≥500㎡"), "≥500㎡");
        assert_eq!(normalize("≥500m²"), "≥500m²");
        assert_eq!(normalize("效果明显"), "效果明显");
        assert_eq!(normalize("①"), "①");
    }
}
