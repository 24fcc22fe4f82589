//! `jixiao test --update` and the insta test agree byte for byte: a snapshot the command
//! rewrites passes `insta::assert_yaml_snapshot!` exactly as `tests/cases.rs` runs it. This
//! is the only test in its binary because it changes the working directory.

use std::path::Path;
use std::process::Command;

#[test]
fn a_snapshot_rewritten_by_jixiao_test_passes_the_insta_test() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["rules", "cases/lukou-hrss-2023"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        for entry in std::fs::read_dir(root.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, dir.path().join(sub).join(path.file_name().unwrap())).unwrap();
        }
    }
    let rules = dir.path().join("rules/rules.toml");
    let text = std::fs::read_to_string(&rules).unwrap();
    std::fs::write(
        &rules,
        text.replace(
            "indicator_deviation_max = 0.10",
            "indicator_deviation_max = 0.11",
        ),
    )
    .unwrap();
    let update = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["test", "--update"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        update.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&update.stdout)
    );

    std::env::set_current_dir(dir.path()).unwrap();
    let rule_set = jixiao::rule_set::load(Path::new("rules"), None)
        .rule_set
        .unwrap();
    let case = Path::new("cases/lukou-hrss-2023");
    let outcome = jixiao::case::run_case(case, &rule_set);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir.path().join(case));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_yaml_snapshot!("findings", outcome));
}
