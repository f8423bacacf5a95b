"""Lists and pages cost the same number of SQL queries whatever their length.

Each test measures a page with a few rows, adds many more rows, and measures
again: a query per row would show up as a difference.
"""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import UserRole
from reports import services
from tests.factories import (
    AssignmentFactory,
    DepartmentFactory,
    PlanFactory,
    ResponsibilityFactory,
    TaskFactory,
    UserFactory,
)

from .conftest import api_client_for, browser_for, pdf_upload, png_upload

pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 15


def _queries(client, url: str) -> tuple[int, list[str]]:
    client.get(url)  # warm up: the first request of a session writes the session row
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    return len(captured), [q["sql"] for q in captured.captured_queries]


def _report_on(assignment, *, i: int, staff, reviewer):
    """A report in one of several states, with evidence, a history, a reviewer."""
    report = services.report_create(
        assignment=assignment, by=staff, status="in_progress", percent=10 + i, progress=f"进展{i}"
    )
    services.evidence_add(report=report, by=staff, upload=pdf_upload(f"纪要{i}.pdf"))
    services.evidence_add(report=report, by=staff, upload=png_upload(f"照片{i}.png"))
    report = services.report_update(report=report, by=staff, version=1, progress=f"进展{i}（修改）")
    kind = i % 4
    if kind == 0:
        return report
    report = services.report_submit(report=report, by=staff)
    if kind == 1:
        return report
    if kind == 2:
        return services.report_return(report=report, by=reviewer, reason=f"退回{i}")
    return services.report_approve(report=report, by=reviewer)


class OneBody:
    """A body with many assignments (one per work item of one plan), each reported on."""

    def __init__(self):
        self.department = DepartmentFactory()
        self.plan = PlanFactory()
        services.periods_ensure(plan=self.plan)
        self.staff = UserFactory(role=UserRole.STAFF, department=self.department)
        self.reviewer = UserFactory(role=UserRole.REVIEWER, department=self.department)
        self.count = 0

    def grow(self, to: int) -> None:
        while self.count < to:
            responsibility = ResponsibilityFactory(
                task=TaskFactory(plan=self.plan), department=self.department
            )
            assignment = AssignmentFactory(responsibility=responsibility)
            _report_on(assignment, i=self.count, staff=self.staff, reviewer=self.reviewer)
            self.count += 1
        services.lights_refresh(stale_only=True)


class OneTask:
    """A work item shared by many bodies, each with its report."""

    def __init__(self):
        self.task = TaskFactory()
        services.periods_ensure(plan=self.task.plan)
        self.count = 0
        self.first_staff = None

    def grow(self, to: int) -> None:
        while self.count < to:
            responsibility = ResponsibilityFactory(
                task=self.task, role="support" if self.count else "lead"
            )
            department = responsibility.department
            assignment = AssignmentFactory(responsibility=responsibility)
            staff = UserFactory(role=UserRole.STAFF, department=department)
            reviewer = UserFactory(role=UserRole.REVIEWER, department=department)
            self.first_staff = self.first_staff or staff
            _report_on(assignment, i=self.count, staff=staff, reviewer=reviewer)
            self.count += 1
        services.lights_refresh(stale_only=True)


def _assert_constant(measure, grow) -> None:
    grow(SMALL)
    small, small_sql = measure()
    grow(LARGE)
    large, large_sql = measure()
    assert small == large, "\n".join(large_sql)


def test_assignment_list_api_is_constant(coordinator):
    body = OneBody()
    client = api_client_for(coordinator)
    url = f"/api/v1/assignments/?department={body.department.pk}&page_size=100"

    def measure():
        count, sql = _queries(client, url)
        assert client.get(url).json()["count"] == body.count
        return count, sql

    _assert_constant(measure, body.grow)


def test_progress_report_list_api_is_constant(coordinator):
    body = OneBody()
    client = api_client_for(coordinator)
    url = "/api/v1/progress-reports/?page_size=100"

    def measure():
        count, sql = _queries(client, url)
        assert client.get(url).json()["count"] == body.count
        return count, sql

    _assert_constant(measure, body.grow)


def test_home_page_of_a_body_is_constant():
    body = OneBody()
    client = browser_for(body.staff)

    def measure():
        result = _queries(client, "/")
        groups = client.get("/").context["groups"]
        assert sum(len(rows) for _label, rows in groups) == body.count
        return result

    _assert_constant(measure, body.grow)


def test_home_page_review_queue_is_constant(coordinator):
    body = OneBody()
    client = browser_for(coordinator)

    def measure():
        result = _queries(client, "/")
        submitted = sum(1 for i in range(body.count) if i % 4 == 1)
        assert len(client.get("/").context["to_review"]) == submitted > 0
        return result

    _assert_constant(measure, body.grow)


AS_OF = (timezone.localdate() - timedelta(days=1)).isoformat()


def _task_page_measure(client, shared, query=""):
    url = f"/tasks/{shared.task.pk}/{query}"

    def measure():
        result = _queries(client, url)
        context = client.get(url).context
        assert context["total"] == len(context["page"]) == shared.count
        if not query:
            assert len(context["history"]) > 0
        return result

    return measure


def test_task_page_is_constant_for_the_coordinator(coordinator):
    shared = OneTask()
    client = browser_for(coordinator)

    _assert_constant(_task_page_measure(client, shared), shared.grow)


def test_task_page_as_of_a_day_is_constant_for_the_coordinator(coordinator):
    shared = OneTask()
    client = browser_for(coordinator)

    _assert_constant(_task_page_measure(client, shared, f"?as_of={AS_OF}"), shared.grow)


def test_assignment_list_api_as_of_a_day_and_by_light_is_constant(coordinator):
    body = OneBody()
    client = api_client_for(coordinator)
    url = f"/api/v1/assignments/?department={body.department.pk}&as_of={AS_OF}&light=red"

    def measure():
        return _queries(client, url)

    _assert_constant(measure, body.grow)


def test_home_page_as_of_a_day_is_constant():
    body = OneBody()
    client = browser_for(body.staff)

    def measure():
        return _queries(client, f"/?as_of={AS_OF}")

    _assert_constant(measure, body.grow)


def test_task_page_is_constant_for_a_body():
    shared = OneTask()
    shared.grow(1)
    client = browser_for(shared.first_staff)

    _assert_constant(_task_page_measure(client, shared), shared.grow)
