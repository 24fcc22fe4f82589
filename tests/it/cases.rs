//! Every case under `cases/` through the bundled rules, snapshotted beside the case as
//! `findings.snap`, with the case's stated expectations (`case.toml`) checked as well.

use jixiao::analyst::case::{self, CaseSpec};
use jixiao::batch::Batch;
use std::path::Path;

#[test]
fn every_case_matches_its_snapshot_and_expectations() {
    let rules = crate::common::rules(Path::new("rules"));
    let batch = Batch::new(&rules, 2).expect("the worker threads start");
    insta::glob!("../../cases", "*/case.toml", |path| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = path.parent().unwrap().strip_prefix(root).unwrap();
        let spec: CaseSpec = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let outcome = case::run_case(dir, &batch);
        let unmet = case::unmet_expectations(&spec, &outcome);
        assert!(unmet.is_empty(), "{}: {unmet:#?}", dir.display());
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(root.join(dir));
        settings.set_prepend_module_to_snapshot(false);
        settings.remove_snapshot_suffix();
        settings.set_omit_expression(true);
        settings.set_description(spec.description.trim());
        settings.bind(|| insta::assert_yaml_snapshot!("findings", outcome));
    });
}
