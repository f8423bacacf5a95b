"""Who may do what with progress reports: every role against every endpoint at once.

Each test is one table: for every role it sets the scene up afresh (inside a
savepoint that is rolled back), makes the request, and records the status code
together with whether the write actually happened. The whole table is compared
in one assert, so a failure shows the full matrix.

Rules (reports/permissions.py):
- staff and reviewer of the body create, edit and submit drafts of that body's
  assignments, and add or remove evidence on editable reports;
- the body's reviewer, or any coordinator, approves or returns submitted reports;
- viewers and other bodies never write;
- drafts and submitted reports are read by their body and coordinators only,
  approved reports by every logged-in user.
"""

from http import HTTPStatus

import pytest
from django.conf import settings
from django.shortcuts import resolve_url

from accounts.models import UserRole
from reports import services
from reports.models import Evidence, ProgressReport
from tests.factories import UserFactory

from .conftest import ROLES, api_client_for, browser_for, pdf_upload, rolled_back

pytestmark = pytest.mark.django_db

OK = HTTPStatus.OK
CREATED = HTTPStatus.CREATED
FORBIDDEN = HTTPStatus.FORBIDDEN
NOT_FOUND = HTTPStatus.NOT_FOUND
FOUND = HTTPStatus.FOUND
LOGIN = "login"  # browser views send an anonymous visitor to the login page


class AnyOf:
    """An expected status that may be any of a few (401 or 403 for an anonymous API call)."""

    def __init__(self, *codes):
        self.codes = codes

    def __eq__(self, other):
        return other in self.codes

    def __hash__(self):
        return hash(self.codes)

    def __repr__(self):
        return "|".join(str(int(c)) for c in self.codes)


ANON_API = AnyOf(HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN)


def _status(response):
    if response.status_code == FOUND and response["Location"].startswith(
        resolve_url(settings.LOGIN_URL)
    ):
        return LOGIN
    return HTTPStatus(response.status_code)


def run_matrix(users, *, setup, request, done, browser=False) -> dict:
    """role -> (status, whether the write happened), each role on a fresh scene."""
    results = {}
    for role in ROLES:
        with rolled_back():
            scene = setup()
            client = (browser_for if browser else api_client_for)(users[role])
            response = request(client, scene)
            results[role] = (_status(response), done(scene))
    return results


def table(**expected) -> dict:
    assert set(expected) == set(ROLES), "a matrix names every role"
    return {role: expected[role] for role in ROLES}


def _refreshed(report: ProgressReport) -> ProgressReport:
    return ProgressReport.objects.get(pk=report.pk)


# --- API writes --------------------------------------------------------------------------


def test_api_create_report_matrix(users, assignment):
    results = run_matrix(
        users,
        setup=lambda: assignment,
        request=lambda c, a: c.post(
            "/api/v1/progress-reports/",
            {"assignment": a.pk, "status": "in_progress", "percent": 20, "progress": "已完成调研"},
            format="json",
        ),
        done=lambda a: a.reports.exists(),
    )

    assert results == table(
        anonymous=(ANON_API, False),
        member=(CREATED, True),
        reviewer=(CREATED, True),
        other_staff=(FORBIDDEN, False),
        other_reviewer=(FORBIDDEN, False),
        coordinator=(FORBIDDEN, False),
        viewer=(FORBIDDEN, False),
    )


def test_api_edit_draft_matrix(users, assignment, make_report, member):
    results = run_matrix(
        users,
        setup=lambda: make_report(assignment, by=member),
        request=lambda c, r: c.patch(
            f"/api/v1/progress-reports/{r.pk}/",
            {"version": r.version, "progress": "修改后的进展"},
            format="json",
        ),
        done=lambda r: _refreshed(r).progress == "修改后的进展",
    )

    assert results == table(
        anonymous=(ANON_API, False),
        member=(OK, True),
        reviewer=(OK, True),
        other_staff=(FORBIDDEN, False),
        other_reviewer=(FORBIDDEN, False),
        coordinator=(FORBIDDEN, False),
        viewer=(FORBIDDEN, False),
    )


def test_api_submit_draft_matrix(users, assignment, make_report, member):
    results = run_matrix(
        users,
        setup=lambda: make_report(assignment, by=member),
        request=lambda c, r: c.post(
            f"/api/v1/progress-reports/{r.pk}/submit/", {"version": r.version}, format="json"
        ),
        done=lambda r: _refreshed(r).state == ProgressReport.State.SUBMITTED,
    )

    assert results == table(
        anonymous=(ANON_API, False),
        member=(OK, True),
        reviewer=(OK, True),
        other_staff=(FORBIDDEN, False),
        other_reviewer=(FORBIDDEN, False),
        coordinator=(FORBIDDEN, False),
        viewer=(FORBIDDEN, False),
    )


def test_api_approve_submitted_matrix(users, assignment, make_report, member):
    results = run_matrix(
        users,
        setup=lambda: make_report(assignment, by=member, state=ProgressReport.State.SUBMITTED),
        request=lambda c, r: c.post(
            f"/api/v1/progress-reports/{r.pk}/approve/", {"version": r.version}, format="json"
        ),
        done=lambda r: _refreshed(r).state == ProgressReport.State.APPROVED,
    )

    assert results == table(
        anonymous=(ANON_API, False),
        member=(FORBIDDEN, False),
        reviewer=(OK, True),
        other_staff=(FORBIDDEN, False),
        other_reviewer=(FORBIDDEN, False),
        coordinator=(OK, True),
        viewer=(FORBIDDEN, False),
    )


def test_api_return_submitted_matrix(users, assignment, make_report, member):
    results = run_matrix(
        users,
        setup=lambda: make_report(assignment, by=member, state=ProgressReport.State.SUBMITTED),
        request=lambda c, r: c.post(
            f"/api/v1/progress-reports/{r.pk}/return/",
            {"version": r.version, "reason": "缺少佐证材料"},
            format="json",
        ),
        done=lambda r: _refreshed(r).state == ProgressReport.State.RETURNED,
    )

    assert results == table(
        anonymous=(ANON_API, False),
        member=(FORBIDDEN, False),
        reviewer=(OK, True),
        other_staff=(FORBIDDEN, False),
        other_reviewer=(FORBIDDEN, False),
        coordinator=(OK, True),
        viewer=(FORBIDDEN, False),
    )


def test_api_add_evidence_matrix(users, assignment, make_report, member):
    results = run_matrix(
        users,
        setup=lambda: make_report(assignment, by=member),
        request=lambda c, r: c.post(
            f"/api/v1/progress-reports/{r.pk}/evidence/", {"file": pdf_upload()}, format="multipart"
        ),
        done=lambda r: Evidence.objects.filter(report=r).exists(),
    )

    assert results == table(
        anonymous=(ANON_API, False),
        member=(CREATED, True),
        reviewer=(CREATED, True),
        other_staff=(FORBIDDEN, False),
        other_reviewer=(FORBIDDEN, False),
        coordinator=(FORBIDDEN, False),
        viewer=(FORBIDDEN, False),
    )


# --- Browser writes ----------------------------------------------------------------------


def _form(report=None, **changes):
    data = {
        "action": "save",
        "status": "in_progress",
        "percent": "20",
        "progress": "浏览器填写的进展",
        "problems": "",
        "next_steps": "",
        "version": str(report.version) if report else "",
    }
    data.update(changes)
    return data


def test_browser_save_draft_matrix(users, assignment):
    results = run_matrix(
        users,
        browser=True,
        setup=lambda: assignment,
        request=lambda c, a: c.post(f"/assignments/{a.pk}/", _form()),
        done=lambda a: a.reports.filter(progress="浏览器填写的进展").exists(),
    )

    assert results == table(
        anonymous=(LOGIN, False),
        member=(FOUND, True),
        reviewer=(FOUND, True),
        other_staff=(FORBIDDEN, False),
        other_reviewer=(FORBIDDEN, False),
        coordinator=(FORBIDDEN, False),
        viewer=(FORBIDDEN, False),
    )


def test_browser_save_and_submit_matrix(users, assignment, make_report, member):
    results = run_matrix(
        users,
        browser=True,
        setup=lambda: make_report(assignment, by=member),
        request=lambda c, r: c.post(f"/assignments/{r.assignment_id}/", _form(r, action="submit")),
        done=lambda r: _refreshed(r).state == ProgressReport.State.SUBMITTED,
    )

    assert results == table(
        anonymous=(LOGIN, False),
        member=(FOUND, True),
        reviewer=(FOUND, True),
        other_staff=(FORBIDDEN, False),
        other_reviewer=(FORBIDDEN, False),
        coordinator=(FORBIDDEN, False),
        viewer=(FORBIDDEN, False),
    )


def test_browser_submit_matrix(users, assignment, make_report, member):
    results = run_matrix(
        users,
        browser=True,
        setup=lambda: make_report(assignment, by=member),
        request=lambda c, r: c.post(f"/reports/{r.pk}/submit/", {"version": r.version}),
        done=lambda r: _refreshed(r).state == ProgressReport.State.SUBMITTED,
    )

    assert results == table(
        anonymous=(LOGIN, False),
        member=(FOUND, True),
        reviewer=(FOUND, True),
        other_staff=(FORBIDDEN, False),
        other_reviewer=(FORBIDDEN, False),
        coordinator=(FORBIDDEN, False),
        viewer=(FORBIDDEN, False),
    )


def test_browser_approve_matrix(users, assignment, make_report, member):
    results = run_matrix(
        users,
        browser=True,
        setup=lambda: make_report(assignment, by=member, state=ProgressReport.State.SUBMITTED),
        request=lambda c, r: c.post(f"/reports/{r.pk}/approve/", {"version": r.version}),
        done=lambda r: _refreshed(r).state == ProgressReport.State.APPROVED,
    )

    assert results == table(
        anonymous=(LOGIN, False),
        member=(FORBIDDEN, False),
        reviewer=(FOUND, True),
        other_staff=(FORBIDDEN, False),
        other_reviewer=(FORBIDDEN, False),
        coordinator=(FOUND, True),
        viewer=(FORBIDDEN, False),
    )


def test_browser_return_matrix(users, assignment, make_report, member):
    results = run_matrix(
        users,
        browser=True,
        setup=lambda: make_report(assignment, by=member, state=ProgressReport.State.SUBMITTED),
        request=lambda c, r: c.post(
            f"/reports/{r.pk}/return/", {"version": r.version, "reason": "数据不完整"}
        ),
        done=lambda r: _refreshed(r).state == ProgressReport.State.RETURNED,
    )

    assert results == table(
        anonymous=(LOGIN, False),
        member=(FORBIDDEN, False),
        reviewer=(FOUND, True),
        other_staff=(FORBIDDEN, False),
        other_reviewer=(FORBIDDEN, False),
        coordinator=(FOUND, True),
        viewer=(FORBIDDEN, False),
    )


def test_browser_remove_evidence_matrix(users, assignment, make_report, member):
    def setup():
        report = make_report(assignment, by=member)
        return services.evidence_add(report=report, by=member, upload=pdf_upload())

    results = run_matrix(
        users,
        browser=True,
        setup=setup,
        request=lambda c, e: c.post(f"/evidence/{e.pk}/remove/"),
        done=lambda e: Evidence.objects.get(pk=e.pk).removed_at is not None,
    )

    assert results == table(
        anonymous=(LOGIN, False),
        member=(FOUND, True),
        reviewer=(FOUND, True),
        other_staff=(FORBIDDEN, False),
        other_reviewer=(FORBIDDEN, False),
        coordinator=(FORBIDDEN, False),
        viewer=(FORBIDDEN, False),
    )


def test_nobody_writes_evidence_of_a_submitted_report(users, assignment, make_report, member):
    """Once submitted, a report's files are frozen for everyone, its own body included."""

    def setup():
        report = make_report(assignment, by=member)
        evidence = services.evidence_add(report=report, by=member, upload=pdf_upload())
        services.report_submit(report=report, by=member)
        return evidence

    removed = run_matrix(
        users,
        browser=True,
        setup=setup,
        request=lambda c, e: c.post(f"/evidence/{e.pk}/remove/"),
        done=lambda e: Evidence.objects.get(pk=e.pk).removed_at is not None,
    )
    added = run_matrix(
        users,
        setup=setup,
        request=lambda c, e: c.post(
            f"/api/v1/progress-reports/{e.report_id}/evidence/",
            {"file": pdf_upload("补充.pdf")},
            format="multipart",
        ),
        done=lambda e: Evidence.objects.filter(report_id=e.report_id).count() > 1,
    )

    assert {role: done for role, (_status, done) in removed.items()} == dict.fromkeys(ROLES, False)
    assert {role: done for role, (_status, done) in added.items()} == dict.fromkeys(ROLES, False)


# --- Reads -------------------------------------------------------------------------------


@pytest.fixture
def three_reports(make_report, member, assignment, body):
    """A draft, a submitted and an approved report of 市编办, on three of its assignments."""
    others = list(
        body.assignments.filter(is_active=True).exclude(pk=assignment.pk).order_by("pk")[:2]
    )
    return {
        "draft": make_report(assignment, by=member),
        "submitted": make_report(others[0], by=member, state=ProgressReport.State.SUBMITTED),
        "approved": make_report(others[1], by=member, state=ProgressReport.State.APPROVED),
    }


def test_report_list_shows_unapproved_reports_only_to_their_body_and_coordinators(
    users, three_reports
):
    names = {report.pk: name for name, report in three_reports.items()}
    seen = {}
    for role in ROLES:
        response = api_client_for(users[role]).get("/api/v1/progress-reports/?page_size=100")
        if response.status_code != OK:
            seen[role] = _status(response)
            continue
        seen[role] = {names[row["id"]] for row in response.json()["results"] if row["id"] in names}

    everything = {"draft", "submitted", "approved"}
    assert seen == table(
        anonymous=ANON_API,
        member=everything,
        reviewer=everything,
        other_staff={"approved"},
        other_reviewer={"approved"},
        coordinator=everything,
        viewer={"approved"},
    )


def test_report_detail_is_404_for_who_may_not_see_it(users, three_reports):
    seen = {}
    for role in ROLES:
        client = api_client_for(users[role])
        seen[role] = tuple(
            _status(client.get(f"/api/v1/progress-reports/{three_reports[name].pk}/"))
            for name in ("draft", "submitted", "approved")
        )

    assert seen == table(
        anonymous=(ANON_API, ANON_API, ANON_API),
        member=(OK, OK, OK),
        reviewer=(OK, OK, OK),
        other_staff=(NOT_FOUND, NOT_FOUND, OK),
        other_reviewer=(NOT_FOUND, NOT_FOUND, OK),
        coordinator=(OK, OK, OK),
        viewer=(NOT_FOUND, NOT_FOUND, OK),
    )


def test_evidence_download_follows_the_report_visibility(users, assignment, make_report, member):
    draft = make_report(assignment, by=member)
    evidence = services.evidence_add(report=draft, by=member, upload=pdf_upload())

    seen = {
        role: _status(browser_for(users[role]).get(f"/evidence/{evidence.pk}/")) for role in ROLES
    }

    assert seen == table(
        anonymous=LOGIN,
        member=OK,
        reviewer=OK,
        other_staff=NOT_FOUND,
        other_reviewer=NOT_FOUND,
        coordinator=OK,
        viewer=NOT_FOUND,
    )


def test_assignment_page_shows_a_draft_only_to_its_body_and_coordinators(
    users, assignment, make_report, member
):
    make_report(assignment, by=member, progress="仅本单位可见的草稿内容")

    seen = {}
    for role in ROLES:
        response = browser_for(users[role]).get(f"/assignments/{assignment.pk}/")
        status = _status(response)
        seen[role] = (
            status if status != OK else "仅本单位可见的草稿内容" in response.content.decode()
        )

    assert seen == table(
        anonymous=LOGIN,
        member=True,
        reviewer=True,
        other_staff=False,
        other_reviewer=False,
        coordinator=True,
        viewer=False,
    )


def test_assignment_api_does_not_reveal_unapproved_reports_to_other_bodies(
    users, assignment, make_report, member
):
    """The assignment list is read by everyone, so its `report_*` figures must not
    come from a draft or a report under review that the reader may not see."""
    make_report(assignment, by=member, status="in_progress", percent=65)

    seen = {}
    for role in ROLES:
        response = api_client_for(users[role]).get(
            f"/api/v1/assignments/?department={assignment.department_id}&page_size=200"
        )
        if response.status_code != OK:
            seen[role] = _status(response)
            continue
        row = next(r for r in response.json()["results"] if r["id"] == assignment.pk)
        seen[role] = (row["report"] is not None, row["report_percent"])

    assert seen == table(
        anonymous=ANON_API,
        member=(True, 65),
        reviewer=(True, 65),
        other_staff=(False, None),
        other_reviewer=(False, None),
        coordinator=(True, 65),
        viewer=(False, None),
    )


def test_a_viewer_belonging_to_the_body_sees_its_drafts_alike_everywhere(
    clause, assignment, make_report, member, body
):
    """Viewers may belong to a body. Whatever the rule for them is, the API list, the task
    page's table and the task page's history must apply the same one: a draft's text
    shown in one place and hidden in another is a rule applied twice, differently."""
    viewer_of_body = UserFactory(username="bianban_viewer", role=UserRole.VIEWER, department=body)
    report = make_report(assignment, by=member, progress="草稿第一稿")
    services.report_update(report=report, by=member, version=1, progress="草稿第二稿")

    listed = api_client_for(viewer_of_body).get("/api/v1/progress-reports/?page_size=100").json()
    page = browser_for(viewer_of_body).get(f"/tasks/{clause.pk}/")
    row = next(a for a in page.context["page"] if a.pk == assignment.pk)

    seen = {
        "api list": any(r["id"] == report.pk for r in listed["results"]),
        "task table": row.report_id is not None,
        "task history": any(
            "草稿第二稿" in new for e in page.context["history"] for _f, _old, new in e.changes
        ),
    }
    assert len(set(seen.values())) == 1, seen
