//! Text from unit files reaches the terminal, Markdown and Excel: a unit file must not be able
//! to clear the screen, move the cursor, forge a line or reorder text with bidi overrides, nor
//! hide a formula in a CSV cell. `escape` is the one place control characters are made
//! visible, for every renderer; `csv_cell` also neutralises formulas the way spreadsheet
//! guidance recommends (a leading `'`).

use std::borrow::Cow;
use std::fmt;

/// Whether the place a text goes may hold line breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One line (a table cell, a list item): a line break would forge a new entry.
    Line,
    /// Several lines by design (a problem with its source line); `\n` is kept.
    Lines,
}

/// Characters a terminal or an editor acts on instead of showing: C0 controls (tab is
/// harmless and kept), DEL, C1 controls (CSI and friends), the Unicode line and paragraph
/// separators, and the bidi embeddings, overrides and isolates that reorder what is shown.
fn is_unsafe(c: char, layout: Layout) -> bool {
    match c {
        '\t' => false,
        '\n' => layout == Layout::Line,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// `text` with every unsafe character written as its visible escape (`\u{1b}`); the text
/// itself when there is none, which is nearly always.
pub fn escape(text: &str, layout: Layout) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c, layout)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c, layout) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Shows a one-line text escaped; honours width and alignment (`{:<24}`).
pub struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&escape(self.0, Layout::Line))
    }
}

/// A text cell of a CSV file for Excel: escaped, and with a leading `'` when it begins with
/// a character a spreadsheet reads as the start of a formula (`=`, `+`, `-`, `@`, tab), so
/// that `=HYPERLINK(…)` in a unit name stays text. Numbers are written as numbers, not through
/// this.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let escaped = escape(text, Layout::Line);
    if escaped.starts_with(['=', '+', '-', '@', '\t']) {
        Cow::Owned(format!("'{escaped}"))
    } else {
        escaped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_become_visible_escapes() {
        assert_eq!(
            escape("单位\u{1b}[2J\u{1b}[H名称", Layout::Line),
            "单位\\u{1b}[2J\\u{1b}[H名称"
        );
        assert_eq!(escape("a\rb\nc", Layout::Line), "a\\u{d}b\\u{a}c");
        assert_eq!(escape("a\rb\nc", Layout::Lines), "a\\u{d}b\nc");
        assert_eq!(
            escape("del\u{7f} csi\u{9b}", Layout::Line),
            "del\\u{7f} csi\\u{9b}"
        );
        assert_eq!(
            escape("\u{202e}evil\u{2066}x\u{2069}\u{2028}", Layout::Line),
            "\\u{202e}evil\\u{2066}x\\u{2069}\\u{2028}"
        );
    }

    #[test]
    fn ordinary_text_is_untouched_and_not_copied() {
        let text = "株洲市渌口区人力资源和社会保障局\t8.56万元 “三公”经费 ≥90%";
        assert!(matches!(escape(text, Layout::Line), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn escaped_text_keeps_its_alignment() {
        assert_eq!(format!("[{:<6}]", Escaped("ab")), "[ab    ]");
        assert_eq!(format!("[{:<8}]", Escaped("a\u{7}")), "[a\\u{7}  ]");
    }

    #[test]
    fn csv_cells_that_would_run_as_formulas_stay_text() {
        for (cell, shown) in [
            ("=1+1", "'=1+1"),
            ("+86-731", "'+86-731"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "\\u{d}=1"),
            ("430212-RSJ", "430212-RSJ"),
            ("株洲市民政局", "株洲市民政局"),
        ] {
            assert_eq!(csv_cell(cell), shown, "{cell:?}");
        }
    }
}
