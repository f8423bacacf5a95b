"""Who may read the overview, its lists and its API: every role against every page at once.

Coordinators (市民政局) and viewers (市领导) read; staff and reviewers of any body
get 403; anonymous visitors go to the login page (API: 401/403). Nothing is
written by any of these requests, whatever the method: a POST is refused too.
"""

from http import HTTPStatus

import pytest
from django.db import connection

from reports.tests.test_permissions_matrix import ANON_API, LOGIN, _status, table

from .conftest import ROLES, api_client_for, browser_for, rolled_back

pytestmark = pytest.mark.django_db

OK = HTTPStatus.OK
FORBIDDEN = HTTPStatus.FORBIDDEN
NOT_ALLOWED = HTTPStatus.METHOD_NOT_ALLOWED

PAGES = [
    "/dashboard/",
    "/dashboard/?county=3&light=red",
    "/dashboard/assignments/?light=red",
    "/dashboard/assignments/?export=xlsx",
    "/dashboard/reporting/",
    "/dashboard/reporting/?export=xlsx&sort=-state",
]


def _row_counts() -> dict:
    """Rows in every table of the project (a write anywhere changes one)."""
    with connection.cursor() as cursor:
        tables = [
            t
            for t in connection.introspection.table_names(cursor)
            if not t.startswith(("django_session", "axes_"))
        ]
        counts = {}
        for name in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{name}"')  # noqa: S608 (our own table names)
            counts[name] = cursor.fetchone()[0]
    return counts


def _matrix(users, request, *, browser: bool) -> dict:
    results = {}
    for role in ROLES:
        with rolled_back():
            client = (browser_for if browser else api_client_for)(users[role])
            before = _row_counts()
            response = request(client)
            results[role] = (_status(response), _row_counts() != before)
    return results


@pytest.mark.parametrize("url", PAGES)
def test_dashboard_pages_matrix(users, url):
    results = _matrix(users, lambda c: c.get(url), browser=True)
    assert results == table(
        anonymous=(LOGIN, False),
        member=(FORBIDDEN, False),
        reviewer=(FORBIDDEN, False),
        other_staff=(FORBIDDEN, False),
        other_reviewer=(FORBIDDEN, False),
        coordinator=(OK, False),
        viewer=(OK, False),
    )


@pytest.mark.parametrize("url", ["/api/v1/dashboard/", "/api/v1/dashboard/?light=red&county=3"])
def test_dashboard_api_matrix(users, url):
    results = _matrix(users, lambda c: c.get(url), browser=False)
    assert results == table(
        anonymous=(ANON_API, False),
        member=(FORBIDDEN, False),
        reviewer=(FORBIDDEN, False),
        other_staff=(FORBIDDEN, False),
        other_reviewer=(FORBIDDEN, False),
        coordinator=(OK, False),
        viewer=(OK, False),
    )


def test_dashboard_api_refuses_writes_for_every_role(users):
    results = _matrix(
        users, lambda c: c.post("/api/v1/dashboard/", {}, format="json"), browser=False
    )
    assert results == table(
        anonymous=(ANON_API, False),
        member=(FORBIDDEN, False),
        reviewer=(FORBIDDEN, False),
        other_staff=(FORBIDDEN, False),
        other_reviewer=(FORBIDDEN, False),
        coordinator=(FORBIDDEN, False),
        viewer=(FORBIDDEN, False),
    )
