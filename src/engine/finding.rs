//! Findings: what a rule reports about one unit or project, in the fields of the output
//! contract (rule, severity, category, unit, project, indicator, message, cause, suggestion,
//! evidence), with the other causes the unit's reason names. A rule returns plain Rhai maps;
//! this module checks them and fills in what the rule's declaration and the cause catalogue
//! already say.

use crate::engine::cause_catalogue::{self, CauseCatalogue};
use crate::engine::rule_set::RuleMeta;
use crate::engine::severity::Severity;
use rhai::{Dynamic, Map};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cause {
    pub code: String,
    pub text: String,
}

/// A finding's causes as `cause(…)` and `cause_of(…)` give them: the primary one (none when
/// the unit gave no reason), and the others the reason names, each with the clause naming it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Causes {
    pub primary: Option<Cause>,
    pub others: Vec<Cause>,
}

impl Causes {
    /// A unit's reason read by the catalogue: none for an empty reason; else the cause it names
    /// most strongly, or `fallback` when it names none, with the unit's words as its text.
    pub fn from_reason(
        catalogue: &CauseCatalogue,
        reason: &str,
        fallback: &str,
    ) -> Result<Causes, String> {
        let fallback = catalogue.cause(fallback)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Ok(Causes::default());
        }
        let named = catalogue.classify(reason);
        let primary = named.first().map_or(fallback, |(cause, _)| *cause);
        Ok(Causes::with(primary, reason, &named))
    }

    /// `cause(p, fallback)` and `cause(p, ind, fallback)`: the unit's reason as
    /// [`Causes::from_reason`] reads it; when there is none, what the data shows — an
    /// unsettled amount (跨年度结算) is the cause of money not spent in the year — else no
    /// cause.
    pub fn of_deviation(
        catalogue: &CauseCatalogue,
        reason: &str,
        fallback: &str,
        unsettled: Decimal,
    ) -> Result<Causes, String> {
        let from_reason = Causes::from_reason(catalogue, reason, fallback)?;
        if from_reason.primary.is_none() && unsettled > Decimal::ZERO {
            return Causes::given(catalogue, CROSS_YEAR_SETTLEMENT, "");
        }
        Ok(from_reason)
    }

    /// `cause_of(code, reason)`: the cause the data shows, with the unit's words as its text
    /// (the label when there are none) and the other causes they name.
    pub fn given(catalogue: &CauseCatalogue, code: &str, reason: &str) -> Result<Causes, String> {
        let cause = catalogue.cause(code)?;
        let reason = reason.trim();
        let text = if reason.is_empty() {
            &cause.label
        } else {
            reason
        };
        Ok(Causes::with(cause, text, &catalogue.classify(reason)))
    }

    fn with(
        primary: &cause_catalogue::Cause,
        text: &str,
        named: &[(&cause_catalogue::Cause, &str)],
    ) -> Causes {
        Causes {
            primary: Some(Cause {
                code: primary.code.clone(),
                text: text.to_string(),
            }),
            others: named
                .iter()
                .filter(|(cause, _)| cause.code != primary.code)
                .map(|(cause, clause)| Cause {
                    code: cause.code.clone(),
                    text: clause.to_string(),
                })
                .collect(),
        }
    }
}

/// The standard cause an unsettled amount shows.
const CROSS_YEAR_SETTLEMENT: &str = "cross_year_settlement";

/// One evidence figure: decimals serialize as exact strings (`"8.56"`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Evidence {
    Decimal(#[serde(serialize_with = "crate::number_text::plain_decimal")] Decimal),
    Integer(i64),
    Bool(bool),
    Text(String),
    List(Vec<Evidence>),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub category: String,
    pub unit: String,
    pub project: Option<String>,
    pub project_name: Option<String>,
    pub indicator: Option<String>,
    pub message: String,
    /// None when the unit gave no reason: a missing reason is a problem, not a cause.
    pub cause: Option<Cause>,
    /// Further causes the unit's reason names, each with the clause that names it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_causes: Vec<Cause>,
    pub suggestion: String,
    pub evidence: BTreeMap<String, Evidence>,
    /// The reviewer's reason when a `[[suppress]]` entry of the unit accepts this finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<String>,
}

/// The id of the built-in finding for a `[[suppress]]` entry that matches nothing.
pub const UNUSED_SUPPRESSION: &str = "SUPPRESSION-UNUSED";

const FINDING_KEYS: &[&str] = &["message", "cause", "suggestion", "indicator", "evidence"];

/// Where a finding is about.
pub struct Subject<'a> {
    pub unit: &'a str,
    pub project: Option<(&'a str, &'a str)>,
}

fn evidence_of(value: &Dynamic) -> Result<Evidence, String> {
    if let Ok(d) = value.as_decimal() {
        Ok(Evidence::Decimal(d))
    } else if let Ok(i) = value.as_int() {
        Ok(Evidence::Integer(i))
    } else if let Ok(b) = value.as_bool() {
        Ok(Evidence::Bool(b))
    } else if let Ok(s) = value.as_immutable_string_ref() {
        Ok(Evidence::Text(s.as_str().to_owned()))
    } else if let Ok(items) = value.as_array_ref() {
        items
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
    let Some(v) = map.get(key) else {
        return Ok(None);
    };
    if v.is_unit() {
        return Ok(None);
    }
    match v.as_immutable_string_ref() {
        Ok(s) => Ok(Some(s.as_str().to_owned())),
        Err(_) => Err(format!(
            "finding field `{key}` must be text, not {}",
            v.type_name()
        )),
    }
}

impl Finding {
    /// Whether a suppression entry covers this finding.
    pub fn is_covered_by(&self, s: &crate::input::record::Suppression) -> bool {
        self.rule == s.rule
            && s.project
                .as_ref()
                .is_none_or(|p| self.project.as_ref() == Some(p))
            && s.indicator
                .as_ref()
                .is_none_or(|i| self.indicator.as_ref() == Some(i))
    }

    /// The finding that reports a suppression matching nothing: stale suppressions hide
    /// nothing, so they are reported rather than silently kept.
    pub fn unused_suppression(
        unit: &str,
        project_name: Option<&str>,
        s: &crate::input::record::Suppression,
    ) -> Finding {
        let target = [s.project.as_deref(), s.indicator.as_deref()]
            .into_iter()
            .flatten()
            .map(|x| format!("“{x}”"))
            .collect::<Vec<_>>()
            .join("");
        Finding {
            rule: UNUSED_SUPPRESSION.to_string(),
            severity: Severity::Warning,
            category: "data_quality".into(),
            unit: unit.to_string(),
            project: s.project.clone(),
            project_name: project_name.map(str::to_string),
            indicator: s.indicator.clone(),
            message: format!(
                "豁免规则{}{target}未匹配任何发现，请删除或更正该豁免。",
                s.rule
            ),
            cause: Some(Cause {
                code: "data_error".into(),
                text: format!("豁免理由：{}", s.reason),
            }),
            other_causes: Vec::new(),
            suggestion: "定期清理不再适用的豁免，确保每项豁免都对应实际发现。".into(),
            evidence: BTreeMap::from([
                ("rule".to_string(), Evidence::Text(s.rule.clone())),
                ("reason".to_string(), Evidence::Text(s.reason.clone())),
            ]),
            suppressed: None,
        }
    }

    /// Builds a finding from the map a rule returned, rejecting unknown or missing fields and
    /// cause codes outside the catalogue.
    pub fn from_script(
        value: Dynamic,
        meta: &RuleMeta,
        subject: &Subject,
        causes: &CauseCatalogue,
    ) -> Result<Finding, String> {
        // Taken apart by value: cloning the map and its evidence cost a tenth of a rule's
        // instructions on rules with many findings.
        let type_name = value.type_name();
        let Some(mut map) = value.try_cast::<Map>() else {
            return Err(format!("a finding must be a map, not {type_name}"));
        };
        for key in map.keys() {
            if !FINDING_KEYS.contains(&key.as_str()) {
                return Err(format!(
                    "finding has no field `{key}`{}",
                    crate::diagnostic::suggest(key, FINDING_KEYS)
                ));
            }
        }
        let message = text_field(&map, "message")?.ok_or("a finding needs a `message`")?;
        let (cause, other_causes, cause_suggestion) = match map.remove("cause") {
            None => (None, Vec::new(), causes.no_reason_suggestion()),
            Some(v) if v.is_unit() => (None, Vec::new(), causes.no_reason_suggestion()),
            Some(v) => {
                let mut cause_map = v.try_cast::<Map>().ok_or(
                    "finding field `cause` must be a cause: use cause(p, fallback_code) or cause_of(code)",
                )?;
                let (cause, catalogued) = cause_of_map(&cause_map, causes)?;
                let others = match cause_map.remove("other_causes") {
                    None => Vec::new(),
                    Some(list) => list
                        .try_cast::<rhai::Array>()
                        .ok_or("`other_causes` must be a list of causes")?
                        .into_iter()
                        .map(|other| {
                            let other = other
                                .try_cast::<Map>()
                                .ok_or("`other_causes` must be a list of causes")?;
                            cause_of_map(&other, causes).map(|(cause, _)| cause)
                        })
                        .collect::<Result<_, String>>()?,
                };
                (Some(cause), others, catalogued.suggestion.as_str())
            }
        };
        let suggestion =
            text_field(&map, "suggestion")?.unwrap_or_else(|| cause_suggestion.to_string());
        let evidence = match map.remove("evidence") {
            None => BTreeMap::new(),
            Some(e) => e
                .try_cast::<Map>()
                .ok_or("finding field `evidence` must be a map")?
                .iter()
                .map(|(k, v)| Ok((k.to_string(), evidence_of(v)?)))
                .collect::<Result<_, String>>()?,
        };
        Ok(Finding {
            rule: meta.id.clone(),
            severity: meta.severity,
            category: meta.category.clone(),
            unit: subject.unit.to_string(),
            project: subject.project.map(|(code, _)| code.to_string()),
            project_name: subject.project.map(|(_, name)| name.to_string()),
            indicator: text_field(&map, "indicator")?,
            message,
            cause,
            other_causes,
            suggestion,
            evidence,
            suppressed: None,
        })
    }
}

/// A cause map of a finding (`#{code, text}`), its text the catalogue's label when left out.
fn cause_of_map<'c>(
    map: &Map,
    causes: &'c CauseCatalogue,
) -> Result<(Cause, &'c cause_catalogue::Cause), String> {
    let code = text_field(map, "code")?.ok_or("the cause needs a `code`")?;
    let catalogued = causes.cause(&code)?;
    let text = text_field(map, "text")?.unwrap_or_else(|| catalogued.label.clone());
    Ok((Cause { code, text }, catalogued))
}
