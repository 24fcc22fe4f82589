//! Workbooks in and out: the two 自评表 layouts read by their labels (merged cells, text
//! numbers, percentage cells, formulas, blank and `/` cells, a 部门整体 sheet), broken
//! workbooks reported at their cells while the batch goes on, the seed case as a workbook
//! giving the seed's findings and score, `import` round trips, and `score --format xlsx` read
//! back equal to the CSV. Fixtures are written here, small, into temporary folders.

use crate::common;

use calamine::{Data, Reader};
use jixiao::input::load::workbook;
use jixiao::input::record::{RawValue, UnitFile};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Formula, Workbook, Worksheet};
use std::path::{Path, PathBuf};

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn text(value: &Option<RawValue>) -> Option<&str> {
    match value {
        Some(RawValue::Text(t)) => Some(t),
        _ => None,
    }
}

/// Writes a row of cells from column 0: `""` leaves a cell blank.
fn row(sheet: &mut Worksheet, at: u32, cells: &[&str]) {
    for (column, cell) in cells.iter().enumerate() {
        if !cell.is_empty() {
            sheet.write_string(at, column as u16, *cell).unwrap();
        }
    }
}

fn save(book: &mut Workbook, dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    book.save(&path).unwrap();
    path
}

/// The national layout: a 部门整体 sheet, and a project sheet with merged labels, a merged
/// 一级指标, text numbers, full-width digits, percentage cells, formulas with cached values,
/// and blank, `/` and `—` cells.
fn national(dir: &Path) -> PathBuf {
    let mut book = Workbook::new();
    let plain = Format::new();
    let two = Format::new().set_num_format("0.00");
    let percent = Format::new().set_num_format("0%");
    let percent2 = Format::new().set_num_format("0.00%");

    let unit = book.add_worksheet().set_name("部门整体").unwrap();
    row(unit, 0, &["部门整体支出绩效自评表（2023年度）"]);
    row(
        unit,
        1,
        &["部门名称", "某区人才交流服务中心", "单位编码", "0430"],
    );
    unit.merge_range(2, 0, 5, 0, "年度预算执行情况（万元）", &plain)
        .unwrap();
    row(unit, 2, &["", "", "年初预算数", "全年预算数", "全年执行数"]);
    row(unit, 3, &["", "年度资金总额"]);
    unit.write_number(3, 2, 100.0).unwrap();
    unit.write_number(3, 3, 120.0).unwrap();
    unit.write_number(3, 4, 114.0).unwrap();
    row(unit, 4, &["", "其中：一般公共预算", "", "", "114"]);
    row(unit, 5, &["", "基本支出", "", "", "64"]);

    let p = book.add_worksheet().set_name("数据系统维护费").unwrap();
    p.merge_range(0, 0, 0, 8, "项目支出绩效自评表", &plain)
        .unwrap();
    row(p, 1, &["（2023年度）"]);
    p.merge_range(2, 0, 2, 1, "项目名称", &plain).unwrap();
    p.merge_range(2, 2, 2, 8, "数据系统维护费", &plain).unwrap();
    row(
        p,
        3,
        &[
            "主管部门",
            "",
            "某区人社局",
            "",
            "",
            "实施单位",
            "",
            "某区人才交流服务中心",
        ],
    );
    p.merge_range(4, 0, 8, 0, "项目资金（万元）", &plain)
        .unwrap();
    row(
        p,
        4,
        &[
            "",
            "",
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
        ],
    );
    row(p, 5, &["", "年度资金总额："]);
    p.write_number_with_format(5, 2, 20.0, &two).unwrap();
    // 0.1 + 0.2 in binary is 0.30000000000000004; the cell shows 0.30.
    p.write_formula_with_format(
        5,
        3,
        Formula::new("=D7+D8").set_result("0.30000000000000004"),
        &two,
    )
    .unwrap();
    row(p, 5, &["", "", "", "", "0.30"]);
    p.write_formula_with_format(5, 6, Formula::new("=E6/D6").set_result("1"), &percent)
        .unwrap();
    row(p, 6, &["", "其中：当年财政拨款", "/"]);
    p.write_number(6, 3, 0.1).unwrap();
    p.write_number(6, 4, 0.1).unwrap();
    row(p, 7, &["", "上年结转资金", "—", "", "０.２０"]);
    p.write_number(7, 3, 0.2).unwrap();
    row(p, 8, &["", "其他资金"]);
    p.merge_range(9, 0, 10, 0, "年度总体目标", &plain).unwrap();
    row(p, 9, &["", "预期目标", "", "", "", "实际完成情况"]);
    row(p, 10, &["", "维护5个系统", "", "", "", "维护2个系统"]);
    p.merge_range(11, 0, 15, 0, "绩效指标", &plain).unwrap();
    row(
        p,
        11,
        &[
            "",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
    );
    p.merge_range(12, 1, 13, 1, "产出指标(50分)", &plain)
        .unwrap();
    row(
        p,
        12,
        &[
            "",
            "",
            "数量指标",
            "维护系统数量",
            "≥5个",
            "2个",
            "",
            "",
            "系统整合",
        ],
    );
    p.write_number(12, 6, 20.0).unwrap();
    p.write_number(12, 7, 8.0).unwrap();
    row(
        p,
        13,
        &["", "", "质量指标", "正常运行率", "=100%", "", "15", ""],
    );
    p.write_number_with_format(13, 5, 1.0, &percent).unwrap();
    p.write_number(13, 7, 15.0).unwrap();
    row(
        p,
        14,
        &[
            "",
            "满意度指标",
            "服务对象满意度指标",
            "满意度",
            "≥90%",
            "",
            "",
            "/",
        ],
    );
    p.write_number_with_format(14, 5, 0.95, &percent2).unwrap();
    p.write_number(14, 6, 10.0).unwrap();
    row(
        p,
        15,
        &[
            "",
            "效益指标",
            "社会效益指标",
            "群众知晓度",
            "效果明显",
            "/",
            "10",
        ],
    );
    p.merge_range(16, 1, 16, 5, "总分", &plain).unwrap();
    p.write_formula(16, 6, Formula::new("=SUM(G13:G16)").set_result("55"))
        .unwrap();
    p.merge_range(17, 0, 17, 1, "存在问题", &plain).unwrap();
    row(p, 17, &["", "", "业务系统整合，维护数量减少"]);
    p.merge_range(18, 0, 18, 1, "改进措施", &plain).unwrap();
    row(p, 18, &["", "", "据实编制预算"]);
    row(
        p,
        19,
        &["项目负责人：张三", "", "", "", "", "财务负责人：李四"],
    );
    save(&mut book, dir, "national.xlsx")
}

/// The split layout (指标性质 | 指标值 | 度量单位 | 完成值 | 权重), as Sichuan files it: a code
/// before the project's name, the form's own instructions left in, 一级指标 not repeated.
fn split(dir: &Path) -> PathBuf {
    let mut book = Workbook::new();
    let plain = Format::new();
    let p = book.add_worksheet();
    row(p, 0, &["部门预算项目支出绩效自评表(2023年度)"]);
    row(
        p,
        1,
        &[
            "项目名称",
            "51092324T000010263357-2023年全县安可替代补助资金项目",
        ],
    );
    row(
        p,
        2,
        &[
            "主管部门",
            "大英县司法局部门",
            "实施单位 (盖章)",
            "大英县司法局",
        ],
    );
    row(
        p,
        3,
        &[
            "项目基本情况",
            "1.项目年度目标完成情况",
            "项目年度目标",
            "年度目标完成情况",
        ],
    );
    p.merge_range(4, 0, 8, 0, "预算执行情况(10分)", &plain)
        .unwrap();
    row(
        p,
        4,
        &[
            "",
            "年度预算数(万元)",
            "年初预算",
            "调整后预算数",
            "预算执行数",
            "预算执行率",
            "权重",
            "得分",
            "原因",
        ],
    );
    row(
        p,
        5,
        &["", "总额", "0.00", "3.36", "3.36", "100.00%", "10", "10"],
    );
    p.merge_range(
        5,
        8,
        8,
        8,
        "1.预算执行率=预算执行数/调整后预算数，预算执行率未达到90%的需说明原因(100字以内)",
        &plain,
    )
    .unwrap();
    row(
        p,
        6,
        &[
            "",
            "其中:财政资金",
            "0.00",
            "3.36",
            "3.36",
            "100.00%",
            "/",
            "/",
        ],
    );
    row(
        p,
        7,
        &[
            "",
            "财政专户管理资金",
            "0.00",
            "0.00",
            "0.00",
            "0.00%",
            "/",
            "/",
        ],
    );
    row(p, 8, &["", "其他资金", "", "", "", "", "/", "/"]);
    p.merge_range(9, 0, 12, 0, "绩效指标(90分)", &plain)
        .unwrap();
    row(
        p,
        9,
        &[
            "",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标性质",
            "指标值",
            "度量单位",
            "完成值",
            "权重",
            "得分",
            "未完成原因分析",
        ],
    );
    row(
        p,
        10,
        &[
            "",
            "产出指标",
            "质量指标",
            "完成安可产品购买",
            "=",
            "100",
            "%",
            "100",
            "40",
            "40",
        ],
    );
    row(
        p,
        11,
        &[
            "",
            "",
            "数量指标",
            "购买电脑台数",
            "≥",
            "13",
            "台",
            "12",
            "30",
            "27",
            "供货延迟",
        ],
    );
    row(
        p,
        12,
        &[
            "",
            "满意度指标",
            "服务对象满意度指标",
            "使用人员满意度",
            "定性",
            "满意",
            "",
            "基本满意",
            "20",
            "16",
        ],
    );
    row(p, 13, &["合计", "100"]);
    row(
        p,
        14,
        &["评价结论", "结合自评情况，说明项目自评总分。(200字以内)"],
    );
    row(
        p,
        15,
        &[
            "存在问题",
            "结合自评情况，分析存在的问题及原因。(200字以内)",
        ],
    );
    row(p, 16, &["改进措施", "无"]);
    save(&mut book, dir, "split.xlsx")
}

/// A project sheet whose 全年执行数 (E12) and 分值 (F16) hold `executed` and `weight`; with
/// `header`, the indicator table has its header row.
fn minimal(dir: &Path, name: &str, executed: &str, weight: &str, header: bool) -> PathBuf {
    let mut book = Workbook::new();
    let p = book.add_worksheet().set_name("数据系统维护费").unwrap();
    row(p, 0, &["项目支出绩效自评表（2023年度）"]);
    row(p, 1, &["项目名称", "数据系统维护费"]);
    row(p, 2, &["实施单位", "某区档案馆"]);
    row(
        p,
        10,
        &["项目资金", "", "年初预算数", "全年预算数", "全年执行数"],
    );
    row(p, 11, &["", "年度资金总额", "20", "20", executed]);
    if header {
        row(
            p,
            14,
            &[
                "绩效指标",
                "一级指标",
                "二级指标",
                "三级指标",
                "年度指标值",
                "实际完成值",
                "分值",
            ],
        );
    }
    row(
        p,
        15,
        &[
            "",
            "产出指标",
            "数量指标",
            "维护系统数量",
            "≥5个",
            "5个",
            weight,
        ],
    );
    save(&mut book, dir, name)
}

#[test]
fn the_national_layout_reads_by_its_labels_with_merged_cells_and_shown_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let unit = workbook::read(&national(dir.path())).unwrap();
    assert_eq!(unit.unit.code, "0430");
    assert_eq!(unit.unit.name, "某区人才交流服务中心");
    assert_eq!(unit.unit.year, Some(2023));
    let budget = unit.unit.budget.as_ref().unwrap();
    assert_eq!(
        (budget.budget_adjusted, budget.executed),
        (Some(d("120")), d("114"))
    );
    assert_eq!(budget.by_income.get("一般公共预算"), Some(&d("114")));
    assert_eq!(budget.by_spending.get("基本支出"), Some(&d("64")));

    let [project] = &unit.projects[..] else {
        panic!("one project: {:?}", unit.projects);
    };
    assert_eq!(
        (project.code.as_str(), project.name.as_str()),
        ("P01", "数据系统维护费")
    );
    assert_eq!(project.budget_initial, Some(d("20")));
    // The formula's cached 0.30000000000000004, shown to 2 places, is 0.30 exactly.
    assert_eq!(project.budget_adjusted.to_string(), "0.30");
    assert_eq!(project.executed, d("0.3"));
    let funds: Vec<_> = project
        .funds
        .iter()
        .map(|f| {
            (
                f.source.as_str(),
                f.budget_initial,
                f.budget_adjusted,
                f.executed,
            )
        })
        .collect();
    assert_eq!(
        funds,
        [
            ("当年财政拨款", None, Some(d("0.1")), d("0.1")),
            ("上年结转资金", None, Some(d("0.2")), d("0.2")),
        ]
    );
    assert_eq!(project.deviation_reason, "业务系统整合，维护数量减少");
    assert_eq!(project.improvement, "据实编制预算");

    let rows: Vec<_> = project
        .indicators
        .iter()
        .map(|i| {
            (
                i.level1.as_str(),
                i.level2.as_str(),
                i.name.as_str(),
                text(&i.target),
                text(&i.actual),
                i.weight,
                i.score,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "产出指标",
                "数量指标",
                "维护系统数量",
                Some("≥5个"),
                Some("2个"),
                Some(d("20")),
                Some(d("8"))
            ),
            // The merged 一级指标 labels both rows; the percentage cell reads as shown.
            (
                "产出指标",
                "质量指标",
                "正常运行率",
                Some("=100%"),
                Some("100%"),
                Some(d("15")),
                Some(d("15"))
            ),
            (
                "满意度指标",
                "服务对象满意度指标",
                "满意度",
                Some("≥90%"),
                Some("95.00%"),
                Some(d("10")),
                None
            ),
            (
                "效益指标",
                "社会效益指标",
                "群众知晓度",
                Some("效果明显"),
                Some("/"),
                Some(d("10")),
                None
            ),
        ]
    );
    assert_eq!(project.indicators[0].deviation_reason, "系统整合");
}

#[test]
fn the_split_layout_reads_as_the_national_one() {
    let dir = tempfile::tempdir().unwrap();
    let unit = workbook::read(&split(dir.path())).unwrap();
    assert_eq!(unit.unit.name, "大英县司法局");
    assert_eq!(
        unit.unit.code, "split",
        "no unit code in the workbook: the file's name"
    );
    let project = &unit.projects[0];
    assert_eq!(project.code, "51092324T000010263357");
    assert_eq!(project.name, "2023年全县安可替代补助资金项目");
    assert_eq!(
        (
            project.budget_initial,
            project.budget_adjusted,
            project.executed
        ),
        (Some(d("0")), d("3.36"), d("3.36"))
    );
    // The form's own instructions and a bare 无 are not the unit's reasons.
    assert_eq!(
        (
            project.deviation_reason.as_str(),
            project.improvement.as_str()
        ),
        ("", "")
    );
    let sources: Vec<&str> = project.funds.iter().map(|f| f.source.as_str()).collect();
    assert_eq!(sources, ["财政资金", "财政专户管理资金"]);
    let rows: Vec<_> = project
        .indicators
        .iter()
        .map(|i| {
            (
                i.level1.as_str(),
                text(&i.target),
                text(&i.actual),
                i.weight,
                i.deviation_reason.as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("产出指标", Some("=100%"), Some("100%"), Some(d("40")), ""),
            (
                "产出指标",
                Some("≥13台"),
                Some("12台"),
                Some(d("30")),
                "供货延迟"
            ),
            (
                "满意度指标",
                Some("满意"),
                Some("基本满意"),
                Some(d("20")),
                ""
            ),
        ]
    );
}

#[test]
fn a_bad_cell_is_located_every_problem_listed_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    minimal(dir.path(), "book.xlsx", "八点五六", "二十", true);
    minimal(dir.path(), "no-header.xlsx", "8.56", "20", false);
    minimal(dir.path(), "good.xlsx", "8.56", "20", true);
    let mut encrypted = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    encrypted.resize(4096, 0);
    std::fs::write(dir.path().join("locked.xlsx"), encrypted).unwrap();
    let whole = std::fs::read(dir.path().join("good.xlsx")).unwrap();
    std::fs::write(dir.path().join("truncated.xlsx"), &whole[..whole.len() / 2]).unwrap();
    // Excel's lock file beside an open workbook is not a unit.
    std::fs::write(dir.path().join("~$good.xlsx"), b"lock").unwrap();

    let out = common::jixiao_in(
        dir.path(),
        &[
            "run",
            ".",
            "--rules",
            &format!("{}/rules", common::ROOT),
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = common::text(&out.stderr);
    for expected in [
        "./book.xlsx [数据系统维护费]!E12: 全年执行数 \"八点五六\" is not a number",
        "./book.xlsx [数据系统维护费]!G16: 分值 \"二十\" is not a number",
        "./no-header.xlsx [数据系统维护费]!B16: indicator rows start here, but no header row",
        "./locked.xlsx: is password-protected",
        "./truncated.xlsx: is damaged or cut short",
    ] {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
    assert!(!stderr.contains("~$good"), "{stderr}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files: Vec<&str> = doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["./good.xlsx"], "the rest of the batch still runs");
    let cells: Vec<&str> = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["cell"].as_str())
        .collect();
    assert!(cells.contains(&"[数据系统维护费]!E12"), "{cells:?}");
}

#[test]
fn a_blank_template_is_the_national_form_with_lists_and_holds_no_unit() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("自评表.xlsx");
    let out = common::jixiao(&["template", "--out", book.to_str().unwrap()]);
    assert!(out.status.success(), "{}", common::text(&out.stderr));
    let mut sheets: calamine::Xlsx<_> = calamine::open_workbook(&book).unwrap();
    assert_eq!(sheets.sheet_names(), ["部门整体", "基础数据表", "项目1"]);
    let range = sheets.worksheet_range("项目1").unwrap();
    let cells: Vec<String> = range.cells().map(|(_, _, c)| c.to_string()).collect();
    for heading in [
        "项目名称",
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "一级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "总分",
    ] {
        assert!(cells.iter().any(|c| c == heading), "{heading}");
    }
    assert!(
        !sheets
            .merge_cells_by_sheet_name("项目1")
            .unwrap()
            .is_empty()
    );
    let xml = {
        let file = std::fs::File::open(&book).unwrap();
        let mut zip = zip_entry(file, "xl/worksheets/sheet3.xml");
        std::mem::take(&mut zip)
    };
    assert!(
        xml.contains("dataValidation") && xml.contains("产出指标"),
        "lists for 一级/二级"
    );
    let problems = workbook::read(&book).unwrap_err();
    assert!(
        problems[0]
            .message
            .starts_with("no 自评表 in this workbook"),
        "{problems:?}"
    );
    let again = common::jixiao(&["template", "--out", book.to_str().unwrap()]);
    assert!(
        common::text(&again.stderr).contains("exists"),
        "never replaced without --force"
    );
}

/// The text of one file inside a zip (an xlsx).
fn zip_entry(file: std::fs::File, name: &str) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

const SEED_TOML: &str = "cases/lukou-hrss-2023/unit.toml";
const SEED_BOOK: &str = "cases/lukou-hrss-2023-xlsx/unit.xlsx";

fn record_toml(record: &UnitFile) -> String {
    toml::to_string(record).unwrap()
}

#[test]
fn the_seed_workbook_agrees_with_the_seed_and_with_what_template_writes_from_it() {
    let root = Path::new(common::ROOT);
    let committed = workbook::read(&root.join(SEED_BOOK)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("seed.xlsx");
    let out = common::jixiao(&[
        "template",
        "--from",
        SEED_TOML,
        "--out",
        fresh.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", common::text(&out.stderr));
    assert_eq!(
        record_toml(&committed),
        record_toml(&workbook::read(&fresh).unwrap())
    );

    let score = |path: &str| {
        let out = common::jixiao(&["score", path, "--format", "json"]);
        assert!(out.status.success(), "{}", common::text(&out.stderr));
        let mut doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        for list in ["scorecards", "ranking"] {
            for entry in doc[list].as_array_mut().unwrap() {
                entry.as_object_mut().unwrap().remove("file");
            }
        }
        doc
    };
    let run = |path: &str| {
        let out = common::jixiao(&["run", path, "--format", "json"]);
        assert!(out.status.success(), "{}", common::text(&out.stderr));
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        doc["units"][0]["findings"].clone()
    };
    assert_eq!(run(SEED_BOOK), run(SEED_TOML), "identical findings");
    assert_eq!(score(SEED_BOOK), score(SEED_TOML), "identical scores");
}

#[test]
fn import_writes_toml_that_reads_back_to_the_same_results() {
    let dir = tempfile::tempdir().unwrap();
    let books = dir.path().join("books");
    std::fs::create_dir(&books).unwrap();
    national(&books);
    split(&books);
    std::fs::copy(
        Path::new(common::ROOT).join(SEED_BOOK),
        books.join("seed.xlsx"),
    )
    .unwrap();
    let imported = dir.path().join("toml");
    let out = common::jixiao_in(dir.path(), &["import", "books", "--out", "toml"]);
    assert!(out.status.success(), "{}", common::text(&out.stderr));
    let rules = format!("{}/rules", common::ROOT);
    for stem in ["national", "split", "seed"] {
        let book = books.join(format!("{stem}.xlsx"));
        let toml = imported.join(format!("{stem}.toml"));
        let (unit, problems) = jixiao::input::load::read_unit(&toml).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            record_toml(&unit.record),
            record_toml(&workbook::read(&book).unwrap()),
            "{stem}"
        );
        let findings = |path: &Path| {
            let out = common::jixiao(&[
                "run",
                path.to_str().unwrap(),
                "--rules",
                &rules,
                "--format",
                "json",
            ]);
            let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            doc["units"][0]["findings"].clone()
        };
        assert_eq!(findings(&book), findings(&toml), "{stem}");
    }
    let again = common::jixiao_in(dir.path(), &["import", "books", "--out", "toml"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        common::text(&again.stderr).contains("pass --force"),
        "{}",
        common::text(&again.stderr)
    );
}

/// A cell of the xlsx ranking as the CSV writes it.
fn as_csv(cell: &Data, heading: &str) -> String {
    match cell {
        Data::Float(f) if heading.ends_with("(%)") => format!("{:.2}", f * 100.0),
        Data::Float(f) if heading == "得分" => format!("{f:.2}"),
        Data::Float(f) => format!("{}", *f as i64),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

#[test]
fn score_as_xlsx_reads_back_as_the_csv_with_its_three_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let units = dir.path().join("units");
    std::fs::create_dir(&units).unwrap();
    national(&units);
    split(&units);
    std::fs::copy(
        Path::new(common::ROOT).join(SEED_TOML),
        units.join("seed.toml"),
    )
    .unwrap();
    let rules = format!("{}/rules", common::ROOT);
    let csv = common::jixiao_in(
        dir.path(),
        &["score", "units", "--rules", &rules, "--format", "csv"],
    );
    assert!(csv.status.success(), "{}", common::text(&csv.stderr));
    let out = common::jixiao_in(
        dir.path(),
        &[
            "score",
            "units",
            "--rules",
            &rules,
            "--format",
            "xlsx",
            "--out",
            "ranking.xlsx",
        ],
    );
    assert!(out.status.success(), "{}", common::text(&out.stderr));
    assert!(out.stdout.is_empty());

    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(dir.path().join("ranking.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["排名", "问题清单", "评分明细"]);
    let ranking = book.worksheet_range("排名").unwrap();
    let rows: Vec<&[Data]> = ranking.rows().collect();
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    let read_back: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().zip(&header).map(|(c, h)| as_csv(c, h)).collect())
        .collect();
    let csv_text = common::text(&csv.stdout);
    let mut reader = csv::Reader::from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    let mut expected = vec![
        reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect::<Vec<_>>(),
    ];
    expected.extend(
        reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect()),
    );
    assert_eq!(read_back, expected);
    // The code with a leading zero stays text.
    assert!(rows.iter().any(|r| r[1] == Data::String("0430".into())));

    let findings = book.worksheet_range("问题清单").unwrap();
    let total: usize = expected[1..]
        .iter()
        .map(|r| {
            ["错误", "警告", "提示"]
                .iter()
                .map(|h| {
                    r[expected[0].iter().position(|x| x == h).unwrap()]
                        .parse::<usize>()
                        .unwrap()
                })
                .sum::<usize>()
        })
        .sum();
    assert_eq!(findings.height() - 1, total, "one row per finding");
    let details = book.worksheet_range("评分明细").unwrap();
    assert_eq!(details.height() - 1, 21 + 1 + 1, "one row per project");
}
