//! The vocabularies of the output contract (finding categories, the standard cause codes, as
//! listed in `docs/record-format.md`) and the cause catalogue of `rules/causes.toml`: each
//! cause's code, Chinese label, the patterns that recognise it in a unit's reason text and the
//! improvement (改进措施) it suggests. Analysts add causes of their own there with no rebuild;
//! the standard ones must stay, so that reports can be counted across units. How a reason is
//! read is `classifier.rs`.

use crate::engine::classifier::{CausePatterns, Pattern, Reader};
use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;

pub const CATEGORIES: &[&str] = &[
    "execution_rate",
    "budget_accuracy",
    "budget_adjustment",
    "overspend",
    "indicator_gap",
    "over_achievement",
    "cross_year_settlement",
    "unexplained_deviation",
    "score_mismatch",
    "consistency",
    "cost_control",
    "staffing",
    "data_quality",
];

/// The cause codes of the output contract: every catalogue holds them.
pub const STANDARD_CAUSE_CODES: &[&str] = &[
    "platform_change",
    "beneficiary_change",
    "cross_year_settlement",
    "budget_adjustment",
    "target_unreasonable",
    "procurement_saving",
    "project_delay",
    "funds_late",
    "policy_change",
    "data_error",
    "unexplained",
];

/// The entry for findings with no cause, because the unit gave no reason: never a finding's
/// cause (未说明偏差原因 is the problem, not its cause), its suggestion is such findings'
/// improvement.
pub const NO_REASON: &str = "unexplained";

/// What `*` stands for when `causes.toml` does not say: a gap of up to 4 characters.
const DEFAULT_MAX_GAP: usize = 4;

/// `rules/causes.toml` as written, with where each entry is, to say where a mistake is.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueFile {
    #[serde(default)]
    negations: Vec<Spanned<String>>,
    #[serde(default)]
    negation_exceptions: Vec<Spanned<String>>,
    max_gap: Option<Spanned<i64>>,
    #[serde(rename = "cause")]
    causes: Vec<Spanned<CauseEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CauseEntry {
    code: Spanned<String>,
    label: Option<String>,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
    #[serde(default)]
    excluded_by: Vec<Spanned<String>>,
    suggestion: Option<String>,
}

/// A mistake in `causes.toml`: what is wrong, and the bytes of the entry at fault when it is
/// one entry's.
pub type Invalid = (String, Option<Range<usize>>);

#[derive(Debug, Clone)]
pub struct Cause {
    pub code: String,
    /// Chinese name of the cause, its text when the unit's own words do not say it.
    pub label: String,
    pub suggestion: String,
}

#[derive(Debug, Clone)]
pub struct CauseCatalogue {
    causes: Vec<Cause>,
    reader: Reader,
}

fn patterns(written: &[Spanned<String>]) -> Result<Vec<Pattern>, Invalid> {
    written
        .iter()
        .map(|p| Pattern::parse(p.get_ref()).map_err(|m| (m, Some(p.span()))))
        .collect()
}

fn required(
    value: Option<String>,
    field: &str,
    code: &str,
    at: &Range<usize>,
) -> Result<String, Invalid> {
    match value {
        Some(text) if !text.trim().is_empty() => Ok(text),
        _ => Err((
            format!("cause `{code}` needs a `{field}`: write {field} = \"…\" in Chinese"),
            Some(at.clone()),
        )),
    }
}

fn is_code(code: &str) -> bool {
    let mut chars = code.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl CauseCatalogue {
    /// Checks the file as read: codes well formed and each once, the standard codes all
    /// there, every cause labelled and with a suggestion, patterns well formed.
    pub fn new(file: CatalogueFile) -> Result<CauseCatalogue, Invalid> {
        let max_gap = match &file.max_gap {
            None => DEFAULT_MAX_GAP,
            Some(gap) => usize::try_from(*gap.get_ref())
                .ok()
                .filter(|g| *g <= 20)
                .ok_or_else(|| {
                    (
                        "`max_gap` is the most characters a `*` stands for: a whole number from 0 to 20".to_string(),
                        Some(gap.span()),
                    )
                })?,
        };
        let mut causes: Vec<Cause> = Vec::new();
        let mut cause_patterns: Vec<CausePatterns> = Vec::new();
        for entry in file.causes {
            let at = entry.span();
            let entry = entry.into_inner();
            let code = entry.code.get_ref().clone();
            if !is_code(&code) {
                return Err((
                    format!(
                        "cause code `{code}` must be lower-case letters, digits and `_`, starting with a letter (like `funds_late`)"
                    ),
                    Some(entry.code.span()),
                ));
            }
            if causes.iter().any(|c| c.code == code) {
                return Err((
                    format!("cause `{code}` is listed more than once: keep one entry per code"),
                    Some(at),
                ));
            }
            if code == NO_REASON && !entry.patterns.is_empty() {
                return Err((
                    format!(
                        "cause `{NO_REASON}` stands for a missing reason and takes no `patterns`: a reason that says something is never “unexplained”"
                    ),
                    Some(at),
                ));
            }
            cause_patterns.push(CausePatterns {
                patterns: patterns(&entry.patterns)?,
                excluded_by: patterns(&entry.excluded_by)?,
            });
            causes.push(Cause {
                label: required(entry.label, "label", &code, &at)?,
                suggestion: required(entry.suggestion, "suggestion", &code, &at)?,
                code,
            });
        }
        if let Some(missing) = STANDARD_CAUSE_CODES
            .iter()
            .find(|code| !causes.iter().any(|c| c.code == **code))
        {
            return Err((
                format!(
                    "standard cause `{missing}` is missing: the standard causes ({}) must stay; add a [[cause]] with code = \"{missing}\"",
                    STANDARD_CAUSE_CODES.join(", ")
                ),
                None,
            ));
        }
        let reader = Reader::new(
            patterns(&file.negations)?,
            patterns(&file.negation_exceptions)?,
            max_gap,
            cause_patterns,
        );
        Ok(CauseCatalogue { causes, reader })
    }

    /// Every code, in catalogue order.
    pub fn codes(&self) -> Vec<&str> {
        self.causes.iter().map(|c| c.code.as_str()).collect()
    }

    /// The cause a rule names by `code`; the error says what to write instead.
    pub fn cause(&self, code: &str) -> Result<&Cause, String> {
        if code == NO_REASON {
            return Err(format!(
                "`{NO_REASON}` is not a cause: when the unit gave no reason the finding has none, so leave `cause` out (cause(p, fallback) gives none when there is no reason)"
            ));
        }
        self.causes.iter().find(|c| c.code == code).ok_or_else(|| {
            let known: Vec<&str> = self
                .codes()
                .into_iter()
                .filter(|c| *c != NO_REASON)
                .collect();
            format!(
                "unknown cause code `{code}`{}; a new code goes in causes.toml first",
                crate::diagnostic::suggest(code, &known)
            )
        })
    }

    /// The improvement of a finding that has no cause.
    pub fn no_reason_suggestion(&self) -> &str {
        self.causes
            .iter()
            .find(|c| c.code == NO_REASON)
            .map_or("", |c| c.suggestion.as_str())
    }

    /// The causes a reason names, the strongest first, each with the clause of the reason (as
    /// written) that names it.
    pub fn classify<'r>(&self, reason: &'r str) -> Vec<(&Cause, &'r str)> {
        self.reader
            .read(reason)
            .into_iter()
            .filter_map(|named| {
                let cause = self.causes.get(named.cause)?;
                let clause = reason.get(named.clause)?.trim();
                Some((cause, clause))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A catalogue with every standard cause, the extra TOML `extra` appended.
    fn toml_with(extra: &str) -> String {
        let mut text = String::from("negations = [\"未发生\"]\n");
        for code in STANDARD_CAUSE_CODES {
            let patterns = match *code {
                "policy_change" => r#"["政策调整"]"#,
                "project_delay" => r#"["推迟"]"#,
                _ => "[]",
            };
            text.push_str(&format!(
                "[[cause]]\ncode = \"{code}\"\nlabel = \"标签\"\npatterns = {patterns}\nsuggestion = \"建议\"\n"
            ));
        }
        text + extra
    }

    fn catalogue(text: &str) -> Result<CauseCatalogue, Invalid> {
        CauseCatalogue::new(toml::from_str(text).map_err(|e| (e.to_string(), None))?)
    }

    fn message(text: &str) -> (String, Option<String>) {
        let (message, span) = catalogue(text).unwrap_err();
        (message, span.map(|s| text[s].to_string()))
    }

    #[test]
    fn an_analyst_adds_a_cause_of_their_own() {
        let c = catalogue(&toml_with(
            "[[cause]]\ncode = \"weather\"\nlabel = \"天气影响\"\npatterns = [\"连续降雨\"]\nsuggestion = \"合理安排工期\"\n",
        ))
        .unwrap();
        assert_eq!(c.cause("weather").unwrap().label, "天气影响");
        let named: Vec<&str> = c
            .classify("受连续降雨影响，项目推迟")
            .iter()
            .map(|(cause, _)| cause.code.as_str())
            .collect();
        assert_eq!(named, ["weather", "project_delay"]);
    }

    #[test]
    fn negated_causes_are_not_named() {
        let c = catalogue(&toml_with("")).unwrap();
        let named: Vec<(&str, &str)> = c
            .classify("未发生政策调整；工期推迟。")
            .iter()
            .map(|(cause, clause)| (cause.code.as_str(), *clause))
            .collect();
        assert_eq!(named, [("project_delay", "工期推迟")]);
    }

    #[test]
    fn unknown_and_no_reason_codes_are_refused_with_what_to_write() {
        let c = catalogue(&toml_with("")).unwrap();
        let unknown = c.cause("project_dely").unwrap_err();
        assert!(
            unknown.contains("did you mean `project_delay`?"),
            "{unknown}"
        );
        let none = c.cause("unexplained").unwrap_err();
        assert!(none.contains("leave `cause` out"), "{none}");
        assert_eq!(c.no_reason_suggestion(), "建议");
    }

    #[test]
    fn malformed_entries_are_refused_at_the_entry() {
        let duplicate = toml_with(
            "[[cause]]\ncode = \"funds_late\"\nlabel = \"再来\"\nsuggestion = \"建议\"\n",
        );
        let (m, at) = message(&duplicate);
        assert!(m.contains("`funds_late` is listed more than once"), "{m}");
        assert_eq!(at.as_deref(), Some("[[cause]]"));
        let (m, at) = message(&toml_with(
            "[[cause]]\ncode = \"weather\"\nsuggestion = \"建议\"\n",
        ));
        assert!(m.contains("cause `weather` needs a `label`"), "{m}");
        assert_eq!(at.as_deref(), Some("[[cause]]"));
        let (m, _) = message(&toml_with(
            "[[cause]]\ncode = \"weather\"\nlabel = \"天气\"\nsuggestion = \" \"\n",
        ));
        assert!(m.contains("needs a `suggestion`"), "{m}");
        let (m, at) = message(&toml_with(
            "[[cause]]\ncode = \"Weather\"\nlabel = \"天气\"\nsuggestion = \"建议\"\n",
        ));
        assert!(m.contains("lower-case"), "{m}");
        assert_eq!(at.as_deref(), Some("\"Weather\""));
        let (m, at) = message(&toml_with(
            "[[cause]]\ncode = \"weather\"\nlabel = \"天气\"\npatterns = [\"降雨*\"]\nsuggestion = \"建议\"\n",
        ));
        assert!(m.contains("never at either end"), "{m}");
        assert_eq!(at.as_deref(), Some("\"降雨*\""));
        let missing = toml_with("").replace("code = \"funds_late\"", "code = \"funds_later\"");
        let (m, at) = message(&missing);
        assert!(m.contains("standard cause `funds_late` is missing"), "{m}");
        assert_eq!(at, None);
        let (m, _) = message(&toml_with("").replace(
            "code = \"unexplained\"\nlabel = \"标签\"\npatterns = []",
            "code = \"unexplained\"\nlabel = \"标签\"\npatterns = [\"未说明\"]",
        ));
        assert!(m.contains("takes no `patterns`"), "{m}");
        let (m, _) = message(&format!("max_gap = 99\n{}", toml_with("")));
        assert!(m.contains("from 0 to 20"), "{m}");
    }
}
