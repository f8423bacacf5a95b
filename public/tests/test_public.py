"""The public page (政务公开): anonymous, approved and signed-off state only, cached, cheap."""

from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dashboard.tests.conftest import LARGE, SMALL, Scene
from dashboard.tests.test_permissions_matrix import _row_counts
from reports import services
from reports.models import Evidence, ProgressReport
from reports.tests.conftest import pdf_upload
from reports.tests.test_permissions_matrix import LOGIN, _status, table
from supervision import services as supervision_services

from .conftest import ROLES, browser_for, rolled_back

pytestmark = pytest.mark.django_db

URL = "/public/yq-2018-township-service/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _page(client=None) -> str:
    cache.clear()
    response = (client or Client()).get(URL)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def test_anonymous_visitor_reads_the_public_page_and_the_index():
    index = Client().get("/public/")
    assert index.status_code == HTTPStatus.OK and URL in index.content.decode()
    html = _page()
    assert "三(一)2-1" in html and "推进行政执法改革" in html
    assert Client().get("/public/no-such-plan/").status_code == HTTPStatus.NOT_FOUND


def test_public_page_shows_nothing_marked_private(assignment, member, reviewer, make_report):
    """Drafts, reports under review, evidence, people and unpublished problems stay out."""
    approved = make_report(
        assignment, by=member, progress="已印发行政执法改革方案", problems="私密问题：编制缺口"
    )
    services.evidence_add(report=approved, by=member, upload=pdf_upload("内部纪要-机密.pdf"))
    approved = services.report_submit(report=approved, by=member, version=approved.version)
    approved = services.report_approve(report=approved, by=reviewer, version=approved.version)
    # A newer draft in the works: its text must not show.
    draft = services.report_create(
        assignment=assignment, by=member, status="in_progress", percent=80,
        progress="草稿内容：尚未审核", problems="草稿问题",
    )  # fmt: skip
    assert Evidence.objects.filter(report=approved).exists() and draft.pk
    html = _page()
    assert "已印发行政执法改革方案" in html  # the approved progress is public
    for private in (
        "私密问题",
        "草稿内容",
        "草稿问题",
        "内部纪要-机密",
        member.first_name,
        reviewer.first_name,
        member.username,
        "/evidence/",
    ):
        assert private not in html, private


def test_problems_show_once_the_bureau_marks_them_publishable(
    assignment, member, reviewer, coordinator, make_report
):
    report = make_report(
        assignment, state="approved", by=member, reviewed_by=reviewer, problems="编制缺口较大"
    )
    assert "编制缺口较大" not in _page()
    response = browser_for(coordinator).post(
        f"/reports/{report.pk}/problems-public/", {"public": "1"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert "编制缺口较大" in _page()
    record = ProgressReport.history.filter(id=report.pk).order_by("-history_date").first()
    assert record.problems_public and record.history_user == coordinator  # in the history
    browser_for(coordinator).post(f"/reports/{report.pk}/problems-public/", {"public": "0"})
    assert "编制缺口较大" not in _page()


def test_signed_off_item_shows_as_finished(assignment, member, reviewer, coordinator, make_report):
    make_report(assignment, state="approved", by=member, reviewed_by=reviewer,
                status="completed", percent=100)  # fmt: skip
    supervision_services.task_sign_off(task=assignment.task, by=coordinator)
    html = _page()
    row = html[html.index(assignment.task.code) :]
    assert "已办结" in row[: row.index("</tr>")]


def test_page_is_cached_and_its_queries_do_not_grow(coordinator):
    scene = Scene(coordinator)
    client = Client()

    def measure():
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            assert client.get(URL).status_code == HTTPStatus.OK
        with CaptureQueriesContext(connection) as warm:
            assert client.get(URL).status_code == HTTPStatus.OK
        return len(cold), len(warm), [q["sql"] for q in warm.captured_queries]

    scene.grow(SMALL)
    small_cold, small_warm, _ = measure()
    scene.grow(LARGE)
    large_cold, large_warm, sql = measure()
    assert small_cold == large_cold, "\n".join(sql)
    assert small_warm == large_warm == 0, sql  # served from the cache


def test_public_page_matrix(users):
    results = {}
    for role in ROLES:
        with rolled_back():
            cache.clear()
            client = browser_for(users[role])
            before = _row_counts()
            response = client.get(URL)
            results[role] = (_status(response), _row_counts() != before)
    ok = (HTTPStatus.OK, False)
    assert results == table(
        anonymous=ok, member=ok, reviewer=ok, other_staff=ok, other_reviewer=ok,
        coordinator=ok, viewer=ok,
    )  # fmt: skip


def test_marking_problems_public_matrix(users, assignment, make_report):
    results = {}
    for role in ROLES:
        with rolled_back():
            report = make_report(assignment, state="approved", problems="问题")
            client = browser_for(users[role])
            response = client.post(f"/reports/{report.pk}/problems-public/", {"public": "1"})
            done = ProgressReport.objects.get(pk=report.pk).problems_public
            results[role] = (_status(response), done)
    refused = (HTTPStatus.FORBIDDEN, False)
    assert results == table(
        anonymous=(LOGIN, False), member=refused, reviewer=refused, other_staff=refused,
        other_reviewer=refused, coordinator=(HTTPStatus.FOUND, True), viewer=refused,
    )  # fmt: skip


def test_a_work_item_with_many_bodies_shows_counts_not_a_list(monkeypatch):
    """Nationally a clause every county answers for has thousands of shares: counted by status."""
    from public import selectors

    monkeypatch.setattr(selectors, "SHARES_LISTED", 2)
    html = _page()
    assert 'data-testid="share-counts"' in html
    assert "5 个单位：尚无审核通过的进展 5" in html  # a clause of the five counties
