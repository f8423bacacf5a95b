"""What a county system's developer (or a curious user) needs to find their way in the API."""

from http import HTTPStatus

import pytest

from reports import services

from .conftest import api_client_for

pytestmark = pytest.mark.django_db


def test_the_api_root_lists_the_endpoints(member):
    response = api_client_for(member).get("/api/v1/")

    assert response.status_code == HTTPStatus.OK
    links = response.json()
    for name in ("assignment", "progress-report", "task", "plan", "department", "me", "docs"):
        assert name in links, name
    assert links["assignment"].endswith("/api/v1/assignments/")


def test_me_says_who_i_am_and_what_i_may_do(member, reviewer, coordinator, viewer):
    mine = api_client_for(member).get("/api/v1/me/").json()
    assert (mine["username"], mine["role"], mine["department"]["name"]) == (
        "bianban_staff",
        "staff",
        "市编办",
    )
    assert mine["permissions"]["report"] and not mine["permissions"]["review_all"]
    assert api_client_for(reviewer).get("/api/v1/me/").json()["permissions"]["review_own_body"]
    assert api_client_for(coordinator).get("/api/v1/me/").json()["permissions"]["review_all"]
    assert api_client_for(viewer).get("/api/v1/me/").json()["permissions"]["read_only"]


def test_mine_lists_only_my_bodys_assignments_and_reports(member, body, assignment, make_report):
    make_report(assignment, by=member)
    client = api_client_for(member)

    assignments = client.get("/api/v1/assignments/?mine=true&page_size=200").json()
    reports = client.get("/api/v1/progress-reports/?mine=true").json()

    assert assignments["count"] == body.assignments.count() > 0
    assert {a["department"]["id"] for a in assignments["results"]} == {body.pk}
    assert reports["count"] == 1


def test_departments_are_found_by_a_countys_name_or_the_short_name(member):
    client = api_client_for(member)

    by_county = client.get("/api/v1/departments/?name=平定县").json()["results"]
    by_short = client.get("/api/v1/departments/?name=市编办").json()["results"]

    assert [d["name"] for d in by_county] == ["平定县人民政府"]
    assert [d["name"] for d in by_short] == ["市编办"]


@pytest.mark.parametrize("action", ["submit", "withdraw", "approve", "return"])
def test_every_transition_requires_the_version(member, reviewer, assignment, make_report, action):
    state = {"submit": "draft", "withdraw": "submitted"}.get(action, "submitted")
    report = make_report(assignment, by=member, state=state)
    client = api_client_for(reviewer if action in ("approve", "return") else member)

    response = client.post(
        f"/api/v1/progress-reports/{report.pk}/{action}/", {"reason": "补充"}, format="json"
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "version" in response.json()
    before = report.state
    report.refresh_from_db()
    assert report.state == before


def test_withdraw_through_the_api(member, assignment, make_report):
    report = make_report(assignment, by=member, state="submitted")

    response = api_client_for(member).post(
        f"/api/v1/progress-reports/{report.pk}/withdraw/",
        {"version": report.version},
        format="json",
    )

    assert response.status_code == HTTPStatus.OK
    assert response.json()["state"] == "draft"


def test_the_schema_speaks_chinese_and_the_docs_page_sends_people_to_log_in(client, member):
    schema = api_client_for(member).get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/progress-reports/{id}/submit/"]["post"]
    assert "报送" in operation["description"]
    assert "阳泉" in schema["info"]["description"]

    docs = client.get("/api/docs/")
    assert docs.status_code == HTTPStatus.FOUND
    assert docs["Location"].startswith("/accounts/login/")


def test_as_of_in_the_api_is_validated(member):
    client = api_client_for(member)
    assert client.get("/api/v1/assignments/?as_of=2019-06-30").status_code == HTTPStatus.OK
    bad = client.get("/api/v1/assignments/?as_of=2019-13-40")
    assert bad.status_code == HTTPStatus.BAD_REQUEST and "as_of" in bad.json()
    future = client.get("/api/v1/assignments/?as_of=2999-01-01")
    assert future.status_code == HTTPStatus.BAD_REQUEST


def test_as_of_a_day_shows_only_what_was_approved_by_then(member, reviewer, assignment):
    report = services.report_create(
        assignment=assignment, by=member, percent=30, status="in_progress", progress="今天的进展"
    )
    services.report_submit(report=report, by=member)
    services.report_approve(report=report, by=reviewer)
    client = api_client_for(member)

    today = client.get(f"/api/v1/assignments/{assignment.pk}/").json()
    before = client.get(f"/api/v1/assignments/{assignment.pk}/?as_of=2019-06-30").json()

    assert today["approved_percent"] == 30
    assert before["approved_percent"] is None and before["report"] is None
