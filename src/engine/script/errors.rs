//! Where a script error happened and what it means, in the rule writer's words.

use super::MAX_OPERATIONS;
use super::fields::no_such_field;
use rhai::{EvalAltResult, Position};

/// Where a Rhai error happened: the innermost position of a chain of function calls.
pub fn innermost(error: &EvalAltResult) -> (Position, String) {
    match error {
        EvalAltResult::ErrorInFunctionCall(_, _, inner, pos) => {
            let (p, message) = innermost(inner);
            (if p.is_none() { *pos } else { p }, message)
        }
        other => (other.position(), describe(other)),
    }
}

/// The error's message, with a hint when a rule read a field its record type lacks.
fn describe(error: &EvalAltResult) -> String {
    let message = match error {
        EvalAltResult::ErrorRuntime(value, _) => value.to_string(),
        EvalAltResult::ErrorTooManyOperations(_) => format!(
            "stopped after {MAX_OPERATIONS} operations on one record: is there a loop that never ends?"
        ),
        other => {
            let message = other.to_string();
            match message.rfind(" (line ") {
                Some(at) => message[..at].to_string(),
                None => message,
            }
        }
    };
    let unknown_property = message
        .strip_prefix("Unknown property '")
        .and_then(|rest| rest.split_once("' - a getter is not registered for type '"))
        .map(|(field, rest)| (field, rest.trim_end_matches('\'')));
    if let Some((field, type_name)) = unknown_property
        && let Some(message) = no_such_field(type_name, field)
    {
        return message;
    }
    message
}
