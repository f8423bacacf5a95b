"""Time the summary renderers on N generated rows and measure their memory.

Run:  .venv/bin/python benchmarks/summary_render.py [--rows 20000] [--bodies 100] [--no-trace]
      [--whole-only]
Pure rendering: no database. Each writer renders twice into a temporary file: once
timed, with the process's resident memory sampled from /proc; once under
tracemalloc for the peak of Python allocations (tracemalloc slows it 5-10 fold, so
that run's time is not reported). Rows carry ~2 KB of text each (see
summaries/tests/conftest.py: long_rows).
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yangquan_tracker.settings_test")

import django  # noqa: E402

django.setup()

from summaries.documents.docx import write_docx  # noqa: E402
from summaries.documents.sample import sample_summary  # noqa: E402
from summaries.documents.xlsx import write_xlsx  # noqa: E402
from summaries.tests.conftest import OneShot, long_rows, sections_of, with_parts  # noqa: E402
from summaries.tests.test_streaming import ResidentPeak  # noqa: E402

MB = 1024 * 1024


def data(rows: int, bodies: int):
    return with_parts(
        sample_summary(),
        counties=sections_of(OneShot(long_rows(rows)), bodies, rows // bodies),
        departments=[],
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--bodies", type=int, default=100)
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc run")
    parser.add_argument("--whole-only", action="store_true", help="xlsx without one sheet per body")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:

        def xlsx(data, path):
            write_xlsx(data, path, per_body_sheets=not args.whole_only)

        for name, write in (("docx", write_docx), ("xlsx", xlsx)):
            write(sample_summary(), Path(folder) / f"warm.{name}")  # imports, caches
            path = Path(folder) / f"summary.{name}"
            with ResidentPeak() as resident:
                started = time.perf_counter()
                write(data(args.rows, args.bodies), path)
                elapsed = time.perf_counter() - started
            line = (
                f"{name}: {args.rows} rows in {args.bodies} bodies: {elapsed:.1f} s, "
                f"resident +{resident.growth / MB:.1f} MB (of {resident.peak / MB:.0f} MB), "
                f"file {path.stat().st_size / MB:.1f} MB"
            )
            if not args.no_trace:
                tracemalloc.start()
                write(data(args.rows, args.bodies), path)
                line += f", tracemalloc peak {tracemalloc.get_traced_memory()[1] / MB:.1f} MB"
                tracemalloc.stop()
            print(line, flush=True)


if __name__ == "__main__":
    main()
