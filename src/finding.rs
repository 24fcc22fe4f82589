//! Findings: what a rule reports about one unit or project, in the fields of the output
//! contract (rule, severity, category, unit, project, indicator, message, cause, suggestion,
//! evidence). A rule returns plain Rhai maps; this module checks them and fills in what the
//! rule's declaration and the cause catalogue already say.

use crate::catalogue::CauseCatalogue;
use crate::rule_set::RuleMeta;
use rhai::{Dynamic, Map};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cause {
    pub code: String,
    pub text: String,
}

/// One evidence figure: decimals serialize as exact strings (`"8.56"`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Evidence {
    Decimal(#[serde(serialize_with = "plain_decimal")] Decimal),
    Integer(i64),
    Bool(bool),
    Text(String),
    List(Vec<Evidence>),
}

fn plain_decimal<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&crate::format::plain(*d))
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub severity: String,
    pub category: String,
    pub unit: String,
    pub project: Option<String>,
    pub project_name: Option<String>,
    pub indicator: Option<String>,
    pub message: String,
    pub cause: Cause,
    pub suggestion: String,
    pub evidence: BTreeMap<String, Evidence>,
}

const FINDING_KEYS: &[&str] = &["message", "cause", "suggestion", "indicator", "evidence"];

/// Where a finding is about.
pub struct Subject<'a> {
    pub unit: &'a str,
    pub project: Option<(&'a str, &'a str)>,
}

fn evidence_of(value: &Dynamic) -> Result<Evidence, String> {
    if let Some(d) = value.clone().try_cast::<Decimal>() {
        Ok(Evidence::Decimal(d))
    } else if let Ok(i) = value.as_int() {
        Ok(Evidence::Integer(i))
    } else if let Ok(b) = value.as_bool() {
        Ok(Evidence::Bool(b))
    } else if value.is_string() {
        Ok(Evidence::Text(value.to_string()))
    } else if value.is_array() {
        value
            .clone()
            .cast::<rhai::Array>()
            .iter()
            .map(evidence_of)
            .collect::<Result<_, _>>()
            .map(Evidence::List)
    } else {
        Err(format!(
            "evidence values must be numbers, text, booleans or lists; got {}",
            value.type_name()
        ))
    }
}

fn text_field(map: &Map, key: &str) -> Result<Option<String>, String> {
    match map.get(key) {
        None => Ok(None),
        Some(v) if v.is_unit() => Ok(None),
        Some(v) if v.is_string() => Ok(Some(v.to_string())),
        Some(v) => Err(format!(
            "finding field `{key}` must be text, not {}",
            v.type_name()
        )),
    }
}

impl Finding {
    /// Builds a finding from the map a rule returned, rejecting unknown or missing fields and
    /// cause codes outside the catalogue.
    pub fn from_script(
        value: Dynamic,
        meta: &RuleMeta,
        subject: &Subject,
        causes: &CauseCatalogue,
    ) -> Result<Finding, String> {
        let Some(map) = value.clone().try_cast::<Map>() else {
            return Err(format!(
                "a finding must be a map, not {}",
                value.type_name()
            ));
        };
        for key in map.keys() {
            if !FINDING_KEYS.contains(&key.as_str()) {
                return Err(format!(
                    "finding has no field `{key}`{}",
                    crate::script_api::suggest(key, FINDING_KEYS)
                ));
            }
        }
        let message = text_field(&map, "message")?.ok_or("a finding needs a `message`")?;
        let cause_map = map
            .get("cause")
            .and_then(|c| c.clone().try_cast::<Map>())
            .ok_or(
                "a finding needs a `cause`: use cause(reason, fallback_code) or cause_of(code)",
            )?;
        let code = text_field(&cause_map, "code")?.ok_or("the cause needs a `code`")?;
        let catalogued = causes.get(&code).ok_or_else(|| {
            format!(
                "unknown cause code `{code}`{}",
                crate::script_api::suggest(&code, crate::catalogue::CAUSE_CODES)
            )
        })?;
        let cause_text =
            text_field(&cause_map, "text")?.unwrap_or_else(|| catalogued.label.clone());
        let suggestion =
            text_field(&map, "suggestion")?.unwrap_or_else(|| catalogued.suggestion.clone());
        let evidence = match map.get("evidence") {
            None => BTreeMap::new(),
            Some(e) => e
                .clone()
                .try_cast::<Map>()
                .ok_or("finding field `evidence` must be a map")?
                .iter()
                .map(|(k, v)| Ok((k.to_string(), evidence_of(v)?)))
                .collect::<Result<_, String>>()?,
        };
        Ok(Finding {
            rule: meta.id.clone(),
            severity: meta.severity.clone(),
            category: meta.category.clone(),
            unit: subject.unit.to_string(),
            project: subject.project.map(|(code, _)| code.to_string()),
            project_name: subject.project.map(|(_, name)| name.to_string()),
            indicator: text_field(&map, "indicator")?,
            message,
            cause: Cause {
                code,
                text: cause_text,
            },
            suggestion,
            evidence,
        })
    }
}
