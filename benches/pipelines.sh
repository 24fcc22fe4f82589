#!/usr/bin/env bash
# Throughput of jixiao as a pipeline's map step, for docs/scale-out.md: `run --format jsonl`
# over 10,000 generated units (200,000 projects) read from a JSON Lines file and from stdin,
# on one thread and on all cores, beside the baseline of the same run — `score --format csv`,
# the figure BENCHMARKS.md tracks. Each figure is the best of RUNS runs: wall time, and CPU
# time (user + system), which is what a core's throughput is — on a shared, loaded machine it
# moves far less than wall time. Checks the stdin output equals the file's, byte for byte.
# Usage: benches/pipelines.sh [WORKDIR]   (JIXIAO=path/to/binary to time another build)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
runs=${RUNS:-3}
if [ -z "${JIXIAO:-}" ]; then
  cargo build --release --quiet
  JIXIAO=target/release/jixiao
fi
mkdir -p "$work"
batch="$work/b10k.jsonl"
projects=200000

best() { # "wall cpu": the least wall and CPU seconds of $runs runs of the shell command "$1"
  local wall=999999 cpu=999999
  for _ in $(seq "$runs"); do
    /usr/bin/time -o "$work/time" -f "%e %U %S" bash -c "$1" >/dev/null 2>&1
    read -r w u s <"$work/time"
    wall=$(awk -v a="$w" -v b="$wall" 'BEGIN { print (a < b) ? a : b }')
    cpu=$(awk -v a="$u" -v s="$s" -v b="$cpu" 'BEGIN { print (a + s < b) ? a + s : b }')
  done
  echo "$wall $cpu"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(date -u +%F)"
[ -f "$batch" ] || $JIXIAO gen --units 10000 --projects 20 --seed 7 --out "$batch" 2>/dev/null
echo "command                                   jobs  wall s  projects/s   CPU s  projects per CPU-second"
for jobs in 1 "$(nproc)"; do
  for label in "score FILE --format csv (baseline)" "run FILE --format jsonl" "cat FILE | run - --format jsonl"; do
    case $label in
      score*) command="$JIXIAO score $batch --format csv --jobs $jobs" ;;
      run*) command="$JIXIAO run $batch --format jsonl --jobs $jobs" ;;
      cat*) command="cat $batch | $JIXIAO run - --format jsonl --jobs $jobs" ;;
    esac
    read -r wall cpu <<<"$(best "$command > /dev/null")"
    awk -v l="$label" -v j="$jobs" -v w="$wall" -v c="$cpu" -v p="$projects" \
      'BEGIN { printf "%-40s %5s  %6.2f  %10.0f  %6.2f  %23.0f\n", l, j, w, p / w, c, p / c }'
  done
done
cmp <($JIXIAO run "$batch" --format jsonl) \
  <(cat "$batch" | $JIXIAO run - --format jsonl | sed 's/"file":"<stdin>:/"file":"'"${batch//\//\\/}"':/') \
  && echo "stdin output identical to the file's (after the source's name)"
