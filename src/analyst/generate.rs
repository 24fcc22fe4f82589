//! Synthetic batches for benchmarks and scale tests (`jixiao gen`): realistic units with
//! budgets, every indicator shape of the record format, reasons in Chinese, and a known
//! share of every finding category. The same seed gives the same bytes. Batches are written
//! a project at a time, each file whole or not at all, so a unit of any size fits in memory.

use crate::input::record::{
    Basic, CostControl, Fund, Group, Indicator, Institutions, Project, RawValue, Staff, Unit,
    UnitFile,
};
use crate::output::atomic_file::{AtomicFile, TEMP_SUFFIX};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// SplitMix64: a tiny, fixed pseudo-random sequence, so that a seed's batch never changes with
/// a dependency's version.
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// An amount in 万元 with two decimals between `low` and `high`.
    fn amount(&mut self, low: u64, high: u64) -> Decimal {
        Decimal::new((low * 100 + self.below((high - low) * 100 + 1)) as i64, 2)
    }
}

/// The deviation a generated project carries; every kind maps to one finding category.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Deviation {
    None,
    ExecutionLow,
    BelowInitial,
    AddedInYear,
    Overspend,
    QuantityGap,
    CostGap,
    QualityMissed,
    OverAchieved,
    CrossYear,
    NoReason,
    WrongScore,
    NoIndicators,
    UnparsedValue,
    MissingActual,
    FundsOff,
}

/// Each deviation's share of projects, in percent; the rest (40%) deviate in nothing.
const PROJECT_SHARES: [(Deviation, u64); 15] = [
    (Deviation::ExecutionLow, 6),
    (Deviation::BelowInitial, 6),
    (Deviation::AddedInYear, 4),
    (Deviation::Overspend, 2),
    (Deviation::QuantityGap, 6),
    (Deviation::CostGap, 5),
    (Deviation::QualityMissed, 4),
    (Deviation::OverAchieved, 3),
    (Deviation::CrossYear, 4),
    (Deviation::NoReason, 4),
    (Deviation::WrongScore, 4),
    (Deviation::NoIndicators, 4),
    (Deviation::UnparsedValue, 3),
    (Deviation::MissingActual, 3),
    (Deviation::FundsOff, 2),
];

/// How well a generated unit performs, so that a batch spans every grade: each unit draws one
/// from a stream of its own, with these shares in percent (优 50, 良 25, 中 17, 差 8 in a large
/// batch). A unit that performs well carries only the deviations of `PROJECT_SHARES`; one
/// that strains also spends less of its budget, falls further short of its indicator targets
/// and, at the worst, leaves results blank. The strain is 0 to 3.
const PERFORMANCE_SHARES: [(u64, u64); 4] = [(0, 50), (1, 25), (2, 17), (3, 8)];

fn strain_of(seed: u64, index: usize) -> u64 {
    // A stream apart from the unit's own, so that the units that strain nothing are the very
    // units an earlier `gen` wrote for the same seed.
    let mut rng = Rng(seed.rotate_left(17) ^ (index as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93));
    let mut roll = rng.below(100);
    for (strain, share) in PERFORMANCE_SHARES {
        if roll < share {
            return strain;
        }
        roll -= share;
    }
    0
}

/// Each unit-level inconsistency's share of units, in percent.
const UNIT_SHARE: u64 = 5;

const REGIONS: &[&str] = &[
    "芙蓉区",
    "天心区",
    "岳麓区",
    "开福区",
    "雨花区",
    "望城区",
    "渌口区",
    "醴陵市",
    "攸县",
    "茶陵县",
];
const DEPARTMENTS: &[&str] = &[
    "人力资源和社会保障局",
    "民政局",
    "农业农村局",
    "教育局",
    "卫生健康局",
    "交通运输局",
    "自然资源局",
    "文化旅游广电体育局",
    "住房和城乡建设局",
    "市场监督管理局",
];
const PROJECT_NAMES: &[&str] = &[
    "数据系统维护费",
    "就业补助资金",
    "职业技能培训补贴",
    "公益性岗位补贴",
    "困难群众救助资金",
    "农村道路养护经费",
    "基层服务中心运行经费",
    "档案数字化扫描费用",
    "业务系统升级改造",
    "政策宣传经费",
    "专项检查工作经费",
    "人才引进补贴",
];
const REASONS: &[&str] = &[
    "省级统一上线业务系统，原系统不再单独维护，相关支出减少。",
    "经核实部分受益对象已离世或不符合条件，发放人数减少。",
    "部分工程款需跨年度结算，尾款次年支付。",
    "因政策调整，部分补贴标准调整，支出相应变化。",
    "年中根据工作需要追加预算。",
    "通过政府采购公开招标，实际成交价低于预算，节约资金。",
    "项目因审批手续延期，进度滞后，部分工作未完工。",
    "上级资金下达较晚，拨付滞后。",
    "年初指标值设置偏低，实际完成情况好于预期。",
];
const IMPROVEMENTS: &[&str] = &[
    "参照上年实际发生数编制预算，把准数量指标和成本指标。",
    "加强项目进度监控，按月调度预算执行。",
    "加大结算力度，年度内已完成的工作及时结算。",
];

fn text(s: impl Into<String>) -> Option<RawValue> {
    Some(RawValue::Text(s.into()))
}

fn indicator(
    level1: &str,
    level2: &str,
    name: &str,
    target: String,
    actual: String,
    weight: i64,
) -> Indicator {
    Indicator {
        level1: level1.into(),
        level2: level2.into(),
        name: name.into(),
        target: text(target),
        op: None,
        unit: None,
        actual: text(actual),
        weight: Some(Decimal::from(weight)),
        score: None,
        deviation_reason: String::new(),
    }
}

/// A project's indicators, met unless `deviation` says otherwise, in every value shape.
fn indicators(rng: &mut Rng, deviation: Deviation, cost: Decimal, strain: u64) -> Vec<Indicator> {
    let count = 10 + rng.below(90);
    let quantity_actual = match deviation {
        Deviation::QuantityGap => count * (30 + rng.below(50)) / 100,
        Deviation::OverAchieved => count * (140 + rng.below(60)) / 100,
        _ => count + rng.below(3),
    };
    let quantity_target = if rng.chance(50) {
        format!("≥{count}个")
    } else {
        format!(">={count}")
    };
    let cost_target = match deviation {
        Deviation::CostGap => cost * Decimal::new(150 + rng.below(50) as i64, 2),
        _ => cost,
    };
    let quality = if deviation == Deviation::QualityMissed {
        rng.pick(&["90%", "次年3月", "否", "部分达成"]).to_string()
    } else {
        String::new()
    };
    let mut rows = vec![
        indicator(
            "产出指标",
            "数量指标",
            "完成任务数量",
            quantity_target,
            format!("{quantity_actual}个"),
            20,
        ),
        indicator(
            "产出指标",
            "质量指标",
            "资金发放准确率",
            rng.pick(&["=100%", "100百分比"]).to_string(),
            if quality == "90%" {
                quality.clone()
            } else {
                "100%".into()
            },
            10,
        ),
        indicator(
            "产出指标",
            "时效指标",
            "完成时限",
            "12月底前".into(),
            if quality == "次年3月" {
                quality.clone()
            } else {
                "11月".into()
            },
            5,
        ),
        indicator(
            "产出指标",
            "成本指标",
            "项目成本",
            format!("≤{}万元", crate::number_text::plain(cost_target)),
            format!("{}万元", crate::number_text::plain(cost)),
            15,
        ),
        indicator(
            "产出指标",
            "质量指标",
            "差错率",
            "<5%".into(),
            format!("{}%", rng.below(5)),
            0,
        ),
        indicator(
            "效益指标",
            "社会效益指标",
            "社会效益",
            rng.pick(&["效果明显", "是"]).to_string(),
            String::new(),
            30,
        ),
        indicator(
            "满意度指标",
            "服务对象满意度指标",
            "服务对象满意度",
            "≥90%".into(),
            format!("{}%", 92 + rng.below(8)),
            10,
        ),
    ];
    rows[4].weight = None;
    rows[5].actual = text(match (rows[5].target.as_ref(), quality.as_str()) {
        (Some(RawValue::Text(t)), "否") if t == "是" => "否",
        (Some(RawValue::Text(t)), _) if t == "是" => "是",
        (_, "部分达成") => "部分达成",
        _ => "达成预期指标",
    });
    match deviation {
        Deviation::WrongScore => rows[0].score = Some(Decimal::from(20)),
        Deviation::UnparsedValue => rows[0].target = text(format!("约{count}-{}个", count + 10)),
        Deviation::MissingActual => rows[6].actual = None,
        _ => {}
    }
    if deviation == Deviation::WrongScore && quantity_actual >= count {
        rows[0].actual = text(format!("{}个", count / 2));
    }
    if strain > 0 {
        strained(rng, &mut rows, deviation, count, strain);
    }
    rows
}

/// A straining unit's results: quantities further short, 差错率 above its limit, a benefit
/// phrase only partly reached (left blank at the worst), satisfaction lower; at strain 2 and
/// more, accuracy and deadlines missed too.
fn strained(rng: &mut Rng, rows: &mut [Indicator], deviation: Deviation, count: u64, strain: u64) {
    let [
        quantity,
        accuracy,
        deadline,
        _,
        errors,
        benefit,
        satisfaction,
    ] = rows
    else {
        return;
    };
    if !matches!(
        deviation,
        Deviation::QuantityGap
            | Deviation::OverAchieved
            | Deviation::WrongScore
            | Deviation::UnparsedValue
    ) {
        let share = 100 - 20 * strain - rng.below(10);
        quantity.actual = text(format!("{}个", count * share / 100));
    }
    if strain >= 2 {
        accuracy.actual = text(format!("{}%", 90 + rng.below(6)));
        deadline.actual = text("次年3月");
    }
    let errors_over = if strain == 3 { rng.below(2) } else { 0 };
    errors.actual = text(format!("{}%", 5 + strain + errors_over));
    benefit.actual = match (strain, benefit.target.as_ref()) {
        (3, _) => None,
        (_, Some(RawValue::Text(t))) if t == "是" => text("是"),
        _ => text("部分达成"),
    };
    if deviation != Deviation::MissingActual {
        satisfaction.actual = text(format!("{}%", 90 - 10 * strain + rng.below(5)));
    }
}

fn project(rng: &mut Rng, index: usize, group: &str, strain: u64) -> Project {
    let mut deviation = Deviation::None;
    let mut roll = rng.below(100);
    for (kind, share) in PROJECT_SHARES {
        if roll < share {
            deviation = kind;
            break;
        }
        roll -= share;
    }
    let budget = rng.amount(1, 500);
    let (initial, adjusted, executed, unsettled) = match deviation {
        Deviation::ExecutionLow => {
            let spent = budget * Decimal::new(40 + rng.below(45) as i64, 2);
            (budget, budget, spent.round_dp(2), Decimal::ZERO)
        }
        Deviation::BelowInitial => {
            let spent = (budget * Decimal::new(50 + rng.below(40) as i64, 2)).round_dp(2);
            (budget, spent, spent, Decimal::ZERO)
        }
        Deviation::AddedInYear => {
            let more = (budget * Decimal::new(120 + rng.below(30) as i64, 2)).round_dp(2);
            (budget, more, more, Decimal::ZERO)
        }
        Deviation::Overspend => (budget, budget, budget + rng.amount(1, 20), Decimal::ZERO),
        Deviation::CrossYear => {
            let owed = (budget * Decimal::new(3 + rng.below(7) as i64, 2)).round_dp(2);
            (budget, budget, budget - owed, owed)
        }
        _ if strain > 0 => {
            let rate = 100 - 12 * strain - rng.below(10);
            let spent = (budget * Decimal::new(rate as i64, 2)).round_dp(2);
            (budget, budget, spent, Decimal::ZERO)
        }
        _ => (budget, budget, budget, Decimal::ZERO),
    };
    let deviates = deviation != Deviation::None && deviation != Deviation::NoIndicators;
    let reason = if deviates && deviation != Deviation::NoReason {
        rng.pick(REASONS).to_string()
    } else {
        String::new()
    };
    let mut project = Project {
        code: format!("P{:03}", index + 1),
        name: rng.pick(PROJECT_NAMES).to_string(),
        group: Some(group.to_string()),
        budget_initial: Some(initial),
        budget_adjusted: adjusted,
        executed,
        unsettled,
        deviation_reason: reason,
        improvement: if deviates {
            rng.pick(IMPROVEMENTS).to_string()
        } else {
            String::new()
        },
        funds: Vec::new(),
        indicators: Vec::new(),
    };
    if deviation == Deviation::NoReason {
        // A deviation nobody explains: a quantity shortfall.
        project.indicators = indicators(rng, Deviation::QuantityGap, executed, strain);
    } else if deviation != Deviation::NoIndicators {
        project.indicators = indicators(rng, deviation, executed, strain);
    }
    if deviation == Deviation::FundsOff || rng.chance(10) {
        let carried = (executed * Decimal::new(30, 2)).round_dp(2);
        let off = if deviation == Deviation::FundsOff {
            Decimal::new(1, 2)
        } else {
            Decimal::ZERO
        };
        project.funds = vec![
            Fund {
                source: "上年结转".into(),
                budget_initial: None,
                budget_adjusted: None,
                executed: carried,
            },
            Fund {
                source: "当年财政拨款".into(),
                budget_initial: None,
                budget_adjusted: None,
                executed: executed - carried + off,
            },
        ];
    }
    project
}

/// The two project groups the unit states subtotals for; every third project is in the second.
const GROUPS: [&str; 2] = ["一般公共预算财政拨款项目", "其他单位资金项目"];

fn group_of(index: usize) -> usize {
    usize::from(index % 3 == 2)
}

/// One generated unit: its unit-level tables, and the point of its random stream where its
/// projects start, so that they are made again one at a time as they are written — a unit of
/// a million projects never sits in memory.
pub struct GeneratedUnit {
    pub unit: Unit,
    projects_from: Rng,
    projects: usize,
    strain: u64,
}

impl GeneratedUnit {
    pub fn projects(&self) -> impl Iterator<Item = Project> + '_ {
        let mut rng = self.projects_from.clone();
        (0..self.projects).map(move |i| project(&mut rng, i, GROUPS[group_of(i)], self.strain))
    }

    /// The whole unit file in memory.
    pub fn into_file(self) -> UnitFile {
        let projects = self.projects().collect();
        UnitFile {
            unit: self.unit,
            projects,
            suppress: Vec::new(),
        }
    }
}

fn unit(mut rng: Rng, seed: u64, index: usize, projects: usize) -> GeneratedUnit {
    let projects_from = rng.clone();
    let strain = strain_of(seed, index);
    // The unit states its groups' subtotals, and draws its own figures after the projects':
    // a first pass over the projects sums them and moves the stream past them.
    let mut members = [(0_i64, Decimal::ZERO); 2];
    for i in 0..projects {
        let group = group_of(i);
        let executed = project(&mut rng, i, GROUPS[group], strain).executed;
        members[group].0 += 1;
        members[group].1 += executed;
    }
    let rng = &mut rng;
    let broken = |rng: &mut Rng| rng.chance(UNIT_SHARE);
    let group_records = GROUPS
        .iter()
        .zip(members)
        .map(|(name, (count, sum))| Group {
            name: name.to_string(),
            count: Some(count),
            executed: Some(if broken(rng) {
                sum + Decimal::new(1, 2)
            } else {
                sum
            }),
        })
        .collect();
    let personnel = rng.amount(200, 2000);
    let public = rng.amount(20, 400);
    let authorized = 20 + rng.below(80) as i64;
    let in_service = if broken(rng) {
        authorized + 2
    } else {
        authorized - rng.below(5) as i64
    };
    let retired = rng.below(10) as i64;
    let administrative = in_service / 3;
    let subordinate = ["服务中心", "监察大队", "事务中心", "信息中心"];
    let cost_budget = rng.amount(5, 30);
    let cost_actual = if broken(rng) {
        cost_budget + rng.amount(1, 3)
    } else {
        cost_budget
    };
    GeneratedUnit {
        unit: Unit {
            scoring: None,
            department: None,
            code: format!("G{seed}-{:06}", index + 1),
            name: format!("{}{}", rng.pick(REGIONS), rng.pick(DEPARTMENTS)),
            year: Some(2023),
            budget: None,
            cost_controls: vec![CostControl {
                name: "“三公”经费".into(),
                last_year: Some(cost_budget),
                budget: Some(cost_budget),
                actual: cost_actual,
            }],
            staff: Some(Staff {
                authorized: Some(authorized),
                total: Some(in_service + retired + i64::from(broken(rng))),
                in_service: Some(in_service),
                retired: Some(retired),
                establishment: BTreeMap::from([
                    ("行政编制".to_string(), administrative),
                    ("全额拨款事业编".to_string(), in_service - administrative),
                ]),
            }),
            institutions: Some(Institutions {
                internal_count: Some(3),
                internal: vec!["办公室".into(), "计划财务股".into(), "业务股".into()],
                subordinate_count: Some(subordinate.len() as i64 + i64::from(broken(rng))),
                subordinate: subordinate.iter().map(|s| s.to_string()).collect(),
            }),
            basic: Some(Basic {
                total: personnel
                    + public
                    + if broken(rng) {
                        Decimal::new(1, 2)
                    } else {
                        Decimal::ZERO
                    },
                personnel,
                public,
            }),
            groups: group_records,
        },
        projects_from,
        projects,
        strain,
    }
}

/// Why `gen` wrote nothing, or stopped.
#[derive(Debug, thiserror::Error)]
pub enum GenError {
    #[error(
        "{0} is not empty: choose a new folder, or pass --force to replace the unit files an earlier `jixiao gen` wrote there"
    )]
    NotEmpty(PathBuf),
    #[error(
        "{folder} holds `{entry}`, which `jixiao gen` did not write: --force replaces only generated unit files, so choose an empty folder"
    )]
    NotGenerated { folder: PathBuf, entry: String },
    #[error("{0} exists: choose a new name, or pass --force to replace it")]
    Exists(PathBuf),
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn at(path: &Path) -> impl FnOnce(io::Error) -> GenError + '_ {
    |source| GenError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes the batch to `out`: a folder of TOML files (`unit-000001.toml` …), or JSON Lines when
/// `out` ends in `.jsonl`. Each file is written whole or not at all, a unit at a time and a
/// project at a time within it, so memory stays small whatever the size. An existing file, or
/// a folder that is not empty, is replaced only with `force` — and a folder only when it holds
/// nothing but the unit files of an earlier `gen`, which are removed first so that no old unit
/// mixes into the new batch.
pub fn write(
    out: &Path,
    count: usize,
    projects: usize,
    seed: u64,
    force: bool,
) -> Result<(), GenError> {
    if out.extension().is_some_and(|x| x == "jsonl") {
        if out.exists() && !force {
            return Err(GenError::Exists(out.to_path_buf()));
        }
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(at(parent))?;
        }
        let mut file = AtomicFile::create(out).map_err(at(out))?;
        for unit in generated(count, projects, seed) {
            write_json_line(&mut file, &unit).map_err(at(out))?;
        }
        file.commit().map_err(at(out))
    } else {
        clear_folder(out, force)?;
        std::fs::create_dir_all(out).map_err(at(out))?;
        for (i, unit) in generated(count, projects, seed).enumerate() {
            let path = out.join(format!("unit-{:06}.toml", i + 1));
            let mut file = AtomicFile::create(&path).map_err(at(&path))?;
            write_toml(&mut file, &unit).map_err(at(&path))?;
            file.commit().map_err(at(&path))?;
        }
        Ok(())
    }
}

/// Whether a folder entry is what `gen` writes: `unit-000001.toml`, or the temporary file of
/// one that a killed `gen` left behind (`.unit-000001.toml.a1B2c3.tmp`).
fn written_by_gen(name: &str) -> bool {
    let unit_file = name
        .strip_prefix('.')
        .and_then(|n| n.strip_suffix(TEMP_SUFFIX))
        .and_then(|n| n.rsplit_once('.'))
        .map_or(name, |(unit_file, _random)| unit_file);
    unit_file
        .strip_prefix("unit-")
        .and_then(|n| n.strip_suffix(".toml"))
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// Makes sure the output folder holds no unit file of another batch: it is missing or empty,
/// or, with `force`, held only an earlier `gen`'s files, now removed.
fn clear_folder(out: &Path, force: bool) -> Result<(), GenError> {
    let entries = match std::fs::read_dir(out) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(at(out)(e)),
    };
    let mut generated = Vec::new();
    let mut others = Vec::new();
    for entry in entries {
        let entry = entry.map_err(at(out))?;
        let name = entry.file_name().to_string_lossy().to_string();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && written_by_gen(&name) {
            generated.push(entry.path());
        } else {
            others.push(name);
        }
    }
    if generated.is_empty() && others.is_empty() {
        return Ok(());
    }
    if !force {
        return Err(GenError::NotEmpty(out.to_path_buf()));
    }
    others.sort();
    if let Some(entry) = others.into_iter().next() {
        return Err(GenError::NotGenerated {
            folder: out.to_path_buf(),
            entry,
        });
    }
    for path in generated {
        std::fs::remove_file(&path).map_err(at(&path))?;
    }
    Ok(())
}

/// A unit file's tables, the unit's first; `projects = []` when it has none.
#[derive(Serialize)]
struct Tables<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'a Unit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    projects: Option<&'a [Project]>,
}

fn toml_text(tables: &Tables) -> io::Result<String> {
    toml::to_string(tables).map_err(io::Error::other)
}

/// One unit as TOML, byte for byte what serializing the whole unit file gives, a project at
/// a time.
fn write_toml(out: &mut impl Write, unit: &GeneratedUnit) -> io::Result<()> {
    if unit.projects == 0 {
        let empty = Tables {
            unit: Some(&unit.unit),
            projects: Some(&[]),
        };
        return out.write_all(toml_text(&empty)?.as_bytes());
    }
    let head = Tables {
        unit: Some(&unit.unit),
        projects: None,
    };
    out.write_all(toml_text(&head)?.as_bytes())?;
    for project in unit.projects() {
        let one = Tables {
            unit: None,
            projects: Some(std::slice::from_ref(&project)),
        };
        out.write_all(b"\n")?;
        out.write_all(toml_text(&one)?.as_bytes())?;
    }
    Ok(())
}

/// One unit as a JSON line, byte for byte what serializing the whole unit file gives, a
/// project at a time.
fn write_json_line(out: &mut impl Write, unit: &GeneratedUnit) -> io::Result<()> {
    out.write_all(b"{\"unit\":")?;
    serde_json::to_writer(&mut *out, &unit.unit)?;
    out.write_all(b",\"projects\":[")?;
    for (i, project) in unit.projects().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, &project)?;
    }
    out.write_all(b"]}\n")
}

/// The batch of `units` units with `projects` projects each for `seed`, one unit at a time.
fn generated(units: usize, projects: usize, seed: u64) -> impl Iterator<Item = GeneratedUnit> {
    (0..units).map(move |i| {
        // Each unit has its own stream, so unit i is the same whatever the batch size.
        let rng = Rng(seed ^ (i as u64).wrapping_mul(0xA24B_AED4_963E_E407));
        unit(rng, seed, i, projects)
    })
}

/// The batch in memory, a unit file at a time (for benchmarks).
pub fn units(units: usize, projects: usize, seed: u64) -> impl Iterator<Item = UnitFile> {
    generated(units, projects, seed).map(GeneratedUnit::into_file)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// FNV-1a, 64 bits: a fingerprint of the bytes written, stable across Rust versions.
    fn fingerprint(bytes: &[u8]) -> u64 {
        bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
        })
    }

    fn fingerprint_of(path: &Path) -> u64 {
        fingerprint(&std::fs::read(path).unwrap())
    }

    #[test]
    fn a_seed_gives_the_same_bytes_and_units_that_strain_nothing_are_unchanged() {
        // Fingerprints of the files `gen` wrote when it built each unit whole in memory, before
        // units drew a performance: unit 1 strains nothing and is byte for byte what it was;
        // units 2 and 3 strain and were fingerprinted after that change.
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("seed7");
        write(&folder, 3, 40, 7, false).unwrap();
        let toml: Vec<u64> = (1..=3)
            .map(|i| fingerprint_of(&folder.join(format!("unit-{i:06}.toml"))))
            .collect();
        assert_eq!(
            toml,
            [
                0xf51a_bcc2_25a3_0f5d,
                0x1a0e_5776_0153_ef3e,
                0xf128_4b22_2281_a878
            ]
        );
        let lines = dir.path().join("seed7.jsonl");
        write(&lines, 3, 40, 7, false).unwrap();
        assert_eq!(fingerprint_of(&lines), 0x6384_68b5_fabf_abbc);

        let empty = dir.path().join("empty");
        write(&empty, 1, 0, 3, false).unwrap();
        let empty_toml = fingerprint_of(&empty.join("unit-000001.toml"));
        assert_eq!(empty_toml, 0x1924_b109_5c4a_4210);
        let empty_lines = dir.path().join("empty.jsonl");
        write(&empty_lines, 1, 0, 3, false).unwrap();
        assert_eq!(fingerprint_of(&empty_lines), 0x5fac_13c4_a422_a1ff);
    }

    #[test]
    fn performances_come_in_their_documented_shares() {
        let mut counts = [0usize; 4];
        for index in 0..10_000 {
            counts[strain_of(1, index) as usize] += 1;
        }
        // 优 50%, 良 25%, 中 17%, 差 8%, each within a point of 10,000 draws.
        for (count, (_, share)) in counts.iter().zip(PERFORMANCE_SHARES) {
            let percent = *count as f64 / 100.0;
            assert!((percent - share as f64).abs() < 1.0, "{counts:?}");
        }
    }

    #[test]
    fn a_unit_in_memory_is_the_unit_written() {
        let dir = tempfile::tempdir().unwrap();
        let lines = dir.path().join("b.jsonl");
        write(&lines, 2, 9, 11, false).unwrap();
        let written = std::fs::read_to_string(&lines).unwrap();
        let in_memory: Vec<String> = units(2, 9, 11)
            .map(|u| serde_json::to_string(&u).unwrap())
            .collect();
        assert_eq!(written.lines().collect::<Vec<_>>(), in_memory);
    }

    #[test]
    fn gen_replaces_only_what_an_earlier_gen_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("batch");
        write(&out, 3, 2, 1, false).unwrap();
        assert!(matches!(
            write(&out, 1, 2, 1, false),
            Err(GenError::NotEmpty(_))
        ));
        // A temporary file a killed `gen` left behind is gen's own too.
        std::fs::write(out.join(".unit-000004.toml.x1Y2z3.tmp"), "half").unwrap();
        write(&out, 1, 2, 1, true).unwrap();
        let names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(names, ["unit-000001.toml"], "no old unit mixes in");

        std::fs::write(out.join("mine.toml"), "").unwrap();
        let refused = write(&out, 1, 2, 1, true).unwrap_err();
        assert!(refused.to_string().contains("`mine.toml`"), "{refused}");
        assert!(out.join("mine.toml").exists());
        assert!(out.join("unit-000001.toml").exists());

        let lines = dir.path().join("b.jsonl");
        write(&lines, 1, 2, 1, false).unwrap();
        assert!(matches!(
            write(&lines, 1, 2, 1, false),
            Err(GenError::Exists(_))
        ));
        write(&lines, 2, 2, 1, true).unwrap();
        assert_eq!(std::fs::read_to_string(&lines).unwrap().lines().count(), 2);
    }

    #[test]
    fn generated_file_names_are_recognised_and_nothing_else() {
        for name in [
            "unit-000001.toml",
            "unit-1234567.toml",
            ".unit-000001.toml.a1B2c3.tmp",
        ] {
            assert!(written_by_gen(name), "{name}");
        }
        for name in [
            "unit-.toml",
            "unit-00a001.toml",
            "unit-000001.jsonl",
            "Cargo.toml",
            ".unit-000001.toml.tmp",
            "notes.tmp",
        ] {
            assert!(!written_by_gen(name), "{name}");
        }
    }
}
