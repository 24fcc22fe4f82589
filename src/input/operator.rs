//! The comparison operator of an indicator value (`≥`, `>`, `≤`, `<`, `=`) and every way a
//! unit writes one: symbols, ASCII or full-width, and words (不低于, 不超过, 控制在 …).

use crate::input::normalize::normalize;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Op {
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "=")]
    Eq,
}

/// Every way a unit writes an operator, once full-width forms are normalised (`＞＝` is `>=`,
/// `≧` is `≥`). Longer spellings come first so that the pattern built from them prefers them.
pub(crate) const OP_SPELLINGS: &[(&str, Op)] = &[
    (">=", Op::Ge),
    ("≥", Op::Ge),
    ("不低于", Op::Ge),
    ("不少于", Op::Ge),
    ("不小于", Op::Ge),
    ("达到", Op::Ge),
    ("<=", Op::Le),
    ("≤", Op::Le),
    ("不高于", Op::Le),
    ("不超过", Op::Le),
    ("不多于", Op::Le),
    ("不大于", Op::Le),
    ("控制在", Op::Le),
    (">", Op::Gt),
    ("大于", Op::Gt),
    ("高于", Op::Gt),
    ("多于", Op::Gt),
    ("超过", Op::Gt),
    ("<", Op::Lt),
    ("小于", Op::Lt),
    ("低于", Op::Lt),
    ("少于", Op::Lt),
    ("==", Op::Eq),
    ("=", Op::Eq),
];

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Ge => "≥",
            Op::Gt => ">",
            Op::Le => "≤",
            Op::Lt => "<",
            Op::Eq => "=",
        }
    }

    /// Reads an operator written as a symbol (ASCII or full-width) or as words.
    pub fn parse(text: &str) -> Option<Op> {
        let normalized = normalize(text);
        let written = normalized.trim();
        OP_SPELLINGS
            .iter()
            .find(|(spelling, _)| *spelling == written)
            .map(|(_, op)| *op)
    }

    pub fn is_lower_better(self) -> bool {
        matches!(self, Op::Le | Op::Lt)
    }
}
