//! The Chinese of the write-up's lists: counts in Chinese numerals and the 一是…；二是…。
//! enumeration of the seed report, each item escaped (it may quote the unit's words).

use crate::output::safe::{Layout, escape};

/// A count in Chinese numerals, as the ordinals of 一是…；二是… read: 十, 十一, 二十, 一百,
/// 一百零一, 一千零一十, 十万 …, for any count.
pub fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    const PLACES: [&str; 4] = ["千", "百", "十", ""];
    const GROUPS: [&str; 5] = ["", "万", "亿", "万亿", "亿亿"];
    if n == 0 {
        return DIGITS[0].to_string();
    }
    // Groups of four digits, lowest first: 1_0001_0000 is [0, 1, 1].
    let groups: Vec<usize> = std::iter::successors(Some(n), |rest| Some(rest / 10_000))
        .take_while(|rest| *rest > 0)
        .map(|rest| rest % 10_000)
        .collect();
    let mut out = String::new();
    // A zero read aloud once between two non-zero digits, however many zeros there are.
    let mut zero_pending = false;
    for (group, value) in groups.iter().enumerate().rev() {
        if *value == 0 {
            zero_pending = !out.is_empty();
            continue;
        }
        for (place, divisor) in PLACES.iter().zip([1000, 100, 10, 1]) {
            let digit = value / divisor % 10;
            if digit == 0 {
                zero_pending = zero_pending || !out.is_empty();
            } else {
                if zero_pending {
                    out.push_str(DIGITS[0]);
                    zero_pending = false;
                }
                out.push_str(DIGITS[digit]);
                out.push_str(place);
            }
        }
        out.push_str(GROUPS.get(group).copied().unwrap_or_default());
        zero_pending = false;
    }
    // 十一, 十万: a leading 一十 is read as 十.
    match out.strip_prefix("一十") {
        Some(rest) => format!("十{rest}"),
        None => out,
    }
}

/// A text as one clause of a longer sentence: trimmed, without its closing 。 or ；.
pub fn clause(text: &str) -> &str {
    text.trim().trim_end_matches(['。', '；', ';']).trim_end()
}

/// `一是A；二是B。`, each item escaped: items may quote the unit's words.
pub fn enumerate(items: &[String]) -> String {
    let parts: Vec<String> = items
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let item = escape(clause(s), Layout::Line);
            format!("{}是{item}", chinese_number(i + 1))
        })
        .collect();
    format!("{}。", parts.join("；"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_read_as_chinese_for_any_count() {
        for (n, text) in [
            (1, "一"),
            (9, "九"),
            (10, "十"),
            (11, "十一"),
            (12, "十二"),
            (20, "二十"),
            (21, "二十一"),
            (99, "九十九"),
            (100, "一百"),
            (101, "一百零一"),
            (110, "一百一十"),
            (111, "一百一十一"),
            (1000, "一千"),
            (1001, "一千零一"),
            (1010, "一千零一十"),
            (10_000, "一万"),
            (10_001, "一万零一"),
            (100_000, "十万"),
            (100_010, "十万零一十"),
            (105_000, "十万五千"),
            (10_000_005, "一千万零五"),
            (100_000_001, "一亿零一"),
        ] {
            assert_eq!(chinese_number(n), text, "{n}");
        }
    }

    #[test]
    fn items_are_counted_in_chinese_and_end_once() {
        let items = [
            "全年执行数低于年初预算数。".to_string(),
            "存在跨年度结算".to_string(),
        ];
        assert_eq!(
            enumerate(&items),
            "一是全年执行数低于年初预算数；二是存在跨年度结算。"
        );
    }
}
