//! The cause classifier measured on the labelled corpus `tests/causes/corpus.toml` with the
//! bundled catalogue `rules/causes.toml`: primary-cause accuracy and exact-set accuracy, on the
//! whole corpus and on its held-out part, must be at least, and within a point of, the figures
//! the README states. Misses are printed (`cargo test --test causes -- --nocapture`).

use jixiao::catalogue::{CatalogueFile, CauseCatalogue};
use serde::Deserialize;
use std::collections::BTreeSet;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Corpus {
    reason: Vec<Labelled>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Labelled {
    text: String,
    causes: Vec<String>,
    /// Written after the patterns were tuned, and not tuned for.
    #[serde(default)]
    held_out: bool,
}

/// In percent: the primary cause right, the exact set of causes right, and the primary cause
/// right among the reasons where a cause was named at all (how far a named cause is trusted).
struct Accuracy {
    primary: f64,
    set: f64,
    named_right: f64,
}

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{ROOT}/{path}")).unwrap()
}

fn measure(catalogue: &CauseCatalogue, reasons: &[&Labelled]) -> Accuracy {
    let codes = catalogue.codes();
    let (mut primary_right, mut set_right, mut named) = (0, 0, 0);
    for labelled in reasons {
        for code in &labelled.causes {
            assert!(
                codes.contains(&code.as_str()),
                "`{code}` is not in the catalogue"
            );
        }
        let found: Vec<&str> = catalogue
            .classify(&labelled.text)
            .iter()
            .map(|(cause, _)| cause.code.as_str())
            .collect();
        let primary = found.first() == labelled.causes.first().map(String::as_str).as_ref();
        let set = found.iter().copied().collect::<BTreeSet<_>>()
            == labelled.causes.iter().map(String::as_str).collect();
        primary_right += usize::from(primary);
        named += usize::from(!found.is_empty());
        set_right += usize::from(set);
        if !(primary && set) {
            println!(
                "miss: {}\n      expected {:?}, found {found:?}",
                labelled.text, labelled.causes
            );
        }
    }
    let percent = |right: usize, of: usize| 100.0 * right as f64 / of.max(1) as f64;
    let named_and_right = reasons
        .iter()
        .filter(|r| {
            let found = catalogue.classify(&r.text);
            found
                .first()
                .is_some_and(|(cause, _)| r.causes.first() == Some(&cause.code))
        })
        .count();
    Accuracy {
        primary: percent(primary_right, reasons.len()),
        set: percent(set_right, reasons.len()),
        named_right: percent(named_and_right, named),
    }
}

/// The percentage the README states after `label` (`… for **96.2%** …`).
fn stated(readme: &str, label: &str) -> f64 {
    let after = readme
        .split_once(label)
        .unwrap_or_else(|| panic!("README states no `{label}`"))
        .1;
    let figure = after
        .trim_start()
        .strip_prefix("**")
        .and_then(|rest| rest.split_once("%**"))
        .unwrap_or_else(|| panic!("README: `{label}` is followed by **N%**"))
        .0;
    figure.parse().unwrap()
}

#[test]
fn the_catalogue_names_the_corpus_causes_as_accurately_as_the_readme_says() {
    let file: CatalogueFile = toml::from_str(&read("rules/causes.toml")).unwrap();
    let catalogue = CauseCatalogue::new(file).unwrap();
    let corpus: Corpus = toml::from_str(&read("tests/causes/corpus.toml")).unwrap();
    let all: Vec<&Labelled> = corpus.reason.iter().collect();
    let held_out: Vec<&Labelled> = all.iter().copied().filter(|r| r.held_out).collect();
    assert!(all.len() >= 80, "{} reasons", all.len());
    let whole = measure(&catalogue, &all);
    let unseen = measure(&catalogue, &held_out);
    println!(
        "{} reasons: primary cause {:.1}%, exact set {:.1}%, named and right {:.1}%; \
         the {} held out: {:.1}%, {:.1}%, {:.1}%",
        all.len(),
        whole.primary,
        whole.set,
        whole.named_right,
        held_out.len(),
        unseen.primary,
        unseen.set,
        unseen.named_right
    );
    let readme = read("README.md");
    for (label, measured) in [
        ("the primary cause right for", whole.primary),
        ("the exact set of causes for", whole.set),
        ("held out, the primary cause for", unseen.primary),
        ("held out, the exact set for", unseen.set),
        (
            "held out, a cause it names is right for",
            unseen.named_right,
        ),
    ] {
        let claimed = stated(&readme, label);
        assert!(
            measured + 1e-9 >= claimed,
            "{label}: measured {measured:.1}%, README says {claimed}%"
        );
        assert!(
            measured < claimed + 1.0,
            "{label}: measured {measured:.1}%, README says only {claimed}%: update the README"
        );
    }
}
