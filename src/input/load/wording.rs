//! Parser messages (serde, toml, serde_json) reworded in the user's terms: no Rust type names
//! (`i64`, `struct Unit`, `sequence`), a did-you-mean for a misspelt key instead of the list
//! of every key, and long echoed values cut short.

use crate::diagnostic::{cut, nearest};
use regex::Regex;
use std::sync::LazyLock;

static UNKNOWN_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^unknown field `(?<key>[^`]*)`, (?:expected (?<known>.*)|there are no fields)$")
        .expect("unknown key pattern")
});
static BACKTICKED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"`([^`]*)`").expect("backticked pattern"));
static MISSING_KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^missing field `(?<key>[^`]*)`$").expect("missing key pattern"));
static DUPLICATE_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^duplicate field `(?<key>[^`]*)`$").expect("duplicate key pattern")
});
static WRONG_TYPE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)^invalid (?:type|value): (?<found>.*), expected (?<expected>.*)$")
        .expect("wrong type pattern")
});
static FOUND_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:integer|floating point) `(?<number>[^`]*)`(?: as i128)?$")
        .expect("found number pattern")
});
static EOF_IN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^EOF while parsing (?:a|an) (?<what>.*)$").expect("EOF pattern"));

/// `message`, from a TOML or JSON parser or a serde derive, in the user's terms.
pub fn plain(message: &str) -> String {
    let message = message.trim();
    if let Some(c) = UNKNOWN_KEY.captures(message) {
        let key = &c["key"];
        let known: Vec<&str> = c.name("known").map_or(Vec::new(), |known| {
            BACKTICKED
                .captures_iter(known.as_str())
                .filter_map(|k| k.get(1).map(|k| k.as_str()))
                .collect()
        });
        return match nearest(key, &known) {
            Some(near) => format!("unknown key `{}`; did you mean `{near}`?", cut(key)),
            None => format!(
                "unknown key `{}`: no key of that name belongs here; remove it or check its spelling",
                cut(key)
            ),
        };
    }
    if let Some(c) = MISSING_KEY.captures(message) {
        return format!("the required key `{}` is missing", &c["key"]);
    }
    if let Some(c) = DUPLICATE_KEY.captures(message) {
        return format!("the key `{}` is given twice; keep one", &c["key"]);
    }
    if let Some(c) = WRONG_TYPE.captures(message) {
        return format!(
            "expected {}, found {}",
            expected(&c["expected"]),
            found(&c["found"])
        );
    }
    if let Some(c) = EOF_IN.captures(message) {
        return format!(
            "the line ends inside {}: each unit must be complete on its own line",
            json_noun(&c["what"])
        );
    }
    match message {
        "trailing characters" => {
            "more text after the unit's closing `}`: a JSON Lines file holds exactly one unit (one JSON object) per line".into()
        }
        "expected value" => "expected a value here (text in quotes, a number, a list or an object)".into(),
        "duplicate key" => "this key is already set in this table; keep one".into(),
        "invalid basic string, expected `\"`" => {
            "the text is not closed: add the closing `\"`".into()
        }
        "string values must be quoted, expected literal string" => {
            "text must be in quotes, such as name = \"办公室\"".into()
        }
        _ => message
            .strip_suffix(", expected nothing")
            .unwrap_or(message)
            .to_string(),
    }
}

/// What serde says it expected, as the user would say it.
fn expected(what: &str) -> String {
    match what {
        "a string" => "text in quotes".into(),
        "a sequence" => "a list [ … ]".into(),
        "a boolean" => "true or false".into(),
        "a map" => "a table".into(),
        "struct UnitFile" => "a unit record".into(),
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" => {
            "a whole number".into()
        }
        _ if what.starts_with("struct ") => "a table".into(),
        _ => what.to_string(),
    }
}

/// What serde says it found (`integer `5``, `string "x"`, `sequence`), as the user would say it.
fn found(what: &str) -> String {
    if let Some(c) = FOUND_NUMBER.captures(what) {
        return format!("the number {}", cut(&c["number"]));
    }
    if let Some(text) = what.strip_prefix("string ") {
        let text = text.trim_matches('"');
        return format!("the text \"{}\"", cut(text));
    }
    match what {
        "boolean `true`" => "true".into(),
        "boolean `false`" => "false".into(),
        "sequence" => "a list".into(),
        "map" => "a table".into(),
        "unit value" => "null".into(),
        _ => cut(what),
    }
}

fn json_noun(what: &str) -> &str {
    match what {
        "object" => "an object { … }",
        "list" => "a list [ … ]",
        "string" => "text in quotes",
        _ => what,
    }
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn a_misspelt_key_gets_the_nearest_key_and_not_the_list() {
        let message = plain(
            "unknown field `excuted`, expected one of `code`, `name`, `budget_adjusted`, `executed`, `unsettled`",
        );
        assert_eq!(message, "unknown key `excuted`; did you mean `executed`?");
        let message = plain("unknown field `zzz`, expected one of `code`, `name`");
        assert!(
            message.starts_with("unknown key `zzz`: no key"),
            "{message}"
        );
        assert!(!message.contains("`code`"), "{message}");
    }

    #[test]
    fn serde_type_names_become_plain_words() {
        assert_eq!(
            plain("invalid type: string \"2023年\", expected i64"),
            "expected a whole number, found the text \"2023年\""
        );
        assert_eq!(
            plain("invalid type: integer `5`, expected a string"),
            "expected text in quotes, found the number 5"
        );
        assert_eq!(
            plain("invalid type: integer `99999999999999999999` as i128, expected i64"),
            "expected a whole number, found the number 99999999999999999999"
        );
        assert_eq!(
            plain("invalid type: sequence, expected struct Unit"),
            "expected a table, found a list"
        );
        assert_eq!(plain("invalid float, expected nothing"), "invalid float");
        assert_eq!(
            plain("missing field `code`"),
            "the required key `code` is missing"
        );
    }

    #[test]
    fn a_long_echoed_value_is_cut() {
        let long = "9".repeat(301);
        let message = plain(&format!(
            "invalid type: string \"{long}\", expected a string"
        ));
        assert!(message.len() < 100, "{message}");
        assert!(
            message.contains(&format!("{}…", "9".repeat(40))),
            "{message}"
        );
    }
}
