"""Fixtures for the reporting tests: one user per role, reports in any state, files.

The real plan is loaded once per session (the project's conftest.py). The body
under test is 市编办, lead of clause 三(一)2-1 推进行政执法改革; the "other body"
is 市政府法制办, which supports the same clause.
"""

import base64
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from rest_framework.test import APIClient

from accounts.models import UserRole
from departments.models import Department
from reports import services
from reports.models import ProgressReport
from tasks.models import Assignment, Task
from tests.factories import UserFactory

CLAUSE_CODE = "三(一)2-1"  # 推进行政执法改革（市编办牵头，市政府法制办配合）
BODY = "市编办"
OTHER_BODY = "市政府法制办"
BUREAU = "市民政局"

# A real (if minimal) PDF and a real 1×1 PNG: the upload check reads the bytes.
PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)

# The roles of the permission matrix, in the order the tables list them.
ROLES = (
    "anonymous",
    "member",  # staff of the assignment's body
    "reviewer",  # reviewer of the assignment's body
    "other_staff",
    "other_reviewer",
    "coordinator",  # the civil-affairs bureau
    "viewer",
)


def pdf_upload(name: str = "会议纪要.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_upload(name: str = "现场照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


@contextmanager
def rolled_back():
    """Run a block in a savepoint that is always undone (one matrix cell each)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded evidence goes to a directory of this test only."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def media_root(_media_root):
    return _media_root


def department(short_name: str) -> Department:
    return Department.objects.get(short_name=short_name)


@pytest.fixture
def body(db) -> Department:
    return department(BODY)


@pytest.fixture
def other_body(db) -> Department:
    return department(OTHER_BODY)


@pytest.fixture
def clause(db) -> Task:
    return Task.objects.get(plan__slug="yq-2018-township-service", code=CLAUSE_CODE)


@pytest.fixture
def assignment(clause, body) -> Assignment:
    """市编办's share (lead) of 三(一)2-1."""
    return Assignment.objects.select_related("task", "department").get(task=clause, department=body)


@pytest.fixture
def other_assignment(clause, other_body) -> Assignment:
    """市政府法制办's share (support) of 三(一)2-1."""
    return Assignment.objects.select_related("task", "department").get(
        task=clause, department=other_body
    )


@pytest.fixture
def member(body):
    return UserFactory(
        username="bianban_staff", first_name="王晓明", role=UserRole.STAFF, department=body
    )


@pytest.fixture
def reviewer(body):
    return UserFactory(
        username="bianban_reviewer", first_name="李审核", role=UserRole.REVIEWER, department=body
    )


@pytest.fixture
def other_staff(other_body):
    return UserFactory(username="fazhiban_staff", role=UserRole.STAFF, department=other_body)


@pytest.fixture
def other_reviewer(other_body):
    return UserFactory(username="fazhiban_reviewer", role=UserRole.REVIEWER, department=other_body)


@pytest.fixture
def coordinator(db):
    return UserFactory(
        username="minzheng_coordinator",
        first_name="赵协调",
        role=UserRole.COORDINATOR,
        department=department(BUREAU),
    )


@pytest.fixture
def viewer(db):
    """City leadership: reads everything that is approved, writes nothing."""
    return UserFactory(username="city_leader", role=UserRole.VIEWER, department=None)


@pytest.fixture
def users(member, reviewer, other_staff, other_reviewer, coordinator, viewer) -> dict:
    """Role name -> user (None for the anonymous visitor)."""
    return {
        "anonymous": None,
        "member": member,
        "reviewer": reviewer,
        "other_staff": other_staff,
        "other_reviewer": other_reviewer,
        "coordinator": coordinator,
        "viewer": viewer,
    }


def api_client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def browser_for(user):
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def make_report(db):
    """make_report(assignment, state=..., **fields) -> a report taken there by the services.

    Staff of the assignment's body create and submit it; a reviewer of that body
    returns or approves it. Pass by=/reviewed_by= to choose the actors.
    """

    def make(
        assignment: Assignment,
        *,
        state: str = ProgressReport.State.DRAFT,
        by=None,
        reviewed_by=None,
        reason: str = "请补充佐证材料。",
        **fields,
    ) -> ProgressReport:
        by = by or UserFactory(role=UserRole.STAFF, department=assignment.department)
        fields = {
            "status": ProgressReport.Status.IN_PROGRESS,
            "percent": 40,
            "progress": "已起草行政执法改革方案",
            **fields,
        }
        report = services.report_create(assignment=assignment, by=by, **fields)
        if state == ProgressReport.State.DRAFT:
            return report
        report = services.report_submit(report=report, by=by, version=report.version)
        if state == ProgressReport.State.SUBMITTED:
            return report
        reviewed_by = reviewed_by or UserFactory(
            role=UserRole.REVIEWER, department=assignment.department
        )
        if state == ProgressReport.State.RETURNED:
            return services.report_return(
                report=report, by=reviewed_by, reason=reason, version=report.version
            )
        if state == ProgressReport.State.APPROVED:
            return services.report_approve(report=report, by=reviewed_by, version=report.version)
        raise ValueError(state)

    return make
