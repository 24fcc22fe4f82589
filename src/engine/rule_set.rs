//! Loading a rules directory: the thresholds of `rules.toml`, the cause catalogue of
//! `causes.toml`, the scoring settings of `scoring.toml`, and every `*.rhai` rule, compiled,
//! with its declared id, title, severity, category and scope and its doc comment.
//!
//! Nothing here is compiled into the binary: editing any of these files changes the next run.

use crate::diagnostic::{Problem, ProblemKind};
use crate::engine::cause_catalogue::{CATEGORIES, CatalogueFile, CauseCatalogue};
use crate::engine::guard::Guard;
use crate::engine::script::{self, Thresholds};
use crate::engine::severity::{SEVERITIES, Severity};
use crate::model::scoring_form::{DEFAULT_FORM, ScoringForms, ScoringSettings};
use rhai::{AST, ASTNode, Dynamic, Engine, Expr, ImmutableString, Scope};
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
    pub severity: Severity,
    pub category: String,
    pub scope: RuleScope,
    /// The `//!` doc comment: what it flags, why, an example.
    pub doc: String,
    pub file: String,
    /// The `rules.toml` keys the rule's source mentions.
    pub thresholds: Vec<String>,
    /// Whether `check` takes the findings of the record's other rules as its last parameter
    /// (`check(p, unit, t, earlier)`): such a rule runs after them.
    pub reads_findings: bool,
    /// The rule's `const WHEN = "…";`: projects it does not hold on are not evaluated.
    #[serde(skip)]
    pub when: Option<Guard>,
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
    /// The scoring forms (`scoring/*.toml`), and the one `--scoring` chose for the run.
    pub scoring: ScoringForms,
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
    read_toml_and_text(path, kind).map(|(value, _)| value)
}

/// [`read_toml`], with the text read, to locate what was read in it.
fn read_toml_and_text<T: serde::de::DeserializeOwned>(
    path: &Path,
    kind: ProblemKind,
) -> Result<(T, String), Problem> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Problem::new(kind.clone(), display(path), format!("cannot read: {e}")))?;
    let value = crate::input::load::read_toml_text(kind, path, &text)?;
    Ok((value, text))
}

impl RuleSet {
    /// The thresholds as rules read them, built anew: each worker thread builds its own, so
    /// that threads never share the reference counts of the values they clone on every call.
    pub fn thresholds(&self) -> Thresholds {
        thresholds_of(&self.threshold_values)
    }

    /// `deviation_categories`: the finding categories that are deviations a unit must explain
    /// (checked against the categories when `rules.toml` loads); none when it is not set.
    pub fn deviation_categories(&self) -> Vec<String> {
        let listed = self.threshold_values.get("deviation_categories");
        let items = listed.and_then(toml::Value::as_array).into_iter().flatten();
        items
            .filter_map(|c| c.as_str().map(str::to_string))
            .collect()
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
        toml::Value::Table(table) => Dynamic::from_map(
            table
                .iter()
                .map(|(k, v)| Some((k.as_str().into(), threshold_value(v)?)))
                .collect::<Option<rhai::Map>>()?,
        ),
        _ => return None,
    })
}

/// What is wrong with a threshold named `…_categories`, which lists finding categories
/// (`deviation_categories`): anything but a list of the categories of the output contract.
fn category_list_problem(key: &str, value: &toml::Value) -> Option<String> {
    if !key.ends_with("_categories") {
        return None;
    }
    let Some(items) = value.as_array() else {
        return Some(format!(
            "threshold `{key}` lists finding categories: write a list, e.g. `{key} = [\"execution_rate\"]`"
        ));
    };
    items.iter().find_map(|item| match item.as_str() {
        Some(category) if CATEGORIES.contains(&category) => None,
        Some(category) => Some(format!(
            "threshold `{key}`: `{category}` is not a finding category{}",
            crate::diagnostic::suggest(category, CATEGORIES)
        )),
        None => Some(format!(
            "threshold `{key}` lists finding categories, as text: {item} is not one"
        )),
    })
}

/// One scoring form, validated, named by its file name.
fn read_form(path: &Path) -> Result<ScoringSettings, Problem> {
    let (mut form, text) = read_toml_and_text::<ScoringSettings>(path, ProblemKind::Rules)?;
    form.validate().map_err(|(message, span)| {
        let problem = rules_problem(path, message);
        match span {
            Some(span) => {
                let (line, column) = crate::diagnostic::line_column(&text, span.start);
                problem.at(line, column)
            }
            None => problem,
        }
    })?;
    form.name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(form)
}

/// The scoring forms of `DIR/scoring/`; `run_form` (`--scoring`) names one of them, or is a
/// form file of its own, for every unit of the run.
fn load_forms(
    dir: &Path,
    run_form: Option<&Path>,
    problems: &mut Vec<Problem>,
) -> Option<ScoringForms> {
    let folder = dir.join("scoring");
    let mut forms = BTreeMap::new();
    let entries = match std::fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(rules_problem(
                &folder,
                format!("cannot read the scoring forms: {e}; each form is a file scoring/<name>.toml, `{DEFAULT_FORM}.toml` among them"),
            ));
            return None;
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut failed = false;
    for path in paths {
        match read_form(&path) {
            Ok(form) => {
                forms.insert(form.name.clone(), Arc::new(form));
            }
            Err(p) => {
                failed = true;
                problems.push(p);
            }
        }
    }
    if !forms.contains_key(DEFAULT_FORM) && !failed {
        problems.push(rules_problem(
            &folder,
            format!("there is no default scoring form: add scoring/{DEFAULT_FORM}.toml"),
        ));
        return None;
    }
    let for_the_run = match run_form {
        None => None,
        // A path to a file is a form of its own; anything else names a form of the folder.
        Some(path) if path.is_file() || path.extension().is_some_and(|x| x == "toml") => {
            let form = read_form(path).map_err(|p| problems.push(p)).ok()?;
            let name = form.name.clone();
            // A file named like a form of the folder takes its place for this run.
            forms.insert(name.clone(), Arc::new(form));
            Some(name)
        }
        Some(name) => {
            let name = name.to_string_lossy().into_owned();
            if !forms.contains_key(&name) {
                let known: Vec<&str> = forms.keys().map(String::as_str).collect();
                problems.push(rules_problem(
                    &folder,
                    format!(
                        "--scoring `{name}` is neither a file nor a form in this folder{}",
                        crate::diagnostic::suggest(&name, &known)
                    ),
                ));
                return None;
            }
            Some(name)
        }
    };
    (!failed).then_some(ScoringForms {
        forms,
        default: DEFAULT_FORM.to_string(),
        for_the_run,
    })
}

/// Loads a rules directory; `scoring` is the `--scoring` form for the whole run (a form name
/// of `DIR/scoring/`, or a form file).
pub fn load(dir: &Path, scoring: Option<&Path>) -> Loaded {
    let mut problems = Vec::new();
    let thresholds_path = dir.join("rules.toml");
    let mut locations = ThresholdLocations::new();
    let raw_thresholds = read_toml_and_text::<BTreeMap<String, toml::Spanned<toml::Value>>>(
        &thresholds_path,
        ProblemKind::Rules,
    )
    .map_err(|p| problems.push(p))
    .ok()
    .map(|(spanned, text)| {
        let mut raw = BTreeMap::new();
        for (key, value) in spanned {
            let at = crate::diagnostic::line_column(&text, value.span().start);
            locations.insert(key.clone(), at);
            raw.insert(key, value.into_inner());
        }
        raw
    })
    .map(|mut raw| {
        raw.retain(|key, value| {
            let valid = threshold_value(value).is_some();
            if !valid {
                let message =
                    format!("threshold `{key}` must be a number, text, true/false, a list or a table of them");
                problems.push(rules_problem(&thresholds_path, message));
            }
            let categories = category_list_problem(key, value);
            if let Some(message) = &categories {
                let mut problem = rules_problem(&thresholds_path, message.as_str()).field(key.as_str());
                if let Some((line, column)) = locations.get(key) {
                    problem = problem.at(*line, *column);
                }
                problems.push(problem);
            }
            valid && categories.is_none()
        });
        raw
    });
    let thresholds = raw_thresholds.as_ref().map(thresholds_of);
    let causes_path = dir.join("causes.toml");
    let causes = read_toml_and_text::<CatalogueFile>(&causes_path, ProblemKind::Rules)
        .and_then(|(file, text)| {
            CauseCatalogue::new(file).map_err(|(message, span)| {
                let problem = rules_problem(&causes_path, message);
                match span {
                    Some(span) => {
                        let (line, column) = crate::diagnostic::line_column(&text, span.start);
                        problem.at(line, column)
                    }
                    None => problem,
                }
            })
        })
        .map_err(|p| problems.push(p))
        .ok();
    let scoring = load_forms(dir, scoring, &mut problems);
    let (Some(thresholds), Some(causes), Some(scoring)) = (thresholds, causes, scoring) else {
        return Loaded {
            rule_set: None,
            problems,
        };
    };
    let causes = Arc::new(causes);
    let engine = script::new_engine(causes.clone(), &thresholds);
    let mut rules = Vec::new();
    for path in rule_files(dir, &mut problems) {
        let settings = ThresholdSettings {
            thresholds: &thresholds,
            thresholds_file: &thresholds_path,
            locations: &locations,
        };
        match compile_rule(&engine, &path, &settings) {
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
            scoring,
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

/// How a rule uses a threshold where it reads it, as far as the expression around the read
/// tells: compared or computed with, or shown as an amount or a rate, it must be a number; as
/// the word list of `contains_any`, a list of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ThresholdUse {
    Number,
    Words,
    Unknown,
}

impl ThresholdUse {
    fn of_parent(parent: Option<&ASTNode>) -> ThresholdUse {
        const NUMERIC: &[&str] = &[
            ">", ">=", "<", "<=", "+", "-", "*", "/", "%", "pct", "wan", "fixed", "ratio",
        ];
        match parent {
            Some(ASTNode::Expr(Expr::FnCall(call, _))) if NUMERIC.contains(&call.name.as_str()) => {
                ThresholdUse::Number
            }
            Some(ASTNode::Expr(Expr::FnCall(call, _))) if call.name == "contains_any" => {
                ThresholdUse::Words
            }
            _ => ThresholdUse::Unknown,
        }
    }

    /// Whether `value` (as rules read it) serves this use.
    fn accepts(self, value: &Dynamic) -> bool {
        match self {
            ThresholdUse::Number => value.is_decimal() || value.is_int(),
            ThresholdUse::Words => value
                .read_lock::<rhai::Array>()
                .is_some_and(|items| items.iter().all(Dynamic::is_string)),
            ThresholdUse::Unknown => true,
        }
    }
}

/// One `t.name` in a rule's compiled AST, where it is and how it is used.
struct ThresholdRead {
    key: String,
    line: usize,
    column: usize,
    usage: ThresholdUse,
}

/// Every threshold the rule reads (`t.name`, `t` being the thresholds parameter), found by
/// walking the compiled AST, so comments and strings never count.
fn threshold_reads(ast: &AST) -> Vec<ThresholdRead> {
    let mut reads = Vec::new();
    ast.walk(&mut |path: &[ASTNode]| {
        if let Some(ASTNode::Expr(Expr::Dot(dot, ..))) = path.last()
            && let Expr::Variable(variable, ..) = &dot.lhs
            && variable.1 == "t"
            && let Some((key, position, chained)) = first_property(&dot.rhs)
        {
            // `t.name.get(…)` or `t.name[…]` reads the threshold as a table: its use is the
            // chain's, not the parent's.
            let usage = if chained {
                ThresholdUse::Unknown
            } else {
                ThresholdUse::of_parent(path.len().checked_sub(2).and_then(|i| path.get(i)))
            };
            reads.push(ThresholdRead {
                key,
                line: position.line().unwrap_or(1),
                column: position.position().unwrap_or(1),
                usage,
            });
        }
        true
    });
    reads
}

/// The property a `t.…` chain starts with, where it is, and whether the chain goes on
/// (`t.name.get(k)`, `t.name[k]`).
fn first_property(rhs: &Expr) -> Option<(String, rhai::Position, bool)> {
    match rhs {
        Expr::Property(property, position) => Some((property.2.to_string(), *position, false)),
        Expr::Dot(chain, ..) | Expr::Index(chain, ..) => {
            let (key, position, _) = first_property(&chain.lhs)?;
            Some((key, position, true))
        }
        _ => None,
    }
}

/// The first `p.name` or `unit.name` (the project and unit parameters, named as every rule
/// names them) that reads a field the record does not have: found when the rule loads, so a
/// misspelt field is reported even when a `WHEN` guard or the data never lets the rule reach
/// that line.
fn unknown_field(path: &Path, ast: &AST) -> Option<Problem> {
    let mut problem = None;
    ast.walk(&mut |path_to: &[ASTNode]| {
        if let Some(ASTNode::Expr(Expr::Dot(dot, ..))) = path_to.last()
            && let Expr::Variable(variable, ..) = &dot.lhs
            && let Some(type_name) = match variable.1.as_str() {
                "p" => Some("Project"),
                "unit" => Some("Unit"),
                _ => None,
            }
            && let Some((field, position, _)) = first_property(&dot.rhs)
            && let Some(message) = script::fields::no_such_field(type_name, &field)
        {
            problem = Some(rules_problem(path, message).at(
                position.line().unwrap_or(1),
                position.position().unwrap_or(1),
            ));
        }
        problem.is_none()
    });
    problem
}

/// Where each key of `rules.toml` is written, to point at it.
pub type ThresholdLocations = BTreeMap<String, (usize, usize)>;

/// The first threshold read that `rules.toml` cannot serve: a key it does not define, or a
/// value of the wrong kind for how the rule uses it (`total_tolerance = "0"` compared as a
/// number) — found when the rule is loaded, so `jixiao check` reports it before any record runs.
fn threshold_problem(
    path: &Path,
    reads: &[ThresholdRead],
    settings: &ThresholdSettings,
) -> Option<Problem> {
    let ThresholdSettings {
        thresholds,
        thresholds_file,
        locations,
    } = settings;
    for read in reads {
        let Some(value) = thresholds.0.get(&read.key) else {
            let known: Vec<&str> = thresholds.0.keys().map(String::as_str).collect();
            return Some(
                rules_problem(
                    path,
                    format!(
                        "threshold `{}` is not defined in rules.toml{}",
                        read.key,
                        crate::diagnostic::suggest(&read.key, &known)
                    ),
                )
                .at(read.line, read.column),
            );
        };
        if read.usage.accepts(value) {
            continue;
        }
        let written = match value.clone().try_cast::<ImmutableString>() {
            Some(text) => format!("text (\"{text}\")"),
            None if value.is_bool() => format!("true/false ({value})"),
            None if value.is_array() => "a list".to_string(),
            None => format!("a number ({value})"),
        };
        let advice = match read.usage {
            ThresholdUse::Words => format!(
                "a list of words, e.g. `{} = [\"跨年\", \"尾款\"]`",
                read.key
            ),
            _ => format!("a number without quotes, e.g. `{} = 0.1`", read.key),
        };
        let mut problem = rules_problem(
            thresholds_file,
            format!(
                "threshold `{}` is {written}, but {}:{}:{} uses it as {}: write {advice}",
                read.key,
                display(path),
                read.line,
                read.column,
                match read.usage {
                    ThresholdUse::Words => "a list of words",
                    _ => "a number",
                },
            ),
        )
        .field(read.key.as_str());
        if let Some((line, column)) = locations.get(&read.key) {
            problem = problem.at(*line, *column);
        }
        return Some(problem);
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

/// The rule's optional `const WHEN = "…";`, parsed; an error points at the line and column
/// of the condition where it goes wrong.
fn declared_guard(
    scope: &Scope,
    source: &str,
    path: &Path,
    rule_scope: RuleScope,
) -> Result<Option<Guard>, Problem> {
    if !scope.contains("WHEN") {
        return Ok(None);
    }
    // The declaration's line, and the column just after its opening quote.
    let (line, column) = source
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim_start().starts_with("const WHEN"))
        .and_then(|(i, l)| Some((i + 1, l.chars().position(|c| c == '"')? + 2)))
        .unwrap_or((1, 1));
    let Some(text) = scope.get_value::<ImmutableString>("WHEN") else {
        return Err(
            rules_problem(path, "WHEN must be text: `const WHEN = \"has_reason\";`")
                .at(line, column),
        );
    };
    if rule_scope == RuleScope::Unit {
        return Err(rules_problem(path, "WHEN is only for project rules").at(line, column));
    }
    Guard::parse(&text)
        .map(Some)
        .map_err(|e| rules_problem(path, format!("in WHEN: {}", e.message)).at(line, column + e.at))
}

/// What a rule is checked against when it loads: the thresholds and where `rules.toml` writes
/// each of them.
struct ThresholdSettings<'a> {
    thresholds: &'a Thresholds,
    thresholds_file: &'a Path,
    locations: &'a ThresholdLocations,
}

fn compile_rule(
    engine: &Engine,
    path: &Path,
    settings: &ThresholdSettings,
) -> Result<Rule, Problem> {
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
        let (pos, message) = script::innermost(&e);
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
    let not_allowed = |what: &str, value: &str, allowed: &[&str]| {
        rules_problem(
            path,
            format!(
                "{what} `{value}` is not allowed{}",
                crate::diagnostic::suggest(value, allowed)
            ),
        )
    };
    let one_of = |what: &str, value: &str, allowed: &[&str]| match allowed.contains(&value) {
        true => Ok(()),
        false => Err(not_allowed(what, value, allowed)),
    };
    let severity =
        Severity::of(&severity).ok_or_else(|| not_allowed("SEVERITY", &severity, SEVERITIES))?;
    one_of("CATEGORY", &category, CATEGORIES)?;
    one_of("SCOPE", &scope_name, &["project", "unit"])?;
    let (scope_kind, params) = match scope_name.as_str() {
        "project" => (RuleScope::Project, 3),
        _ => (RuleScope::Unit, 2),
    };
    let when = declared_guard(&scope, &source, path, scope_kind)?;
    let expected_stem = id.to_lowercase();
    if path.file_stem().and_then(|s| s.to_str()) != Some(expected_stem.as_str()) {
        return Err(rules_problem(
            path,
            format!("rule `{id}` must live in a file named `{expected_stem}.rhai`"),
        ));
    }
    // One more parameter, `earlier`, asks for the findings of the record's other rules.
    let arities: Vec<usize> = ast
        .iter_functions()
        .filter(|f| f.name == "check")
        .map(|f| f.params.len())
        .collect();
    let reads_findings = match (arities.contains(&params), arities.contains(&(params + 1))) {
        (true, false) => false,
        (false, true) => true,
        (has_plain, _) => {
            let (plain, reading) = if params == 3 {
                ("check(p, unit, t)", "check(p, unit, t, earlier)")
            } else {
                ("check(unit, t)", "check(unit, t, earlier)")
            };
            let problem = if has_plain {
                format!("a rule has one entry point: `fn {plain}` or `fn {reading}`, not both")
            } else {
                format!(
                    "a {scope_name} rule needs an entry point `fn {plain}` (or `fn {reading}` to read the findings of the other rules)"
                )
            };
            return Err(rules_problem(path, problem));
        }
    };
    let doc = doc_comment(&source);
    if doc.is_empty() {
        return Err(rules_problem(
            path,
            "the rule needs a `//!` doc comment at the top: what it flags, why, and an example",
        )
        .at(1, 1));
    }
    let reads = threshold_reads(&ast);
    if let Some(problem) = threshold_problem(path, &reads, settings) {
        return Err(problem);
    }
    if let Some(problem) = unknown_field(path, &ast) {
        return Err(problem);
    }
    let thresholds_read: std::collections::BTreeSet<String> =
        reads.into_iter().map(|r| r.key).collect();
    let thresholds_read = thresholds_read.into_iter().collect();
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
            reads_findings,
            when,
        }),
        source: source.into(),
    })
}
