#!/usr/bin/env python3
"""Parallel efficiency of `jixiao score` in figures that noise cannot fake.

Usage: cargo build --release && python3 benches/parallel.py [UNITS]   (default 2,000 units)
For a generated batch as a TOML folder and as JSON Lines, on the same binary, it prints:
- CPU time (user + system) of `--jobs 2` against `--jobs 1`: the work parallelism adds;
- the CPU time of the reader thread and of the main thread (which hands results on): the
  serial part, read from /proc every 5 ms while the run lasts;
- the wall-time speed-up of `--jobs 2`, beside the machine's capacity at that moment: two
  independent `--jobs 1` runs at once, against one alone.
Each figure is the least of RUNS runs (environment, default 3).
"""
import os
import resource
import subprocess
import sys
import tempfile
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.path.join(root, "target", "release", "jixiao")
units = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
runs = int(os.environ.get("RUNS", "3"))
tick = os.sysconf("SC_CLK_TCK")


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def thread_times(pid, seen):
    """Records the latest CPU seconds of each thread of `pid` under its id and name."""
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
        except (FileNotFoundError, ProcessLookupError):
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        # utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
        seen[(tid, name)] = (int(fields[11]) + int(fields[12])) / tick


def score(source, jobs):
    """One run: wall seconds, CPU seconds, CPU seconds per thread name (reader, main)."""
    cpu = children_cpu()
    start = time.perf_counter()
    run = subprocess.Popen([binary, "score", source, "--format", "csv", "--jobs", str(jobs)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = {}
    while run.poll() is None:
        thread_times(run.pid, seen)
        time.sleep(0.005)
    wall = time.perf_counter() - start
    if run.returncode != 0:
        raise SystemExit(f"jixiao score {source} failed")
    reader = sum(s for (_, name), s in seen.items() if name == "reader")
    # The main thread's id is the process id (the workers share its name).
    main = sum(s for (tid, _), s in seen.items() if tid == str(run.pid))
    return wall, children_cpu() - cpu, reader, main


def pair(source):
    """Wall seconds for two independent one-thread runs started together."""
    start = time.perf_counter()
    both = [subprocess.Popen([binary, "score", source, "--format", "csv", "--jobs", "1"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(2)]
    if any(p.wait() != 0 for p in both):
        raise SystemExit(f"jixiao score {source} failed")
    return time.perf_counter() - start


def best(measure):
    results = [measure() for _ in range(runs)]
    return [min(r[i] for r in results) for i in range(len(results[0]))]


work = tempfile.mkdtemp()
print(f"{units} units × 20 projects, {os.cpu_count()} cores, least of {runs} runs")
print("| input | CPU s, 1 job | CPU s, 2 jobs | CPU 2 / 1 | reader CPU s | main CPU s (2 jobs)"
      " | wall 1 / 2 jobs | capacity (2 runs of 1 job) |")
print("|---|---|---|---|---|---|---|---|")
for name in (f"b{units}", f"b{units}.jsonl"):
    source = os.path.join(work, name)
    subprocess.run([binary, "gen", "--units", str(units), "--projects", "20", "--seed", "7",
                    "--out", source], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall1, cpu1, _, _ = best(lambda: score(source, 1))
    wall2, cpu2, reader, main = best(lambda: score(source, 2))
    (both,) = best(lambda: (pair(source),))
    kind = "JSON Lines" if name.endswith(".jsonl") else "TOML folder"
    print(f"| {kind} | {cpu1:.2f} | {cpu2:.2f} | {cpu2 / cpu1:.2f}× | {reader:.2f} | {main:.2f}"
          f" | {wall1 / wall2:.2f}× | {2 * wall1 / both:.2f}× |")
subprocess.run(["rm", "-rf", work], check=True)
