#!/usr/bin/env bash
# End-to-end figures for BENCHMARKS.md: `jixiao score` over generated batches, on one thread
# and on all cores, from a TOML folder and from JSON Lines, and peak memory for 100,000 units.
# Each time is the best (least user + system, and least wall) of RUNS runs, because these
# machines are shared and noisy. Usage: benches/e2e.sh [WORKDIR]   (needs ~7 GB free)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
runs=${RUNS:-3}
cargo build --release --quiet
jixiao=target/release/jixiao
mkdir -p "$work"

best() { # best wall-clock seconds of $runs runs of "$@"
  local best=999999
  for _ in $(seq "$runs"); do
    /usr/bin/time -o "$work/time" -f "%e" "$@" >/dev/null 2>&1
    best=$(awk -v a="$(cat "$work/time")" -v b="$best" 'BEGIN { print (a < b) ? a : b }')
  done
  echo "$best"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(date -u +%F)"
[ -d "$work/b10k" ] || $jixiao gen --units 10000 --projects 20 --seed 7 --out "$work/b10k" 2>/dev/null
[ -f "$work/b10k.jsonl" ] || $jixiao gen --units 10000 --projects 20 --seed 7 --out "$work/b10k.jsonl" 2>/dev/null
echo "input          jobs  seconds  µs/project"
for input in b10k b10k.jsonl; do
  for jobs in 1 "$(nproc)"; do
    s=$(best $jixiao score "$work/$input" --format csv --jobs "$jobs")
    printf "%-14s %4s  %7s  %10.1f\n" "$input" "$jobs" "$s" "$(awk -v s="$s" 'BEGIN { print s / 200000 * 1e6 }')"
  done
done
cmp <($jixiao score "$work/b10k" --format csv --jobs 1) <($jixiao score "$work/b10k" --format csv --jobs "$(nproc)") \
  && echo "csv identical on 1 and $(nproc) threads"

[ -f "$work/b100k.jsonl" ] || $jixiao gen --units 100000 --projects 20 --seed 7 --out "$work/b100k.jsonl" 2>/dev/null
/usr/bin/time -v $jixiao score "$work/b100k.jsonl" --format csv >/dev/null 2>"$work/mem"
echo "100,000 units (2,000,000 projects), JSON Lines, all cores:"
grep -E "Elapsed|Maximum resident" "$work/mem" | sed 's/^\s*/  /'
