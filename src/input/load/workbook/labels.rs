//! Finding a form's blocks by their labels, not by cell addresses: the label cells
//! (`项目名称`, `实施单位(盖章)`), the funds header (`年初预算数 | 全年预算数 | 全年执行数`, or
//! `年初预算 | 调整后预算数 | 预算执行数`) and the indicator header (`一级指标 | 二级指标 |
//! 三级指标 | 年度指标值 | 实际完成值`, or the split `指标性质 | 指标值 | 度量单位 | 完成值`),
//! wherever a province's layout puts them. Labels are compared by their [`key`]: full-width
//! forms folded, spaces, notes in brackets (`（万元）`, `(50分)`), a leading `其中：` and a
//! trailing colon left out.

use super::grid::Grid;
use crate::input::normalize::normalize;

/// A label as compared.
pub fn key(text: &str) -> String {
    let folded = normalize(text);
    let mut key = String::with_capacity(folded.len());
    let mut depth = 0usize;
    for c in folded.chars() {
        match c {
            '(' | '[' | '【' | '〔' => depth += 1,
            ')' | ']' | '】' | '〕' => depth = depth.saturating_sub(1),
            c if c.is_whitespace() => {}
            c if depth == 0 => key.push(c),
            _ => {}
        }
    }
    let key = key.strip_prefix("其中:").unwrap_or(&key);
    key.trim_end_matches(':').to_string()
}

/// Text a blank form carries as an instruction (`分析存在的问题及原因。(200字以内)`, the
/// `1.预算执行率=预算执行数/调整后预算数…` note): not the unit's own words.
pub fn is_instruction(text: &str) -> bool {
    text.contains("字以内") || text.contains("预算执行率=") || text.contains("预算执行率＝")
}

/// A text that says "nothing here": blank, or a not-applicable mark.
pub fn is_blank(text: &str) -> bool {
    matches!(
        normalize(text).trim(),
        "" | "/" | "-" | "—" | "——" | "--" | "不适用" | "无" | "N/A" | "n/a"
    )
}

/// The columns of a funds block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FundColumn {
    /// 年初预算数 / 年初预算
    Initial,
    /// 全年预算数 / 调整后预算数
    Adjusted,
    /// 全年执行数 / 预算执行数
    Executed,
    /// 原因 (some provinces give the reason for the execution rate here)
    Reason,
}

impl FundColumn {
    fn of(key: &str) -> Option<FundColumn> {
        if key.contains("执行率") {
            None
        } else if key.contains("年初预算") {
            Some(FundColumn::Initial)
        } else if key.contains("全年预算") || key.contains("调整后预算") {
            Some(FundColumn::Adjusted)
        } else if key.contains("执行数") || key.contains("支出数") {
            Some(FundColumn::Executed)
        } else if key == "原因" || key.contains("偏差原因") {
            Some(FundColumn::Reason)
        } else {
            None
        }
    }
}

/// The columns of an indicator table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorColumn {
    Level1,
    Level2,
    Name,
    /// 指标性质 (≥, ≤, =, 定性) in the split layout.
    Op,
    Target,
    /// 度量单位 in the split layout.
    Unit,
    Actual,
    Weight,
    Score,
    Reason,
}

impl IndicatorColumn {
    fn of(key: &str) -> Option<IndicatorColumn> {
        use IndicatorColumn::*;
        Some(match key {
            "一级指标" => Level1,
            "二级指标" => Level2,
            "三级指标" | "指标名称" | "具体指标" => Name,
            k if k.contains("指标性质") || k.contains("比较符") => Op,
            k if k.contains("度量单位") || k.contains("计量单位") => Unit,
            k if k.contains("完成值") || k.contains("实际值") => Actual,
            k if k.contains("指标值") || k.contains("目标值") => Target,
            k if k.contains("分值") || k == "权重" => Weight,
            "得分" => Score,
            k if k.contains("原因") => Reason,
            _ => return None,
        })
    }
}

/// A header row and the column of each heading it holds (the first column of a merged
/// heading).
#[derive(Debug)]
pub struct Header<C> {
    pub row: u32,
    pub columns: Vec<(C, u32)>,
}

impl<C: Copy + PartialEq> Header<C> {
    pub fn column(&self, wanted: C) -> Option<u32> {
        self.columns
            .iter()
            .find(|(c, _)| *c == wanted)
            .map(|(_, column)| *column)
    }

    /// The leftmost column of any heading.
    pub fn first_column(&self) -> u32 {
        self.columns.iter().map(|(_, c)| *c).min().unwrap_or(0)
    }
}

/// The headings of row `row` that `of` knows, each once, by its first column.
fn headings<C: Copy + PartialEq>(grid: &Grid, row: u32, of: fn(&str) -> Option<C>) -> Header<C> {
    let mut columns: Vec<(C, u32)> = Vec::new();
    for column in 0..grid.width() {
        if grid.area(row, column).left != column {
            continue;
        }
        if let Some(heading) = of(&key(grid.text(row, column)))
            && !columns.iter().any(|(c, _)| *c == heading)
        {
            columns.push((heading, column));
        }
    }
    Header { row, columns }
}

/// The funds header at or after `from`: the first row with at least two of 年初预算数,
/// 全年预算数 and 全年执行数.
pub fn fund_header(grid: &Grid, from: u32) -> Option<Header<FundColumn>> {
    (from..grid.height())
        .map(|row| headings(grid, row, FundColumn::of))
        .find(|header| {
            header
                .columns
                .iter()
                .filter(|(c, _)| *c != FundColumn::Reason)
                .count()
                >= 2
        })
}

/// The indicator header: the first row with a 三级指标 (or 指标名称) heading and a target or
/// an actual column.
pub fn indicator_header(grid: &Grid) -> Option<Header<IndicatorColumn>> {
    (0..grid.height())
        .map(|row| headings(grid, row, IndicatorColumn::of))
        .find(|header| {
            header.column(IndicatorColumn::Name).is_some()
                && (header.column(IndicatorColumn::Target).is_some()
                    || header.column(IndicatorColumn::Actual).is_some())
        })
}

/// Level-1 indicator names: a row starting with one of these (in any column) and no header
/// above it means the indicator header is missing.
pub const LEVEL1_NAMES: [&str; 4] = ["产出指标", "效益指标", "满意度指标", "成本指标"];

/// Whether a row ends an indicator table: a cell that starts in this row (not a block label
/// merged down from above) reads 总分, 合计, 评价结论, 存在问题, 改进措施 or names who filed it.
pub fn ends_table(grid: &Grid, row: u32) -> bool {
    (0..grid.width()).any(|column| {
        if grid.area(row, column).top != row {
            return false;
        }
        let key = key(grid.text(row, column));
        ["总分", "合计", "总计", "评价结论", "存在问题", "改进措施"].contains(&key.as_str())
            || ["项目负责人", "财务负责人", "填报人", "联系人"]
                .iter()
                .any(|who| key.starts_with(who))
    })
}

/// Where the value of the first label whose key is one of `keys` is: the cell right of the
/// label's merged area, or the label cell itself when it reads `label：value`. `None` when no
/// such label is on the sheet.
pub fn labelled(grid: &Grid, keys: &[&str]) -> Option<Labelled> {
    labelled_where(grid, keys, |_| true)
}

/// [`labelled`] among the rows `keep` keeps (to pass over a table's rows).
pub fn labelled_where(grid: &Grid, keys: &[&str], keep: impl Fn(u32) -> bool) -> Option<Labelled> {
    for row in (0..grid.height()).filter(|row| keep(*row)) {
        for column in 0..grid.width() {
            if grid.area(row, column).left != column {
                continue;
            }
            let text = grid.text(row, column);
            if keys.contains(&key(text).as_str()) {
                let (row, column) = grid.right_of(row, column);
                return Some(Labelled::Cell(row, column));
            }
            if let Some((label, value)) = split_inline(text)
                && keys.contains(&key(label).as_str())
            {
                return Some(Labelled::Inline {
                    row,
                    column,
                    value: value.to_string(),
                });
            }
        }
    }
    None
}

/// A label's value: in its own cell, or written after the label in the label's cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Labelled {
    Cell(u32, u32),
    Inline {
        row: u32,
        column: u32,
        value: String,
    },
}

impl Labelled {
    pub fn text<'a>(&'a self, grid: &'a Grid) -> &'a str {
        match self {
            Labelled::Cell(row, column) => grid.text(*row, *column),
            Labelled::Inline { value, .. } => value,
        }
    }
}

/// A small table of the basic-data sheet (项目分组, 经费控制, 编制构成): its header row, the
/// column of each heading (by the position of its keys in `headings`), and its rows — those
/// below the header up to the first whose first column is blank.
#[derive(Debug)]
pub struct Table {
    pub header: u32,
    pub columns: Vec<Option<u32>>,
    pub rows: std::ops::Range<u32>,
}

/// The table whose first heading is one of `headings[0]`, with its other headings (each one
/// of the keys given) where present.
pub fn table(grid: &Grid, headings: &[&[&str]]) -> Option<Table> {
    let first = headings.first()?;
    let (header, name_column) = (0..grid.height()).find_map(|row| {
        (0..grid.width())
            .find(|&column| first.contains(&key(grid.text(row, column)).as_str()))
            .map(|column| (row, column))
    })?;
    let columns: Vec<Option<u32>> = headings
        .iter()
        .map(|keys| {
            (0..grid.width()).find(|&column| {
                grid.area(header, column).left == column
                    && keys.contains(&key(grid.text(header, column)).as_str())
            })
        })
        .collect();
    let end = (header + 1..grid.height())
        .find(|&row| grid.text(row, name_column).trim().is_empty())
        .unwrap_or(grid.height());
    Some(Table {
        header,
        columns,
        rows: header + 1..end,
    })
}

/// `项目负责人：张三` as (`项目负责人`, `张三`); `None` without a colon or a value.
fn split_inline(text: &str) -> Option<(&str, &str)> {
    let (label, value) = text.split_once(['：', ':'])?;
    let value = value.trim();
    (!label.trim().is_empty() && !value.is_empty()).then_some((label, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_width_spaces_notes_and_colons() {
        assert_eq!(key("项目资金（万元）"), "项目资金");
        assert_eq!(key("产出指标(50分)"), "产出指标");
        assert_eq!(key(" 实施单位 (盖章) "), "实施单位");
        assert_eq!(key("其中：当年财政拨款"), "当年财政拨款");
        assert_eq!(key("年度资金总额:"), "年度资金总额");
        assert_eq!(key("全年预算数（A）"), "全年预算数");
        assert_eq!(key("部门（单位）名称"), "部门名称");
    }

    #[test]
    fn both_layouts_name_their_fund_columns() {
        for (heading, column) in [
            ("年初预算数", Some(FundColumn::Initial)),
            ("年初预算", Some(FundColumn::Initial)),
            ("全年预算数（A）", Some(FundColumn::Adjusted)),
            ("调整后预算数", Some(FundColumn::Adjusted)),
            ("全年执行数（B）", Some(FundColumn::Executed)),
            ("预算执行数", Some(FundColumn::Executed)),
            ("预算执行率", None),
            ("执行率", None),
            ("年度预算数(万元)", None),
            ("原因", Some(FundColumn::Reason)),
        ] {
            assert_eq!(FundColumn::of(&key(heading)), column, "{heading}");
        }
    }

    #[test]
    fn both_layouts_name_their_indicator_columns() {
        use IndicatorColumn::*;
        for (heading, column) in [
            ("年度指标值", Some(Target)),
            ("指标值", Some(Target)),
            ("实际完成值", Some(Actual)),
            ("完成值", Some(Actual)),
            ("指标性质", Some(Op)),
            ("度量单位", Some(Unit)),
            ("权重", Some(Weight)),
            ("分值", Some(Weight)),
            ("得分", Some(Score)),
            ("偏差原因分析及改进措施", Some(Reason)),
            ("未完成原因分析", Some(Reason)),
            ("绩效指标(90分)", None),
        ] {
            assert_eq!(IndicatorColumn::of(&key(heading)), column, "{heading}");
        }
    }

    #[test]
    fn instructions_and_not_applicable_marks_are_not_values() {
        assert!(is_instruction(
            "结合自评情况，分析存在的问题及原因。(200字以内)"
        ));
        assert!(!is_instruction("系统整合，维护数量减少"));
        for blank in ["", " / ", "—", "－", "／", "不适用"] {
            assert!(is_blank(blank), "{blank:?}");
        }
        assert!(!is_blank("0"));
    }
}
