"""Summaries through the pages and the API: who may do what, and nothing written when refused."""

from http import HTTPStatus

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import UserRole
from departments.models import Department
from reports.models import ReportingPeriod
from summaries.models import Summary, SummaryVersion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "staff", "reviewer", "coordinator", "viewer")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def people(db):
    body = Department.objects.get(short_name="市编办")
    return {
        "anonymous": None,
        "staff": UserFactory(role=UserRole.STAFF, department=body),
        "reviewer": UserFactory(role=UserRole.REVIEWER, department=body),
        "coordinator": UserFactory(
            role=UserRole.COORDINATOR, department=Department.objects.get(short_name="市民政局")
        ),
        "viewer": UserFactory(role=UserRole.VIEWER, department=None),
    }


def _client(user, api=False):
    client = APIClient() if api else Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def period(plan):
    return ReportingPeriod.objects.get(plan=plan, code="2019H1")


@pytest.fixture(autouse=True)
def _jobs_run(monkeypatch):
    """Jobs are queued on commit; the test's transaction never commits, so here each job
    runs (in-process, as Celery does in tests) when it is queued."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def test_the_api_generates_with_202_and_a_url_to_poll(people, period):
    client = _client(people["coordinator"], api=True)

    response = client.post("/api/v1/summaries/", {"period": "2019H1"}, format="json")

    assert response.status_code == HTTPStatus.ACCEPTED
    body = response.json()
    assert body["url"].endswith(f"/api/v1/summaries/{body['id']}/")
    assert response["Location"] == body["url"]
    # Jobs run in-process in tests: by now it is done, with its files to download.
    polled = client.get(body["url"]).json()
    assert polled["status"] == "done" and polled["progress"] == 100
    assert polled["docx_url"].endswith("/docx/") and polled["xlsx_url"].endswith("/xlsx/")
    listed = client.get("/api/v1/summaries/?period=2019H1").json()
    assert [v["id"] for v in listed["results"]] == [body["id"]]
    assert client.get(polled["docx_url"]).status_code == HTTPStatus.OK


def test_the_api_refuses_an_unknown_period_with_a_message(people, period):
    response = _client(people["coordinator"], api=True).post(
        "/api/v1/summaries/", {"period": "2099H1"}, format="json"
    )
    # A period that does not exist is a 404, as the schema documents (hardening).
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "2099H1" in response.json()["detail"]
    assert not SummaryVersion.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_who_may_generate_through_the_api(people, period, role):
    response = _client(people[role], api=True).post(
        "/api/v1/summaries/", {"period": "2019H1"}, format="json"
    )
    expected = {
        "anonymous": HTTPStatus.UNAUTHORIZED,
        "coordinator": HTTPStatus.ACCEPTED,
    }.get(role, HTTPStatus.FORBIDDEN)
    assert response.status_code == expected
    assert SummaryVersion.objects.exists() == (role == "coordinator")


@pytest.mark.parametrize("role", ROLES)
def test_who_may_read_summaries(people, period, role):
    _client(people["coordinator"], api=True).post(
        "/api/v1/summaries/", {"period": "2019H1"}, format="json"
    )
    version = SummaryVersion.objects.get()
    api = _client(people[role], api=True).get("/api/v1/summaries/")
    page = _client(people[role]).get(f"/summaries/{version.summary_id}/")
    download = _client(people[role]).get(f"/summaries/versions/{version.pk}/docx/")
    may = role in ("coordinator", "viewer")
    assert api.status_code == (
        HTTPStatus.OK
        if may
        else HTTPStatus.UNAUTHORIZED
        if role == "anonymous"
        else HTTPStatus.FORBIDDEN
    )
    if role == "anonymous":
        assert page.status_code == download.status_code == HTTPStatus.FOUND  # to the login page
    else:
        assert (
            page.status_code
            == download.status_code
            == (HTTPStatus.OK if may else HTTPStatus.FORBIDDEN)
        )


@pytest.mark.parametrize("role", ROLES)
def test_who_may_edit_and_submit_in_the_pages(people, period, role):
    _client(people["coordinator"], api=True).post(
        "/api/v1/summaries/", {"period": "2019H1"}, format="json"
    )
    version = SummaryVersion.objects.get()
    client = _client(people[role])
    edited = client.post(
        f"/summaries/versions/{version.pk}/narrative/",
        {"overview": "总体平稳", "problems": "问题", "next_steps": "打算", "narrative_version": 0},
    )
    submitted = client.post(f"/summaries/versions/{version.pk}/submit/")
    generated = client.post(f"/summaries/periods/{period.pk}/generate/")
    version.refresh_from_db()
    if role == "coordinator":
        assert (version.overview, version.is_submitted) == ("总体平稳", True)
        assert SummaryVersion.objects.count() == 2
        return
    refused = HTTPStatus.FOUND if role == "anonymous" else HTTPStatus.FORBIDDEN
    assert edited.status_code == submitted.status_code == generated.status_code == refused
    assert (version.overview, version.is_submitted) == ("", False)
    assert SummaryVersion.objects.count() == 1


def test_submitting_needs_the_narrative_and_freezes_the_version(people, period):
    coordinator = _client(people["coordinator"])
    coordinator.post(f"/summaries/periods/{period.pk}/generate/")
    version = SummaryVersion.objects.get()

    response = coordinator.post(f"/summaries/versions/{version.pk}/submit/", follow=True)
    assert "报送前请填写" in response.content.decode()
    version.refresh_from_db()
    assert not version.is_submitted

    coordinator.post(
        f"/summaries/versions/{version.pk}/narrative/",
        {"overview": "总体", "problems": "问题", "next_steps": "打算", "narrative_version": 0},
    )
    coordinator.post(f"/summaries/versions/{version.pk}/submit/")
    late = coordinator.post(
        f"/summaries/versions/{version.pk}/narrative/",
        {"overview": "改", "problems": "问题", "next_steps": "打算", "narrative_version": 1},
        follow=True,
    )
    version.refresh_from_db()
    assert version.is_submitted and version.overview == "总体"
    assert "只能修改已生成、尚未报送的汇总" in late.content.decode()
    assert Summary.objects.get().submitted_version == version
