//! `jixiao new-rule`: a rule file with its doc comment and declarations, and a case with a
//! firing record and a near miss, ready to fill in. The scaffold runs as written: `jixiao
//! test --update` accepts its first snapshot.

use jixiao::catalogue::{CATEGORIES, SEVERITIES};
use jixiao::rule_set::RuleScope;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The rule's id, in capitals with hyphens (e.g. `TRAINING-COST-HIGH`).
    pub id: String,
    #[arg(long)]
    pub category: String,
    #[arg(long, value_enum)]
    pub scope: ScopeArg,
    #[arg(long, default_value = "warning")]
    pub severity: String,
    /// The one-line Chinese title.
    #[arg(long, default_value = "待填写：规则标题")]
    pub title: String,
    #[arg(long, default_value = "rules")]
    pub rules: PathBuf,
    #[arg(long, default_value = "cases")]
    pub cases: PathBuf,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ScopeArg {
    Project,
    Unit,
}

const PROJECT_RULE: &str = r#"//! TODO: what this rule flags, in one line (中文名称).
//!
//! TODO: why it matters. As scaffolded it flags a project that spent more than its adjusted
//! budget; change `check` to your criterion and this comment to match.
//!
//! Example: budget_adjusted 10.00, executed 12.00 → reported.
//! Near miss: budget_adjusted 10.00, executed 10.00 → not reported.

const ID = "{ID}";
const TITLE = "{TITLE}";
const SEVERITY = "{SEVERITY}";
const CATEGORY = "{CATEGORY}";
const SCOPE = "project";

fn check(p, unit, t) {
    if p.executed <= p.budget_adjusted {
        return;
    }
    #{
        message: `全年预算数${wan(p.budget_adjusted)}，全年执行数${wan(p.executed)}。`,
        cause: cause(p.deviation_reason, "budget_adjustment"),
        evidence: #{ budget_adjusted: p.budget_adjusted, executed: p.executed },
    }
}
"#;

const UNIT_RULE: &str = r#"//! TODO: what this rule flags, in one line (中文名称).
//!
//! TODO: why it matters. As scaffolded it flags a unit whose in-service staff exceeds its
//! authorized establishment; change `check` to your criterion and this comment to match.
//!
//! Example: authorized 10, in service 12 → reported.
//! Near miss: authorized 10, in service 10 → not reported.

const ID = "{ID}";
const TITLE = "{TITLE}";
const SEVERITY = "{SEVERITY}";
const CATEGORY = "{CATEGORY}";
const SCOPE = "unit";

fn check(unit, t) {
    let staff = unit.staff;
    if staff == () || staff.authorized == () || staff.in_service == () || staff.in_service <= staff.authorized {
        return;
    }
    #{
        message: `编制数${staff.authorized}人，在职人数${staff.in_service}人。`,
        cause: cause_of("unexplained"),
        evidence: #{ authorized: staff.authorized, in_service: staff.in_service },
    }
}
"#;

const PROJECT_CASE: &str = r#"# Fires: TODO describe (as scaffolded: executed 12.00 above budget 10.00).
[unit]
code = "CASE-{ID}"
name = "{ID} 测试单位"
year = 2023

[[projects]]
code = "P01"
name = "待填写：触发项目"
budget_initial = 10.00
budget_adjusted = 10.00
executed = 12.00
deviation_reason = "待填写：偏差原因"

  [[projects.indicators]]
  level1 = "产出指标"
  level2 = "质量指标"
  name = "资金发放准确率"
  target = "=100%"
  actual = "100%"
  weight = 10

# Near miss: TODO describe (as scaffolded: executed exactly the budget).
[[projects]]
code = "P02"
name = "待填写：临界项目"
budget_initial = 10.00
budget_adjusted = 10.00
executed = 10.00

  [[projects.indicators]]
  level1 = "产出指标"
  level2 = "质量指标"
  name = "资金发放准确率"
  target = "=100%"
  actual = "100%"
  weight = 10
"#;

const UNIT_CASE: &str = r#"# {WHAT}
[unit]
code = "{CODE}"
name = "{ID} 测试单位"
year = 2023

[unit.staff]
authorized = 10
total = {TOTAL}
in_service = {IN_SERVICE}
retired = 0

[[projects]]
code = "P01"
name = "待填写：项目"
budget_initial = 10.00
budget_adjusted = 10.00
executed = 10.00

  [[projects.indicators]]
  level1 = "产出指标"
  level2 = "质量指标"
  name = "资金发放准确率"
  target = "=100%"
  actual = "100%"
  weight = 10
"#;

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

fn fill(template: &str, args: &Args) -> String {
    template
        .replace("{ID}", &args.id)
        .replace("{TITLE}", &args.title)
        .replace("{SEVERITY}", &args.severity)
        .replace("{CATEGORY}", &args.category)
}

fn write_new(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    println!("wrote {}", path.display());
    Ok(())
}

pub fn new_rule(args: &Args) -> ExitCode {
    let suggest = jixiao::script_api::suggest;
    if !valid_id(&args.id) {
        eprintln!("jixiao: a rule id is capitals, digits and hyphens, like `TRAINING-COST-HIGH`");
        return ExitCode::from(2);
    }
    if !CATEGORIES.contains(&args.category.as_str()) {
        eprintln!(
            "jixiao: category `{}` is not allowed{}",
            args.category,
            suggest(&args.category, CATEGORIES)
        );
        return ExitCode::from(2);
    }
    if !SEVERITIES.contains(&args.severity.as_str()) {
        eprintln!(
            "jixiao: severity `{}` is not allowed{}",
            args.severity,
            suggest(&args.severity, SEVERITIES)
        );
        return ExitCode::from(2);
    }
    let stem = args.id.to_lowercase();
    let scope = match args.scope {
        ScopeArg::Project => RuleScope::Project,
        ScopeArg::Unit => RuleScope::Unit,
    };
    let case_dir = args.cases.join(&stem);
    let written = (|| -> std::io::Result<()> {
        let rule = if scope == RuleScope::Project {
            PROJECT_RULE
        } else {
            UNIT_RULE
        };
        write_new(&args.rules.join(format!("{stem}.rhai")), &fill(rule, args))?;
        std::fs::create_dir_all(&case_dir)?;
        let (expect, expect_not) = match scope {
            RuleScope::Project => {
                write_new(&case_dir.join("unit.toml"), &fill(PROJECT_CASE, args))?;
                (format!("{}@P01", args.id), format!("{}@P02", args.id))
            }
            RuleScope::Unit => {
                let unit = |what: &str, code: &str, in_service: &str| {
                    fill(UNIT_CASE, args)
                        .replace("{WHAT}", what)
                        .replace("{CODE}", code)
                        .replace("{TOTAL}", in_service)
                        .replace("{IN_SERVICE}", in_service)
                };
                let fires = format!("CASE-{}-FIRES", args.id);
                let near = format!("CASE-{}-NEAR-MISS", args.id);
                write_new(
                    &case_dir.join("fires.toml"),
                    &unit(
                        "Fires: TODO describe (as scaffolded: 12 in service, 10 authorized).",
                        &fires,
                        "12",
                    ),
                )?;
                write_new(
                    &case_dir.join("near-miss.toml"),
                    &unit(
                        "Near miss: TODO describe (as scaffolded: exactly 10 of 10).",
                        &near,
                        "10",
                    ),
                )?;
                (
                    format!("{}@{fires}", args.id),
                    format!("{}@{near}", args.id),
                )
            }
        };
        let spec = format!(
            "description = \"TODO: what this case pins for {}.\"\nexpect = [\"{expect}\"]\nexpect_not = [\"{expect_not}\"]\n",
            args.id
        );
        write_new(&case_dir.join(jixiao::load::CASE_FILE), &spec)
    })();
    if let Err(e) = written {
        eprintln!("jixiao: {e} (nothing is overwritten: pick a new id or remove the old files)");
        return ExitCode::from(2);
    }
    println!(
        "next: edit the rule and the case, then `jixiao test --filter {stem}` and `jixiao test --filter {stem} --update`"
    );
    ExitCode::SUCCESS
}
