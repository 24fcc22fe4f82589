//! A worksheet as the text its cells show: each number through its number format, as Excel
//! displays it (a 2-place cell holding 0.1+0.2 shows `0.30`, a percentage cell holding 0.9
//! shows `90%`), never through binary-float arithmetic; a merged area's value in every cell it
//! covers, so that a 一级指标 merged down five rows labels all five.
//!
//! Only `.xlsx` files carry number formats that calamine reads; in `.xls` and `.ods` files a
//! number shows as Excel's General format would show it (15 significant digits).

use calamine::{Data, Dimensions, Range, StyleRange};
use rust_decimal::{Decimal, RoundingStrategy};

/// The most rows and columns read from one sheet: a 自评表 has a few hundred cells; a sheet
/// used far beyond this is not one (and would cost memory for nothing).
pub const MAX_ROWS: u32 = 5_000;
pub const MAX_COLUMNS: u32 = 200;

/// Excel shows at most this many significant digits of a number.
const SHOWN_DIGITS: usize = 15;

/// A rectangle of cells, inclusive, 0-based (row, column) at each corner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Area {
    pub top: u32,
    pub left: u32,
    pub bottom: u32,
    pub right: u32,
}

#[derive(Debug, Clone)]
struct Cell {
    text: String,
    area: Area,
}

/// One sheet's shown text, by absolute 0-based (row, column).
pub struct Grid {
    pub sheet: String,
    rows: Vec<Vec<Cell>>,
}

impl Grid {
    /// The sheet's cells, with number formats from `styles` and merged `merges`; `Err` with
    /// the extent when the sheet is larger than [`MAX_ROWS`] × [`MAX_COLUMNS`].
    pub fn new(
        sheet: &str,
        range: &Range<Data>,
        styles: &StyleRange,
        merges: &[Dimensions],
    ) -> Result<Grid, String> {
        let (height, width) = match range.end() {
            Some((row, column)) => (row + 1, column + 1),
            None => (0, 0),
        };
        if height > MAX_ROWS || width > MAX_COLUMNS {
            return Err(format!(
                "the sheet uses cells up to {}, more than a 自评表 holds ({} rows, {} columns at most): delete what lies beyond the form",
                cell_name(height - 1, width - 1),
                MAX_ROWS,
                MAX_COLUMNS
            ));
        }
        let mut rows: Vec<Vec<Cell>> = (0..height)
            .map(|row| {
                (0..width)
                    .map(|column| Cell {
                        text: String::new(),
                        area: Area {
                            top: row,
                            left: column,
                            bottom: row,
                            right: column,
                        },
                    })
                    .collect()
            })
            .collect();
        for (row, column, data) in range.used_cells() {
            let (row, column) = (row as u32, column as u32);
            let absolute = match range.start() {
                Some((top, left)) => (top + row, left + column),
                None => continue,
            };
            let format = styles
                .get(absolute)
                .and_then(|style| style.number_format.as_ref())
                .map(|f| f.format_code.as_str());
            if let Some(cell) = rows
                .get_mut(absolute.0 as usize)
                .and_then(|r| r.get_mut(absolute.1 as usize))
            {
                cell.text = shown(data, format);
            }
        }
        for merge in merges {
            let area = Area {
                top: merge.start.0,
                left: merge.start.1,
                bottom: merge.end.0.min(height.saturating_sub(1)),
                right: merge.end.1.min(width.saturating_sub(1)),
            };
            let text = rows
                .get(area.top as usize)
                .and_then(|r| r.get(area.left as usize))
                .map(|c| c.text.clone())
                .unwrap_or_default();
            for row in area.top..=area.bottom {
                for column in area.left..=area.right {
                    if let Some(cell) = rows
                        .get_mut(row as usize)
                        .and_then(|r| r.get_mut(column as usize))
                    {
                        cell.text = text.clone();
                        cell.area = area;
                    }
                }
            }
        }
        Ok(Grid {
            sheet: sheet.to_string(),
            rows,
        })
    }

    pub fn height(&self) -> u32 {
        self.rows.len() as u32
    }

    pub fn width(&self) -> u32 {
        self.rows.first().map_or(0, |r| r.len() as u32)
    }

    /// The text shown at (row, column); empty outside the sheet.
    pub fn text(&self, row: u32, column: u32) -> &str {
        self.cell(row, column).map_or("", |c| c.text.as_str())
    }

    /// The merged area of (row, column), or the cell alone.
    pub fn area(&self, row: u32, column: u32) -> Area {
        self.cell(row, column).map_or(
            Area {
                top: row,
                left: column,
                bottom: row,
                right: column,
            },
            |c| c.area,
        )
    }

    /// Where (row, column) is, as a problem names it: `[sheet]!E12`, at the top-left cell of
    /// its merged area (the one that holds the value).
    pub fn place(&self, row: u32, column: u32) -> String {
        let area = self.area(row, column);
        format!("[{}]!{}", self.sheet, cell_name(area.top, area.left))
    }

    /// The sheet as a whole, as a problem names it: `[sheet]`.
    pub fn whole(&self) -> String {
        format!("[{}]", self.sheet)
    }

    /// The cell to the right of (row, column)'s merged area: where a label's value is.
    pub fn right_of(&self, row: u32, column: u32) -> (u32, u32) {
        (row, self.area(row, column).right + 1)
    }

    fn cell(&self, row: u32, column: u32) -> Option<&Cell> {
        self.rows.get(row as usize)?.get(column as usize)
    }
}

/// `E12` for 0-based (11, 4).
pub fn cell_name(row: u32, column: u32) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        let rest = (n - 1) % 26;
        letters.push(char::from(b'A' + rest as u8));
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
}

/// The text a cell shows.
fn shown(data: &Data, format: Option<&str>) -> String {
    match data {
        Data::Empty => String::new(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => {
            text.replace("\r\n", "\n").trim().to_string()
        }
        Data::Float(value) => match shown_digits(*value) {
            Some(number) => formatted(number, format),
            None => value.to_string(),
        },
        Data::Int(value) => formatted(Decimal::from(*value), format),
        Data::Bool(true) => "TRUE".into(),
        Data::Bool(false) => "FALSE".into(),
        Data::DateTime(date) => {
            let (year, month, day, hour, minute, second, _) = date.to_ymd_hms_milli();
            if (hour, minute, second) == (0, 0, 0) {
                format!("{year:04}-{month:02}-{day:02}")
            } else {
                format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
            }
        }
        Data::Error(error) => error.to_string(),
    }
}

/// The number as Excel holds it for display: its 15 significant digits. `None` for NaN,
/// infinities and numbers beyond `Decimal`.
fn shown_digits(value: f64) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    let scientific = format!("{:.*e}", SHOWN_DIGITS - 1, value);
    Decimal::from_scientific(&scientific)
        .ok()
        .map(|d| d.normalize())
}

/// What a number format shows of a number: how many decimal places, and whether as a
/// percentage.
#[derive(Debug, PartialEq, Eq)]
struct Shape {
    percent: bool,
    /// Places always shown (`0`) and at most shown (`0` and `#`); `None` for General.
    places: Option<(u32, u32)>,
}

/// The shape of the first section of a number format code (`0.00`, `#,##0.0#`, `0.00%`,
/// `"¥"#,##0.00;[Red]-…`); General, text (`@`) and codes without digit placeholders show the
/// number as General does.
fn shape(code: &str) -> Shape {
    let mut percent = false;
    let mut placeholders = false;
    let mut after_point = false;
    let (mut required, mut optional) = (0u32, 0u32);
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            ';' => break,
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '[' => {
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '%' => percent = true,
            '.' => after_point = true,
            '0' => {
                placeholders = true;
                if after_point {
                    required += 1;
                }
            }
            '#' | '?' => {
                placeholders = true;
                if after_point {
                    optional += 1;
                }
            }
            _ => {}
        }
    }
    Shape {
        percent,
        places: placeholders.then_some((required, required + optional)),
    }
}

fn formatted(number: Decimal, format: Option<&str>) -> String {
    let shape = format.map_or(
        Shape {
            percent: false,
            places: None,
        },
        shape,
    );
    let scaled = if shape.percent {
        number.checked_mul(Decimal::ONE_HUNDRED)
    } else {
        Some(number)
    };
    let Some(scaled) = scaled else {
        return number.to_string();
    };
    let mut shown = match shape.places {
        Some((required, most)) => {
            let mut rounded = scaled
                .round_dp_with_strategy(most, RoundingStrategy::MidpointAwayFromZero)
                .normalize();
            if rounded.scale() < required {
                rounded.rescale(required);
            }
            rounded
        }
        None => scaled.normalize(),
    };
    if shown.is_zero() {
        // `-0.00` shows as `0.00`.
        shown.set_sign_positive(true);
    }
    if shape.percent {
        format!("{shown}%")
    } else {
        shown.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(value: f64, format: &str) -> String {
        shown(&Data::Float(value), Some(format))
    }

    #[test]
    fn numbers_show_as_their_format_shows_them_without_float_noise() {
        assert_eq!(show(0.1 + 0.2, "0.00"), "0.30");
        assert_eq!(show(0.1 + 0.2, "General"), "0.3");
        assert_eq!(shown(&Data::Float(0.1 + 0.2), None), "0.3");
        assert_eq!(show(8.56, "#,##0.00"), "8.56");
        assert_eq!(show(1234.5, "#,##0.00"), "1234.50");
        assert_eq!(show(8.5, "0.0#"), "8.5");
        assert_eq!(show(8.567, "0.0#"), "8.57");
        assert_eq!(show(20.0, "0"), "20");
        // Excel rounds the 15 digits it holds, half away from zero: 1.005 shows as 1.01.
        assert_eq!(show(1.005, "0.00"), "1.01");
        assert_eq!(show(-0.001, "0.00"), "0.00");
        assert_eq!(shown(&Data::Int(42), Some("0.00")), "42.00");
    }

    #[test]
    fn a_percentage_cell_shows_the_percentage() {
        assert_eq!(show(0.9, "0%"), "90%");
        assert_eq!(show(0.856, "0.00%"), "85.60%");
        assert_eq!(show(1.0, "0.00%"), "100.00%");
        assert_eq!(show(0.12345, "0.0%"), "12.3%");
    }

    #[test]
    fn format_codes_are_read_past_literals_colours_and_sections() {
        assert_eq!(
            shape(r##""¥"#,##0.00;[Red]-"¥"#,##0.00"##),
            Shape {
                percent: false,
                places: Some((2, 2))
            }
        );
        assert_eq!(
            shape(r#"0"%""#),
            Shape {
                percent: false,
                places: Some((0, 0))
            }
        );
        assert_eq!(shape("@").places, None);
        assert_eq!(shape("General").places, None);
        assert_eq!(shape(r#"0.00_ ;\-0.00"#).places, Some((2, 2)));
    }

    #[test]
    fn text_cells_are_trimmed_and_errors_and_dates_are_shown() {
        assert_eq!(shown(&Data::String(" 20.00\u{3000}".into()), None), "20.00");
        assert_eq!(
            shown(&Data::Error(calamine::CellErrorType::Div0), None),
            "#DIV/0!"
        );
    }

    #[test]
    fn cells_are_named_as_excel_names_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(11, 4), "E12");
        assert_eq!(cell_name(0, 25), "Z1");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(9, 701), "ZZ10");
        assert_eq!(cell_name(0, 702), "AAA1");
    }
}
