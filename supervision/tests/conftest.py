"""Fixtures for the supervision tests.

The people and the work item are those of the reporting tests (reports/tests/
conftest.py): 市编办 leads clause 三(一)2-1, 市政府法制办 supports it; 市民政局
is the bureau. For checklists the body is 平定县人民政府, the other body 盂县人民政府.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import UserRole
from departments.models import Department
from milestones.models import ChecklistLine
from reports.tests import conftest as reporting
from reports.tests.conftest import (  # noqa: F401  (helpers for the tests here)
    ROLES,
    api_client_for,
    browser_for,
    department,
    pdf_upload,
    png_upload,
    rolled_back,
)
from supervision import services
from tests.factories import UserFactory

# Fixtures shared with the reporting tests: pytest finds them here by name.
_media_root = reporting._media_root
assignment = reporting.assignment
body = reporting.body
clause = reporting.clause
coordinator = reporting.coordinator
make_report = reporting.make_report
member = reporting.member
other_assignment = reporting.other_assignment
other_body = reporting.other_body
other_reviewer = reporting.other_reviewer
other_staff = reporting.other_staff
reviewer = reporting.reviewer
users = reporting.users
viewer = reporting.viewer

COUNTY = "平定县人民政府"
OTHER_COUNTY = "盂县人民政府"


def in_days(n: int) -> date:
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def send_reminder(coordinator, assignment):
    """send_reminder(assignments=None, **fields) -> a reminder from the bureau to 市编办."""

    def send(assignments=None, **fields):
        shares = assignments or [assignment]
        values = {"message": "请抓紧推进并报送进展。", "reply_by": in_days(7), **fields}
        return services.reminder_send(
            department=shares[0].department, assignments=shares, by=coordinator, **values
        )

    return send


# --- Checklists: 平定县 is the county under test -------------------------------------------


@pytest.fixture
def county(db) -> Department:
    return department(COUNTY)


@pytest.fixture
def other_county(db) -> Department:
    return department(OTHER_COUNTY)


@pytest.fixture
def county_users(county, other_county, coordinator, viewer) -> dict:
    """The permission matrix's roles for a county's checklist lines."""
    return {
        "anonymous": None,
        "member": UserFactory(username="pingding_staff", role=UserRole.STAFF, department=county),
        "reviewer": UserFactory(
            username="pingding_reviewer", role=UserRole.REVIEWER, department=county
        ),
        "other_staff": UserFactory(
            username="yuxian_staff", role=UserRole.STAFF, department=other_county
        ),
        "other_reviewer": UserFactory(
            username="yuxian_reviewer", role=UserRole.REVIEWER, department=other_county
        ),
        "coordinator": coordinator,
        "viewer": viewer,
    }


@pytest.fixture
def county_line(county, plan) -> ChecklistLine:
    """平定县's line on the 2019-03 step (各县(区)出台实施方案)."""
    return ChecklistLine.objects.select_related("milestone", "region").get(
        milestone__plan=plan, milestone__code="2019-03-county-plans", department=county
    )
