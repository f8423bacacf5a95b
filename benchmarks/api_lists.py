"""Time the list endpoints and pages on the loaded plan, with N reports per assignment.

The county-system lines (`[county]`) are the same lists read with a bearer token that a
registered client (integrations) got from /o/token/, incremental (`updated_since`) and
filtered as a county system syncs them, and its webhook delivery log.

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
        from reports.models import ProgressReport, ReportingPeriod
        from tasks.models import Assignment

        coordinator = User.objects.create(username="bench", role="coordinator", is_superuser=True)
        rows = []
        periods = {p.plan_id: p for p in ReportingPeriod.objects.order_by("-starts_on")}
        for assignment in Assignment.objects.select_related("task"):
            for i in range(args.reports):
                rows.append(
                    ProgressReport(
                        assignment=assignment,
                        period=periods[assignment.task.plan_id],
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
        county, county_urls = _county_client()
        urls = [(client, url) for url in urls] + [(county, url) for url in county_urls]
        print(f"{Assignment.objects.count()} assignments, {len(rows)} reports")
        print(f"{'url':75} {'median ms':>10} {'queries':>8}")
        for who, url in urls:
            times = []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as ctx:
                    start = time.perf_counter()
                    response = who.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            label = f"[county] {url}" if who is county else url
            print(f"{label:75} {statistics.median(times):10.1f} {len(ctx.captured_queries):8d}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _county_client():
    """平定县's system with a real token, a webhook and 50 logged deliveries."""
    import base64

    from django.core.cache import cache
    from django.test import Client

    from core import events
    from departments.models import Department
    from integrations.models import WebhookDelivery, WebhookHost, WebhookSubscription
    from integrations.services import api_client_create

    body = Department.objects.get(short_name="平定县人民政府")
    api_client, secret = api_client_create(department=body, name="平定县政务系统")
    basic = base64.b64encode(f"{api_client.application.client_id}:{secret}".encode()).decode()
    token = (
        Client()
        .post(
            "/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}"
        )
        .json()["access_token"]
    )
    WebhookHost.objects.create(host="127.0.0.1")
    subscription = WebhookSubscription.objects.create(
        client=api_client, url="http://127.0.0.1:9/", events=["reminder.created"], secret="x"
    )
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            subscription=subscription,
            event=events.event_record(
                kind=events.REMINDER_CREATED, department_ids=[body.pk], payload={}
            ),
        )
        for _ in range(50)
    )
    cache.clear()  # the per-client throttle counts from here
    county = APIClient()
    county.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    since = "updated_since=2000-01-01T00:00:00Z"
    return county, [
        f"/api/v1/assignments/?page_size=200&{since}&ordering=-updated_at",
        f"/api/v1/progress-reports/?page_size=200&{since}&county={body.region_id}",
        f"/api/v1/checklist-lines/?page_size=200&{since}",
        f"/api/v1/tasks/?page_size=200&{since}",
        "/api/v1/webhooks/",
        f"/api/v1/webhooks/{subscription.pk}/deliveries/?page_size=200",
    ]


if __name__ == "__main__":
    main()
