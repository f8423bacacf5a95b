"""Incremental sync: `updated_since` returns exactly the rows changed since then, state
transitions and attached files included; the new filters and ordering."""

import time
from datetime import date, timedelta
from http import HTTPStatus
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from milestones import services as line_services
from milestones.models import ChecklistLine
from reports import services as report_services
from reports.models import ProgressReport
from tasks.models import Assignment, Task

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _moment():
    """A moment strictly after everything saved so far and before anything saved next."""
    time.sleep(0.002)
    moment = timezone.now()
    time.sleep(0.002)
    return moment


def _since(moment) -> str:
    # As a client would send it: local time with its offset, the `+` escaped.
    return quote(timezone.localtime(moment).isoformat())


def _ids(api, path: str, query: str) -> set[int]:
    response = api.get(f"{path}?{query}&page_size=200")
    assert response.status_code == HTTPStatus.OK, response.content
    body = response.json()
    assert body["count"] <= 200
    return {row["id"] for row in body["results"]}


def _reports(pingding, n: int) -> list[ProgressReport]:
    user = pingding.client.user
    assignments = Assignment.objects.filter(department=pingding.department, is_active=True)
    return [
        report_services.report_create(
            assignment=a, by=user, status="in_progress", percent=10, progress="已部署"
        )
        for a in assignments.order_by("pk")[:n]
    ]


def test_reports_changed_since_are_exactly_the_changed_ones_state_transitions_included(
    pingding_api, pingding
):
    first, second, third = _reports(pingding, 3)
    moment = _moment()
    user = pingding.client.user
    # A pure state transition (draft → submitted), nothing else about it changes.
    report_services.report_submit(report=first, by=user, version=first.version)
    # A file attached to the third; the second is left alone.
    report_services.evidence_add(
        report=third,
        by=user,
        upload=SimpleUploadedFile("纪要.pdf", PDF, content_type="application/pdf"),
    )
    changed = _ids(pingding_api, "/api/v1/progress-reports/", f"updated_since={_since(moment)}")
    assert changed == {first.pk, third.pk}
    # Nothing changed after now.
    later = _moment()
    assert (
        _ids(pingding_api, "/api/v1/progress-reports/", f"updated_since={_since(later)}") == set()
    )
    # Before everything: all three.
    assert {first.pk, second.pk, third.pk} <= _ids(
        pingding_api, "/api/v1/progress-reports/", "updated_since=2000-01-01T00:00:00Z"
    )


def test_assignments_changed_since_are_those_whose_reports_or_row_changed(pingding_api, pingding):
    first, second = _reports(pingding, 2)
    moment = _moment()
    report_services.report_submit(report=first, by=pingding.client.user, version=first.version)
    other = Assignment.objects.exclude(pk__in=[first.assignment_id, second.assignment_id]).first()
    other.deadline = other.deadline + timedelta(days=1)
    other.save()
    changed = _ids(pingding_api, "/api/v1/assignments/", f"updated_since={_since(moment)}")
    assert changed == {first.assignment_id, other.pk}


def test_checklist_lines_changed_since_are_exactly_the_reported_one(pingding_api, pingding):
    lines = list(ChecklistLine.objects.filter(department=pingding.department).order_by("pk")[:2])
    moment = _moment()
    line_services.checklist_line_report_done(
        line=lines[0], by=pingding.client.user, completed_on=date(2020, 6, 1), note="已完成"
    )
    changed = _ids(pingding_api, "/api/v1/checklist-lines/", f"updated_since={_since(moment)}")
    assert changed == {lines[0].pk}


def test_tasks_changed_since_are_exactly_the_edited_one(pingding_api):
    task = Task.objects.order_by("pk").first()
    moment = _moment()
    task.title = task.title + "（修订）"
    task.save()
    assert _ids(pingding_api, "/api/v1/tasks/", f"updated_since={_since(moment)}") == {task.pk}


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01T00:00:00Z", "1"])
def test_updated_since_that_is_not_a_moment_is_a_400(pingding_api, value):
    response = pingding_api.get(f"/api/v1/progress-reports/?updated_since={value}")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "updated_since" in response.json()


def test_county_filter_includes_its_towns_and_town_filter_only_that_town(pingding_api, pingding):
    county = pingding.department.region
    lines = pingding_api.get(f"/api/v1/checklist-lines/?county={county.pk}&page_size=200").json()
    regions = {row["region"]["id"] for row in lines["results"]}
    expected = set(
        ChecklistLine.objects.filter(region__parent=county).values_list("region", flat=True)
    ) | set(ChecklistLine.objects.filter(region=county).values_list("region", flat=True))
    assert regions == expected and len(regions) > 1
    town = county.children.filter(checklist_lines__isnull=False).first()
    only = pingding_api.get(f"/api/v1/checklist-lines/?town={town.pk}&page_size=200").json()
    assert {row["region"]["id"] for row in only["results"]} == {town.pk}


def test_deadline_range_and_ordering_on_assignments(pingding_api):
    # The 2018 plan gives every assignment 2020-12-31; move three into 2019.
    for n, assignment in enumerate(Assignment.objects.order_by("pk")[:3]):
        Assignment.objects.filter(pk=assignment.pk).update(deadline=date(2019, 3 + n, 1))
    rows = pingding_api.get(
        "/api/v1/assignments/?deadline_from=2019-01-01&deadline_to=2019-12-31"
        "&ordering=-deadline&page_size=200"
    ).json()["results"]
    deadlines = [row["deadline"] for row in rows]
    assert deadlines and all("2019-01-01" <= d <= "2019-12-31" for d in deadlines)
    assert deadlines == sorted(deadlines, reverse=True)
    expected = Assignment.objects.filter(
        deadline__gte=date(2019, 1, 1), deadline__lte=date(2019, 12, 31)
    ).count()
    assert len(rows) == expected == 3


def test_role_and_body_filters_on_reports(pingding_api, pingding):
    reports = _reports(pingding, 2)
    role = reports[0].assignment.role
    rows = pingding_api.get(
        f"/api/v1/progress-reports/?assignment__department={pingding.department.pk}&role={role}"
    ).json()["results"]
    assert {row["id"] for row in rows} == {r.pk for r in reports if r.assignment.role == role}


def test_updated_since_with_any_valid_offset_or_far_year_is_answered(pingding_api):
    # Found by the contract run: an offset PostgreSQL does not take (+20:38) was a 500.
    for value in ("5392-09-18T01:53:19+20:38", "2026-12-01T00:00:00-23:59"):
        response = pingding_api.get(f"/api/v1/tasks/?updated_since={quote(value)}")
        assert response.status_code == HTTPStatus.OK, value
