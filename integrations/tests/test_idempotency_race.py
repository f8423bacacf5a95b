"""Ten copies of one POST with one Idempotency-Key, at the same moment: one report, one record.

Real concurrency needs real transactions: each thread has its own database connection
and goes through the whole stack (middleware, ATOMIC_REQUESTS). PostgreSQL only, as
reports/tests/test_report_race.py (SQLite serialises writers, so there is no race).
"""

import threading
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.db import connection, connections

from integrations.models import IdempotencyRecord
from reports.models import ProgressReport

from .conftest import PINGDING, BearerClient, assignment_of, county, token_for

PARALLEL = 10

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs DATABASE_URL=postgres://… (a real unique index race)",
    ),
]


def test_parallel_duplicates_with_one_key_create_one_report_and_one_record():
    call_command("load_plan", verbosity=0)
    pingding = county(PINGDING)
    token = token_for(pingding)
    assignment = assignment_of(pingding.department)
    body = {"assignment": assignment.pk, "status": "in_progress", "percent": 10, "progress": "同时"}
    start = threading.Barrier(PARALLEL)
    results: list[tuple[int, dict]] = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            start.wait(timeout=30)
            response = BearerClient(token).post_json(
                "/api/v1/progress-reports/", body, HTTP_IDEMPOTENCY_KEY="pd-race-1"
            )
            results.append((response.status_code, response.json()))
        except BaseException as error:  # a thread's failure must fail the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    statuses = sorted(status for status, _ in results)
    assert len(statuses) == PARALLEL
    assert all(status in (HTTPStatus.CREATED, HTTPStatus.CONFLICT) for status in statuses), statuses
    created = {body["id"] for status, body in results if status == HTTPStatus.CREATED}
    assert len(created) == 1
    assert ProgressReport.objects.filter(assignment=assignment).count() == 1
    assert IdempotencyRecord.objects.filter(key="pd-race-1").count() == 1
    # And once it is done, every retry gets the first answer.
    retry = BearerClient(token).post_json(
        "/api/v1/progress-reports/", body, HTTP_IDEMPOTENCY_KEY="pd-race-1"
    )
    assert retry.status_code == HTTPStatus.CREATED and retry.json()["id"] in created
    connections.close_all()
