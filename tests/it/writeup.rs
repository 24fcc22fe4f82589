//! The write-up (`run --format md`) end to end: on the seed it reads like the seed's own §四
//! and §五; on a generated batch no sentence repeats, no two projects merge, and no filing
//! instruction is offered as an improvement; `--out DIR` writes one file per unit.

use crate::common;

use common::{ROOT, jixiao, jixiao_in, text};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::Path;

/// The text of a section, from its heading to the next.
fn section<'t>(text: &'t str, heading: &str) -> &'t str {
    let start = text
        .find(heading)
        .map(|i| i + heading.len())
        .unwrap_or_else(|| panic!("no {heading} in:\n{text}"));
    let rest = &text[start..];
    rest[..rest.find("\n## ").unwrap_or(rest.len())].trim()
}

/// The sentences of a text, cut at 。 and ；, each without its ordinal (一是, 二是 …).
fn sentences(text: &str) -> Vec<&str> {
    text.split(['。', '；'])
        .map(|s| {
            let s = s.trim();
            match s.find('是') {
                Some(i)
                    if s[..i]
                        .chars()
                        .all(|c| "一二三四五六七八九十百千零".contains(c)) =>
                {
                    &s[i + '是'.len_utf8()..]
                }
                _ => s,
            }
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// The first cell after the number of each row of the 问题清单 (the project).
fn listed_projects(write_up: &str) -> Vec<String> {
    section(write_up, "## 问题清单")
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| 序号"))
        .map(|l| l.split(" | ").nth(1).unwrap_or_default().to_string())
        .collect()
}

#[test]
fn the_seed_write_up_reads_like_the_seeds_sections_four_and_five() {
    let out = jixiao(&["run", "cases/lukou-hrss-2023", "--format", "md"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let md = text(&out.stdout);
    let four = md.find("## 四、存在的问题及原因分析").expect("§四");
    let five = md.find("## 五、下一步改进措施").expect("§五");
    let list = md.find("## 问题清单").expect("问题清单");
    let quality = md.find("## 数据质量说明").expect("数据质量说明");
    assert!(four < five && five < list && list < quality, "{md}");

    // §四 1: the seed's three kinds of problem in its order, each with its projects.
    let problems = section(&md, "## 四、存在的问题及原因分析");
    assert!(
        problems.starts_with(
            "1.本单位2023年项目支出存在偏离绩效目标的问题。\
             一是全年执行数低于年初预算数，涉及企业离休人员第十三月基本离休费、数据系统维护费、事业单位工作人员招聘考试经费；\
             二是数量指标的年度指标值与实际完成值差距较大，涉及企业离休人员第十三月基本离休费、数据系统维护费；\
             三是成本指标的年度指标值与实际完成值差距较大，涉及企业离休人员第十三月基本离休费、数据系统维护费、事业单位工作人员招聘考试经费；\
             四是存在跨年度结算，涉及事业单位工作人员招聘考试经费。"
        ),
        "{problems}"
    );
    // §四 2: the seed's three causes in its order, in the unit's words, each quoted once and
    // saying what it explains.
    let causes = &problems[problems.find("2.").expect("§四 2")..];
    assert!(
        causes.starts_with("2.本单位2023年项目支出存在偏离绩效目标的原因主要如下。一是省人社厅对业务系统进行改革创新"),
        "{causes}"
    );
    for (ordinal, words, explains) in [
        (
            "一是",
            "原业务系统不再维护，以致数据系统维护的数量指标和成本指标的年度指标值和实际完成值存在偏差",
            "（涉及数据系统维护费全年执行数低于年初预算数、“维护业务数据系统数量”“数据系统维护费用”指标偏差）",
        ),
        (
            "二是",
            "经与区社保机构核实5位已离世，不再发放离休待遇",
            "（涉及企业离休人员第十三月基本离休费全年执行数低于年初预算数、“发放企业离休人员人数”“第十三月基本离休费发放金额”指标偏差）",
        ),
        (
            "三是",
            "事业单位工作人员招聘考试费用存在一小部分费用未完成结算工作，需跨年度结算",
            "（涉及事业单位工作人员招聘考试经费全年执行数低于年初预算数、存在跨年度结算、“招聘考试经费成本”指标偏差）",
        ),
    ] {
        let item = &causes[causes.find(ordinal).expect(ordinal)..];
        assert!(
            item[..item.find(['；', '。']).unwrap_or(item.len())].contains(words),
            "{ordinal}: {causes}"
        );
        assert_eq!(causes.matches(words).count(), 1, "{causes}");
        assert!(causes.contains(explains), "{causes}");
    }
    assert!(!causes.contains("四是"), "{causes}");
    assert!(
        !causes.contains("实际维护费用减少"),
        "an indicator's reason is not quoted beside the project's own: {causes}"
    );

    // §五 is the seed's own, word for word: the unit's improvement texts, each once.
    assert_eq!(
        section(&md, "## 五、下一步改进措施"),
        "一是在2024年的年初预算时，参照2023年实际发生的费用，详细梳理支出明细，做细预算项目和金额，\
         把准数量指标和成本指标指标值；二是加大涉及预算专项资金支付项目的结算力度，保证年度内已完成\
         工作项目，按照支付要求及时结算。"
    );

    // The figures are in the list; the filing notes are merged and apart.
    let list = section(&md, "## 问题清单");
    assert_eq!(listed_projects(&md).len(), 9, "{list}");
    assert!(list.contains("| 数据系统维护费 | 全年执行数低于年初预算数 | — | 年初预算数20.00万元 | 全年执行数8.56万元 | -11.44万元（-57.20%） | 系统/平台调整 |"), "{list}");
    assert!(list.contains("| 企业离休人员第十三月基本离休费 | 数量指标的年度指标值与实际完成值差距较大 | 发放企业离休人员人数 | ≥6人 | 1人 | -83.33% | 受益对象变化 |"), "{list}");
    let quality = section(&md, "## 数据质量说明");
    assert_eq!(quality.lines().count(), 2, "{quality}");
    assert!(
        quality.contains("- 报告称所属事业单位8个，实际列出5个"),
        "{quality}"
    );
    assert!(
        quality.contains("- 以下18个项目未提供绩效指标，无法评价产出和效益：2022年事业单位工勤人员转聘及选调乡镇事业单位工作人员考试经费、中央和省级就业补助资金、"),
        "{quality}"
    );
}

/// A generated batch in `dir`, its write-ups in `dir/md`, and its findings as JSON.
fn generated(dir: &Path, units: &str) -> serde_json::Value {
    let batch = dir.join("batch");
    let out = jixiao(&[
        "gen",
        "--units",
        units,
        "--seed",
        "7",
        "--out",
        batch.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let md = dir.join("md");
    let out = jixiao(&[
        "run",
        batch.to_str().unwrap(),
        "--format",
        "md",
        "--out",
        md.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    let json = jixiao(&["run", batch.to_str().unwrap(), "--format", "json"]);
    serde_json::from_slice(&json.stdout).unwrap()
}

/// Categories of findings for the filer (数据质量说明), not of problems (存在的问题).
const FILING: &[&str] = &[
    "data_quality",
    "consistency",
    "score_mismatch",
    "unexplained_deviation",
];

#[test]
fn a_generated_batch_repeats_no_sentence_merges_no_project_and_offers_no_filing_instruction() {
    let dir = tempfile::tempdir().unwrap();
    let doc = generated(dir.path(), "40");
    let units = doc["units"].as_array().unwrap();
    assert_eq!(units.len(), 40);
    let mut filing_instructions: HashSet<String> = HashSet::new();
    let mut same_name_pairs_listed = 0;
    for unit in units {
        let code = unit["code"].as_str().unwrap();
        let md = fs::read_to_string(dir.path().join("md").join(format!("{code}.md"))).unwrap();
        let prose = format!(
            "{}。{}",
            section(&md, "## 四、存在的问题及原因分析"),
            section(&md, "## 五、下一步改进措施")
        );
        let mut seen = HashSet::new();
        for sentence in sentences(&prose) {
            assert!(seen.insert(sentence), "{code} repeats “{sentence}”:\n{md}");
        }

        // Each problem is one row under its own project: a project whose name another
        // project of the unit shares is told apart by its code.
        let record: toml::Value =
            toml::from_str(&fs::read_to_string(unit["file"].as_str().unwrap()).unwrap()).unwrap();
        let projects = record["projects"].as_array().unwrap();
        let mut name_count: HashMap<&str, usize> = HashMap::new();
        for p in projects {
            *name_count.entry(p["name"].as_str().unwrap()).or_default() += 1;
            // The unit's words are quoted once at most, however many findings they explain.
            let reason = p["deviation_reason"].as_str().unwrap_or_default();
            let reason = reason.trim().trim_end_matches('。');
            if !reason.is_empty() {
                assert!(
                    prose.matches(reason).count() <= 1,
                    "{code} repeats “{reason}”:\n{md}"
                );
            }
        }
        let mut expected: Vec<String> = Vec::new();
        for f in unit["findings"].as_array().unwrap() {
            let filing = FILING.contains(&f["category"].as_str().unwrap())
                || f["severity"] == "info"
                || f["cause"]["code"] == "data_error";
            if filing {
                filing_instructions.insert(f["suggestion"].as_str().unwrap().to_string());
                continue;
            }
            expected.push(match f["project_name"].as_str() {
                None => "部门整体".to_string(),
                Some(name) if name_count[name] == 1 => name.to_string(),
                Some(name) => format!("{name}（{}）", f["project"].as_str().unwrap()),
            });
        }
        let mut listed = listed_projects(&md);
        listed.sort();
        expected.sort();
        assert_eq!(listed, expected, "{code}:\n{md}");
        let listed_twice: BTreeMap<&str, HashSet<&str>> =
            listed.iter().fold(BTreeMap::new(), |mut by_name, subject| {
                if let Some((name, _)) = subject.split_once('（') {
                    by_name.entry(name).or_default().insert(subject.as_str());
                }
                by_name
            });
        same_name_pairs_listed += listed_twice.values().filter(|s| s.len() > 1).count();
    }
    assert!(
        same_name_pairs_listed > 0,
        "the batch should hold two listed projects of one name"
    );
    assert!(filing_instructions.len() >= 3, "{filing_instructions:?}");
    for unit in units {
        let code = unit["code"].as_str().unwrap();
        let md = fs::read_to_string(dir.path().join("md").join(format!("{code}.md"))).unwrap();
        let improvements = section(&md, "## 五、下一步改进措施");
        for instruction in &filing_instructions {
            let instruction = instruction.trim_end_matches('。');
            assert!(
                !improvements.contains(instruction),
                "{code} offers “{instruction}” as an improvement:\n{md}"
            );
        }
    }
}

#[test]
fn out_writes_one_file_per_unit_named_safely_by_its_code() {
    let dir = tempfile::tempdir().unwrap();
    let seed = fs::read_to_string(Path::new(ROOT).join("cases/lukou-hrss-2023/unit.toml")).unwrap();
    let units = dir.path().join("units");
    fs::create_dir(&units).unwrap();
    fs::write(units.join("a.toml"), &seed).unwrap();
    let odd = seed.replace("code = \"430212-RSJ\"", "code = \"../渌口 2023/1\"");
    assert_ne!(odd, seed);
    fs::write(units.join("b.toml"), odd).unwrap();
    let out_dir = dir.path().join("write-ups");
    let run = |args: &[&str]| jixiao_in(Path::new(ROOT), args);
    let units_arg = units.to_str().unwrap();
    let out_arg = out_dir.to_str().unwrap();
    for _ in 0..2 {
        let out = run(&["run", units_arg, "--format", "md", "--out", out_arg]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(out.stdout.is_empty());
        assert!(
            text(&out.stderr).contains("wrote 2 write-ups"),
            "{}",
            text(&out.stderr)
        );
        let mut names: Vec<String> = fs::read_dir(&out_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        assert_eq!(names, ["%2E.%2F渌口%202023%2F1.md", "430212-RSJ.md"]);
    }
    let alone = run(&[
        "run",
        units.join("a.toml").to_str().unwrap(),
        "--format",
        "md",
    ]);
    assert_eq!(
        fs::read_to_string(out_dir.join("430212-RSJ.md")).unwrap(),
        text(&alone.stdout),
        "a unit's file holds what stdout shows for it"
    );

    let wrong = run(&["run", units_arg, "--out", out_arg]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(
        text(&wrong.stderr).contains("--format md"),
        "{}",
        text(&wrong.stderr)
    );

    // A unit whose file cannot be written is reported; the others are still written.
    let blocked = dir.path().join("blocked");
    fs::create_dir_all(blocked.join("430212-RSJ.md")).unwrap();
    let out = run(&[
        "run",
        units_arg,
        "--format",
        "md",
        "--out",
        blocked.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("cannot write the write-up of unit `430212-RSJ`"),
        "{}",
        text(&out.stderr)
    );
    assert!(blocked.join("%2E.%2F渌口%202023%2F1.md").is_file());

    let file = dir.path().join("a-file");
    fs::write(&file, "mine").unwrap();
    let taken = run(&[
        "run",
        units_arg,
        "--format",
        "md",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(taken.status.code(), Some(2));
    assert!(
        text(&taken.stderr).contains("cannot create the folder"),
        "{}",
        text(&taken.stderr)
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
}
