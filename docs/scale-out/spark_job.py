"""jixiao as the map step of a Spark job, the ranking as the reduce (see docs/scale-out.md).

    spark-submit docs/scale-out/spark_job.py BATCH.jsonl [MASTER]      (default master local[2])

Each partition of the JSON Lines batch is piped through `jixiao run - --format jsonl`, one
single-threaded jixiao per task (Spark runs a task per core); every result line is a unit or
an error. The ranking is a global sort by the key `jixiao score` uses (rank.py beside this).
PySpark runs a piped command with exactly the environment it is given (`env`), none other:
this job passes its own PATH, where `jixiao` must be found on every executor, and JIXIAO_RULES,
the rules folder (default `rules`, from the executor's working folder).
"""

import json
import os
import sys
from collections import Counter

from pyspark.sql import SparkSession

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from rank import ranking_key, shown  # noqa: E402

# With checkCode (and always in Scala's RDD.pipe) a task fails when its command exits non-zero.
# jixiao exits 2 when an input line was an error, which it has already written as an
# {"error": …} line: accept 0 and 2, so that a bad line costs that line and never the job,
# while anything else (a crash, a missing binary) fails the task rather than losing units.
COMMAND = (
    "sh -c 'jixiao run - --format jsonl --jobs 1 --rules \"$JIXIAO_RULES\"; "
    's=$?; [ "$s" -eq 0 ] || [ "$s" -eq 2 ]\''
)


def main():
    batch = sys.argv[1]
    master = sys.argv[2] if len(sys.argv) > 2 else "local[2]"
    spark = SparkSession.builder.master(master).appName("jixiao").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    # The executors rank with the same key: ship the module that defines it.
    spark.sparkContext.addPyFile(os.path.join(HERE, "rank.py"))
    lines = spark.sparkContext.textFile(batch, minPartitions=8)
    env = {"PATH": os.environ["PATH"], "JIXIAO_RULES": os.environ.get("JIXIAO_RULES", "rules")}
    results = lines.pipe(COMMAND, env=env, checkCode=True).map(json.loads).cache()
    units = results.filter(lambda r: "error" not in r)
    errors = results.filter(lambda r: "error" in r).map(lambda r: r["error"]["kind"])

    ranking = (
        units.map(lambda u: (ranking_key(u), (u["code"], u["name"], u["score"], u["grade"])))
        .sortByKey()
        .values()
        .zipWithIndex()
    )
    print("排名\t得分\t等级\t单位")
    for (code, name, score, grade), index in ranking.take(10):
        print(f"{index + 1}\t{shown(score)}\t{grade or ''}\t{code} {name}")

    count = units.count()
    grades = units.map(lambda u: u["grade"] or "-").countByValue()
    findings = units.flatMap(
        lambda u: [f["severity"] for f in u["findings"] if "suppressed" not in f]
    ).countByValue()
    twice = units.map(lambda u: (u["code"], 1)).reduceByKey(lambda a, b: a + b)
    twice = sorted(twice.filter(lambda c: c[1] > 1).keys().collect())
    kinds = Counter(errors.countByValue())
    print(f"units {count} in {lines.getNumPartitions()} partitions; grades {dict(sorted(grades.items()))}")
    print(f"findings {dict(sorted(findings.items()))}; errors {dict(kinds)}; codes used twice {twice}")
    spark.stop()
    return 1 if kinds["rules"] or twice else 0


if __name__ == "__main__":
    sys.exit(main())
