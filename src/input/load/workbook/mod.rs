//! Reading a unit from an Excel or WPS workbook (`.xlsx`, `.xls`, `.ods`): one workbook is one
//! unit. Each visible sheet with a 项目名称 label is a 项目支出绩效自评表 ([`project`]); a
//! 部门整体支出绩效自评表 or basic-data sheet gives the unit-level tables ([`unit`]); other
//! sheets (instructions, lookup lists) are passed over.
//!
//! Blocks are found by their labels ([`labels`]), cells read as the text they show ([`grid`])
//! and checked as a TOML file's values are ([`values`]). Anything that cannot be read is a
//! problem at its cell — `book.xlsx [数据系统维护费]!E12: …` — and a workbook with any such
//! problem is left out of the batch whole, every problem listed, as a TOML file with an error
//! is: a unit scored without one of its projects would be scored wrong.

mod grid;
mod labels;
mod project;
mod unit;
mod values;

use crate::diagnostic::{Problem, ProblemKind};
use crate::input::record::{Unit, UnitFile};
use calamine::{Reader, Sheets, open_workbook_auto};
use grid::Grid;
use labels::{Labelled, labelled};
use std::io::{BufReader, Read};
use std::path::Path;
use unit::UnitParts;
use values::Cells;

/// The file name endings read as workbooks.
pub const EXTENSIONS: [&str; 3] = ["xlsx", "xls", "ods"];

/// Labels of the unit's name on a 部门整体 or basic-data sheet.
const UNIT_NAME: &[&str] = &["部门名称", "单位名称", "预算单位名称", "预算单位"];
const UNIT_CODE: &[&str] = &[
    "单位编码",
    "部门编码",
    "单位代码",
    "预算编码",
    "预算单位编码",
];
const IMPLEMENTER: &[&str] = &["实施单位"];
const SUPERVISOR: &[&str] = &["主管部门", "主管单位"];
const YEAR: &[&str] = &["年度", "评价年度", "自评年度"];

/// Whether `path` is named as a workbook.
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| EXTENSIONS.contains(&x.to_ascii_lowercase().as_str()))
}

/// The unit in the workbook at `path`, or every problem that keeps it from being read.
pub fn read(path: &Path) -> Result<UnitFile, Vec<Problem>> {
    let file = path.display().to_string();
    let mut book = open(path, &file).map_err(|p| vec![p])?;
    let mut problems = Vec::new();
    let mut projects = Vec::new();
    let mut parts = UnitParts::default();
    let mut identity = Identity::default();
    let visible: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible == calamine::SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    for name in visible {
        let grid = match sheet(&mut book, &name) {
            Ok(grid) => grid,
            Err(message) => {
                problems.push(
                    Problem::new(ProblemKind::Input, &file, message).cell(format!("[{name}]")),
                );
                continue;
            }
        };
        let mut cells = Cells::new(&grid, &file);
        identity.read(&mut cells);
        if labelled(&grid, project::NAME).is_some() {
            if let Some(project) = project::read(&mut cells, projects.len() + 1) {
                projects.push(project);
            }
        } else if unit::is_unit_sheet(&cells) {
            unit::read(&mut cells, &mut parts);
        }
        problems.append(&mut cells.problems);
    }
    if projects.is_empty() && identity.name.is_none() && problems.is_empty() {
        problems.push(Problem::new(
            ProblemKind::Input,
            &file,
            "no 自评表 in this workbook: no sheet has a 项目名称 label (项目支出绩效自评表) or a 部门名称 label (部门整体支出绩效自评表); `jixiao template` writes a form to fill",
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let (code, name) = identity.code_and_name(path);
    Ok(UnitFile {
        unit: Unit {
            code,
            name,
            scoring: None,
            department: None,
            year: identity.year,
            budget: parts.budget,
            cost_controls: parts.cost_controls,
            staff: parts.staff,
            institutions: parts.institutions,
            basic: parts.basic,
            groups: parts.groups,
        },
        projects,
        suppress: Vec::new(),
    })
}

/// Who the unit is, from the first sheet that says: its name and code labels, the 实施单位
/// and 主管部门 of its project sheets, and the year in a title (`（2023年度）`) or a 年度 cell.
#[derive(Default)]
struct Identity {
    code: Option<String>,
    name: Option<String>,
    implementer: Option<String>,
    supervisor: Option<String>,
    year: Option<i64>,
}

impl Identity {
    fn read(&mut self, cells: &mut Cells) {
        let grid = cells.grid;
        let text = |keys: &[&str]| {
            labelled(grid, keys)
                .map(|l| project::words(l.text(grid)))
                .filter(|t| !t.is_empty())
        };
        self.code = self.code.take().or_else(|| text(UNIT_CODE));
        self.name = self.name.take().or_else(|| text(UNIT_NAME));
        self.implementer = self.implementer.take().or_else(|| text(IMPLEMENTER));
        self.supervisor = self.supervisor.take().or_else(|| text(SUPERVISOR));
        if self.year.is_none() {
            self.year = title_year(grid).or_else(|| match labelled(grid, YEAR)? {
                Labelled::Cell(row, column) => cells.year(row, column, "年度"),
                Labelled::Inline { .. } => None,
            });
        }
    }

    /// The unit's code and name: the labelled ones, else a code written before the name
    /// (`219001-某镇人民政府`), else the file's name.
    fn code_and_name(&self, path: &Path) -> (String, String) {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let written = self
            .name
            .clone()
            .or_else(|| self.implementer.clone())
            .or_else(|| self.supervisor.clone());
        let (prefix_code, name) = match written.as_deref().map(|w| (w, project::split_code(w))) {
            Some((_, Some((code, name)))) => (Some(code), name),
            Some((w, None)) => (None, w.to_string()),
            None => (None, stem.clone()),
        };
        let code = self.code.clone().or(prefix_code).unwrap_or(stem);
        (code, name)
    }
}

/// `2023` from a title such as `项目支出绩效自评表（2023年度）` in a sheet's first rows.
fn title_year(grid: &Grid) -> Option<i64> {
    static TITLE_YEAR: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"((?:19|20)\d\d)\s*年度").expect("title year pattern")
    });
    (0..grid.height().min(3)).find_map(|row| {
        (0..grid.width()).find_map(|column| {
            TITLE_YEAR
                .captures(grid.text(row, column))
                .and_then(|c| c[1].parse().ok())
        })
    })
}

/// The first bytes of an OLE compound file: an `.xls`, or an `.xlsx` encrypted with a
/// password (Excel wraps those in one).
const COMPOUND_FILE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Opens the workbook, saying in the user's terms why it cannot be.
fn open(path: &Path, file: &str) -> Result<Sheets<BufReader<std::fs::File>>, Problem> {
    let problem = |message: String| Problem::new(ProblemKind::Input, file, message);
    let mut head = [0u8; 8];
    let read = std::fs::File::open(path).and_then(|mut f| f.read(&mut head));
    match read {
        Err(e) => return Err(problem(format!("cannot read: {e}"))),
        Ok(n) if n < 4 => {
            return Err(problem(
                "is empty or cut short: it is not a whole workbook; save it again from Excel or WPS".into(),
            ));
        }
        Ok(_) => {}
    }
    let extension = path
        .extension()
        .and_then(|x| x.to_str())
        .map(str::to_ascii_lowercase);
    if extension.as_deref() == Some("xlsx") && head == COMPOUND_FILE {
        return Err(problem(
            "is password-protected (encrypted), or an old .xls saved under a .xlsx name: remove the password (File › Info › Protect Workbook) and save it as .xlsx".into(),
        ));
    }
    open_workbook_auto(path).map_err(|e| {
        let message = match e {
            calamine::Error::Xls(calamine::XlsError::Password) => {
                "is password-protected: remove the password and save it again".to_string()
            }
            calamine::Error::Xlsx(calamine::XlsxError::Zip(_))
            | calamine::Error::Ods(calamine::OdsError::Zip(_)) => {
                "is damaged or cut short (perhaps not fully copied or downloaded): open it in Excel or WPS and save it again".to_string()
            }
            other => format!(
                "cannot be read as a workbook ({other}): open it in Excel or WPS and save it as .xlsx"
            ),
        };
        problem(message)
    })
}

/// One sheet's cells, with number formats and merged areas where the format keeps them.
fn sheet(book: &mut Sheets<BufReader<std::fs::File>>, name: &str) -> Result<Grid, String> {
    let unreadable = |e: calamine::Error| {
        format!("this sheet cannot be read ({e}); save the workbook again from Excel or WPS")
    };
    let range = book.worksheet_range(name).map_err(unreadable)?;
    let styles = book.worksheet_style(name).map_err(unreadable)?;
    let merges = match book {
        Sheets::Xlsx(xlsx) => xlsx
            .merge_cells_by_sheet_name(name)
            .map_err(|e| unreadable(calamine::Error::Xlsx(e)))?,
        Sheets::Xls(xls) => xls
            .merge_cells_by_sheet_name(name)
            .map_err(|e| unreadable(calamine::Error::Xls(e)))?,
        Sheets::Xlsb(_) | Sheets::Ods(_) => Vec::new(),
    };
    Grid::new(name, &range, &styles, &merges)
}
