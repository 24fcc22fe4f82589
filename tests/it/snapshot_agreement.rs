//! `jixiao test --update` and the insta test agree byte for byte: a snapshot the command
//! rewrites passes `insta::assert_yaml_snapshot!` exactly as `tests/it/cases.rs` runs it, held to
//! insta's current format (no legacy fallback). One case is real; one has names chosen to trip
//! a YAML writer (words YAML reads as null or booleans, numbers as text, leading spaces, colons,
//! quotes, line breaks, CJK) and a broken unit file, so `errors` holds a located message. This
//! is the only test in its binary because it changes the working directory.

use crate::common;

use std::path::Path;

/// Names in the awkward case: (as in the case file, as written into the unit file).
const AWKWARD_NAMES: [(&str, &str); 6] = [
    ("某区社会保险事业局", r#""~""#),
    ("社保经办服务网点建设补助", r#""null""#),
    ("建设社保服务网点数量", r#""12""#),
    ("社保基金风险防控系统升级费", r#""y""#),
    (
        "社保政策进村入户宣传经费",
        r#"" 前导空格: 'yes' # \"引号\"""#,
    ),
    ("开展政策宣讲场次", r#""两行\n名称 - 1.5""#),
];

/// insta's default comparison without its fallback for snapshots in a legacy format.
#[derive(Clone)]
struct LatestFormatOnly;

impl insta::Comparator for LatestFormatOnly {
    fn matches(&self, reference: &insta::Snapshot, test: &insta::Snapshot) -> bool {
        let text = |s: &insta::Snapshot| s.as_text().map(ToString::to_string);
        text(reference).is_some() && text(reference) == text(test)
    }

    fn dyn_clone(&self) -> Box<dyn insta::Comparator> {
        Box::new(self.clone())
    }
}

#[test]
fn snapshots_rewritten_by_jixiao_test_pass_the_insta_test() {
    let dir = common::workspace(&["rules", "cases/lukou-hrss-2023", "cases/indicator-unparsed"]);
    common::edit(
        &dir.path().join("rules/rules.toml"),
        "indicator_deviation_max = 0.10",
        "indicator_deviation_max = 0.11",
    );
    let awkward = dir.path().join("cases/indicator-unparsed");
    for (name, awkward_name) in AWKWARD_NAMES {
        let unit = awkward.join("unit.toml");
        common::edit(&unit, &format!("\"{name}\""), awkward_name);
    }
    std::fs::write(
        awkward.join("broken.toml"),
        "[unit]\ncode = \"X\"\nname = [\n",
    )
    .unwrap();

    let update = common::jixiao_in(dir.path(), &["test", "--update"]);
    assert_eq!(
        update.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&update.stdout)
    );
    let rewritten = std::fs::read_to_string(awkward.join("findings.snap")).unwrap();
    for written in [
        "name: \"~\"",
        "project_name: \"null\"",
        "project_name: y",
        "errors:\n  -",
    ] {
        assert!(
            rewritten.contains(written),
            "no `{written}` in\n{rewritten}"
        );
    }

    std::env::set_current_dir(dir.path()).unwrap();
    let rule_set = crate::common::rules(Path::new("rules"));
    let batch = jixiao::batch::Batch::new(&rule_set, 1).unwrap();
    for case in ["cases/lukou-hrss-2023", "cases/indicator-unparsed"] {
        let outcome = jixiao::analyst::case::run_case(Path::new(case), &batch);
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(dir.path().join(case));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.set_comparator(Box::new(LatestFormatOnly));
        settings.bind(|| insta::assert_yaml_snapshot!("findings", outcome));
    }
}
