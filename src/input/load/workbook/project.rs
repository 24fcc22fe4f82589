//! One 项目支出绩效自评表 sheet as a project: 项目名称 (and 项目编码, 项目分组, 跨年度结算
//! when given), the funds block (its first row the project's amounts, the rows under it the
//! split by source), and the indicator table in the national or the split layout, with 一级 /
//! 二级 labels carried down the rows they span; the reason and improvement rows below it.

use super::labels::{
    self, FundColumn, Header, IndicatorColumn, LEVEL1_NAMES, ends_table, fund_header,
    indicator_header, is_blank, is_instruction, key, labelled,
};
use super::values::Cells;
use crate::input::record::{Fund, Indicator, Project, RawValue};
use regex::Regex;
use rust_decimal::Decimal;
use std::sync::LazyLock;

pub const NAME: &[&str] = &["项目名称"];
const CODE: &[&str] = &["项目编码", "项目代码", "项目编号"];
const GROUP: &[&str] = &["项目分组", "项目类别"];
const UNSETTLED: &[&str] = &["跨年度结算", "跨年度结算金额", "跨年度结算数"];
const REASON: &[&str] = &[
    "偏差原因",
    "偏差原因分析",
    "存在问题",
    "存在问题及原因",
    "问题及原因",
];
const IMPROVEMENT: &[&str] = &["改进措施", "下一步改进措施", "整改措施"];

/// `51092324T000010263357-工资性支出` or `219001-某镇人民政府`: a code written before a name.
static CODE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?<code>[0-9A-Za-z][0-9A-Za-z_.]{5,})\s*[-－—_]\s*(?<name>\S.*)$")
        .expect("code prefix pattern")
});

/// (code, name) when `text` starts with a code (at least 6 letters or digits, one a digit).
pub fn split_code(text: &str) -> Option<(String, String)> {
    let c = CODE_PREFIX.captures(text.trim())?;
    let code = &c["code"];
    code.chars()
        .any(|ch| ch.is_ascii_digit())
        .then(|| (code.to_string(), c["name"].trim().to_string()))
}

/// A free-text value of the form, or empty when it is blank or the form's own instruction.
pub fn words(text: &str) -> String {
    if is_blank(text) || is_instruction(text) {
        String::new()
    } else {
        text.trim().to_string()
    }
}

/// Reads the project on a sheet that has a 项目名称 label; `ordinal` (1, 2 …) gives the code
/// `P01`, `P02` … when the sheet names none. `None` when a required part cannot be read (the
/// problems say why).
pub fn read(cells: &mut Cells, ordinal: usize) -> Option<Project> {
    let grid = cells.grid;
    let written_name = labelled(grid, NAME)
        .map(|l| l.text(grid).trim().to_string())
        .unwrap_or_default();
    let prefixed = split_code(&written_name);
    let name = match &prefixed {
        Some((_, name)) => name.clone(),
        None => written_name.clone(),
    };
    let header = fund_header(grid, 0);
    if name.is_empty() {
        // Whether any figure is filled in; what is wrong with them is reported below.
        let reported = cells.problems.len();
        let filled = header
            .as_ref()
            .is_some_and(|h| !block_rows(cells, h).is_empty());
        cells.problems.truncate(reported);
        if !filled {
            // A project sheet left blank (the template's spare sheet): nothing to read.
            return None;
        }
        cells.problem("项目名称 is empty: write the project's name beside the label");
    }
    let code = labelled(grid, CODE)
        .map(|l| l.text(grid).trim().to_string())
        .filter(|c| !c.is_empty())
        .or(prefixed.map(|(code, _)| code))
        .unwrap_or_else(|| format!("P{ordinal:02}"));
    let group = labelled(grid, GROUP)
        .map(|l| words(l.text(grid)))
        .filter(|g| !g.is_empty());
    let unsettled = labelled(grid, UNSETTLED).and_then(|l| match l {
        labels::Labelled::Cell(row, column) => cells.amount(row, column, "跨年度结算"),
        labels::Labelled::Inline { .. } => None,
    });
    let improvement = labelled(grid, IMPROVEMENT)
        .map(|l| words(l.text(grid)))
        .unwrap_or_default();
    let reason = labelled(grid, REASON)
        .map(|l| words(l.text(grid)))
        .unwrap_or_default();

    let Some(header) = header else {
        cells.problem(
            "no funds block: no row is headed 年初预算数 | 全年预算数 | 全年执行数 (or 年初预算 | 调整后预算数 | 预算执行数); restore the header row",
        );
        return None;
    };
    let funds = fund_rows(cells, &header);
    let indicators = indicators(cells, header.row);
    let (total, funds) = match funds {
        Some(rows) => rows,
        None => {
            cells.problem_at(
                header.row,
                header.first_column(),
                "no 年度资金总额 row under the funds header: write the project's amounts in the first row below it",
            );
            return None;
        }
    };
    if total.adjusted.is_none()
        && let Some(column) = header.column(FundColumn::Adjusted)
        && is_blank(grid.text(total.row, column))
    {
        let heading = key(grid.text(header.row, column));
        cells.problem_at(
            total.row,
            column,
            format!("{heading} is empty: write the budget after in-year adjustments, in 万元"),
        );
    }
    let deviation_reason = if reason.is_empty() {
        total.reason.clone()
    } else {
        reason
    };
    Some(Project {
        code,
        name,
        group,
        budget_initial: total.initial,
        budget_adjusted: total.adjusted?,
        executed: total.executed?,
        unsettled: unsettled.unwrap_or(Decimal::ZERO),
        deviation_reason,
        improvement,
        funds,
        indicators,
    })
}

/// One row of a funds block, read.
pub struct FundRow {
    pub label: String,
    pub row: u32,
    pub initial: Option<Decimal>,
    pub adjusted: Option<Decimal>,
    pub executed: Option<Decimal>,
    pub reason: String,
}

/// Whether a row starts the next block of the form (年度总体目标, 绩效指标 …).
fn starts_next_block(cells: &Cells, row: u32) -> bool {
    (0..cells.grid.width()).any(|column| {
        let k = key(cells.grid.text(row, column));
        k.contains("目标") || k.starts_with("绩效指标") || k == "一级指标" || k == "项目基本情况"
    })
}

/// The rows of the funds block under `header`, each with its label (the cell left of the
/// first amount column, unless that is the block's own label merged down the side). Rows
/// with no figure are passed over; the block ends at the next block or a blank row.
pub fn block_rows(cells: &mut Cells, header: &Header<FundColumn>) -> Vec<FundRow> {
    let grid = cells.grid;
    let first = header.first_column();
    let amount_columns = [
        FundColumn::Initial,
        FundColumn::Adjusted,
        FundColumn::Executed,
    ];
    let mut rows = Vec::new();
    for row in header.row + 1..grid.height() {
        if starts_next_block(cells, row) {
            break;
        }
        let label = (0..first)
            .rev()
            .find(|&column| {
                !grid.text(row, column).trim().is_empty() && grid.area(row, column).top > header.row
            })
            .map(|column| grid.text(row, column).trim().to_string())
            .unwrap_or_default();
        let figures = amount_columns.iter().any(|c| {
            header
                .column(*c)
                .is_some_and(|column| !is_blank(grid.text(row, column)))
        });
        if !figures {
            if label.is_empty() && !rows.is_empty() {
                break;
            }
            continue;
        }
        let read = |c: FundColumn, cells: &mut Cells| {
            let column = header.column(c)?;
            let heading = key(grid.text(header.row, column));
            if c == FundColumn::Executed {
                cells.required_amount(row, column, &heading)
            } else {
                cells.amount(row, column, &heading)
            }
        };
        let initial = read(FundColumn::Initial, cells);
        let adjusted = read(FundColumn::Adjusted, cells);
        let executed = read(FundColumn::Executed, cells);
        let reason = header
            .column(FundColumn::Reason)
            .map(|column| words(grid.text(row, column)))
            .unwrap_or_default();
        rows.push(FundRow {
            label,
            row,
            initial,
            adjusted,
            executed,
            reason,
        });
    }
    rows
}

/// The project's amounts (the block's first row) and its split by source (the rows under
/// it); `None` when the block has no row with figures.
fn fund_rows(cells: &mut Cells, header: &Header<FundColumn>) -> Option<(FundRow, Vec<Fund>)> {
    let mut rows = block_rows(cells, header).into_iter();
    let total = rows.next()?;
    if header.column(FundColumn::Adjusted).is_none() {
        cells.problem_at(
            header.row,
            header.first_column(),
            "the funds header has no 全年预算数 (调整后预算数) column: the execution rate is measured against it; add the column",
        );
    }
    if header.column(FundColumn::Executed).is_none() {
        cells.problem_at(
            header.row,
            header.first_column(),
            "the funds header has no 全年执行数 (预算执行数) column: add the column",
        );
    }
    let funds = rows
        .filter_map(|row| {
            Some(Fund {
                source: key(&row.label),
                budget_initial: row.initial,
                budget_adjusted: row.adjusted,
                executed: row.executed?,
            })
        })
        .collect();
    Some((total, funds))
}

/// The indicator table, or none when the sheet has none; a table whose header row is missing
/// is a problem at its first row.
fn indicators(cells: &mut Cells, below: u32) -> Vec<Indicator> {
    let grid = cells.grid;
    let Some(header) = indicator_header(grid) else {
        let orphan = (below + 1..grid.height()).find_map(|row| {
            (0..grid.width())
                .find(|&column| LEVEL1_NAMES.contains(&key(grid.text(row, column)).as_str()))
                .map(|column| (row, column))
        });
        if let Some((row, column)) = orphan {
            cells.problem_at(
                row,
                column,
                "indicator rows start here, but no header row (一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分) is above them: restore it so that the columns can be told apart",
            );
        }
        return Vec::new();
    };
    let column = |c: IndicatorColumn| header.column(c);
    let mut level1 = String::new();
    let mut level2 = String::new();
    let mut indicators = Vec::new();
    for row in header.row + 1..grid.height() {
        if ends_table(grid, row) {
            break;
        }
        let text = |c: IndicatorColumn| {
            column(c)
                .map(|col| grid.text(row, col).trim().to_string())
                .unwrap_or_default()
        };
        let (l1, l2) = (
            key(&text(IndicatorColumn::Level1)),
            key(&text(IndicatorColumn::Level2)),
        );
        if !l1.is_empty() {
            if l1 != level1 {
                level2.clear();
            }
            level1 = l1;
        }
        if !l2.is_empty() {
            level2 = l2;
        }
        let name = text(IndicatorColumn::Name);
        if name.is_empty() {
            continue;
        }
        let unit = text(IndicatorColumn::Unit);
        let target = match column(IndicatorColumn::Op) {
            Some(_) => with_op_and_unit(
                &text(IndicatorColumn::Op),
                &text(IndicatorColumn::Target),
                &unit,
            ),
            None => text(IndicatorColumn::Target),
        };
        let actual = with_op_and_unit("", &text(IndicatorColumn::Actual), &unit);
        let weight = column(IndicatorColumn::Weight)
            .and_then(|col| cells.points(row, col, &key(grid.text(header.row, col))));
        let score = column(IndicatorColumn::Score)
            .and_then(|col| cells.points(row, col, &key(grid.text(header.row, col))));
        indicators.push(Indicator {
            level1: level1.clone(),
            level2: level2.clone(),
            name,
            target: (!target.is_empty()).then_some(RawValue::Text(target)),
            op: None,
            unit: None,
            actual: (!actual.is_empty()).then_some(RawValue::Text(actual)),
            weight,
            score,
            deviation_reason: words(&text(IndicatorColumn::Reason)),
        });
    }
    indicators
}

/// A value of the split layout (`≥` | `5` | `个`) as the national layout writes it (`≥5个`):
/// the operator and unit join a bare number; a phrase (定性) stands alone.
fn with_op_and_unit(op: &str, value: &str, unit: &str) -> String {
    let digits = value.strip_suffix('%').unwrap_or(value);
    let bare_number = !digits.is_empty()
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | ','));
    if !bare_number {
        return value.to_string();
    }
    let op = if key(op).contains("定性") {
        ""
    } else {
        op.trim()
    };
    let unit = if value.ends_with('%') {
        ""
    } else {
        unit.trim()
    };
    format!("{op}{value}{unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_written_before_a_name_is_split_off() {
        assert_eq!(
            split_code("51092324T000010263357-2023年全县安可替代补助资金项目"),
            Some((
                "51092324T000010263357".into(),
                "2023年全县安可替代补助资金项目".into()
            ))
        );
        assert_eq!(
            split_code("219001-池州市贵池区棠溪镇人民政府"),
            Some(("219001".into(), "池州市贵池区棠溪镇人民政府".into()))
        );
        assert_eq!(split_code("2022-2023年度就业补助"), None);
        assert_eq!(split_code("数据系统维护费"), None);
        assert_eq!(split_code("ABCDEFG-名称"), None);
    }

    #[test]
    fn split_layout_values_read_as_the_national_layout_writes_them() {
        assert_eq!(with_op_and_unit("≥", "5", "个"), "≥5个");
        assert_eq!(with_op_and_unit("＝", "100", "%"), "＝100%");
        assert_eq!(with_op_and_unit("定性", "效果明显", ""), "效果明显");
        assert_eq!(with_op_and_unit("", "4", "个"), "4个");
        assert_eq!(with_op_and_unit("", "完成", "%"), "完成");
        assert_eq!(with_op_and_unit("≥", "90%", "%"), "≥90%");
        assert_eq!(with_op_and_unit("", "", "个"), "");
    }
}
