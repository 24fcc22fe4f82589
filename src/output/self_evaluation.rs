//! The 自评表 as a workbook, in the national layout the workbook reader reads
//! ([`crate::input::load::workbook`]): a 部门整体支出绩效自评表 sheet, a 基础数据表 sheet (人员, 机构,
//! 基本支出, 项目分组, 经费控制) and one 项目支出绩效自评表 sheet per project — title and
//! 年度, label cells with their values in merged cells, the funds block, 年度总体目标, and the
//! indicator table with 一级 / 二级 labels merged down their rows and lists to pick them from.
//!
//! Blank, it is the form `jixiao template` hands to units; filled from a unit record, it is
//! that unit as a unit would file it (the bundled seed case's workbook is made so).

use super::xlsx::{Sheet, XlsxResult, fixed_properties};
use crate::input::record::{Indicator, Project, RawValue, UnitFile};
use rust_decimal::Decimal;
use rust_xlsxwriter::{DataValidation, Format, FormatAlign, FormatBorder, Formula, Workbook};

/// The form's columns: A (block labels) … J.
const LAST_COLUMN: u16 = 9;
/// Empty indicator rows in a blank project sheet.
const BLANK_INDICATOR_ROWS: usize = 12;

const LEVEL1: [&str; 4] = ["产出指标", "效益指标", "满意度指标", "成本指标"];
const LEVEL2: [&str; 10] = [
    "数量指标",
    "质量指标",
    "时效指标",
    "成本指标",
    "经济成本指标",
    "经济效益指标",
    "社会效益指标",
    "生态效益指标",
    "可持续影响指标",
    "服务对象满意度指标",
];

/// The cell styles of the form.
struct Styles {
    title: Format,
    label: Format,
    text: Format,
    amount: Format,
    percent: Format,
}

impl Styles {
    fn new() -> Styles {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center),
            label: cell.clone().set_bold().set_align(FormatAlign::Center),
            text: cell.clone(),
            amount: cell.clone().set_num_format("0.00"),
            percent: cell.set_num_format("0.00%"),
        }
    }
}

/// The workbook: blank, or filled from `record`.
pub fn workbook(record: Option<&UnitFile>) -> XlsxResult<Vec<u8>> {
    let mut book = Workbook::new();
    book.set_properties(&fixed_properties()?);
    let styles = Styles::new();
    let year = record
        .and_then(|r| r.unit.year)
        .map_or("（    年度）".to_string(), |y| format!("（{y}年度）"));
    unit_sheet(&mut book, &styles, record, &year)?;
    basic_sheet(&mut book, &styles, record)?;
    match record {
        Some(record) => {
            let mut names = Vec::new();
            for project in &record.projects {
                let name = sheet_name(&format!("{} {}", project.code, project.name), &names);
                names.push(name.clone());
                project_sheet(&mut book, &styles, &name, Some((record, project)), &year)?;
            }
        }
        None => project_sheet(&mut book, &styles, "项目1", None, &year)?,
    }
    book.save_to_buffer()
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique.
fn sheet_name(wanted: &str, taken: &[String]) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect();
    let mut name = clean.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        let suffix = format!("~{n}");
        name = clean
            .chars()
            .take(31 - suffix.chars().count())
            .collect::<String>()
            + suffix.as_str();
        n += 1;
    }
    name
}

/// The title and 年度 lines, and the column widths of a form sheet.
fn heading(sheet: &mut Sheet, styles: &Styles, title: &str, year: &str) -> XlsxResult<()> {
    sheet.merge(0, 0, 0, LAST_COLUMN, title, &styles.title)?;
    sheet.merge(1, 0, 1, LAST_COLUMN, year, &styles.label)?;
    for (column, width) in [(0, 14), (1, 18), (2, 14), (3, 26), (4, 14), (5, 14)] {
        sheet.width(column, width)?;
    }
    for column in 6..=LAST_COLUMN {
        sheet.width(column, 12)?;
    }
    Ok(())
}

/// An amount cell: a number with as many places as it has (at least 2), or, past the 15
/// digits a spreadsheet number holds, the exact text.
fn amount(
    sheet: &mut Sheet,
    row: u32,
    column: u16,
    value: Option<Decimal>,
    styles: &Styles,
) -> XlsxResult<()> {
    match value {
        None => sheet.text(row, column, "", &styles.text),
        Some(value) => {
            let value = value.normalize();
            let places = value.scale().max(2);
            let digits =
                value.mantissa().unsigned_abs().to_string().len() as u32 + places - value.scale();
            if digits > 15 {
                return sheet.text(row, column, &value.to_string(), &styles.text);
            }
            let format = if places == 2 {
                styles.amount.clone()
            } else {
                styles
                    .amount
                    .clone()
                    .set_num_format(format!("0.{}", "0".repeat(places as usize)))
            };
            sheet.number(row, column, value, &format)
        }
    }
}

/// The funds header at `row`, for a block labelled `label` spanning `rows` rows.
fn funds_header(
    sheet: &mut Sheet,
    styles: &Styles,
    row: u32,
    label: &str,
    rows: u32,
) -> XlsxResult<()> {
    sheet.merge(row, 0, row + rows - 1, 0, label, &styles.label)?;
    sheet.text(row, 1, "", &styles.label)?;
    for (column, heading) in [
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ]
    .iter()
    .enumerate()
    {
        sheet.text(row, column as u16 + 2, heading, &styles.label)?;
    }
    sheet.merge(row, 8, row, LAST_COLUMN, "", &styles.label)
}

/// One row of a funds block: label, the three amounts, and the execution rate as a formula.
fn funds_row(
    sheet: &mut Sheet,
    styles: &Styles,
    row: u32,
    label: &str,
    amounts: [Option<Decimal>; 3],
    points: Option<&str>,
) -> XlsxResult<()> {
    sheet.text(row, 1, label, &styles.label)?;
    for (i, value) in amounts.iter().enumerate() {
        amount(sheet, row, i as u16 + 2, *value, styles)?;
    }
    sheet.text(row, 5, points.unwrap_or(""), &styles.text)?;
    let excel_row = row + 1;
    let rate = match amounts {
        [_, Some(adjusted), Some(executed)] if !adjusted.is_zero() => executed
            .checked_div(adjusted)
            .map(crate::number_text::plain)
            .unwrap_or_default(),
        _ => String::new(),
    };
    let formula = Formula::new(format!(
        "=IF(N(D{excel_row})>0,E{excel_row}/D{excel_row},\"\")"
    ))
    .set_result(rate);
    sheet.formula(row, 6, formula, &styles.percent)?;
    sheet.text(row, 7, "", &styles.text)?;
    sheet.merge(row, 8, row, LAST_COLUMN, "", &styles.text)
}

/// A label (A:B) and its value (C:J) on one row.
fn labelled_row(
    sheet: &mut Sheet,
    styles: &Styles,
    row: u32,
    label: &str,
    value: &str,
) -> XlsxResult<()> {
    sheet.merge(row, 0, row, 1, label, &styles.label)?;
    sheet.merge(row, 2, row, LAST_COLUMN, value, &styles.text)
}

/// Two labels with their values on one row: A:B | C:E | F:G | H:J.
fn labelled_pair(
    sheet: &mut Sheet,
    styles: &Styles,
    row: u32,
    pairs: [(&str, &str); 2],
) -> XlsxResult<()> {
    let [(l1, v1), (l2, v2)] = pairs;
    sheet.merge(row, 0, row, 1, l1, &styles.label)?;
    sheet.merge(row, 2, row, 4, v1, &styles.text)?;
    sheet.merge(row, 5, row, 6, l2, &styles.label)?;
    sheet.merge(row, 7, row, LAST_COLUMN, v2, &styles.text)
}

/// 年度总体目标: 预期目标 | 实际完成情况, left for the unit's words.
fn goals(sheet: &mut Sheet, styles: &Styles, row: u32) -> XlsxResult<u32> {
    sheet.merge(row, 0, row + 1, 0, "年度总体目标", &styles.label)?;
    sheet.merge(row, 1, row, 5, "预期目标", &styles.label)?;
    sheet.merge(row, 6, row, LAST_COLUMN, "实际完成情况", &styles.label)?;
    sheet.merge(row + 1, 1, row + 1, 5, "", &styles.text)?;
    sheet.merge(row + 1, 6, row + 1, LAST_COLUMN, "", &styles.text)?;
    Ok(row + 2)
}

/// The indicator table from `row`: header, one row per indicator (or blank rows to fill)
/// with 一级 / 二级 merged down their runs, and the 总分 row. Returns the next free row.
fn indicator_table(
    sheet: &mut Sheet,
    styles: &Styles,
    row: u32,
    indicators: &[Indicator],
) -> XlsxResult<u32> {
    let count = if indicators.is_empty() {
        BLANK_INDICATOR_ROWS
    } else {
        indicators.len()
    } as u32;
    sheet.merge(row, 0, row + count, 0, "绩效指标", &styles.label)?;
    for (column, heading) in [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
    ]
    .iter()
    .enumerate()
    {
        sheet.text(row, column as u16 + 1, heading, &styles.label)?;
    }
    sheet.merge(
        row,
        8,
        row,
        LAST_COLUMN,
        "偏差原因分析及改进措施",
        &styles.label,
    )?;
    let first = row + 1;
    for i in 0..count {
        let r = first + i;
        let indicator = indicators.get(i as usize);
        let text = |value: Option<&RawValue>| match value {
            None => String::new(),
            Some(RawValue::Text(t)) => t.clone(),
            Some(RawValue::Number(n)) => crate::number_text::plain(*n),
        };
        let target = indicator.map(|x| {
            let written = text(x.target.as_ref());
            match (&x.target, &x.op) {
                (Some(RawValue::Number(_)), Some(op)) => {
                    format!("{op}{written}{}", x.unit.as_deref().unwrap_or(""))
                }
                _ => written,
            }
        });
        sheet.text(
            r,
            3,
            indicator.map_or("", |x| x.name.as_str()),
            &styles.text,
        )?;
        sheet.text(r, 4, &target.unwrap_or_default(), &styles.text)?;
        sheet.text(
            r,
            5,
            &indicator
                .map(|x| text(x.actual.as_ref()))
                .unwrap_or_default(),
            &styles.text,
        )?;
        for (column, points) in [
            (6, indicator.and_then(|x| x.weight)),
            (7, indicator.and_then(|x| x.score)),
        ] {
            match points {
                Some(points) => sheet.number(r, column, points, &styles.text)?,
                None => sheet.text(r, column, "", &styles.text)?,
            }
        }
        sheet.merge(
            r,
            8,
            r,
            LAST_COLUMN,
            indicator.map_or("", |x| x.deviation_reason.as_str()),
            &styles.text,
        )?;
    }
    // 一级 and 二级, merged down each run of rows that share them.
    for (column, level) in [(1u16, 0usize), (2, 1)] {
        let value = |i: u32| {
            indicators.get(i as usize).map(|x| match level {
                0 => x.level1.clone(),
                _ => format!("{}\u{0}{}", x.level1, x.level2),
            })
        };
        let mut start = 0;
        while start < count {
            let mut end = start;
            while end + 1 < count && value(end + 1).is_some() && value(end + 1) == value(start) {
                end += 1;
            }
            let shown = indicators.get(start as usize).map_or("", |x| match level {
                0 => x.level1.as_str(),
                _ => x.level2.as_str(),
            });
            if end > start {
                sheet.merge(
                    first + start,
                    column,
                    first + end,
                    column,
                    shown,
                    &styles.text,
                )?;
            } else {
                sheet.text(first + start, column, shown, &styles.text)?;
            }
            start = end + 1;
        }
    }
    let lists = [(1u16, &LEVEL1[..]), (2, &LEVEL2[..])];
    for (column, names) in lists {
        let validation = DataValidation::new()
            .allow_list_strings(names)?
            .ignore_blank(true);
        sheet.validate(first, column, first + count - 1, column, &validation)?;
    }
    let total = first + count;
    sheet.merge(total, 1, total, 5, "总分", &styles.label)?;
    let sum = Formula::new(format!("=SUM(G{}:G{})", first + 1, total));
    let weights = crate::model::view::checked_sum(
        indicators
            .iter()
            .map(|x| Some(x.weight.unwrap_or_default())),
    );
    sheet.formula(
        total,
        6,
        sum.set_result(weights.map(crate::number_text::plain).unwrap_or_default()),
        &styles.text,
    )?;
    sheet.text(total, 7, "", &styles.text)?;
    sheet.merge(total, 8, total, LAST_COLUMN, "", &styles.text)?;
    Ok(total + 1)
}

fn project_sheet(
    book: &mut Workbook,
    styles: &Styles,
    name: &str,
    filled: Option<(&UnitFile, &Project)>,
    year: &str,
) -> XlsxResult<()> {
    let mut sheet = Sheet::new(name)?;
    heading(&mut sheet, styles, "项目支出绩效自评表", year)?;
    let unit_name = filled.map_or("", |(r, _)| r.unit.name.as_str());
    let project = filled.map(|(_, p)| p);
    labelled_row(
        &mut sheet,
        styles,
        2,
        "项目名称",
        project.map_or("", |p| p.name.as_str()),
    )?;
    labelled_pair(
        &mut sheet,
        styles,
        3,
        [
            ("项目编码", project.map_or("", |p| p.code.as_str())),
            (
                "项目分组",
                project.and_then(|p| p.group.as_deref()).unwrap_or(""),
            ),
        ],
    )?;
    labelled_pair(
        &mut sheet,
        styles,
        4,
        [("主管部门", unit_name), ("实施单位", unit_name)],
    )?;
    sheet.merge(5, 0, 5, 1, "跨年度结算金额", &styles.label)?;
    amount(
        &mut sheet,
        5,
        2,
        project.map(|p| p.unsettled).filter(|u| !u.is_zero()),
        styles,
    )?;
    sheet.merge(5, 3, 5, LAST_COLUMN, "", &styles.text)?;
    let funds: Vec<(String, [Option<Decimal>; 3])> = match project {
        Some(p) => p
            .funds
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let label = if i == 0 {
                    format!("其中：{}", f.source)
                } else {
                    f.source.clone()
                };
                (
                    label,
                    [f.budget_initial, f.budget_adjusted, Some(f.executed)],
                )
            })
            .collect(),
        None => ["其中：当年财政拨款", "上年结转资金", "其他资金"]
            .iter()
            .map(|l| (l.to_string(), [None; 3]))
            .collect(),
    };
    let block = 6;
    funds_header(
        &mut sheet,
        styles,
        block,
        "项目资金（万元）",
        funds.len() as u32 + 2,
    )?;
    let total = project.map_or([None; 3], |p| {
        [p.budget_initial, Some(p.budget_adjusted), Some(p.executed)]
    });
    funds_row(
        &mut sheet,
        styles,
        block + 1,
        "年度资金总额",
        total,
        Some("10"),
    )?;
    for (i, (label, amounts)) in funds.iter().enumerate() {
        funds_row(
            &mut sheet,
            styles,
            block + 2 + i as u32,
            label,
            *amounts,
            None,
        )?;
    }
    let mut row = goals(&mut sheet, styles, block + 2 + funds.len() as u32)?;
    row = indicator_table(
        &mut sheet,
        styles,
        row,
        project.map_or(&[][..], |p| &p.indicators),
    )?;
    labelled_row(
        &mut sheet,
        styles,
        row,
        "存在问题",
        project.map_or("", |p| p.deviation_reason.as_str()),
    )?;
    labelled_row(
        &mut sheet,
        styles,
        row + 1,
        "改进措施",
        project.map_or("", |p| p.improvement.as_str()),
    )?;
    sheet.merge(row + 2, 0, row + 2, 4, "项目负责人：", &styles.text)?;
    sheet.merge(
        row + 2,
        5,
        row + 2,
        LAST_COLUMN,
        "财务负责人：",
        &styles.text,
    )?;
    sheet.finish(book)
}

fn unit_sheet(
    book: &mut Workbook,
    styles: &Styles,
    record: Option<&UnitFile>,
    year: &str,
) -> XlsxResult<()> {
    let mut sheet = Sheet::new("部门整体")?;
    heading(&mut sheet, styles, "部门整体支出绩效自评表", year)?;
    let unit = record.map(|r| &r.unit);
    labelled_pair(
        &mut sheet,
        styles,
        2,
        [
            ("部门名称", unit.map_or("", |u| u.name.as_str())),
            ("单位编码", unit.map_or("", |u| u.code.as_str())),
        ],
    )?;
    let budget = unit.and_then(|u| u.budget.as_ref());
    let splits: Vec<(String, Decimal)> = match budget {
        Some(b) => b
            .by_income
            .iter()
            .chain(&b.by_spending)
            .map(|(k, v)| (k.clone(), *v))
            .collect(),
        None => Vec::new(),
    };
    let labels: Vec<(String, Option<Decimal>)> = if budget.is_some() {
        splits
            .into_iter()
            .enumerate()
            .map(|(i, (k, v))| (if i == 0 { format!("其中：{k}") } else { k }, Some(v)))
            .collect()
    } else {
        [
            "其中：一般公共预算",
            "政府性基金预算",
            "其他资金",
            "基本支出",
            "项目支出",
        ]
        .iter()
        .map(|l| (l.to_string(), None))
        .collect()
    };
    funds_header(
        &mut sheet,
        styles,
        3,
        "年度预算执行情况（万元）",
        labels.len() as u32 + 2,
    )?;
    let total = budget.map_or([None; 3], |b| {
        [b.budget_initial, b.budget_adjusted, Some(b.executed)]
    });
    funds_row(&mut sheet, styles, 4, "年度资金总额", total, Some("10"))?;
    for (i, (label, executed)) in labels.iter().enumerate() {
        funds_row(
            &mut sheet,
            styles,
            5 + i as u32,
            label,
            [None, None, *executed],
            None,
        )?;
    }
    let row = goals(&mut sheet, styles, 5 + labels.len() as u32)?;
    indicator_table(&mut sheet, styles, row, &[])?;
    sheet.finish(book)
}

fn basic_sheet(book: &mut Workbook, styles: &Styles, record: Option<&UnitFile>) -> XlsxResult<()> {
    let unit = record.map(|r| &r.unit);
    let mut sheet = Sheet::new("基础数据表")?;
    sheet.merge(0, 0, 0, 3, "部门整体支出绩效自评基础数据表", &styles.title)?;
    for (column, width) in [(0, 20), (1, 40), (2, 14), (3, 14)] {
        sheet.width(column, width)?;
    }
    let mut row = 2;
    let section = |sheet: &mut Sheet, row: &mut u32, title: &str| -> XlsxResult<()> {
        sheet.merge(*row, 0, *row, 3, title, &styles.label)?;
        *row += 1;
        Ok(())
    };
    let count_text = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let staff = unit.and_then(|u| u.staff.as_ref());
    section(&mut sheet, &mut row, "人员情况")?;
    for (label, value) in [
        ("编制数", staff.and_then(|s| s.authorized)),
        ("年末实有人数", staff.and_then(|s| s.total)),
        ("在职人数", staff.and_then(|s| s.in_service)),
        ("离退休人数", staff.and_then(|s| s.retired)),
    ] {
        sheet.text(row, 0, label, &styles.label)?;
        whole(&mut sheet, row, 1, value, styles)?;
        row += 1;
    }
    sheet.text(row, 0, "编制类型", &styles.label)?;
    sheet.text(row, 1, "编制人数", &styles.label)?;
    row += 1;
    for (kind, n) in staff
        .map(|s| s.establishment.iter().collect::<Vec<_>>())
        .unwrap_or_default()
    {
        sheet.text(row, 0, kind, &styles.text)?;
        whole(&mut sheet, row, 1, Some(*n), styles)?;
        row += 1;
    }
    row += 1;
    let institutions = unit.and_then(|u| u.institutions.as_ref());
    section(&mut sheet, &mut row, "机构情况")?;
    for (label, value) in [
        (
            "内设机构数",
            count_text(institutions.and_then(|i| i.internal_count)),
        ),
        (
            "内设机构",
            institutions
                .map(|i| i.internal.join("、"))
                .unwrap_or_default(),
        ),
        (
            "所属事业单位数",
            count_text(institutions.and_then(|i| i.subordinate_count)),
        ),
        (
            "所属事业单位",
            institutions
                .map(|i| i.subordinate.join("、"))
                .unwrap_or_default(),
        ),
    ] {
        sheet.text(row, 0, label, &styles.label)?;
        sheet.merge(row, 1, row, 3, &value, &styles.text)?;
        row += 1;
    }
    row += 1;
    let basic = unit.and_then(|u| u.basic.as_ref());
    section(&mut sheet, &mut row, "基本支出（万元）")?;
    for (label, value) in [
        ("基本支出合计", basic.map(|b| b.total)),
        ("人员经费", basic.map(|b| b.personnel)),
        ("日常公用经费", basic.map(|b| b.public)),
    ] {
        sheet.text(row, 0, label, &styles.label)?;
        amount(&mut sheet, row, 1, value, styles)?;
        row += 1;
    }
    row += 1;
    for (column, heading) in ["项目分组", "项目个数", "全年执行数"].iter().enumerate()
    {
        sheet.text(row, column as u16, heading, &styles.label)?;
    }
    row += 1;
    for group in unit.map(|u| &u.groups[..]).unwrap_or_default() {
        sheet.text(row, 0, &group.name, &styles.text)?;
        whole(&mut sheet, row, 1, group.count, styles)?;
        amount(&mut sheet, row, 2, group.executed, styles)?;
        row += 1;
    }
    row += 1;
    for (column, heading) in ["经费控制项目", "上年决算数", "本年预算数", "本年决算数"]
        .iter()
        .enumerate()
    {
        sheet.text(row, column as u16, heading, &styles.label)?;
    }
    row += 1;
    for line in unit.map(|u| &u.cost_controls[..]).unwrap_or_default() {
        sheet.text(row, 0, &line.name, &styles.text)?;
        amount(&mut sheet, row, 1, line.last_year, styles)?;
        amount(&mut sheet, row, 2, line.budget, styles)?;
        amount(&mut sheet, row, 3, Some(line.actual), styles)?;
        row += 1;
    }
    sheet.finish(book)
}

/// A head count or number of projects.
fn whole(
    sheet: &mut Sheet,
    row: u32,
    column: u16,
    value: Option<i64>,
    styles: &Styles,
) -> XlsxResult<()> {
    match value {
        Some(n) => sheet.number(row, column, Decimal::from(n), &styles.text),
        None => sheet.text(row, column, "", &styles.text),
    }
}

#[cfg(test)]
mod tests {
    use super::sheet_name;

    #[test]
    fn sheet_names_are_short_clean_and_unique() {
        let long = "P04 2022年事业单位工勤人员转聘及选调乡镇事业单位工作人员考试经费";
        let first = sheet_name(long, &[]);
        assert_eq!(first.chars().count(), 31);
        let second = sheet_name(long, std::slice::from_ref(&first));
        assert_ne!(first, second);
        assert!(second.ends_with("~2"));
        assert_eq!(sheet_name("P01 a/b:c", &[]), "P01 a_b_c");
    }
}
