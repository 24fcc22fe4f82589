//! Case snapshots: `cases/<name>/findings.snap`, the very files the insta test
//! (`tests/it/cases.rs`) reads and writes, in insta's format — a YAML header between `---` lines,
//! then the case's outcome as insta serializes it — so that `jixiao test` and
//! `cargo insta review` always agree. Also the findings-level difference between a stored
//! snapshot and a new outcome: which findings appeared, disappeared or changed, field by field.

mod insta_format;

use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

pub const SNAPSHOT_FILE: &str = "findings.snap";

/// The snapshot body for an outcome, exactly as `insta::assert_yaml_snapshot!` writes it.
pub fn body(outcome: &impl Serialize) -> String {
    insta_format::to_yaml(outcome).expect("outcomes serialize")
}

/// A stored snapshot: its header (kept when the body is rewritten) and its body.
pub struct Stored {
    pub header: String,
    pub body: String,
}

pub fn read(path: &Path) -> std::io::Result<Option<Stored>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(split(&text))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Header and body where insta splits them: the header runs from a first line `---` to the
/// next line `---`, trailing whitespace (a CRLF line end) ignored on both.
fn split(text: &str) -> Stored {
    let is_fence = |line: &str| line.trim_end() == "---";
    let mut lines = text.split_inclusive('\n');
    if let Some(first) = lines.next().filter(|l| is_fence(l)) {
        let mut end = first.len();
        for line in lines {
            end += line.len();
            if is_fence(line) {
                let (header, body) = text.split_at(end);
                return Stored {
                    header: header.to_string(),
                    body: body.to_string(),
                };
            }
        }
    }
    Stored {
        header: String::new(),
        body: text.to_string(),
    }
}

/// Whether a stored body and a new one match as insta compares them.
pub fn matches(stored: &str, new: &str) -> bool {
    insta_format::same_body(stored, new)
}

/// Writes a snapshot, keeping the stored header or, for a new snapshot, writing the header
/// insta would. The old snapshot stays whole until the new one is complete.
pub fn write(
    path: &Path,
    stored: Option<&Stored>,
    description: &str,
    case_file: &str,
    body: &str,
) -> std::io::Result<()> {
    let header = match stored {
        Some(s) if !s.header.is_empty() => s.header.clone(),
        _ => {
            let description = insta_format::to_yaml(&description.trim()).expect("text serializes");
            format!(
                "---\nsource: tests/it/cases.rs\ndescription: {}\ninput_file: {case_file}\n---\n",
                description.trim()
            )
        }
    };
    let mut text = header;
    text.push_str(body.trim_end());
    text.push('\n');
    crate::output::atomic_file::write(path, text.as_bytes())
}

/// A change between a stored outcome and a new one. A finding that appeared or disappeared
/// comes with its message, to review it without opening the snapshot (errors carry theirs in
/// the label).
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Appeared(String, Option<String>),
    Disappeared(String, Option<String>),
    /// A finding whose fields changed: (finding, [(field, old, new)]).
    Changed(String, Vec<(String, String, String)>),
}

/// Reads a snapshot's body (YAML) into JSON-like values; why not, when it is not a case
/// outcome (a truncated or hand-edited file), with the line and column in the file.
fn parse(stored: &Stored) -> Result<Value, String> {
    fn convert(yaml: &yaml_rust2::Yaml) -> Value {
        use yaml_rust2::Yaml;
        match yaml {
            Yaml::String(s) | Yaml::Real(s) => Value::String(s.clone()),
            Yaml::Integer(i) => Value::from(*i),
            Yaml::Boolean(b) => Value::Bool(*b),
            Yaml::Array(items) => Value::Array(items.iter().map(convert).collect()),
            Yaml::Hash(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.as_str().unwrap_or_default().to_string(), convert(v)))
                    .collect(),
            ),
            _ => Value::Null,
        }
    }
    let docs = yaml_rust2::YamlLoader::load_from_str(&stored.body).map_err(|e| {
        let at = e.marker();
        let line = stored.header.lines().count() + at.line();
        format!("{} at line {line}, column {}", e.info(), at.col() + 1)
    })?;
    let outcome = docs.first().map(convert).ok_or("it is empty")?;
    if !outcome["units"].is_array() {
        return Err("it holds no `units` list".to_string());
    }
    Ok(outcome)
}

/// `RULE@UNIT/PROJECT · indicator`, the name a finding goes by in a diff.
fn label(finding: &Value) -> String {
    let text = |key: &str| finding[key].as_str().unwrap_or("").to_string();
    let mut label = format!("{}@{}", text("rule"), text("unit"));
    if let Some(project) = finding["project"].as_str() {
        label.push('/');
        label.push_str(project);
    }
    if let Some(indicator) = finding["indicator"].as_str() {
        label.push_str(&format!(" · {indicator}"));
    }
    label
}

/// Leaf fields of a value as dotted paths (`cause.code`, `evidence.gap`).
fn leaves(value: &Value, prefix: &str, out: &mut BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                leaves(v, &path, out);
            }
        }
        Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

/// A finding or an error of an outcome, and the finding's message.
struct Entry {
    value: Value,
    message: Option<String>,
}

/// Findings and errors keyed by label, repeated labels numbered in order.
fn keyed(outcome: &Value) -> BTreeMap<String, Entry> {
    let mut keyed = BTreeMap::new();
    let mut add = |label: String, entry: Entry| {
        let mut key = label.clone();
        let mut n = 1;
        while keyed.contains_key(&key) {
            n += 1;
            key = format!("{label} #{n}");
        }
        keyed.insert(key, entry);
    };
    for unit in outcome["units"].as_array().into_iter().flatten() {
        for finding in unit["findings"].as_array().into_iter().flatten() {
            let message = finding["message"].as_str().map(str::to_string);
            let entry = Entry {
                value: finding.clone(),
                message,
            };
            add(label(finding), entry);
        }
    }
    for error in outcome["errors"].as_array().into_iter().flatten() {
        let text = |key: &str| error[key].as_str().unwrap_or("").to_string();
        let entry = Entry {
            value: error.clone(),
            message: None,
        };
        add(
            format!("error {}: {}", text("file"), text("message")),
            entry,
        );
    }
    keyed
}

/// What changed from a stored snapshot to a new outcome; why the stored snapshot cannot be
/// compared when it is not a readable outcome.
pub fn diff(stored: &Stored, outcome: &impl Serialize) -> Result<Vec<Change>, String> {
    let old = keyed(&parse(stored)?);
    let new = keyed(&serde_json::to_value(outcome).expect("outcomes serialize"));
    let mut changes = Vec::new();
    for (
        key,
        Entry {
            value: old_value,
            message,
        },
    ) in &old
    {
        match new.get(key).map(|entry| &entry.value) {
            None => changes.push(Change::Disappeared(key.clone(), message.clone())),
            Some(new_value) if new_value != old_value => {
                let (mut before, mut after) = (BTreeMap::new(), BTreeMap::new());
                leaves(old_value, "", &mut before);
                leaves(new_value, "", &mut after);
                let fields: std::collections::BTreeSet<&String> =
                    before.keys().chain(after.keys()).collect();
                let differing = fields
                    .into_iter()
                    .filter(|f| before.get(*f) != after.get(*f))
                    .map(|f| {
                        let show = |m: &BTreeMap<String, String>| {
                            m.get(f).cloned().unwrap_or_else(|| "(none)".into())
                        };
                        (f.clone(), show(&before), show(&after))
                    })
                    .collect();
                changes.push(Change::Changed(key.clone(), differing));
            }
            Some(_) => {}
        }
    }
    for (key, entry) in new.iter().filter(|(k, _)| !old.contains_key(*k)) {
        changes.push(Change::Appeared(key.clone(), entry.message.clone()));
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_saved_with_crlf_line_ends_splits_and_matches_as_insta_reads_it() {
        let stored =
            split("---\r\nsource: tests/it/cases.rs\r\n---\r\nunits: []\r\nerrors: []\r\n");
        assert_eq!(stored.header, "---\r\nsource: tests/it/cases.rs\r\n---\r\n");
        assert!(matches(&stored.body, "units: []\nerrors: []\n"));
    }

    #[test]
    fn a_file_without_a_header_is_all_body() {
        let stored = split("units: []\n");
        assert_eq!(
            (stored.header.as_str(), stored.body.as_str()),
            ("", "units: []\n")
        );
    }
}
