//! Cells to record values, through the same checks a TOML file's values pass
//! ([`crate::input::record::checked`]): an amount is the exact decimal of the text the cell shows, a
//! count a whole number, and what does not pass is a problem at the cell —
//! `book.xlsx [数据系统维护费]!E12: 全年执行数 "八点五六" is not a number: …` — collected, so that
//! every bad cell of a workbook is listed at once.

use super::grid::Grid;
use super::labels::is_blank;
use crate::diagnostic::{Problem, ProblemKind};
use crate::input::normalize::normalize;
use crate::input::record::checked::{Amount, Checked, Count, Points, Year};
use rust_decimal::Decimal;
use serde::de::value::{Error as ValueError, StrDeserializer};

/// Reads the cells of one sheet and keeps what could not be read.
pub struct Cells<'a> {
    pub grid: &'a Grid,
    file: &'a str,
    pub problems: Vec<Problem>,
}

impl<'a> Cells<'a> {
    pub fn new(grid: &'a Grid, file: &'a str) -> Cells<'a> {
        Cells {
            grid,
            file,
            problems: Vec::new(),
        }
    }

    /// A problem at (row, column).
    pub fn problem_at(&mut self, row: u32, column: u32, message: impl Into<String>) {
        let place = self.grid.place(row, column);
        self.problems
            .push(Problem::new(ProblemKind::Input, self.file, message).cell(place));
    }

    /// A problem about the sheet as a whole.
    pub fn problem(&mut self, message: impl Into<String>) {
        let place = self.grid.whole();
        self.problems
            .push(Problem::new(ProblemKind::Input, self.file, message).cell(place));
    }

    /// The text at (row, column), trimmed; empty outside the sheet.
    pub fn text(&self, row: u32, column: u32) -> String {
        self.grid.text(row, column).trim().to_string()
    }

    /// An amount (万元) at the cell, or `None` when it is blank or marked not applicable.
    pub fn amount(&mut self, row: u32, column: u32, what: &str) -> Option<Decimal> {
        self.checked::<Amount>(row, column, what)
    }

    /// A required amount: blank is a problem too.
    pub fn required_amount(&mut self, row: u32, column: u32, what: &str) -> Option<Decimal> {
        let value = self.amount(row, column, what);
        if value.is_none() && is_blank(self.grid.text(row, column)) {
            self.problem_at(
                row,
                column,
                format!("{what} is empty: write the amount in 万元 (0 if there is none)"),
            );
        }
        value
    }

    pub fn points(&mut self, row: u32, column: u32, what: &str) -> Option<Decimal> {
        self.checked::<Points>(row, column, what)
    }

    pub fn count(&mut self, row: u32, column: u32, what: &str) -> Option<i64> {
        self.checked::<Count>(row, column, what)
    }

    pub fn year(&mut self, row: u32, column: u32, what: &str) -> Option<i64> {
        self.checked::<Year>(row, column, what)
    }

    /// The cell read through `C`'s check; `None` (and a problem, unless blank) otherwise.
    fn checked<C: Checked>(&mut self, row: u32, column: u32, what: &str) -> Option<C::Value> {
        let shown = self.grid.text(row, column);
        if is_blank(shown) {
            return None;
        }
        match check::<C>(&number_text(shown)) {
            Ok(value) => Some(value),
            Err(message) => {
                let message = in_cell_words(what, shown, &message);
                self.problem_at(row, column, message);
                None
            }
        }
    }
}

/// `text` through the check of `C`, as a TOML value written as text would go.
pub fn check<C: Checked>(text: &str) -> Result<C::Value, String> {
    C::deserialize(StrDeserializer::<ValueError>::new(text))
        .map(C::into_value)
        .map_err(|e| e.to_string())
}

/// A number as typed into a cell, as a TOML value would be written: full-width digits and
/// points folded (`２０．００`), spaces and thousands separators (`1,234.56`) dropped.
fn number_text(shown: &str) -> String {
    let folded: String = normalize(shown)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if is_grouped(&folded) {
        folded.replace(',', "")
    } else {
        folded
    }
}

/// `1,234` or `12,345,678.9`: digits grouped by three with commas.
fn is_grouped(text: &str) -> bool {
    let whole = text.split('.').next().unwrap_or_default();
    let whole = whole.trim_start_matches('-');
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or_default();
    let rest: Vec<&str> = groups.collect();
    !rest.is_empty()
        && (1..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_digit())
        && rest
            .iter()
            .all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
}

/// A check's message (`` `八点五六` is not a number: … ``) as it reads for a cell:
/// `全年执行数 "八点五六" is not a number: …`.
fn in_cell_words(what: &str, shown: &str, message: &str) -> String {
    let rest = message
        .strip_prefix('`')
        .and_then(|m| m.split_once("` "))
        .map(|(_, rest)| rest);
    match rest {
        Some(rest) => format!("{what} \"{}\" {rest}", crate::diagnostic::cut(shown)),
        None => format!("{what} \"{}\": {message}", crate::diagnostic::cut(shown)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_typed_with_full_width_digits_or_separators_read() {
        assert_eq!(number_text("２０．００"), "20.00");
        assert_eq!(number_text(" 1,234.56 "), "1234.56");
        assert_eq!(number_text("1,2345"), "1,2345");
        assert_eq!(
            check::<Amount>(&number_text("１，２３４.5"))
                .unwrap()
                .to_string(),
            "1234.5"
        );
    }

    #[test]
    fn a_cell_that_fails_its_check_says_which_column_and_what_it_shows() {
        let error = check::<Amount>("八点五六").unwrap_err();
        assert_eq!(
            in_cell_words("全年执行数", "八点五六", &error),
            "全年执行数 \"八点五六\" is not a number: write the amount in 万元 as a plain number, such as 8.56"
        );
        let error = check::<Amount>("-5").unwrap_err();
        assert_eq!(
            in_cell_words("全年预算数", "-5", &error),
            "全年预算数 \"-5\" is negative: amounts (in 万元) are 0 or more"
        );
        let error = check::<Points>("20分").unwrap_err();
        assert!(in_cell_words("分值", "20分", &error).ends_with("write 20"));
    }
}
