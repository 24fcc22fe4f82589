//! `jixiao new-rule`: a rule file with its doc comment and declarations, and a case with a
//! firing record and a near miss, ready to fill in. The scaffold runs as written: `jixiao
//! test --update` accepts its first snapshot. It is created whole or not at all, and never
//! replaces a file.

use jixiao::engine::cause_catalogue::CATEGORIES;
use jixiao::engine::rule_set::RuleScope;
use jixiao::engine::severity::SEVERITIES;
use jixiao::output::atomic_file::AtomicFile;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
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
const TITLE = {TITLE};
const SEVERITY = "{SEVERITY}";
const CATEGORY = "{CATEGORY}";
const SCOPE = "project";

fn check(p, unit, t) {
    if p.executed <= p.budget_adjusted {
        return;
    }
    #{
        message: `全年预算数${wan(p.budget_adjusted)}，全年执行数${wan(p.executed)}。`,
        cause: cause(p, "budget_adjustment"),
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
const TITLE = {TITLE};
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

/// `text` as a Rhai string literal: quotes, backslashes, line breaks and other control
/// characters escaped, so that any title compiles and reads back as written.
fn rhai_string(text: &str) -> String {
    let mut literal = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => literal.push_str("\\\""),
            '\\' => literal.push_str("\\\\"),
            '\n' => literal.push_str("\\n"),
            '\r' => literal.push_str("\\r"),
            '\t' => literal.push_str("\\t"),
            c if c.is_control() => literal.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => literal.push(c),
        }
    }
    literal.push('"');
    literal
}

fn fill(template: &str, args: &Args) -> String {
    template
        .replace("{ID}", &args.id)
        .replace("{TITLE}", &rhai_string(&args.title))
        .replace("{SEVERITY}", &args.severity)
        .replace("{CATEGORY}", &args.category)
}

/// The files and folders `new-rule` created, so that a failure part way removes them again:
/// the scaffold is created whole or not at all.
#[derive(Default)]
struct Created {
    files: Vec<PathBuf>,
    folders: Vec<PathBuf>,
}

impl Created {
    /// Creates `path` holding `text`, never replacing a file that is there.
    fn file(&mut self, path: PathBuf, text: &str) -> Result<(), String> {
        let written = AtomicFile::create(&path).and_then(|mut file| {
            file.write_all(text.as_bytes())?;
            file.commit_new()
        });
        match written {
            Ok(()) => {
                self.files.push(path);
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(format!(
                "{} already exists: pick a new id or remove it",
                path.display()
            )),
            Err(e) => Err(format!("cannot write {}: {e}", path.display())),
        }
    }

    /// Creates `folder` and the folders above it that are missing.
    fn folder(&mut self, folder: &Path) -> Result<(), String> {
        let mut missing: Vec<PathBuf> = folder
            .ancestors()
            .take_while(|f| !f.as_os_str().is_empty() && !f.exists())
            .map(Path::to_path_buf)
            .collect();
        std::fs::create_dir_all(folder)
            .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
        self.folders.append(&mut missing);
        Ok(())
    }

    /// Removes what was created, the deepest first.
    fn undo(self) {
        for file in self.files.iter().rev() {
            let _ = std::fs::remove_file(file);
        }
        for folder in &self.folders {
            let _ = std::fs::remove_dir(folder);
        }
    }
}

/// The case files of the scaffold, and the `expect` and `expect_not` entries of its case.toml.
fn case_files(args: &Args, scope: RuleScope) -> (Vec<(&'static str, String)>, String, String) {
    match scope {
        RuleScope::Project => (
            vec![("unit.toml", fill(PROJECT_CASE, args))],
            format!("{}@P01", args.id),
            format!("{}@P02", args.id),
        ),
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
            let files = vec![
                (
                    "fires.toml",
                    unit(
                        "Fires: TODO describe (as scaffolded: 12 in service, 10 authorized).",
                        &fires,
                        "12",
                    ),
                ),
                (
                    "near-miss.toml",
                    unit(
                        "Near miss: TODO describe (as scaffolded: exactly 10 of 10).",
                        &near,
                        "10",
                    ),
                ),
            ];
            (
                files,
                format!("{}@{fires}", args.id),
                format!("{}@{near}", args.id),
            )
        }
    }
}

pub fn new_rule(args: &Args) -> ExitCode {
    let suggest = jixiao::diagnostic::suggest;
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
    let (files, expect, expect_not) = case_files(args, scope);
    let spec = format!(
        "description = \"TODO: what this case pins for {}.\"\nexpect = [\"{expect}\"]\nexpect_not = [\"{expect_not}\"]\n",
        args.id
    );
    let rule = match scope {
        RuleScope::Project => PROJECT_RULE,
        RuleScope::Unit => UNIT_RULE,
    };
    let mut created = Created::default();
    let written = (|| -> Result<(), String> {
        created.folder(&case_dir)?;
        for (name, text) in &files {
            created.file(case_dir.join(name), text)?;
        }
        created.file(case_dir.join(jixiao::input::load::CASE_FILE), &spec)?;
        // The rule last: were the process killed part way, what is left is a case that
        // `jixiao test` reports, not a rule without a case.
        created.file(args.rules.join(format!("{stem}.rhai")), &fill(rule, args))
    })();
    if let Err(why) = written {
        created.undo();
        eprintln!("jixiao: {why}; nothing was created");
        return ExitCode::from(2);
    }
    super::output(|out| {
        for file in &created.files {
            writeln!(out, "wrote {}", file.display())?;
        }
        writeln!(
            out,
            "next: edit the rule and the case, then `jixiao test --filter {stem}` and `jixiao test --filter {stem} --update`"
        )?;
        Ok(ExitCode::SUCCESS)
    })
}
