//! The batch every benchmark measures and the rules both sides run, shared by the wall-time
//! harness (`benches/rules/main.rs`) and the instruction counts (`benches/instructions/`), so
//! that the two always measure the same work.

use crate::native::NativeRules;
use jixiao::engine::evaluate::Evaluator;
use jixiao::engine::rule_set::{self, RuleSet};
use jixiao::input::record::UnitFile;
use jixiao::model::view::UnitRef;
use std::path::Path;

pub const UNITS: usize = 100;
pub const PROJECTS: usize = 20;
pub const SEED: u64 = 7;

/// The rules `native.rs` mirrors; rules added since are left out of both sides.
pub const RULE_IDS: [&str; 22] = [
    "BASIC-TOTAL",
    "BUDGET-ADJUSTED",
    "BUDGET-BELOW-INITIAL",
    "BUDGET-SPLITS",
    "COST-CONTROL-EXCEEDED",
    "COST-GAP",
    "CROSS-YEAR",
    "EXEC-RATE-LOW",
    "GROUP-TOTALS",
    "INDICATOR-NOT-MET",
    "INDICATOR-UNPARSED",
    "INDICATOR-VALUE-MISSING",
    "INDICATORS-MISSING",
    "INSTITUTIONS-COUNT",
    "OVER-ACHIEVED",
    "OVER-ESTABLISHMENT",
    "OVERSPEND",
    "PROJECT-FUNDS",
    "QUANTITY-GAP",
    "REASON-MISSING",
    "SCORE-MISMATCH",
    "STAFF-TOTALS",
];

/// The rules the baseline mirrors, from the bench's own pinned copy (`benches/rules/pinned/`:
/// the 22 rule files, `rules.toml`, `causes.toml` and the scoring forms as they were when
/// `native.rs` was last brought in step), so that an analyst editing `rules/` — a message, a
/// threshold — never breaks the benchmark. To measure a changed rule, copy it there and bring
/// `native.rs` in step; the equivalence check says when they differ.
pub fn mirrored_rules() -> RuleSet {
    let loaded = rule_set::load(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/benches/rules/pinned")),
        None,
    );
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let rules = loaded.rule_set.expect("the pinned rules load");
    let mut ids: Vec<&str> = rules.rules.iter().map(|r| r.meta.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(
        ids, RULE_IDS,
        "the pinned copy holds exactly the mirrored rules"
    );
    rules
}

/// Which of the mirrored rules a measurement runs.
#[derive(Clone, Copy)]
pub enum Which<'a> {
    All,
    /// One rule alone.
    Only(&'a str),
    /// Every rule but one: what the whole set costs without it, so that a rule that reads
    /// the others' findings is measured with them there to read.
    #[allow(dead_code)] // the `rules` bench (wall time) has no use for it
    AllBut(&'a str),
}

impl Which<'_> {
    pub fn wants(self, id: &str) -> bool {
        match self {
            Which::All => true,
            Which::Only(only) => id == only,
            Which::AllBut(left_out) => id != left_out,
        }
    }
}

/// The same rules, those `which` selects.
pub fn select(rules: &RuleSet, which: Which) -> RuleSet {
    let mut selected = rules.clone();
    selected.rules.retain(|r| which.wants(&r.meta.id));
    if let Which::Only(id) | Which::AllBut(id) = which {
        assert!(
            rules.rules.iter().any(|r| r.meta.id == id),
            "{id} is a bundled rule"
        );
    }
    selected
}

/// The generated batch: `UNITS` units of `PROJECTS` projects each.
pub fn units() -> Vec<UnitFile> {
    jixiao::analyst::generate::units(UNITS, PROJECTS, SEED).collect()
}

/// Records → the views rules read, as the batch builds them.
pub fn views(units: impl Iterator<Item = UnitFile>, rules: &RuleSet) -> Vec<UnitRef> {
    units
        .map(|u| UnitRef::build(u, rules.scoring.default_form().expect("a default form")))
        .collect()
}

/// Panics, naming the first difference, unless the native rules produce exactly the scripted
/// findings on every unit: the baseline must do the same work.
pub fn assert_native_matches_scripted(rules: &RuleSet, views: &[UnitRef]) {
    let scripted = Evaluator::new(rules);
    let native = NativeRules::new(rules);
    for unit in views {
        let (scripted, native) = (
            scripted.evaluate(unit, "bench").findings,
            native.evaluate(unit, Which::All),
        );
        let differs = scripted.iter().zip(&native).position(|(s, n)| s != n);
        assert!(
            differs.is_none() && scripted.len() == native.len(),
            "the native rules must produce the scripted findings; first difference:\nscripted: {:?}\nnative:   {:?}",
            differs
                .and_then(|i| scripted.get(i))
                .or(scripted.get(native.len())),
            differs
                .and_then(|i| native.get(i))
                .or(native.get(scripted.len())),
        );
    }
}
