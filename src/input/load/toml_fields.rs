//! TOML read into a type with the path of the field an error is about, from
//! `serde_path_to_error` (as JSON Lines are read), not from the parser's rendered message.

use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;

/// A TOML error and the key path of the field it is about (`projects.indicators.weight`), when
/// the text parsed and a value did not fit its field.
pub struct TomlError {
    pub error: toml::de::Error,
    pub field: Option<String>,
}

/// `text` as TOML, deserialized into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, TomlError> {
    let document =
        toml::Deserializer::parse(text).map_err(|error| TomlError { error, field: None })?;
    serde_path_to_error::deserialize(document).map_err(|e| TomlError {
        field: key_path(e.path()),
        error: e.into_inner(),
    })
}

/// The path as the TOML file's own keys and table headers spell it (`[[projects.indicators]]`
/// then `weight`): without array positions, which the problem's line already pins down.
fn key_path(path: &serde_path_to_error::Path) -> Option<String> {
    let keys: Vec<&str> = path
        .iter()
        .filter_map(|segment| match segment {
            Segment::Map { key } => Some(key.as_str()),
            Segment::Enum { variant } => Some(variant.as_str()),
            Segment::Seq { .. } | Segment::Unknown => None,
        })
        .collect();
    (!keys.is_empty()).then(|| keys.join("."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        #[allow(dead_code)]
        items: Vec<Item>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Item {
        #[allow(dead_code)]
        counts: BTreeMap<String, u32>,
    }

    fn field_of(text: &str) -> Option<String> {
        from_str::<Doc>(text).err().and_then(|e| e.field)
    }

    #[test]
    fn a_value_of_the_wrong_kind_names_its_key_path_without_array_positions() {
        let text = "[[items]]\ncounts = { a = 1 }\n[[items]]\ncounts = { \"行政编制\" = \"x\" }\n";
        assert_eq!(field_of(text).as_deref(), Some("items.counts.行政编制"));
    }

    #[test]
    fn broken_toml_names_no_field() {
        assert_eq!(field_of("[[items]]\ncounts = {\n"), None);
    }
}
