//! Any text as a target and an actual value: parsing, comparing and scoring never panic.
#![no_main]

use jixiao::compare::Comparison;
use jixiao::indicator_value::Value;
use jixiao::record::RawValue;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &str, bool)| {
    let (target, actual, is_cost) = input;
    let parse = |text: &str| Value::parse(Some(&RawValue::Text(text.to_string())), Some(2023));
    let (target, actual) = (parse(target), parse(actual));
    let comparison = Comparison::of(&target, &actual, is_cost);
    let _ = comparison.met();
});
