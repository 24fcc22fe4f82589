//! `jixiao test --update` and the insta test agree byte for byte: a snapshot the command
//! rewrites passes `insta::assert_yaml_snapshot!` exactly as `tests/cases.rs` runs it. This
//! is the only test in its binary because it changes the working directory.

mod common;

use std::path::Path;

#[test]
fn a_snapshot_rewritten_by_jixiao_test_passes_the_insta_test() {
    let dir = common::workspace(&["rules", "cases/lukou-hrss-2023"]);
    common::edit(
        &dir.path().join("rules/rules.toml"),
        "indicator_deviation_max = 0.10",
        "indicator_deviation_max = 0.11",
    );
    let update = common::jixiao_in(dir.path(), &["test", "--update"]);
    assert_eq!(
        update.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&update.stdout)
    );

    std::env::set_current_dir(dir.path()).unwrap();
    let rule_set = jixiao::engine::rule_set::load(Path::new("rules"), None)
        .rule_set
        .unwrap();
    let case = Path::new("cases/lukou-hrss-2023");
    let batch = jixiao::batch::Batch::new(&rule_set, 1).unwrap();
    let outcome = jixiao::analyst::case::run_case(case, &batch);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir.path().join(case));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_yaml_snapshot!("findings", outcome));
}
