//! Laying text out for a terminal: columns padded by display width (a Chinese character takes
//! two columns, so `{:<8}` would misalign them), and long text wrapped at the terminal's width
//! under where it starts, at the places Unicode line breaking allows (between Chinese
//! characters, never before a closing mark such as ，or 。). Without a width — stdout is not a
//! terminal — nothing is wrapped, so pipes, files and tests see one line per entry.

use unicode_width::UnicodeWidthStr;

/// Wrapping leaves text at least this many columns; on a terminal narrower than the indent
/// plus this, the line is left for the terminal to fold.
const MIN_TEXT_WIDTH: usize = 20;

/// Columns of a table are separated by this.
const GAP: &str = "  ";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// The columns `text` takes in a terminal.
pub fn width(text: &str) -> usize {
    text.width()
}

/// `text` padded with spaces to `columns` display columns (never cut).
pub fn pad(text: &str, columns: usize, align: Align) -> String {
    let fill = " ".repeat(columns.saturating_sub(width(text)));
    match align {
        Align::Left => format!("{text}{fill}"),
        Align::Right => format!("{fill}{text}"),
    }
}

/// `prefix` followed by `text`, wrapped to `line_width` columns with every further line
/// indented to where `text` starts; a single line when there is no width or too little room.
pub fn hanging(prefix: &str, text: &str, line_width: Option<usize>) -> String {
    let indent = width(prefix);
    let room = line_width.filter(|w| w.saturating_sub(indent) >= MIN_TEXT_WIDTH);
    let (Some(line_width), false) = (room, text.is_empty()) else {
        return format!("{prefix}{text}");
    };
    let hang = " ".repeat(indent);
    // Codes such as 430212-RSJ stay whole: no break after a hyphen.
    let options = textwrap::Options::new(line_width)
        .initial_indent(prefix)
        .subsequent_indent(&hang)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::wrap(text, options).join("\n")
}

/// A table with a header row: each column as wide as its widest cell and aligned as its header
/// says, except a last column aligned left, which is left unpadded and wrapped under itself at
/// `line_width`. Cells are shown as given: escape text from unit files first.
pub fn grid(headers: &[(&str, Align)], rows: &[Vec<String>], line_width: Option<usize>) -> String {
    let last = match headers.last() {
        Some((_, Align::Left)) => headers.len() - 1,
        _ => headers.len(),
    };
    let mut widths: Vec<usize> = headers.iter().map(|(h, _)| width(h)).collect();
    for row in rows {
        for (column, cell) in row.iter().enumerate().take(last) {
            if let Some(w) = widths.get_mut(column) {
                *w = (*w).max(width(cell));
            }
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut prefix = String::new();
        let mut tail = "";
        for (column, cell) in cells.enumerate() {
            let align = headers.get(column).map_or(Align::Left, |(_, a)| *a);
            match widths.get(column) {
                Some(w) if column < last => {
                    prefix.push_str(&pad(cell, *w, align));
                    prefix.push_str(GAP);
                }
                _ => tail = cell,
            }
        }
        let text = hanging(&prefix, tail, line_width);
        format!("{}\n", text.trim_end())
    };
    let mut out = line(&mut headers.iter().map(|(h, _)| *h));
    for row in rows {
        out.push_str(&line(&mut row.iter().map(String::as_str)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_text_wraps_between_characters_never_before_a_closing_mark() {
        let message = "数量指标“发放人数”年度指标值≥6人，实际完成值1人，偏差83.33%，超过10.00%。";
        let text = hanging("    ", message, Some(28));
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.len() > 2, "{text}");
        for line in &lines {
            assert!(width(line) <= 28, "{line:?} is {} wide", width(line));
            assert!(line.starts_with("    "), "{line:?}");
            let first = line.trim_start().chars().next().unwrap();
            assert!(
                !"，。、”％%".contains(first),
                "{line:?} starts with {first}"
            );
        }
        // Nothing lost or added but the line breaks and their indent.
        let joined: String = lines.iter().map(|l| l.trim_start()).collect();
        assert_eq!(joined, message);
    }

    #[test]
    fn without_a_width_or_room_text_stays_on_one_line() {
        let message = "全年预算数20.00万元，全年执行数8.56万元，执行率42.80%，低于90.00%。";
        assert_eq!(
            hanging("  建议 ", message, None),
            format!("  建议 {message}")
        );
        assert_eq!(
            hanging(&" ".repeat(30), message, Some(40)),
            format!("{}{message}", " ".repeat(30))
        );
        assert_eq!(hanging("  建议 ", "", Some(40)), "  建议 ");
    }

    #[test]
    fn the_hanging_indent_counts_chinese_characters_as_two_columns() {
        let text = hanging("  原因 ", &"预算".repeat(20), Some(40));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], format!("  原因 {}", "预算".repeat(8)));
        assert_eq!(lines[1], format!("       {}", "预算".repeat(8)));
    }

    #[test]
    fn codes_are_not_broken_at_their_hyphens() {
        let text = hanging(
            "",
            "430212-RSJ、430212-MZJ、430212-NYJ、430212-JYJ",
            Some(24),
        );
        assert_eq!(text, "430212-RSJ、430212-MZJ、\n430212-NYJ、430212-JYJ");
    }

    #[test]
    fn grid_columns_align_by_display_width_and_the_last_one_wraps_under_itself() {
        let headers = [
            ("排名", Align::Right),
            ("等级", Align::Left),
            ("单位", Align::Left),
        ];
        let rows = vec![
            vec![
                "1".into(),
                "优".into(),
                "G1 某区人力资源和社会保障局".into(),
            ],
            vec!["10".into(), "-".into(), "G2 民政局".into()],
        ];
        let plain = grid(&headers, &rows, None);
        assert_eq!(
            plain,
            "排名  等级  单位\n   1  优    G1 某区人力资源和社会保障局\n  10  -     G2 民政局\n"
        );
        let wrapped = grid(&headers, &rows, Some(32));
        assert_eq!(
            wrapped,
            "排名  等级  单位\n   1  优    G1 某区人力资源和社\n            会保障局\n  10  -     G2 民政局\n"
        );
    }
}
