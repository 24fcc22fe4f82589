//! insta's snapshot file format, written and compared by our own code so that `jixiao test`
//! needs no insta internals at runtime: the YAML body `insta::assert_yaml_snapshot!` writes
//! (insta 1.x serializes through its vendored yaml-rust emitter: block style, two-space
//! indent, `- ` items inline, `~` for null, and its own rule for which strings need quotes)
//! and the rule insta compares a stored body with a new one by. insta's opt-in literal blocks
//! for multi-line text (`INSTA_YAML_BLOCK_STYLE=1`) are not written: leave that unset.
//! `tests/it/snapshot_agreement.rs` holds this to insta's own macro on awkward values, so a
//! divergence fails `cargo test`.

use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt::Write as _;

/// The body insta writes for `value`: its YAML without the `---` document start, ending in a
/// newline. Struct fields keep their declared order (serde_json's `preserve_order`).
pub fn to_yaml<T: Serialize>(value: &T) -> Result<String, serde_json::Error> {
    let mut emitter = Emitter {
        out: String::new(),
        level: -1,
    };
    emitter.node(&serde_json::to_value(value)?);
    emitter.out.push('\n');
    Ok(emitter.out)
}

/// Whether a stored body (as read from the file, after the header) and a new one match as
/// insta compares file snapshots: line by line, trailing whitespace and CRLF line ends ignored.
pub fn same_body(stored: &str, new: &str) -> bool {
    let stored_as_insta_reads_it = stored.lines().collect::<Vec<_>>().join("\n");
    normalized(&stored_as_insta_reads_it) == normalized(new)
}

fn normalized(body: &str) -> String {
    body.trim_end().replace("\r\n", "\n")
}

/// insta's emitter, in its default (compact, no literal blocks) configuration. `level` is the
/// nesting depth of the collection being written, -1 before the top one, as insta counts it.
struct Emitter {
    out: String,
    level: isize,
}

impl Emitter {
    fn node(&mut self, value: &Value) {
        match value {
            Value::Array(items) => self.sequence(items),
            Value::Object(map) => self.mapping(map),
            Value::String(text) => self.string(text),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            // insta writes floats with Rust's `Display`, serde_json's own would differ (`1.0`).
            Value::Number(n) => match n.as_f64().filter(|_| n.is_f64()) {
                Some(float) => write!(self.out, "{float}").unwrap_or_default(),
                None => write!(self.out, "{n}").unwrap_or_default(),
            },
            Value::Null => self.out.push('~'),
        }
    }

    fn string(&mut self, text: &str) {
        if needs_quotes(text) {
            escape_into(&mut self.out, text);
        } else {
            self.out.push_str(text);
        }
    }

    fn sequence(&mut self, items: &[Value]) {
        if items.is_empty() {
            self.out.push_str("[]");
            return;
        }
        self.level += 1;
        for (n, item) in items.iter().enumerate() {
            if n > 0 {
                self.new_line();
            }
            self.out.push('-');
            self.value(true, item);
        }
        self.level -= 1;
    }

    fn mapping(&mut self, map: &Map<String, Value>) {
        if map.is_empty() {
            self.out.push_str("{}");
            return;
        }
        self.level += 1;
        for (n, (key, value)) in map.iter().enumerate() {
            if n > 0 {
                self.new_line();
            }
            self.string(key);
            self.out.push(':');
            self.value(false, value);
        }
        self.level -= 1;
    }

    /// A value after `-` (`inline`: a nested collection starts on the same line) or after
    /// `key:` (a non-empty nested collection starts on the next line, one level deeper).
    fn value(&mut self, inline: bool, value: &Value) {
        let starts_below = match value {
            Value::Array(items) => !inline && !items.is_empty(),
            Value::Object(map) => !inline && !map.is_empty(),
            _ => false,
        };
        if starts_below {
            self.level += 1;
            self.new_line();
            self.level -= 1;
        } else {
            self.out.push(' ');
        }
        self.node(value);
    }

    fn new_line(&mut self) {
        self.out.push('\n');
        for _ in 0..self.level.max(0) {
            self.out.push_str("  ");
        }
    }
}

/// insta's quoting rule. Unlike yaml-rust2's emitter it leaves `y`, `Y`, `n`, `N` bare.
fn needs_quotes(text: &str) -> bool {
    const PLAIN_WORDS_READ_AS_OTHER_TYPES: [&str; 22] = [
        "yes", "Yes", "YES", "no", "No", "NO", "True", "TRUE", "true", "False", "FALSE", "false",
        "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~",
    ];
    text.is_empty()
        || text.starts_with(' ')
        || text.ends_with(' ')
        || text.starts_with(['&', '*', '?', '|', '-', '<', '>', '=', '!', '%', '@'])
        || text.contains(|c: char| {
            matches!(c, ':' | '{' | '}' | '[' | ']' | ',' | '#' | '`' | '"' | '\'' | '\\'
                | '\0'..='\x06' | '\t' | '\n' | '\r' | '\x0e'..='\x1a' | '\x1c'..='\x1f')
        })
        || PLAIN_WORDS_READ_AS_OTHER_TYPES.contains(&text)
        || text.starts_with('.')
        || text.starts_with("0x")
        || text.parse::<i64>().is_ok()
        || text.parse::<f64>().is_ok()
}

/// A double-quoted scalar, escaped as insta escapes it (JSON-style, control bytes as `\u00XX`).
fn escape_into(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x08' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\x0c' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\0'..='\x1f' | '\x7f' => write!(out, "\\u{:04x}", c as u32).unwrap_or_default(),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_collections_indent_as_insta_writes_them() {
        let value = json!({
            "units": [{"code": "A", "findings": [], "evidence": {"gap": "8.56", "kinds": ["x", "y"]}}],
            "errors": [],
            "empty": {},
            "nested": [["a", "b"], {"k": null}]
        });
        let expected = "\
units:
  - code: A
    findings: []
    evidence:
      gap: \"8.56\"
      kinds:
        - x
        - y
errors: []
empty: {}
nested:
  - - a
    - b
  - k: ~
";
        assert_eq!(to_yaml(&value).unwrap(), expected);
    }

    #[test]
    fn strings_are_quoted_exactly_where_insta_quotes_them() {
        let cases = [
            ("株洲市渌口区", "株洲市渌口区"),
            ("y", "y"),
            ("N", "N"),
            ("yes", "\"yes\""),
            ("~", "\"~\""),
            ("null", "\"null\""),
            ("", "\"\""),
            (" lead", "\" lead\""),
            ("12", "\"12\""),
            ("1e3", "\"1e3\""),
            ("-x", "\"-x\""),
            ("a: b", "\"a: b\""),
            ("two\nlines", "\"two\\nlines\""),
            ("start\x01", "\"start\\u0001\""),
            // insta leaves BEL, VT, FF and ESC bare: its rule, not YAML's, is the one to match
            ("bell\x07", "bell\x07"),
            (
                "报告称8个，实际5个（a、b）。",
                "报告称8个，实际5个（a、b）。",
            ),
        ];
        for (text, written) in cases {
            assert_eq!(to_yaml(&text).unwrap(), format!("{written}\n"), "{text:?}");
        }
    }

    #[test]
    fn struct_fields_keep_their_declared_order() {
        #[derive(Serialize)]
        struct Finding {
            rule: &'static str,
            message: &'static str,
            cause: Option<&'static str>,
        }
        let finding = Finding {
            rule: "R",
            message: "m",
            cause: None,
        };
        assert_eq!(
            to_yaml(&finding).unwrap(),
            "rule: R\nmessage: m\ncause: ~\n"
        );
    }

    #[test]
    fn bodies_match_whatever_their_trailing_whitespace_and_line_ends() {
        assert!(same_body("a: 1\r\nb: 2\r\n\r\n", "a: 1\nb: 2\n"));
        assert!(same_body("a: 1\nb: 2", "a: 1\nb: 2\n  \n"));
        assert!(!same_body("a: 1\nb: 2\n", "a: 1\nb: 3\n"));
        assert!(!same_body("  a: 1\n", "a: 1\n"));
    }
}
