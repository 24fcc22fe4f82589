#!/usr/bin/env python3
"""Time from saving a rule to `jixiao watch` showing the new findings on the seed case.

Usage: cargo build --release && python3 benches/watch_latency.py
Works on a scratch copy of rules/ and cases/; prints five save-to-result times in seconds.
"""
import os
import shutil
import subprocess
import tempfile
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.path.join(root, "target", "release", "jixiao")
work = tempfile.mkdtemp()
for folder in ("rules", "cases"):
    shutil.copytree(os.path.join(root, folder), os.path.join(work, folder))
watch = subprocess.Popen([binary, "watch"], cwd=work, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True, bufsize=1)


def wait_for(needle, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        if needle in watch.stdout.readline():
            return True
    raise SystemExit(f"timed out waiting for {needle!r}")


wait_for("waiting for changes")
rule = os.path.join(work, "rules", "institutions-count.rhai")
word = "报告称"
times = []
for i in range(5):
    text = open(rule, encoding="utf-8").read()
    start = time.time()
    with open(rule, "w", encoding="utf-8") as f:
        f.write(text.replace(word, f"报告{i}称", 1))
    word = f"报告{i}称"
    wait_for(f"{word}所属事业单位8个")
    times.append(time.time() - start)
    wait_for("waiting for changes")
watch.kill()
shutil.rmtree(work)
print("save → new findings (s):", " ".join(f"{t:.3f}" for t in times))
