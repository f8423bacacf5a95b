"""Twenty people create the same assignment's report at once: one 201, the rest a clear 409.

Real concurrency needs real transactions: each thread has its own database
connection and goes through the whole request stack (ATOMIC_REQUESTS). Runs on
PostgreSQL (as .ci/run does); SQLite serialises writers on one file, so the race
it proves does not exist there.
"""

import threading
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import UserRole
from reports.models import ProgressReport
from tasks.models import Assignment
from tests.factories import UserFactory

PARALLEL = 20

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs DATABASE_URL=postgres://… (row locks and a real unique index race)",
    ),
]


def test_twenty_parallel_creates_give_one_201_and_no_5xx():
    call_command("load_plan", verbosity=0)
    assignment = Assignment.objects.select_related("department").filter(is_active=True).first()
    staff = [
        UserFactory(role=UserRole.STAFF, department=assignment.department) for _ in range(PARALLEL)
    ]
    tokens = [Token.objects.create(user=user).key for user in staff]
    start = threading.Barrier(PARALLEL)
    results: list[tuple[int, dict]] = []
    errors: list[BaseException] = []

    def create(token: str) -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            start.wait(timeout=30)
            response = client.post(
                "/api/v1/progress-reports/",
                {
                    "assignment": assignment.pk,
                    "status": "in_progress",
                    "percent": 10,
                    "progress": "同时提交",
                },
                format="json",
            )
            results.append((response.status_code, response.json()))
        except BaseException as error:  # a thread's failure must fail the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    statuses = sorted(status for status, _body in results)
    assert len(statuses) == PARALLEL
    assert statuses.count(HTTPStatus.CREATED) == 1, statuses
    assert all(status in (HTTPStatus.CONFLICT, HTTPStatus.BAD_REQUEST) for status in statuses[1:])
    assert all(status < 500 for status in statuses)
    for status, body in results:
        if status == HTTPStatus.CONFLICT:
            assert "已有一份未审核的填报" in body["detail"] and body["code"] == "conflict"
    assert ProgressReport.objects.filter(assignment=assignment).count() == 1
