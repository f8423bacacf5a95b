"""Time the bureau's overview, its API and the public page: median and p95, with query counts.

Run against the database in DATABASE_URL (or SQLite's default), as it is loaded:

    DATABASE_URL=postgres://…/yq_bench .venv/bin/python benchmarks/dashboard.py [--repeat 20]

To measure the national size, load it first with the `load_scale` command (branch
`scale`; `python manage.py load_scale --counties 2844`), or pass `--load-scale 2844`
to call it from here when it is installed. Without it, the script measures whatever
the database holds (the plan's own size after `load_plan`).

Reads only, except one account it creates if the database has no coordinator
(`bench_dashboard`). The public page is timed cold (cache cleared before every
request: the cost of a rebuild) and warm (served from the cache).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yangquan_tracker.settings.local")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command, get_commands  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def _coordinator():
    from accounts.models import User, UserRole

    user = User.objects.filter(role=UserRole.COORDINATOR, is_active=True).first()
    if user is None:
        user, _ = User.objects.get_or_create(
            username="bench_dashboard", defaults={"role": UserRole.COORDINATOR}
        )
    return user


def _measure(client, url: str, repeat: int, *, before=None) -> tuple[float, float, int]:
    if before:
        before()
    client.get(url, HTTP_HOST="127.0.0.1")  # warm up
    times = []
    queries = 0
    for _ in range(repeat):
        if before:
            before()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url, HTTP_HOST="127.0.0.1")
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    times.sort()
    p95 = times[min(len(times) - 1, max(0, round(0.95 * len(times)) - 1))]
    return statistics.median(times), p95, queries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--load-scale", type=int, default=0, help="counties for load_scale")
    args = parser.parse_args()
    if args.load_scale:
        if "load_scale" not in get_commands():
            sys.exit("load_scale is not installed here (branch `scale`); load the data first.")
        call_command("load_scale", counties=args.load_scale)

    from tasks.models import Assignment, Plan

    plan = Plan.objects.order_by("-issued_on").first()
    if plan is None:
        sys.exit("No plan in this database: run `manage.py load_plan` (or load_scale) first.")
    client = Client()
    client.force_login(_coordinator())
    anonymous = Client()
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']} · "
        f"assignments {Assignment.objects.count()} · repeat {args.repeat}"
    )
    rows = [
        ("/dashboard/", client, None),
        ("/dashboard/?light=red", client, None),
        ("/api/v1/dashboard/", client, None),
        ("/dashboard/reporting/", client, None),
        (f"/public/{plan.slug}/ (cold)", anonymous, cache.clear),
        (f"/public/{plan.slug}/ (warm)", anonymous, None),
    ]
    print(f"{'URL':48} {'median ms':>10} {'p95 ms':>10} {'queries':>8}")
    for label, who, before in rows:
        url = label.split(" ")[0]
        median, p95, queries = _measure(who, url, args.repeat, before=before)
        print(f"{label:48} {median:10.1f} {p95:10.1f} {queries:8d}")


if __name__ == "__main__":
    main()
