"""Who may do what with reminders, sign-offs, inspections and checklist lines: every role
against every endpoint and page, each table asserting the status and whether anything was written.

Roles (reports/tests/conftest.py): anonymous; staff ("member") and reviewer of the body;
staff and reviewer of another body; the bureau's coordinator; a city leader (viewer).
For checklist lines the body is 平定县人民政府 and the other body 盂县人民政府.
"""

from http import HTTPStatus

import pytest
from django.utils import timezone

from milestones import services as milestone_services
from milestones.models import ChecklistEvidence, ChecklistLine
from reports.models import ProgressReport
from reports.tests.test_permissions_matrix import ANON_API, LOGIN, _status, run_matrix, table
from supervision import services
from supervision.models import Finding, Inspection, Reminder, SignOff

from .conftest import ROLES, api_client_for, browser_for, in_days, pdf_upload

pytestmark = pytest.mark.django_db

OK = HTTPStatus.OK
CREATED = HTTPStatus.CREATED
FOUND = HTTPStatus.FOUND
FORBIDDEN = HTTPStatus.FORBIDDEN
NOT_FOUND = HTTPStatus.NOT_FOUND

NOBODY_WRITES = {
    "anonymous": False,
    "member": False,
    "reviewer": False,
    "other_staff": False,
    "other_reviewer": False,
    "viewer": False,
}


def only(*roles, status, refused=FORBIDDEN, anonymous=ANON_API) -> dict:
    """The expected table when only `roles` may write (status, True); the rest are refused."""
    return table(
        **{
            role: (status, True)
            if role in roles
            else ((anonymous if role == "anonymous" else refused), False)
            for role in ROLES
        }
    )


def _reminder_fields(assignment):
    return {
        "department": assignment.department_id,
        "assignments": [assignment.pk],
        "message": "请报送进展",
        "reply_by": in_days(3).isoformat(),
    }


def _state(reminder) -> str:
    return Reminder.objects.get(pk=reminder.pk).state


# --- Reminders: API ------------------------------------------------------------------------


def test_api_send_reminder_matrix(users, assignment):
    results = run_matrix(
        users,
        setup=lambda: assignment,
        request=lambda c, a: c.post("/api/v1/reminders/", _reminder_fields(a), format="json"),
        done=lambda a: Reminder.objects.exists(),
    )
    assert results == only("coordinator", status=CREATED)


def test_api_acknowledge_matrix(users, send_reminder):
    results = run_matrix(
        users,
        setup=send_reminder,
        request=lambda c, r: c.post(f"/api/v1/reminders/{r.pk}/acknowledge/"),
        done=lambda r: _state(r) == "acknowledged",
    )
    assert results == only("member", "reviewer", status=OK)


def test_api_reply_matrix(users, send_reminder):
    results = run_matrix(
        users,
        setup=send_reminder,
        request=lambda c, r: c.post(
            f"/api/v1/reminders/{r.pk}/reply/", {"reply": "已落实"}, format="json"
        ),
        done=lambda r: _state(r) == "replied",
    )
    assert results == only("member", "reviewer", status=OK)


def test_api_reminder_list_and_detail_visibility(users, send_reminder, other_assignment):
    mine = send_reminder()
    theirs = send_reminder(assignments=[other_assignment])
    seen = {}
    for role in ROLES:
        client = api_client_for(users[role])
        listed = client.get("/api/v1/reminders/")
        if listed.status_code != OK:
            seen[role] = _status(listed)
            continue
        ids = {row["id"] for row in listed.json()["results"]}
        seen[role] = (
            (mine.pk in ids, theirs.pk in ids),
            _status(client.get(f"/api/v1/reminders/{mine.pk}/")),
        )

    assert seen == table(
        anonymous=ANON_API,
        member=((True, False), OK),
        reviewer=((True, False), OK),
        other_staff=((False, True), NOT_FOUND),
        other_reviewer=((False, True), NOT_FOUND),
        coordinator=((True, True), OK),
        viewer=((True, True), OK),
    )


# --- Reminders: pages ----------------------------------------------------------------------


def test_page_new_reminder_matrix(users, assignment):
    url = f"/reminders/new/?assignments={assignment.pk}"
    form = {"assignments": [assignment.pk], "message": "请报送进展", "reply_by": in_days(3)}
    shown = {role: _status(browser_for(users[role]).get(url)) for role in ROLES}
    results = run_matrix(
        users,
        browser=True,
        setup=lambda: assignment,
        request=lambda c, a: c.post(url, form),
        done=lambda a: Reminder.objects.exists(),
    )

    assert shown == table(
        anonymous=LOGIN,
        member=FORBIDDEN,
        reviewer=FORBIDDEN,
        other_staff=FORBIDDEN,
        other_reviewer=FORBIDDEN,
        coordinator=OK,
        viewer=FORBIDDEN,
    )
    assert results == only("coordinator", status=FOUND, anonymous=LOGIN)


def test_page_acknowledge_matrix(users, send_reminder):
    results = run_matrix(
        users,
        browser=True,
        setup=send_reminder,
        request=lambda c, r: c.post(f"/reminders/{r.pk}/acknowledge/"),
        done=lambda r: _state(r) == "acknowledged",
    )
    assert results == only("member", "reviewer", status=FOUND, anonymous=LOGIN)


def test_page_reply_matrix(users, send_reminder):
    results = run_matrix(
        users,
        browser=True,
        setup=send_reminder,
        request=lambda c, r: c.post(f"/reminders/{r.pk}/reply/", {"reply": "已落实"}),
        done=lambda r: _state(r) == "replied",
    )
    assert results == only("member", "reviewer", status=FOUND, anonymous=LOGIN)


def test_reminder_pages_read_matrix(users, send_reminder):
    reminder = send_reminder(message="仅本单位和市民政局可见的催办")
    seen = {}
    for role in ROLES:
        client = browser_for(users[role])
        listed = client.get("/reminders/")
        detail = client.get(f"/reminders/{reminder.pk}/")
        home = client.get("/")
        seen[role] = (
            _status(listed),
            _status(detail),
            _status(home)
            if home.status_code != OK
            else 'data-testid="open-reminders"' in home.content.decode(),
        )
        if listed.status_code == OK:
            seen[role] += ("仅本单位和市民政局可见的催办" in listed.content.decode(),)

    assert seen == table(
        anonymous=(LOGIN, LOGIN, LOGIN),
        member=(OK, OK, True, True),
        reviewer=(OK, OK, True, True),
        other_staff=(OK, NOT_FOUND, False, False),
        other_reviewer=(OK, NOT_FOUND, False, False),
        coordinator=(OK, OK, False, True),
        viewer=(OK, OK, False, True),
    )


# --- Sign-off ------------------------------------------------------------------------------


@pytest.fixture
def completed(assignment, make_report, clause):
    """The lead (市编办) reports 三(一)2-1 completed and its reviewer approves: it may be signed off."""
    make_report(assignment, state=ProgressReport.State.APPROVED, status="completed", percent=100)
    return clause


def _signed(task) -> bool:
    return SignOff.objects.filter(task=task, state=SignOff.State.SIGNED).exists()


def _reopened(sign_off) -> bool:
    return SignOff.objects.get(pk=sign_off.pk).state == SignOff.State.REOPENED


def test_api_sign_off_matrix(users, completed):
    results = run_matrix(
        users,
        setup=lambda: completed,
        request=lambda c, t: c.post("/api/v1/sign-offs/", {"task": t.pk}, format="json"),
        done=_signed,
    )
    assert results == only("coordinator", status=CREATED)


def test_api_reopen_matrix(users, completed, coordinator):
    results = run_matrix(
        users,
        setup=lambda: services.task_sign_off(task=completed, by=coordinator),
        request=lambda c, s: c.post(
            f"/api/v1/sign-offs/{s.pk}/reopen/", {"reason": "复查未通过"}, format="json"
        ),
        done=_reopened,
    )
    assert results == only("coordinator", status=OK)


def test_page_sign_off_matrix(users, completed):
    results = run_matrix(
        users,
        browser=True,
        setup=lambda: completed,
        request=lambda c, t: c.post(f"/tasks/{t.pk}/sign-off/"),
        done=_signed,
    )
    assert results == only("coordinator", status=FOUND, anonymous=LOGIN)


def test_page_reopen_matrix(users, completed, coordinator):
    results = run_matrix(
        users,
        browser=True,
        setup=lambda: services.task_sign_off(task=completed, by=coordinator),
        request=lambda c, s: c.post(f"/tasks/{s.task_id}/reopen/", {"reason": "复查未通过"}),
        done=_reopened,
    )
    assert results == only("coordinator", status=FOUND, anonymous=LOGIN)


def test_sign_off_is_refused_to_everyone_while_the_lead_has_not_completed(users, clause):
    """Even the coordinator: 409 on the API, a message (and nothing written) on the page."""
    api = run_matrix(
        users,
        setup=lambda: clause,
        request=lambda c, t: c.post("/api/v1/sign-offs/", {"task": t.pk}, format="json"),
        done=_signed,
    )
    page = run_matrix(
        users,
        browser=True,
        setup=lambda: clause,
        request=lambda c, t: c.post(f"/tasks/{t.pk}/sign-off/"),
        done=_signed,
    )
    assert api == only(status=None) | {"coordinator": (HTTPStatus.CONFLICT, False)}
    assert page == only(status=None, anonymous=LOGIN) | {"coordinator": (FOUND, False)}


def test_sign_off_list_is_read_by_everyone_logged_in(users, completed, coordinator):
    services.task_sign_off(task=completed, by=coordinator)
    seen = {}
    for role in ROLES:
        response = api_client_for(users[role]).get("/api/v1/sign-offs/")
        seen[role] = response.json()["count"] if response.status_code == OK else _status(response)
    assert seen == table(
        anonymous=ANON_API,
        member=1,
        reviewer=1,
        other_staff=1,
        other_reviewer=1,
        coordinator=1,
        viewer=1,
    )


# --- Inspections ---------------------------------------------------------------------------


def _inspection_form(plan, body):
    return {
        "plan": plan.pk,
        "inspected_on": timezone.localdate().isoformat(),
        "inspectors": "王督查",
        "findings-TOTAL_FORMS": "1",
        "findings-INITIAL_FORMS": "0",
        "findings-MIN_NUM_FORMS": "0",
        "findings-MAX_NUM_FORMS": "30",
        "findings-0-text": "便民服务中心未挂牌",
        "findings-0-department": body.pk,
        "findings-0-deadline": in_days(20).isoformat(),
    }


@pytest.fixture
def inspection(plan, coordinator):
    return services.inspection_record(
        plan=plan, inspected_on=timezone.localdate(), inspectors="王督查", by=coordinator
    )


def test_page_record_inspection_matrix(users, plan, body):
    shown = {role: _status(browser_for(users[role]).get("/inspections/new/")) for role in ROLES}
    results = run_matrix(
        users,
        browser=True,
        setup=lambda: None,
        request=lambda c, _s: c.post("/inspections/new/", _inspection_form(plan, body)),
        done=lambda _s: Inspection.objects.exists() or Finding.objects.exists(),
    )

    assert shown == table(
        anonymous=LOGIN,
        member=FORBIDDEN,
        reviewer=FORBIDDEN,
        other_staff=FORBIDDEN,
        other_reviewer=FORBIDDEN,
        coordinator=OK,
        viewer=FORBIDDEN,
    )
    assert results == only("coordinator", status=FOUND, anonymous=LOGIN)


def test_page_add_finding_matrix(users, inspection, body):
    results = run_matrix(
        users,
        browser=True,
        setup=lambda: inspection,
        request=lambda c, i: c.post(
            f"/inspections/{i.pk}/findings/",
            {"text": "台账不全", "department": body.pk, "deadline": in_days(9).isoformat()},
        ),
        done=lambda i: i.findings.exists(),
    )
    assert results == only("coordinator", status=FOUND, anonymous=LOGIN)


def test_inspection_reads_matrix(users, inspection):
    seen = {}
    for role in ROLES:
        page, detail = browser_for(users[role]), f"/inspections/{inspection.pk}/"
        api = api_client_for(users[role])
        seen[role] = (
            _status(page.get("/inspections/")),
            _status(page.get(detail)),
            _status(api.get("/api/v1/inspections/")),
            _status(api.get(f"/api/v1/inspections/{inspection.pk}/")),
        )
    everyone = (OK, OK, OK, OK)
    assert seen == table(
        anonymous=(LOGIN, LOGIN, ANON_API, ANON_API),
        member=everyone,
        reviewer=everyone,
        other_staff=everyone,
        other_reviewer=everyone,
        coordinator=everyone,
        viewer=everyone,
    )


def test_inspection_api_is_read_only(users, inspection):
    """No role creates or changes an inspection through the API (pages go through the service)."""
    results = run_matrix(
        users,
        setup=lambda: inspection,
        request=lambda c, i: c.post("/api/v1/inspections/", {"inspectors": "X"}, format="json"),
        done=lambda i: Inspection.objects.count() > 1,
    )
    assert {role: done for role, (_s, done) in results.items()} == dict.fromkeys(ROLES, False)
    assert results["coordinator"][0] == HTTPStatus.METHOD_NOT_ALLOWED


# --- Checklist lines -----------------------------------------------------------------------


def _line_state(line) -> str:
    return ChecklistLine.objects.get(pk=line.pk).state


@pytest.fixture
def reported_line(county_line, county_users):
    def make():
        return milestone_services.checklist_line_report_done(
            line=county_line, by=county_users["member"], completed_on=timezone.localdate()
        )

    return make


def _done_form(line):
    return {f"line{line.pk}-completed_on": timezone.localdate().isoformat()}


def test_api_report_done_matrix(county_users, county_line):
    results = run_matrix(
        county_users,
        setup=lambda: county_line,
        request=lambda c, line: c.post(
            f"/api/v1/checklist-lines/{line.pk}/report-done/",
            {"completed_on": timezone.localdate().isoformat(), "file": pdf_upload()},
            format="multipart",
        ),
        done=lambda line: (
            _line_state(line) == "reported" or ChecklistEvidence.objects.filter(line=line).exists()
        ),
    )
    assert results == only("member", "reviewer", status=OK)


def test_api_confirm_matrix(county_users, reported_line):
    results = run_matrix(
        county_users,
        setup=reported_line,
        request=lambda c, line: c.post(f"/api/v1/checklist-lines/{line.pk}/confirm/"),
        done=lambda line: _line_state(line) == "confirmed",
    )
    assert results == only("coordinator", status=OK)


def test_api_return_matrix(county_users, reported_line):
    results = run_matrix(
        county_users,
        setup=reported_line,
        request=lambda c, line: c.post(
            f"/api/v1/checklist-lines/{line.pk}/return/", {"reason": "材料不全"}, format="json"
        ),
        done=lambda line: _line_state(line) == "returned",
    )
    assert results == only("coordinator", status=OK)


def test_page_report_done_matrix(county_users, county_line):
    results = run_matrix(
        county_users,
        browser=True,
        setup=lambda: county_line,
        request=lambda c, line: c.post(
            f"/checklists/lines/{line.pk}/report-done/",
            {**_done_form(line), f"line{line.pk}-file": pdf_upload()},
        ),
        done=lambda line: (
            _line_state(line) == "reported" or ChecklistEvidence.objects.filter(line=line).exists()
        ),
    )
    assert results == only("member", "reviewer", status=FOUND, anonymous=LOGIN)


def test_page_confirm_matrix(county_users, reported_line):
    results = run_matrix(
        county_users,
        browser=True,
        setup=reported_line,
        request=lambda c, line: c.post(f"/checklists/lines/{line.pk}/confirm/"),
        done=lambda line: _line_state(line) == "confirmed",
    )
    assert results == only("coordinator", status=FOUND, anonymous=LOGIN)


def test_page_return_matrix(county_users, reported_line):
    results = run_matrix(
        county_users,
        browser=True,
        setup=reported_line,
        request=lambda c, line: c.post(
            f"/checklists/lines/{line.pk}/return/", {f"line{line.pk}-reason": "材料不全"}
        ),
        done=lambda line: _line_state(line) == "returned",
    )
    assert results == only("coordinator", status=FOUND, anonymous=LOGIN)


def test_checklist_reads_matrix(county_users, county_line, reported_line):
    line = reported_line()
    evidence = milestone_services.checklist_evidence_add(
        line=line, by=county_users["member"], upload=pdf_upload()
    )
    seen = {}
    for role in ROLES:
        page, api = browser_for(county_users[role]), api_client_for(county_users[role])
        listed = page.get("/checklists/")
        seen[role] = (
            _status(listed),
            _status(page.get("/checklists/confirm/")),
            _status(page.get(f"/checklists/evidence/{evidence.pk}/")),
            _status(api.get("/api/v1/checklist-lines/")),
            _status(api.get(f"/api/v1/checklist-lines/{line.pk}/")),
        )
        if listed.status_code == OK:
            forms = [x.pk for x in listed.context["page"] if x.report_form is not None]
            seen[role] += (line.pk in forms,)

    assert seen == table(
        anonymous=(LOGIN, LOGIN, LOGIN, ANON_API, ANON_API),
        member=(OK, FORBIDDEN, OK, OK, OK, True),
        reviewer=(OK, FORBIDDEN, OK, OK, OK, True),
        other_staff=(OK, FORBIDDEN, FORBIDDEN, OK, OK, False),
        other_reviewer=(OK, FORBIDDEN, FORBIDDEN, OK, OK, False),
        coordinator=(OK, OK, OK, OK, OK, False),
        viewer=(OK, FORBIDDEN, FORBIDDEN, OK, OK, False),
    )


def test_nobody_reports_a_confirmed_line_again(county_users, reported_line, coordinator):
    def setup():
        return milestone_services.checklist_line_confirm(line=reported_line(), by=coordinator)

    results = run_matrix(
        county_users,
        setup=setup,
        request=lambda c, line: c.post(
            f"/api/v1/checklist-lines/{line.pk}/report-done/",
            {"completed_on": timezone.localdate().isoformat()},
            format="json",
        ),
        done=lambda line: _line_state(line) != "confirmed",
    )
    assert {role: done for role, (_s, done) in results.items()} == {
        **NOBODY_WRITES,
        "coordinator": False,
    }
