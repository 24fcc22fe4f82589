//! Declarative guards: a project rule's optional `const WHEN = "…";`, a condition over flags
//! computed in Rust once per project (`!has_reason`, `has_off_target || has_unsettled`).
//! The evaluator checks it before calling the rule's script, so a rule that cannot fire on a
//! project costs a few instructions instead of a script call — most projects deviate in
//! nothing, and a script call with its field reads costs thousands of instructions.
//!
//! A guard only skips work: it must hold on every project the rule could report, and the
//! rule's own script still decides. The grammar is flags, `!`, `&&`, `||` and parentheses.

use crate::model::view::{IndicatorKind, ProjectView};
use rust_decimal::Decimal;

/// How one flag is computed from a project.
type FlagOf = fn(&ProjectView) -> bool;

/// The flags a guard can name, each with how it is computed. Each must be a plain fact of
/// the record, independent of `rules.toml`, so a guard written over it stays true whatever
/// the thresholds say.
const FLAGS: &[(&str, FlagOf)] = &[
    ("has_reason", |p| !p.record.deviation_reason.is_empty()),
    ("has_unsettled", |p| p.record.unsettled > Decimal::ZERO),
    // budget_initial is given and executed < budget_initial.
    ("spent_below_initial", |p| {
        p.record
            .budget_initial
            .is_some_and(|i| p.record.executed < i)
    }),
    // budget_initial is given and budget_adjusted > budget_initial.
    ("budget_increased", |p| {
        p.record
            .budget_initial
            .is_some_and(|i| p.record.budget_adjusted > i)
    }),
    ("overspent", |p| {
        p.record.executed > p.record.budget_adjusted
    }),
    ("has_indicators", |p| !p.indicators.is_empty()),
    ("has_off_target", |p| !p.off_target_indicators.is_empty()),
    // An off-target indicator of kind `quantity` (数量指标), of kind `cost` (成本指标).
    ("has_off_target_quantity", |p| {
        off_target_of(p, IndicatorKind::Quantity)
    }),
    ("has_off_target_cost", |p| {
        off_target_of(p, IndicatorKind::Cost)
    }),
    ("has_above_target", |p| {
        !p.above_target_indicators.is_empty()
    }),
    ("has_unreadable", |p| !p.unreadable_indicators.is_empty()),
    ("has_self_scored", |p| !p.self_scored_indicators.is_empty()),
];

/// Whether an indicator of this kind misses its target.
fn off_target_of(project: &ProjectView, kind: IndicatorKind) -> bool {
    project
        .indicators
        .iter()
        .any(|i| i.0.kind == kind && i.0.is_off_target())
}

/// The names of the flags a guard can use.
pub fn flag_names() -> Vec<&'static str> {
    FLAGS.iter().map(|f| f.0).collect()
}

/// Every flag of one project, one bit each in [`FLAGS`] order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flags(u32);

impl Flags {
    pub fn of(project: &ProjectView) -> Flags {
        let bits = FLAGS
            .iter()
            .enumerate()
            .filter(|(_, (_, holds))| holds(project))
            .fold(0, |bits, (i, _)| bits | 1 << i);
        Flags(bits)
    }
}

/// A parsed `WHEN` condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Guard {
    /// The index of a flag in [`FLAGS`].
    Flag(usize),
    Not(Box<Guard>),
    All(Vec<Guard>),
    Any(Vec<Guard>),
}

/// Why a `WHEN` text does not parse, at which character of it (0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuardError {
    pub at: usize,
    pub message: String,
}

impl Guard {
    pub fn holds(&self, flags: Flags) -> bool {
        match self {
            Guard::Flag(i) => flags.0 & (1 << i) != 0,
            Guard::Not(g) => !g.holds(flags),
            Guard::All(gs) => gs.iter().all(|g| g.holds(flags)),
            Guard::Any(gs) => gs.iter().any(|g| g.holds(flags)),
        }
    }

    pub fn parse(text: &str) -> Result<Guard, GuardError> {
        let mut parser = Parser {
            tokens: tokens(text)?,
            next: 0,
            end: text.chars().count(),
        };
        let guard = parser.any()?;
        match parser.tokens.get(parser.next) {
            None => Ok(guard),
            Some((at, token)) => Err(GuardError {
                at: *at,
                message: format!("expected `&&`, `||` or the end, found `{}`", token.text()),
            }),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Name(String),
    Not,
    And,
    Or,
    Open,
    Close,
}

impl Token {
    fn text(&self) -> &str {
        match self {
            Token::Name(name) => name,
            Token::Not => "!",
            Token::And => "&&",
            Token::Or => "||",
            Token::Open => "(",
            Token::Close => ")",
        }
    }
}

/// The tokens of a condition, each with the character it starts at.
fn tokens(text: &str) -> Result<Vec<(usize, Token)>, GuardError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let start = i;
        let pair = |second: char| chars.get(start + 1) == Some(&second);
        let token = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '!' => Token::Not,
            '(' => Token::Open,
            ')' => Token::Close,
            '&' if pair('&') => Token::And,
            '|' if pair('|') => Token::Or,
            c if c.is_ascii_alphabetic() || c == '_' => {
                let len = chars[start..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                    .count();
                Token::Name(chars[start..start + len].iter().collect())
            }
            other => {
                return Err(GuardError {
                    at: start,
                    message: format!(
                        "`{other}` is not allowed: a condition is flags joined by `!`, `&&`, `||` and parentheses"
                    ),
                });
            }
        };
        i += token.text().chars().count();
        tokens.push((start, token));
    }
    Ok(tokens)
}

/// Recursive descent: `||` binds loosest, then `&&`, then `!`.
struct Parser {
    tokens: Vec<(usize, Token)>,
    next: usize,
    end: usize,
}

impl Parser {
    fn eat(&mut self, token: &Token) -> bool {
        let found = self.tokens.get(self.next).is_some_and(|(_, t)| t == token);
        if found {
            self.next += 1;
        }
        found
    }

    fn any(&mut self) -> Result<Guard, GuardError> {
        let mut parts = vec![self.all()?];
        while self.eat(&Token::Or) {
            parts.push(self.all()?);
        }
        Ok(one_or(parts, Guard::Any))
    }

    fn all(&mut self) -> Result<Guard, GuardError> {
        let mut parts = vec![self.not()?];
        while self.eat(&Token::And) {
            parts.push(self.not()?);
        }
        Ok(one_or(parts, Guard::All))
    }

    fn not(&mut self) -> Result<Guard, GuardError> {
        if self.eat(&Token::Not) {
            return Ok(Guard::Not(Box::new(self.not()?)));
        }
        let Some((at, token)) = self.tokens.get(self.next).cloned() else {
            return Err(GuardError {
                at: self.end,
                message: "the condition ends where a flag was expected".into(),
            });
        };
        self.next += 1;
        match token {
            Token::Open => {
                let inner = self.any()?;
                if self.eat(&Token::Close) {
                    Ok(inner)
                } else {
                    let at = self.tokens.get(self.next).map_or(self.end, |(at, _)| *at);
                    Err(GuardError {
                        at,
                        message: "`(` is not closed".into(),
                    })
                }
            }
            Token::Name(name) => match FLAGS.iter().position(|f| f.0 == name) {
                Some(i) => Ok(Guard::Flag(i)),
                None => Err(GuardError {
                    at,
                    message: format!(
                        "unknown flag `{name}`{}",
                        crate::diagnostic::suggest(&name, &flag_names())
                    ),
                }),
            },
            other => Err(GuardError {
                at,
                message: format!("expected a flag, found `{}`", other.text()),
            }),
        }
    }
}

/// A single part as itself, several joined.
fn one_or(mut parts: Vec<Guard>, join: fn(Vec<Guard>) -> Guard) -> Guard {
    if parts.len() == 1
        && let Some(only) = parts.pop()
    {
        return only;
    }
    join(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(names: &[&str]) -> Flags {
        let bits = names
            .iter()
            .map(|n| FLAGS.iter().position(|f| f.0 == *n).expect("a known flag"))
            .fold(0, |bits, i| bits | 1 << i);
        Flags(bits)
    }

    fn holds(text: &str, set: &[&str]) -> bool {
        Guard::parse(text).expect("parses").holds(flags(set))
    }

    #[test]
    fn and_binds_tighter_than_or_and_not_tightest() {
        assert!(holds(
            "has_reason || has_unsettled && overspent",
            &["has_reason"]
        ));
        assert!(!holds(
            "(has_reason || has_unsettled) && overspent",
            &["has_reason"]
        ));
        assert!(holds("!has_reason && has_unsettled", &["has_unsettled"]));
        assert!(!holds(
            "!has_reason && has_unsettled",
            &["has_reason", "has_unsettled"]
        ));
        assert!(holds("!(has_reason || overspent)", &[]));
        assert!(holds("!!has_reason", &["has_reason"]));
    }

    #[test]
    fn an_unknown_flag_names_its_place_and_the_nearest_flag() {
        let error = Guard::parse("has_reason || has_unsetled").unwrap_err();
        assert_eq!(error.at, 14);
        assert!(
            error.message.contains("unknown flag `has_unsetled`"),
            "{error:?}"
        );
        assert!(
            error.message.contains("did you mean `has_unsettled`"),
            "{error:?}"
        );
    }

    #[test]
    fn malformed_conditions_say_where() {
        let cases = [
            ("", 0, "ends where a flag was expected"),
            ("has_reason &&", 13, "ends where a flag was expected"),
            ("has_reason & overspent", 11, "`&` is not allowed"),
            ("(has_reason", 11, "`(` is not closed"),
            ("has_reason overspent", 11, "expected `&&`, `||` or the end"),
            ("执行 || has_reason", 0, "`执` is not allowed"),
            ("|| has_reason", 0, "expected a flag, found `||`"),
        ];
        for (text, at, message) in cases {
            let error = Guard::parse(text).unwrap_err();
            assert_eq!(error.at, at, "{text}: {error:?}");
            assert!(error.message.contains(message), "{text}: {error:?}");
        }
    }
}
