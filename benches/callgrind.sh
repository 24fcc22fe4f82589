#!/usr/bin/env bash
# Instruction counts that repeat to within 0.01%: runs each mode of the `instructions` bench
# (benches/instructions/main.rs) under callgrind, counting only `jixiao_measured` — one pass
# of one phase over the fixed generated batch, setup left out — and prints the counts and the
# scripted / native ratios: end to end (JSON, TOML), rules alone, and per rule (a rule that
# reads the others' findings as the difference the whole set makes with and without it).
#
# Usage: benches/callgrind.sh [JOBS]   (JOBS: callgrind runs at once, default 1; the counts
# do not depend on it or on the machine's load)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-1}
projects=2000 # 100 units × 20 projects, as fixture.rs generates

bin=$(cargo bench --bench instructions --no-run 2>&1 |
    sed -n 's/.*Executable .*(\(.*instructions-[^)]*\)).*/\1/p' | tail -n 1)
[ -x "$bin" ] || { echo "could not build the instructions bench" >&2; exit 1; }
"$bin" check

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$bin" list | xargs -P "$jobs" -I{} sh -c '
    valgrind --tool=callgrind --collect-atstart=no --toggle-collect=jixiao_measured \
        --callgrind-out-file="$2/$(echo "$1" | tr ":" "_").out" "$3" "$1" >/dev/null 2>&1 ||
        { echo "callgrind failed on mode $1" >&2; exit 255; }' _ {} "$out" "$bin"

# mode → instructions counted
"$bin" list | while read -r mode; do
    file="$out/$(echo "$mode" | tr ":" "_").out"
    printf '%s %s\n' "$mode" "$(sed -n 's/^totals: \([0-9]*\).*/\1/p' "$file")"
done >"$out/counts"

awk -v projects="$projects" '
    { ir[$1] = $2; order[n++] = $1 }
    function ratio(s, t) { return sprintf("%.2f×", ir[s] / ir[t]) }
    function grouped(x,    s) {
        s = sprintf("%d", x + 0.5)
        while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
        return s
    }
    function row(name, s, t) {
        printf "| %s | %s | %s | %s |\n", name, grouped(ir[s] / projects), grouped(ir[t] / projects), ratio(s, t)
    }
    END {
        print "Phases (instructions per project, one pass over 100 units × 20 projects):\n"
        print "| phase | instructions / project |"
        print "|---|---|"
        for (i = 0; i < n; i++) if (order[i] !~ /^rule-|-without:/)
            printf "| %s | %s |\n", order[i], grouped(ir[order[i]] / projects)
        print "\nScripted / native (instructions per project):\n"
        print "| | scripted | native | scripted / native |"
        print "|---|---|---|---|"
        row("end to end, JSON", "e2e-json-scripted", "e2e-json-native")
        row("end to end, TOML", "e2e-toml-scripted", "e2e-toml-native")
        row("rules alone", "rules-scripted", "rules-native")
        # A rule measured alone, or, one that reads the findings of the others, as what the
        # whole set costs more with it than without it.
        for (i = 0; i < n; i++) {
            if (order[i] ~ /^rule-scripted:/) {
                id = substr(order[i], length("rule-scripted:") + 1)
                row(id, order[i], "rule-native:" id)
            } else if (order[i] ~ /^rules-scripted-without:/) {
                id = substr(order[i], length("rules-scripted-without:") + 1)
                ir["in-set-scripted:" id] = ir["rules-scripted"] - ir[order[i]]
                ir["in-set-native:" id] = ir["rules-native"] - ir["rules-native-without:" id]
                row(id " (in the set)", "in-set-scripted:" id, "in-set-native:" id)
            }
        }
    }' "$out/counts"
