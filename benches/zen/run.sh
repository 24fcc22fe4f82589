#!/usr/bin/env bash
# The peer benchmark against GoRules ZEN: builds this crate (release), checks that both ZEN
# graph forms give exactly jixiao's findings for the six core rules, prints the CPU and
# wall-time table (ns per project-rule, one thread and all cores), then counts the instructions of one
# pass of each engine on one thread under callgrind (only `zen_measured`: generating the
# batch, building the views and compiling rules or graphs are left out).
#
# Usage: benches/zen/run.sh [PASSES]   (timed passes per figure, default 11)
# Test: cd benches/zen && cargo test --release   (the agreement check on 10 units)
set -euo pipefail
cd "$(dirname "$0")"
passes=${1:-11}
project_rules=12000 # 100 units × 20 projects × 6 rules

cargo build --release --quiet
bin=target/release/jixiao-zen-bench
"$bin" check
"$bin" time "$passes"

command -v valgrind >/dev/null || { echo "valgrind not installed: no instruction counts"; exit 0; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo
echo "Instructions per project-rule (callgrind, one pass on one thread):"
echo
echo "| engine | instructions / project-rule | / jixiao |"
echo "|---|---|---|"
base=
for mode in $("$bin" list); do
    valgrind --tool=callgrind --collect-atstart=no --toggle-collect=zen_measured \
        --callgrind-out-file="$out/$mode.out" "$bin" "$mode" >/dev/null 2>&1 ||
        { echo "callgrind failed on $mode" >&2; exit 1; }
    ir=$(sed -n 's/^totals: \([0-9]*\).*/\1/p' "$out/$mode.out")
    base=${base:-$ir}
    awk -v m="$mode" -v ir="$ir" -v b="$base" -v n="$project_rules" \
        'BEGIN { printf "| %s | %d | %.2f× |\n", m, ir / n + 0.5, ir / b }'
done
