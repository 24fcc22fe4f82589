#!/usr/bin/env python3
"""The reduce step after `jixiao run - --format jsonl` ran as the map step over parts of a batch.

Reads the result lines of every part on stdin, in any order, and prints the ranking as
`jixiao score` ranks (highest score first, units without a score last, ties by unit code),
then what went wrong: error lines by kind, and unit codes that more than one part used (each
part checks its own codes only; a batch's codes must be unique across it).
Scores are exact decimal strings: they are compared as decimals, never as floats.
"""

import json
import sys
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal


def ranking_key(unit):
    """Where a unit ranks: by score (highest first, none last), then code, then file."""
    score = unit.get("score")
    return (score is None, -Decimal(score or 0), unit["code"], unit["file"])


def shown(score):
    """A score as the ranking shows it: half-up (四舍五入) to 2 places."""
    if score is None:
        return ""
    return str(Decimal(score).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def main():
    units, errors = [], Counter()
    for line in sys.stdin:
        result = json.loads(line)
        if "error" in result:
            errors[result["error"]["kind"]] += 1
        else:
            units.append(result)
    units.sort(key=ranking_key)
    for rank, unit in enumerate(units, 1):
        print(f"{rank}\t{shown(unit['score'])}\t{unit['grade'] or ''}\t{unit['code']}\t{unit['name']}")
    codes = Counter(unit["code"] for unit in units)
    twice = sorted(code for code, n in codes.items() if n > 1)
    print(f"units {len(units)}, errors {dict(errors)}, codes used twice {twice}", file=sys.stderr)
    # Rules that did not load mean every unit was checked without them: not a result to use.
    return 1 if errors["rules"] or twice else 0


if __name__ == "__main__":
    sys.exit(main())
