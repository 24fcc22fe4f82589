#!/usr/bin/env bash
# What one Rhai operation costs inside a rule, in instructions: for each operation below, a
# one-rule rule set whose `check` runs it 2,000 times on each of the 3 projects of
# cases/overspend, counted by callgrind over the whole `jixiao run`, minus the same rule
# with an empty loop body, divided by 6,000. The counts are of this binary and these
# operations; they repeat to within a few instructions.
#
# Usage: cargo build --release && benches/rhai_ops.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/jixiao
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 1; }
loops=2000
projects=3 # cases/overspend
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp rules/rules.toml rules/causes.toml "$dir"
cp -r rules/scoring "$dir"

# instructions of `jixiao run` with OP as the loop body
count() {
    cat >"$dir/op.rhai" <<RULE
//! One operation, repeated.
//!
//! Measures what the operation costs.
const ID = "OP";
const TITLE = "op";
const SEVERITY = "info";
const CATEGORY = "consistency";
const SCOPE = "project";
fn check(p, unit, t) {
    let ind = p.indicators[0];
    let s = "abc";
    let d = p.executed;
    let list = ["a", "b", "c"];
    let m = #{ a: 1, b: 2 };
    let x = 0;
    let i = 0;
    while i < $loops { $1; i += 1; }
}
RULE
    valgrind --tool=callgrind --callgrind-out-file="$dir/out" "$bin" run --rules "$dir" \
        cases/overspend >"$dir/stdout" 2>&1
    if grep -q "op.rhai" "$dir/stdout"; then
        echo "the rule failed with \`$1\`:" >&2
        cat "$dir/stdout" >&2
        exit 1
    fi
    sed -n 's/^totals: \([0-9]*\).*/\1/p' "$dir/out"
}

base=$(count "()")
echo "| operation | instructions |"
echo "|---|---|"
for op in 'x = 1' 'x = d' 'x = p.executed' 'x = ind.name' 'x = t.execution_rate_min' \
    'x = d > 0' 'x = s == ""' 'x = d == ()' 'x = m.a' 'm.c = true' 'x = "a" in list' \
    'x = m.get("a") ?? 1' 'x = pct(d)' 'x = `a${s}b`' 'x = #{ a: 1 }'; do
    with=$(count "$op")
    echo "| `` $op `` | $(((with - base) / (loops * projects))) |"
done
