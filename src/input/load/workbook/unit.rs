//! The unit-level sheets: the 部门整体支出绩效自评表's funds block as `[unit.budget]` (its
//! first row the unit's amounts, the rows under it the split by income or, for 基本支出 and
//! 项目支出, by spending), and the basic-data sheet (基础数据表, as Hunan files it) as
//! `[unit.staff]`, `[unit.institutions]`, `[unit.basic]`, `[[unit.groups]]` and
//! `[[unit.cost_controls]]`: labelled cells and three small tables.

use super::labels::{self, Labelled, Table, fund_header, key, labelled_where, table};
use super::project::{block_rows, words};
use super::values::Cells;
use crate::input::record::{Basic, CostControl, Group, Institutions, Staff, UnitBudget};
use std::collections::BTreeMap;

/// What the unit-level sheets of a workbook give.
#[derive(Default)]
pub struct UnitParts {
    pub budget: Option<UnitBudget>,
    pub cost_controls: Vec<CostControl>,
    pub staff: Option<Staff>,
    pub institutions: Option<Institutions>,
    pub basic: Option<Basic>,
    pub groups: Vec<Group>,
}

const GROUPS: &[&[&str]] = &[
    &["项目分组"],
    &["项目个数", "个数"],
    &["全年执行数", "执行数"],
];
const COST_CONTROLS: &[&[&str]] = &[
    &["经费控制项目", "经费控制"],
    &["上年决算数"],
    &["本年预算数"],
    &["本年决算数"],
];
const ESTABLISHMENT: &[&[&str]] = &[&["编制类型"], &["编制人数", "人数", "编制数"]];

/// Whether a sheet is a unit-level one: titled 部门整体 or 基础数据, or carrying a unit's
/// name or code label.
pub fn is_unit_sheet(cells: &Cells) -> bool {
    let grid = cells.grid;
    let titled = (0..grid.height().min(3)).any(|row| {
        (0..grid.width()).any(|column| {
            let text = grid.text(row, column);
            text.contains("部门整体") || text.contains("基础数据")
        })
    });
    titled || labels::labelled(grid, super::UNIT_NAME).is_some()
}

/// Reads what a unit-level sheet gives into `parts` (a part already read from an earlier
/// sheet is kept).
pub fn read(cells: &mut Cells, parts: &mut UnitParts) {
    let grid = cells.grid;
    let mut table_rows: Vec<std::ops::Range<u32>> = Vec::new();
    if let Some(header) = fund_header(grid, 0) {
        let rows = block_rows(cells, &header);
        let end = rows.last().map_or(header.row + 1, |r| r.row + 1);
        table_rows.push(header.row..end);
        if parts.budget.is_none() {
            parts.budget = budget(rows);
        }
    }
    if let Some(groups) = table(grid, GROUPS) {
        table_rows.push(groups.header..groups.rows.end);
        if parts.groups.is_empty() {
            parts.groups = read_groups(cells, &groups);
        }
    }
    if let Some(costs) = table(grid, COST_CONTROLS) {
        table_rows.push(costs.header..costs.rows.end);
        if parts.cost_controls.is_empty() {
            parts.cost_controls = read_cost_controls(cells, &costs);
        }
    }
    let establishment = table(grid, ESTABLISHMENT);
    if let Some(t) = &establishment {
        table_rows.push(t.header..t.rows.end);
    }
    let outside = |row: u32| !table_rows.iter().any(|r| r.contains(&row));
    let find = |keys: &[&str]| labelled_where(grid, keys, outside);

    if parts.staff.is_none() {
        let authorized = count(cells, find(&["编制数", "编制人数", "核定编制数"]), "编制数");
        let total = count(cells, find(&["实有人数", "年末实有人数"]), "实有人数");
        let in_service = count(cells, find(&["在职人数", "在职人员"]), "在职人数");
        let retired = count(cells, find(&["离退休人数", "离退休人员"]), "离退休人数");
        let mut split = BTreeMap::new();
        if let Some(t) = &establishment {
            for row in t.rows.clone() {
                let (Some(Some(name)), Some(Some(value))) = (t.columns.first(), t.columns.get(1))
                else {
                    break;
                };
                let kind = cells.text(row, *name);
                if let Some(n) = cells.count(row, *value, &kind) {
                    split.insert(kind, n);
                }
            }
        }
        if authorized.is_some()
            || total.is_some()
            || in_service.is_some()
            || retired.is_some()
            || !split.is_empty()
        {
            parts.staff = Some(Staff {
                authorized,
                total,
                in_service,
                retired,
                establishment: split,
            });
        }
    }
    if parts.institutions.is_none() {
        let internal_count = count(cells, find(&["内设机构数"]), "内设机构数");
        let internal = list(find(&["内设机构"]), cells);
        let subordinate_count = count(
            cells,
            find(&["所属事业单位数", "下属单位数"]),
            "所属事业单位数",
        );
        let subordinate = list(find(&["所属事业单位", "下属单位"]), cells);
        if internal_count.is_some()
            || subordinate_count.is_some()
            || !internal.is_empty()
            || !subordinate.is_empty()
        {
            parts.institutions = Some(Institutions {
                internal_count,
                internal,
                subordinate_count,
                subordinate,
            });
        }
    }
    if parts.basic.is_none() {
        let total = find(&["基本支出合计", "基本支出总额"]);
        let personnel = find(&["人员经费"]);
        let public = find(&["日常公用经费", "公用经费"]);
        let given =
            |at: &Option<Labelled>| at.as_ref().is_some_and(|l| !labels::is_blank(l.text(grid)));
        if given(&total) || given(&personnel) || given(&public) {
            let mut amount = |at: Option<Labelled>, what: &str| match at {
                Some(Labelled::Cell(row, column)) => cells.required_amount(row, column, what),
                _ => {
                    cells.problem(format!(
                        "基本支出 needs 基本支出合计, 人员经费 and 日常公用经费: {what} is missing; write it beside its label"
                    ));
                    None
                }
            };
            let total = amount(total, "基本支出合计");
            let personnel = amount(personnel, "人员经费");
            let public = amount(public, "日常公用经费");
            if let (Some(total), Some(personnel), Some(public)) = (total, personnel, public) {
                parts.basic = Some(Basic {
                    total,
                    personnel,
                    public,
                });
            }
        }
    }
}

/// `[unit.budget]` from the unit's funds block: the first row, and the rows under it as the
/// split by spending (基本支出, 项目支出) or by income (every other source).
fn budget(rows: Vec<super::project::FundRow>) -> Option<UnitBudget> {
    let mut rows = rows.into_iter();
    let total = rows.next()?;
    let mut by_income = BTreeMap::new();
    let mut by_spending = BTreeMap::new();
    for row in rows {
        let Some(executed) = row.executed else {
            continue;
        };
        let label = key(&row.label);
        if label.contains("基本支出") || label.contains("项目支出") {
            by_spending.insert(label, executed);
        } else {
            by_income.insert(label, executed);
        }
    }
    Some(UnitBudget {
        budget_initial: total.initial,
        budget_adjusted: total.adjusted,
        executed: total.executed?,
        by_income,
        by_spending,
    })
}

fn count(cells: &mut Cells, at: Option<Labelled>, what: &str) -> Option<i64> {
    match at? {
        Labelled::Cell(row, column) => cells.count(row, column, what),
        Labelled::Inline { .. } => None,
    }
}

/// Names listed in one cell, separated by `、`, `，`, `；` or line breaks.
fn list(at: Option<Labelled>, cells: &Cells) -> Vec<String> {
    let Some(at) = at else {
        return Vec::new();
    };
    words(at.text(cells.grid))
        .split(['、', '，', ',', '；', ';', '\n'])
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect()
}

fn read_groups(cells: &mut Cells, t: &Table) -> Vec<Group> {
    let column = |i: usize| t.columns.get(i).copied().flatten();
    let mut groups = Vec::new();
    for row in t.rows.clone() {
        let Some(name_column) = column(0) else {
            break;
        };
        groups.push(Group {
            name: cells.text(row, name_column),
            count: column(1).and_then(|c| cells.count(row, c, "项目个数")),
            executed: column(2).and_then(|c| cells.amount(row, c, "全年执行数")),
        });
    }
    groups
}

fn read_cost_controls(cells: &mut Cells, t: &Table) -> Vec<CostControl> {
    let column = |i: usize| t.columns.get(i).copied().flatten();
    let mut lines = Vec::new();
    for row in t.rows.clone() {
        let Some(name_column) = column(0) else {
            break;
        };
        let name = cells.text(row, name_column);
        let last_year = column(1).and_then(|c| cells.amount(row, c, "上年决算数"));
        let budget = column(2).and_then(|c| cells.amount(row, c, "本年预算数"));
        let actual = match column(3) {
            Some(c) => cells.required_amount(row, c, "本年决算数"),
            None => None,
        };
        if let Some(actual) = actual {
            lines.push(CostControl {
                name,
                last_year,
                budget,
                actual,
            });
        }
    }
    lines
}
