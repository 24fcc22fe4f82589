//! The indicator-value parser and the comparison, on any text: each input is up to five lines,
//! target, actual, the record's `op` key, its `unit` key and the report year, so that the
//! corpus and any crash read as what a unit file would hold. Nothing may panic.
#![no_main]

use jixiao::model::compare::Comparison;
use jixiao::input::indicator_value::Value;
use jixiao::input::record::RawValue;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.split('\n');
    let mut next = || lines.next().map(str::to_string);
    let (target, actual, op, unit, year) = (next(), next(), next(), next(), next());
    let year = year.and_then(|y| y.trim().parse::<i64>().ok());
    let target = Value::parse(target.map(RawValue::Text).as_ref(), year)
        .with_op_and_unit(op.as_deref(), unit.as_deref());
    let actual = Value::parse(actual.map(RawValue::Text).as_ref(), year);
    for is_cost in [false, true] {
        let _ = Comparison::of(&target, &actual, is_cost);
    }
});
