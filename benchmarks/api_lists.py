"""Time the list endpoints and pages on the loaded plan, with N reports per assignment.

Run:  DEBUG=true .venv/bin/python benchmarks/api_lists.py [--reports 3]
Uses a throwaway SQLite database (or DATABASE_URL's server with a test database),
never the app's own data. Prints median milliseconds and query counts per URL.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yangquan_tracker.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=3, help="approved reports per assignment")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_plan", verbosity=0)
        from accounts.models import User
        from reports.models import ProgressReport
        from tasks.models import Assignment

        coordinator = User.objects.create(username="bench", role="coordinator", is_superuser=True)
        rows = []
        for assignment in Assignment.objects.all():
            for i in range(args.reports):
                rows.append(
                    ProgressReport(
                        assignment=assignment,
                        status="in_progress",
                        percent=10 * i,
                        progress="进展" * 50,
                        state="approved",
                        created_by=coordinator,
                        updated_by=coordinator,
                    )
                )
        ProgressReport.objects.bulk_create(rows)
        client = APIClient()
        client.force_login(coordinator)
        task_id = Assignment.objects.first().task_id
        urls = [
            "/api/v1/tasks/?page_size=200",
            "/api/v1/assignments/?page_size=200",
            "/api/v1/progress-reports/?page_size=200",
            "/api/v1/milestones/",
            "/api/v1/regions/?page_size=200",
            "/",
            f"/tasks/{task_id}/",
            "/plan/",
        ]
        print(f"{Assignment.objects.count()} assignments, {len(rows)} reports")
        print(f"{'url':45} {'median ms':>10} {'queries':>8}")
        for url in urls:
            times = []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as ctx:
                    start = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            print(f"{url:45} {statistics.median(times):10.1f} {len(ctx.captured_queries):8d}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
