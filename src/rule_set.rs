//! Loading a rules directory: the thresholds of `rules.toml`, the cause catalogue of
//! `causes.toml`, the scoring settings of `scoring.toml`, and every `*.rhai` rule, compiled,
//! with its declared id, title, severity, category and scope and its doc comment.
//!
//! Nothing here is compiled into the binary: editing any of these files changes the next run.

use crate::catalogue::{CATEGORIES, CauseCatalogue, SEVERITIES};
use crate::problem::{Problem, ProblemKind};
use crate::score::ScoringSettings;
use crate::script_api::{self, Thresholds};
use rhai::{Dynamic, Engine, ImmutableString, Scope};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleScope {
    Project,
    Unit,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleMeta {
    pub id: String,
    pub title: String,
    pub severity: String,
    pub category: String,
    pub scope: RuleScope,
    /// The `//!` doc comment: what it flags, why, an example.
    pub doc: String,
    pub file: String,
    /// The `rules.toml` keys the rule's source mentions.
    pub thresholds: Vec<String>,
}

#[derive(Clone)]
pub struct Rule {
    pub meta: Arc<RuleMeta>,
    /// The script: each evaluator compiles its own copy (see `evaluate::Evaluator::new`).
    pub source: Arc<str>,
}

#[derive(Clone)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    /// `rules.toml` as read; [`RuleSet::thresholds`] turns it into what rules read.
    pub threshold_values: Arc<BTreeMap<String, toml::Value>>,
    pub causes: Arc<CauseCatalogue>,
    pub scoring: Arc<ScoringSettings>,
}

/// The rule set that loaded, and every problem found while loading (rules with a problem are
/// left out; the rest still run).
pub struct Loaded {
    pub rule_set: Option<RuleSet>,
    pub problems: Vec<Problem>,
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

fn rules_problem(path: &Path, message: impl Into<String>) -> Problem {
    Problem::new(ProblemKind::Rules, display(path), message)
}

/// Reads and deserializes a TOML settings file, locating any error.
pub fn read_toml<T: serde::de::DeserializeOwned>(
    path: &Path,
    kind: ProblemKind,
) -> Result<T, Problem> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Problem::new(kind.clone(), display(path), format!("cannot read: {e}")))?;
    toml::from_str(&text).map_err(|e| crate::load::toml_problem(kind, path, &text, e))
}

impl RuleSet {
    /// The thresholds as rules read them, built anew: each worker thread builds its own, so
    /// that threads never share the reference counts of the values they clone on every call.
    pub fn thresholds(&self) -> Thresholds {
        thresholds_of(&self.threshold_values)
    }
}

fn thresholds_of(raw: &BTreeMap<String, toml::Value>) -> Thresholds {
    Thresholds(Arc::new(
        raw.iter()
            .filter_map(|(k, v)| Some((k.clone(), threshold_value(v)?)))
            .collect(),
    ))
}

fn threshold_value(value: &toml::Value) -> Option<Dynamic> {
    use std::str::FromStr;
    Some(match value {
        toml::Value::Integer(i) => Dynamic::from_int(*i),
        // The shortest representation that reads back as the same float is the text written.
        toml::Value::Float(f) => {
            Dynamic::from_decimal(rust_decimal::Decimal::from_str(&f.to_string()).ok()?)
        }
        toml::Value::String(s) => Dynamic::from(ImmutableString::from(s.as_str())),
        toml::Value::Boolean(b) => Dynamic::from_bool(*b),
        toml::Value::Array(items) => {
            Dynamic::from_array(items.iter().map(threshold_value).collect::<Option<_>>()?)
        }
        _ => return None,
    })
}

/// Loads a rules directory; `scoring` overrides `DIR/scoring.toml`.
pub fn load(dir: &Path, scoring: Option<&Path>) -> Loaded {
    let mut problems = Vec::new();
    let thresholds_path = dir.join("rules.toml");
    let raw_thresholds =
        read_toml::<BTreeMap<String, toml::Value>>(&thresholds_path, ProblemKind::Rules)
            .map_err(|p| problems.push(p))
            .ok()
            .map(|mut raw| {
                raw.retain(|key, value| {
                    let valid = threshold_value(value).is_some();
                    if !valid {
                        let message = format!(
                            "threshold `{key}` must be a number, text, true/false or a list"
                        );
                        problems.push(rules_problem(&thresholds_path, message));
                    }
                    valid
                });
                raw
            });
    let thresholds = raw_thresholds.as_ref().map(thresholds_of);
    let causes_path = dir.join("causes.toml");
    let causes = read_toml::<CauseCatalogue>(&causes_path, ProblemKind::Rules)
        .and_then(|c| {
            c.validate()
                .map(|_| c)
                .map_err(|m| rules_problem(&causes_path, m))
        })
        .map_err(|p| problems.push(p))
        .ok();
    let scoring_path = scoring.map_or_else(|| dir.join("scoring.toml"), Path::to_path_buf);
    let scoring = read_toml::<ScoringSettings>(&scoring_path, ProblemKind::Rules)
        .and_then(|s| {
            s.validate()
                .map(|_| s)
                .map_err(|m| rules_problem(&scoring_path, m))
        })
        .map_err(|p| problems.push(p))
        .ok();
    let (Some(thresholds), Some(causes), Some(scoring)) = (thresholds, causes, scoring) else {
        return Loaded {
            rule_set: None,
            problems,
        };
    };
    let causes = Arc::new(causes);
    let engine = script_api::new_engine(causes.clone(), &thresholds);
    let mut rules = Vec::new();
    for path in rule_files(dir, &mut problems) {
        match compile_rule(&engine, &path, &thresholds) {
            Ok(rule) => rules.push(rule),
            Err(p) => problems.push(p),
        }
    }
    let mut seen = BTreeMap::new();
    for rule in &rules {
        if let Some(other) = seen.insert(rule.meta.id.clone(), rule.meta.file.clone()) {
            problems.push(rules_problem(
                Path::new(&rule.meta.file),
                format!("rule id `{}` is also declared by {other}", rule.meta.id),
            ));
        }
    }
    Loaded {
        rule_set: Some(RuleSet {
            rules,
            threshold_values: Arc::new(raw_thresholds.unwrap_or_default()),
            causes,
            scoring: Arc::new(scoring),
        }),
        problems,
    }
}

fn rule_files(dir: &Path, problems: &mut Vec<Problem>) -> Vec<PathBuf> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(rules_problem(
                dir,
                format!("cannot read the rules directory: {e}"),
            ));
            return Vec::new();
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rhai"))
        .collect();
    files.sort();
    files
}

static THRESHOLD_READ: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"\bt\.([A-Za-z_][A-Za-z0-9_]*)").expect("threshold pattern")
});

/// A `t.name` in the rule that `rules.toml` does not define, found when the rule is loaded
/// (so `jixiao check` reports it) rather than when a record first reaches that line.
fn unknown_threshold(path: &Path, source: &str, thresholds: &Thresholds) -> Option<Problem> {
    let mut offset_of_line = 0;
    for line in source.split_inclusive('\n') {
        let start = offset_of_line;
        offset_of_line += line.len();
        if line.trim_start().starts_with("//") {
            continue;
        }
        for found in THRESHOLD_READ.captures_iter(line) {
            let key = &found[1];
            if thresholds.0.contains_key(key) {
                continue;
            }
            let known: Vec<&str> = thresholds.0.keys().map(String::as_str).collect();
            let (l, c) = crate::problem::line_column(source, start + found.get(1)?.start());
            return Some(
                rules_problem(
                    path,
                    format!(
                        "threshold `{key}` is not defined in rules.toml{}",
                        script_api::suggest(key, &known)
                    ),
                )
                .at(l, c),
            );
        }
    }
    None
}

/// The leading `//!` lines of a rule file, without the markers.
fn doc_comment(source: &str) -> String {
    source
        .lines()
        .map(str::trim_start)
        .take_while(|l| l.starts_with("//!") || l.is_empty())
        .filter_map(|l| l.strip_prefix("//!"))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

fn compile_rule(engine: &Engine, path: &Path, thresholds: &Thresholds) -> Result<Rule, Problem> {
    let source = std::fs::read_to_string(path)
        .map_err(|e| rules_problem(path, format!("cannot read: {e}")))?;
    let ast = engine.compile(&source).map_err(|e| {
        let pos = e.position();
        let problem = rules_problem(path, e.err_type().to_string());
        match (pos.line(), pos.position()) {
            (Some(l), Some(c)) => problem.at(l, c),
            (Some(l), None) => problem.at(l, 1),
            _ => problem,
        }
    })?;
    let mut scope = Scope::new();
    engine.run_ast_with_scope(&mut scope, &ast).map_err(|e| {
        let (pos, message) = script_api::innermost(&e);
        let problem = rules_problem(path, message);
        match (pos.line(), pos.position()) {
            (Some(l), Some(c)) => problem.at(l, c),
            _ => problem,
        }
    })?;
    let declared = |name: &str| -> Result<String, Problem> {
        scope
            .get_value::<ImmutableString>(name)
            .map(|s| s.to_string())
            .ok_or_else(|| {
                rules_problem(
                    path,
                    format!("the rule must declare `const {name} = \"…\";`"),
                )
            })
    };
    let id = declared("ID")?;
    let title = declared("TITLE")?;
    let severity = declared("SEVERITY")?;
    let category = declared("CATEGORY")?;
    let scope_name = declared("SCOPE")?;
    let one_of = |what: &str, value: &str, allowed: &[&str]| {
        if allowed.contains(&value) {
            Ok(())
        } else {
            Err(rules_problem(
                path,
                format!(
                    "{what} `{value}` is not allowed{}",
                    script_api::suggest(value, allowed)
                ),
            ))
        }
    };
    one_of("SEVERITY", &severity, SEVERITIES)?;
    one_of("CATEGORY", &category, CATEGORIES)?;
    one_of("SCOPE", &scope_name, &["project", "unit"])?;
    let (scope_kind, params) = match scope_name.as_str() {
        "project" => (RuleScope::Project, 3),
        _ => (RuleScope::Unit, 2),
    };
    let expected_stem = id.to_lowercase();
    if path.file_stem().and_then(|s| s.to_str()) != Some(expected_stem.as_str()) {
        return Err(rules_problem(
            path,
            format!("rule `{id}` must live in a file named `{expected_stem}.rhai`"),
        ));
    }
    if !ast
        .iter_functions()
        .any(|f| f.name == "check" && f.params.len() == params)
    {
        let signature = if params == 3 {
            "check(p, unit, t)"
        } else {
            "check(unit, t)"
        };
        return Err(rules_problem(
            path,
            format!("a {scope_name} rule needs an entry point `fn {signature}`"),
        ));
    }
    let doc = doc_comment(&source);
    if doc.is_empty() {
        return Err(rules_problem(
            path,
            "the rule needs a `//!` doc comment at the top: what it flags, why, and an example",
        )
        .at(1, 1));
    }
    if let Some(problem) = unknown_threshold(path, &source, thresholds) {
        return Err(problem);
    }
    let thresholds_read = thresholds
        .0
        .keys()
        .filter(|k| source.contains(&format!(".{k}")))
        .cloned()
        .collect();
    Ok(Rule {
        meta: Arc::new(RuleMeta {
            id,
            title,
            severity,
            category,
            scope: scope_kind,
            doc,
            file: display(path),
            thresholds: thresholds_read,
        }),
        source: source.into(),
    })
}
