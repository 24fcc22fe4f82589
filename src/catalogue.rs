//! The fixed vocabularies of the output contract (finding categories and cause codes, as
//! listed in `docs/record-format.md`) and the editable cause catalogue (`rules/causes.toml`):
//! each cause's Chinese label, the keywords that recognise it in a unit's reason text, and
//! the improvement (改进措施) it suggests.

use serde::Deserialize;

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

pub const CAUSE_CODES: &[&str] = &[
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

pub const SEVERITIES: &[&str] = &["error", "warning", "info"];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cause {
    pub code: String,
    /// Chinese name of the cause, used when the unit gave no reason text of its own.
    pub label: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    pub suggestion: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CauseCatalogue {
    #[serde(rename = "cause")]
    pub causes: Vec<Cause>,
}

impl CauseCatalogue {
    /// Checks that the file names every contract cause code exactly once and nothing else.
    pub fn validate(&self) -> Result<(), String> {
        for cause in &self.causes {
            if !CAUSE_CODES.contains(&cause.code.as_str()) {
                return Err(format!(
                    "unknown cause code `{}`; the codes are: {}",
                    cause.code,
                    CAUSE_CODES.join(", ")
                ));
            }
        }
        for code in CAUSE_CODES {
            match self.causes.iter().filter(|c| c.code == *code).count() {
                1 => {}
                0 => return Err(format!("cause `{code}` is missing")),
                _ => return Err(format!("cause `{code}` is listed more than once")),
            }
        }
        Ok(())
    }

    pub fn get(&self, code: &str) -> Option<&Cause> {
        self.causes.iter().find(|c| c.code == code)
    }

    /// The cause whose keywords a reason text matches most often; ties go to the cause listed
    /// first in the catalogue. `None` when no keyword occurs.
    pub fn classify(&self, text: &str) -> Option<&Cause> {
        let mut best: Option<(&Cause, usize)> = None;
        for cause in &self.causes {
            let hits = cause
                .keywords
                .iter()
                .filter(|k| !k.is_empty() && text.contains(k.as_str()))
                .count();
            if hits > 0 && best.is_none_or(|(_, most)| hits > most) {
                best = Some((cause, hits));
            }
        }
        best.map(|(cause, _)| cause)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> CauseCatalogue {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/causes.toml"))
                .unwrap();
        let catalogue: CauseCatalogue = toml::from_str(&text).unwrap();
        catalogue.validate().unwrap();
        catalogue
    }

    #[test]
    fn the_seed_reasons_classify_as_the_seed_explains_them() {
        let c = catalogue();
        let code = |text: &str| c.classify(text).map(|cause| cause.code.as_str());
        assert_eq!(
            code("上线了“金保二期”人社一体化业务系统，由省人社厅统一维护，原业务系统不再维护"),
            Some("platform_change")
        );
        assert_eq!(
            code("经与区社保机构核实5位已离世，不再发放离休待遇"),
            Some("beneficiary_change")
        );
        assert_eq!(
            code("存在一小部分费用未完成结算工作，需跨年度结算"),
            Some("cross_year_settlement")
        );
        assert_eq!(code("天气原因"), None);
    }

    #[test]
    fn ties_go_to_the_cause_listed_first() {
        let c = catalogue();
        let first = c
            .causes
            .iter()
            .position(|x| x.code == "platform_change")
            .unwrap();
        let later = c
            .causes
            .iter()
            .position(|x| x.code == "budget_adjustment")
            .unwrap();
        assert!(first < later);
        assert_eq!(c.classify("平台调整").unwrap().code, "platform_change");
    }
}
