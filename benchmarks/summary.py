"""Time, peak memory and SQL queries of generating one period's summary, at two sizes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/summary.py \
        [--counties 2844] [--period 2019H1]

Creates a fresh PostgreSQL database on DATABASE_URL's server, loads the plan and the
demo history (the plan's size: Yangquan's five counties), generates the period's
summary and measures it; then adds the national-shaped data set
(`load_scale --counties N`) and measures again. Prints one table. The number of SQL
queries must be the same at both sizes (it does not grow with the number of bodies).
"""

import argparse
import os
import resource
import sys
import time
import tracemalloc
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _database(url: str) -> str:
    import psycopg2

    server, _slash, _name = url.rpartition("/")
    name = f"yq_bench_summary_{uuid.uuid4().hex[:8]}"
    connection = psycopg2.connect(f"{server}/postgres")
    connection.autocommit = True
    connection.cursor().execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return f"{server}/{name}", name


def _drop(url: str, name: str) -> None:
    import psycopg2

    server = url.rpartition("/")[0]
    connection = psycopg2.connect(f"{server}/postgres")
    connection.autocommit = True
    connection.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


def _measure(period_code: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from summaries import services
    from summaries.models import SummaryVersion

    period = services.period_by_code(code=period_code)
    version = services.summary_generate_request(
        plan=period.plan, period=period, by=None, trigger=SummaryVersion.Trigger.COMMAND
    )
    tracemalloc.start()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        version = services.summary_generate(version_id=version.pk)
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # The progress bar is written at most once a second: a longer run writes it more
    # often. Those UPDATEs are time, not data; the reads are what must not grow.
    progress_writes = sum(
        1
        for q in captured.captured_queries
        if q["sql"].startswith('UPDATE "summaries_summaryversion"') and '"progress"' in q["sql"]
    )
    return {
        "rows": version.figures["rows"],
        "bodies": version.figures["bodies"],
        "seconds": elapsed,
        "python_peak_mb": peak / 2**20,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "queries": len(captured) - progress_writes,
        "progress_writes": progress_writes,
        "docx_mb": (Path(os.environ["MEDIA_ROOT"]) / version.docx_file).stat().st_size / 2**20,
        "xlsx_mb": (Path(os.environ["MEDIA_ROOT"]) / version.xlsx_file).stat().st_size / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--counties", type=int, default=2844)
    parser.add_argument("--period", default="2019H1")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (postgres://user@host:5432/db).")
    url, name = _database(base)
    media = ROOT / "var" / "bench-media" / name
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="yangquan_tracker.settings.local",
        DEBUG="true",
        MEDIA_ROOT=str(media),
        CELERY_TASK_ALWAYS_EAGER="true",
    )
    import django

    django.setup()
    from django.core.management import call_command

    results = []
    try:
        call_command("migrate", verbosity=0)
        call_command("load_plan", verbosity=0)
        try:
            call_command("load_demo", verbosity=0)
        except Exception as error:  # the demo history is optional for the measurement
            print(f"(no demo history: {error})")
        results.append(("plan size (5 counties)", _measure(args.period)))
        started = time.perf_counter()
        call_command("load_scale", counties=args.counties, verbosity=0)
        print(f"load_scale --counties {args.counties}: {time.perf_counter() - started:.0f} s")
        results.append((f"national ({args.counties} counties)", _measure(args.period)))
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _drop(base, name)
    header = (
        "size",
        "bodies",
        "rows",
        "time s",
        "py peak MB",
        "max RSS MB",
        "queries",
        "progress writes",
        "docx MB",
        "xlsx MB",
    )
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for label, r in results:
        print(
            f"{label} | {r['bodies']} | {r['rows']} | {r['seconds']:.1f} | {r['python_peak_mb']:.0f}"
            f" | {r['max_rss_mb']:.0f} | {r['queries']} | {r['progress_writes']}"
            f" | {r['docx_mb']:.1f} | {r['xlsx_mb']:.1f}"
        )
    if len(results) == 2 and results[0][1]["queries"] != results[1][1]["queries"]:
        print("WARNING: the number of queries grew with the data set")


if __name__ == "__main__":
    main()
