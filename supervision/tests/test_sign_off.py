"""Sign-off (办结): only the bureau, only once the lead body's latest approved report says completed."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.errors import ConflictError, PermissionDenied
from notifications.models import Notification
from reports.models import ProgressReport
from supervision import selectors, services
from supervision.models import SignOff
from tasks.models import Assignment, Task

from .conftest import api_client_for, browser_for

pytestmark = pytest.mark.django_db

COMPLETED = {"status": ProgressReport.Status.COMPLETED, "percent": 100}
APPROVED = ProgressReport.State.APPROVED


def test_refused_to_staff_reviewers_and_viewers(clause, member, reviewer, viewer):
    for user in (member, reviewer, viewer):
        with pytest.raises(PermissionDenied):
            services.task_sign_off(task=clause, by=user)
    assert not SignOff.objects.exists()


def test_refused_while_the_lead_has_no_approved_report_naming_it(clause, coordinator):
    with pytest.raises(ConflictError) as error:
        services.task_sign_off(task=clause, by=coordinator)

    assert error.value.status_code == HTTPStatus.CONFLICT
    assert "牵头单位市编办尚无审核通过的填报" in str(error.value.message)
    assert not SignOff.objects.exists()


def test_refused_while_the_leads_latest_approved_report_is_not_completed(
    clause, assignment, coordinator, make_report
):
    make_report(assignment, state=APPROVED, **COMPLETED)
    # A later approved report says the work is not finished after all: the latest counts.
    make_report(assignment, state=APPROVED, status="in_progress", percent=80)

    with pytest.raises(ConflictError) as error:
        services.task_sign_off(task=clause, by=coordinator)
    assert "市编办最新审核通过的填报为“推进中 80%”，尚未完成" in str(error.value.message)


def test_a_completed_report_not_yet_approved_does_not_count(
    clause, assignment, coordinator, make_report
):
    make_report(assignment, state=ProgressReport.State.SUBMITTED, **COMPLETED)

    with pytest.raises(ConflictError):
        services.task_sign_off(task=clause, by=coordinator)


def test_signed_off_once_the_lead_reports_completed_whatever_the_supporting_body_says(
    clause, assignment, other_assignment, coordinator, make_report, member, reviewer
):
    make_report(other_assignment, state=APPROVED, status="in_progress", percent=20)
    make_report(assignment, state=APPROVED, **COMPLETED)

    sign_off = services.task_sign_off(task=clause, by=coordinator)

    assert (sign_off.state, sign_off.signed_by) == (SignOff.State.SIGNED, coordinator)
    assert (
        Notification.objects.filter(
            kind=Notification.Kind.SIGNOFF, recipient__in=[member, reviewer]
        ).count()
        == 2
    )
    with pytest.raises(ConflictError):
        services.task_sign_off(task=clause, by=coordinator)


def test_without_a_lead_every_responsible_body_must_report_completed(
    plan, coordinator, make_report
):
    """三(二)2-2 中心镇…规划: 市规划局、市住建局负责 (no lead)."""
    task = Task.objects.get(plan=plan, code="三(二)2-2")
    shares = {a.department.short_name: a for a in Assignment.objects.filter(task=task)}
    assert set(shares) == {"市规划局", "市住建局"}
    make_report(shares["市规划局"], state=APPROVED, **COMPLETED)

    with pytest.raises(ConflictError) as error:
        services.task_sign_off(task=task, by=coordinator)
    assert "负责单位市住建局尚无审核通过的填报" in str(error.value.message)
    assert "市规划局" not in str(error.value.message)

    make_report(shares["市住建局"], state=APPROVED, **COMPLETED)
    assert services.task_sign_off(task=task, by=coordinator).is_signed


def test_only_clauses_are_signed_off(plan, coordinator):
    section = Task.objects.get(plan=plan, code="三(一)")
    assert selectors.sign_off_blockers(task=section) == ["只有责任条款（具体工作任务）可以办结。"]


def test_reopening_needs_a_reason_kept_in_history_and_the_item_can_be_signed_again(
    clause, assignment, coordinator, make_report, member
):
    make_report(assignment, state=APPROVED, **COMPLETED)
    sign_off = services.task_sign_off(task=clause, by=coordinator)

    with pytest.raises(PermissionDenied):
        services.sign_off_reopen(sign_off=sign_off, by=member, reason="想重新打开")
    with pytest.raises(ValidationError) as error:
        services.sign_off_reopen(sign_off=sign_off, by=coordinator, reason=" ")
    assert "reason" in error.value.message_dict

    sign_off = services.sign_off_reopen(
        sign_off=sign_off, by=coordinator, reason="督查发现执法事项未真正下放"
    )
    assert (sign_off.state, sign_off.reopen_reason) == (
        SignOff.State.REOPENED,
        "督查发现执法事项未真正下放",
    )
    with pytest.raises(ConflictError):
        services.sign_off_reopen(sign_off=sign_off, by=coordinator, reason="再次")

    sign_off = services.task_sign_off(task=clause, by=coordinator)
    assert sign_off.is_signed and sign_off.reopen_reason == ""

    reasons = [
        (r.state, r.history_change_reason, r.history_user)
        for r in SignOff.history.filter(id=sign_off.pk).order_by("history_date", "history_id")
    ]
    assert reasons == [
        ("signed", "办结", coordinator),
        ("reopened", "重新打开：督查发现执法事项未真正下放", coordinator),
        ("signed", "重新办结", coordinator),
    ]
    entries = selectors.sign_off_history(sign_off)
    assert any(
        label == "重新打开理由" and new == "督查发现执法事项未真正下放"
        for e in entries
        for label, _old, new in e.changes
    )


# --- API -----------------------------------------------------------------------------------


def test_api_refuses_staff_with_403_and_a_coordinator_with_409_naming_what_is_missing(
    clause, member, coordinator
):
    staff = api_client_for(member).post("/api/v1/sign-offs/", {"task": clause.pk}, format="json")
    bureau = api_client_for(coordinator).post(
        "/api/v1/sign-offs/", {"task": clause.pk}, format="json"
    )

    assert staff.status_code == HTTPStatus.FORBIDDEN
    assert bureau.status_code == HTTPStatus.CONFLICT
    assert bureau.json()["missing"] == ["牵头单位市编办尚无审核通过的填报。"]
    assert "尚不能办结" in bureau.json()["detail"]
    assert not SignOff.objects.exists()


def test_api_signs_off_lists_and_reopens(clause, assignment, coordinator, make_report, member):
    make_report(assignment, state=APPROVED, **COMPLETED)
    client = api_client_for(coordinator)

    created = client.post("/api/v1/sign-offs/", {"task": clause.pk}, format="json")
    assert created.status_code == HTTPStatus.CREATED
    body = created.json()
    assert (body["task"]["code"], body["state"]) == ("三(一)2-1", "signed")

    listed = api_client_for(member).get("/api/v1/sign-offs/?state=signed").json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]

    no_reason = client.post(f"/api/v1/sign-offs/{body['id']}/reopen/", {}, format="json")
    assert no_reason.status_code == HTTPStatus.BAD_REQUEST
    reopened = client.post(
        f"/api/v1/sign-offs/{body['id']}/reopen/", {"reason": "需补充材料"}, format="json"
    )
    assert reopened.json()["state"] == "reopened"
    assert reopened.json()["reopen_reason"] == "需补充材料"


# --- The work item's page ------------------------------------------------------------------


def test_task_page_shows_the_coordinator_why_it_cannot_be_signed_off(clause, coordinator):
    page = browser_for(coordinator).get(f"/tasks/{clause.pk}/").content.decode()

    assert 'data-testid="sign-off-button" disabled' in page
    assert "牵头单位市编办尚无审核通过的填报。" in page


def test_task_page_shows_staff_the_state_but_no_button(
    clause, assignment, coordinator, make_report, member
):
    make_report(assignment, state=APPROVED, **COMPLETED)
    services.task_sign_off(task=clause, by=coordinator)

    page = browser_for(member).get(f"/tasks/{clause.pk}/").content.decode()

    assert 'data-testid="signed"' in page
    assert "sign-off-button" not in page and "reopen-button" not in page


def test_page_sign_off_and_reopen_round_trip(clause, assignment, coordinator, make_report):
    make_report(assignment, state=APPROVED, **COMPLETED)
    client = browser_for(coordinator)

    response = client.post(f"/tasks/{clause.pk}/sign-off/", {"next": f"/tasks/{clause.pk}/"})
    assert response.status_code == HTTPStatus.FOUND
    assert SignOff.objects.get(task=clause).is_signed

    client.post(f"/tasks/{clause.pk}/reopen/", {"reason": "数据有误"})
    assert SignOff.objects.get(task=clause).reopen_reason == "数据有误"


def test_signed_off_task_ids_today_and_as_of_a_day(
    clause, assignment, coordinator, make_report, time_machine
):
    """The dashboard's set of finished items follows the sign-off history, reopenings included."""
    start = timezone.localtime().replace(hour=9, minute=0)
    time_machine.move_to(start, tick=False)
    make_report(assignment, state=APPROVED, **COMPLETED)
    time_machine.shift(timedelta(days=2))
    sign_off = services.task_sign_off(task=clause, by=coordinator)
    time_machine.shift(timedelta(days=3))
    services.sign_off_reopen(sign_off=sign_off, by=coordinator, reason="复查")
    day = start.date()

    def finished(**kwargs):
        return set(Task.objects.filter(pk__in=selectors.signed_off_task_ids(**kwargs)))

    assert finished() == set()
    assert finished(as_of=day) == set()
    assert finished(as_of=day + timedelta(days=3)) == {clause}
    assert finished(as_of=day + timedelta(days=5)) == set()
