"""Precision and recall of the plan-import parser, and its speed, on every test document.

Run:  .venv/bin/python benchmarks/plan_import.py [--repeat 20]

Documents: the seed plan (fixtures/source/plan_2018.txt, expected clauses from the
hand-encoded fixtures/plan_2018.yaml) and every plan_import/tests/documents/NAME.txt
(expected clauses in NAME.expected.json, written by hand).

A clause counts as found when the parser gives the same code and the same text. A
triple is (clause code, body as written, role); lead/support/responsible/guide
triples are counted, and scope places as (clause code, place, "scope"). Parse time
is the median of --repeat runs of read_document + parse_document. Needs no database.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yangquan_tracker.settings.test")

import django  # noqa: E402

django.setup()

import yaml  # noqa: E402

from plan_import.parser import parse_document  # noqa: E402
from plan_import.readers import read_document  # noqa: E402

ROLE_KEYS = ("lead", "support", "responsible", "guide", "scope")
DOCUMENTS = ROOT / "plan_import" / "tests" / "documents"


def seed_expected() -> list[dict]:
    data = yaml.safe_load((ROOT / "fixtures" / "plan_2018.yaml").read_text(encoding="utf-8"))
    found = []

    def walk(node):
        if any(key in node for key in ("lead", "support", "responsible")):
            found.append(node)
        for child in node.get("children", []):
            walk(child)

    for node in data["tasks"]:
        walk(node)
    return found


def corpus() -> list[tuple[str, Path, list[dict]]]:
    documents = [
        ("plan_2018 (seed)", ROOT / "fixtures" / "source" / "plan_2018.txt", seed_expected())
    ]
    for path in sorted(DOCUMENTS.glob("*.txt")):
        expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
        documents.append((path.stem, path, expected["clauses"]))
    return documents


def clause_keys(clauses: list[dict]) -> set[tuple[str, str]]:
    return {(c["code"], c["text"]) for c in clauses}


def triple_keys(clauses: list[dict]) -> set[tuple[str, str, str]]:
    return {
        (c["code"], name, role) for c in clauses for role in ROLE_KEYS for name in c.get(role, [])
    }


def ratio(hits: int, total: int) -> float:
    return hits / total if total else 1.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    header = f"{'document':<26}{'clauses':>9}{'P':>7}{'R':>7}{'triples':>9}{'P':>7}{'R':>7}{'parse ms':>10}"
    print(header)
    print("-" * len(header))
    totals = {"c_hit": 0, "c_got": 0, "c_want": 0, "t_hit": 0, "t_got": 0, "t_want": 0}
    times = []
    for name, path, expected in corpus():
        runs = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            got = parse_document(read_document(path)).as_json()["clauses"]
            runs.append(time.perf_counter() - started)
        median_ms = statistics.median(runs) * 1000
        times.append(median_ms)
        got_c, want_c = clause_keys(got), clause_keys(expected)
        got_t, want_t = triple_keys(got), triple_keys(expected)
        counts = {
            "c_hit": len(got_c & want_c),
            "c_got": len(got_c),
            "c_want": len(want_c),
            "t_hit": len(got_t & want_t),
            "t_got": len(got_t),
            "t_want": len(want_t),
        }
        for key, value in counts.items():
            totals[key] += value
        print(_row(name, counts, median_ms))
    print("-" * len(header))
    print(_row("all documents", totals, sum(times)))


def _row(name: str, n: dict, ms: float) -> str:
    return (
        f"{name:<26}"
        f"{n['c_hit']:>4}/{n['c_want']:<4}"
        f"{ratio(n['c_hit'], n['c_got']):>7.3f}{ratio(n['c_hit'], n['c_want']):>7.3f}"
        f"{n['t_hit']:>4}/{n['t_want']:<4}"
        f"{ratio(n['t_hit'], n['t_got']):>7.3f}{ratio(n['t_hit'], n['t_want']):>7.3f}"
        f"{ms:>10.2f}"
    )


if __name__ == "__main__":
    main()
