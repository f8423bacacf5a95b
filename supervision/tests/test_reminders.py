"""Reminders (催办): sent by the bureau, signed for (签收) and answered (回复) by the body."""

from datetime import date
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError

from accounts.models import UserRole
from core.errors import ConflictError, PermissionDenied
from notifications.models import Notification
from supervision import selectors, services
from supervision.models import Reminder
from tasks.models import Assignment
from tests.factories import UserFactory

from .conftest import api_client_for, browser_for, in_days

pytestmark = pytest.mark.django_db


def test_a_reminder_reaches_the_bodys_staff_and_reviewers_inbox(
    send_reminder, member, reviewer, other_staff, coordinator
):
    reminder = send_reminder(message="请于月底前报送执法改革进展。")

    notified = set(
        Notification.objects.filter(kind=Notification.Kind.REMINDER).values_list(
            "recipient__username", flat=True
        )
    )
    assert notified == {member.username, reviewer.username}
    note = Notification.objects.filter(recipient=member).get()
    assert note.url == f"/reminders/{reminder.pk}/"
    assert "三(一)2-1" in note.body and "请于月底前报送执法改革进展。" in note.body
    assert reminder.is_sent and reminder.sent_by == coordinator


def test_only_coordinators_send_reminders(assignment, member, viewer):
    for user in (member, viewer):
        with pytest.raises(PermissionDenied):
            services.reminder_send(
                department=assignment.department,
                assignments=[assignment],
                message="催办",
                reply_by=in_days(3),
                by=user,
            )
    assert not Reminder.objects.exists()


def test_every_assignment_of_a_reminder_belongs_to_its_body(
    coordinator, assignment, other_assignment
):
    with pytest.raises(ConflictError) as error:
        services.reminder_send(
            department=assignment.department,
            assignments=[assignment, other_assignment],
            message="催办",
            reply_by=in_days(3),
            by=coordinator,
        )
    assert "三(一)2-1" in str(error.value.message)
    assert not Reminder.objects.exists()


def test_reply_by_may_not_be_in_the_past(send_reminder):
    with pytest.raises(ConflictError, match="回复期限不能早于今天"):
        send_reminder(reply_by=in_days(-1))
    assert not Reminder.objects.exists()


def test_an_empty_message_is_refused(send_reminder):
    with pytest.raises(ValidationError) as error:
        send_reminder(message="  ")
    assert "message" in error.value.message_dict


def test_one_list_chasing_several_bodies_makes_one_reminder_per_body(
    coordinator, assignment, other_assignment
):
    sent = services.reminders_send(
        assignments=[assignment, other_assignment],
        message="请报送进展",
        reply_by=in_days(5),
        by=coordinator,
    )

    assert {(r.department.short_name, r.assignments.get().pk) for r in sent} == {
        ("市编办", assignment.pk),
        ("市政府法制办", other_assignment.pk),
    }


def test_staff_acknowledge_then_reply_and_the_sender_hears_of_the_reply(
    send_reminder, member, reviewer, coordinator
):
    reminder = send_reminder()

    reminder = services.reminder_acknowledge(reminder=reminder, by=member)
    assert (reminder.state, reminder.acknowledged_by) == (Reminder.State.ACKNOWLEDGED, member)
    with pytest.raises(ConflictError):
        services.reminder_acknowledge(reminder=reminder, by=reviewer)

    reminder = services.reminder_reply(reminder=reminder, by=reviewer, reply="已部署，月底报送。")
    assert (reminder.state, reminder.reply, reminder.replied_by) == (
        Reminder.State.REPLIED,
        "已部署，月底报送。",
        reviewer,
    )
    assert reminder.acknowledged_by == member  # the first receipt stands
    assert Notification.objects.filter(
        recipient=coordinator, key=f"reminder-reply:{reminder.pk}"
    ).exists()


def test_replying_signs_for_a_reminder_not_yet_acknowledged(send_reminder, reviewer):
    reminder = services.reminder_reply(reminder=send_reminder(), by=reviewer, reply="收到")

    assert reminder.is_replied and reminder.acknowledged_by == reviewer
    assert reminder.acknowledged_at == reminder.replied_at


def test_another_body_and_the_bureau_cannot_acknowledge_or_reply(
    send_reminder, other_staff, coordinator, viewer
):
    reminder = send_reminder()
    for user in (other_staff, coordinator, viewer):
        with pytest.raises(PermissionDenied):
            services.reminder_acknowledge(reminder=reminder, by=user)
        with pytest.raises(PermissionDenied):
            services.reminder_reply(reminder=reminder, by=user, reply="代为回复")
    reminder.refresh_from_db()
    assert reminder.is_sent and reminder.reply == ""


def test_every_change_of_a_reminder_is_in_its_history_with_who_did_it(
    send_reminder, member, reviewer, coordinator
):
    reminder = send_reminder()
    services.reminder_acknowledge(reminder=reminder, by=member)
    services.reminder_reply(reminder=reminder, by=reviewer, reply="已落实")

    rows = [
        (r.state, r.history_user)
        for r in Reminder.history.filter(id=reminder.pk).order_by("history_date", "history_id")
    ]
    assert rows[0] == ("sent", coordinator)
    assert set(rows[:-2]) == {("sent", coordinator)}  # created, then its assignments set
    assert rows[-2:] == [("acknowledged", member), ("replied", reviewer)]
    entries = selectors.reminder_history(reminder)
    assert [e.who for e in entries][:2] == [
        reviewer.get_full_name() or reviewer.username,
        member.get_full_name() or member.username,
    ]
    assert any(label == "回复" and new == "已落实" for label, _o, new in entries[0].changes)


def test_overdue_replies_are_those_past_their_date_without_an_answer(
    send_reminder, member, time_machine
):
    time_machine.move_to("2026-03-01 09:00 +0800")
    late = send_reminder(reply_by=in_days(3))
    answered = send_reminder(reply_by=in_days(3))
    services.reminder_reply(reminder=answered, by=member, reply="已办")
    pending = send_reminder(reply_by=in_days(30))
    acknowledged_late = send_reminder(reply_by=in_days(3))
    services.reminder_acknowledge(reminder=acknowledged_late, by=member)

    time_machine.move_to("2026-03-10 09:00 +0800")
    overdue = {r.pk for r in selectors.reminders_overdue_reply()}

    assert overdue == {late.pk, acknowledged_late.pk}
    assert pending.pk not in overdue
    # As it stood on 3 March nothing was overdue yet.
    assert not selectors.reminders_overdue_reply(as_of=date(2026, 3, 3)).exists()
    assert selectors.reminders_overdue_reply(as_of=date(2026, 3, 9)).count() == 2


def test_a_body_sees_only_its_own_reminders_and_the_bureau_and_viewers_all(
    send_reminder, other_assignment, member, other_staff, coordinator, viewer
):
    mine = send_reminder()
    theirs = send_reminder(assignments=[other_assignment])

    def seen(user):
        return {r.pk for r in selectors.reminder_list(user=user)}

    assert seen(member) == {mine.pk}
    assert seen(other_staff) == {theirs.pk}
    assert seen(coordinator) == seen(viewer) == {mine.pk, theirs.pk}
    assert seen(UserFactory(role=UserRole.VIEWER, department=None)) == {mine.pk, theirs.pk}


def test_api_create_refuses_assignments_of_another_body(coordinator, assignment, other_assignment):
    response = api_client_for(coordinator).post(
        "/api/v1/reminders/",
        {
            "department": assignment.department_id,
            "assignments": [assignment.pk, other_assignment.pk],
            "message": "催办",
            "reply_by": in_days(2).isoformat(),
        },
        format="json",
    )

    assert response.status_code == HTTPStatus.CONFLICT  # well-formed, but another body's share
    assert "市编办" in response.json()["detail"]
    assert not Reminder.objects.exists()


def test_api_round_trip_send_list_acknowledge_reply(coordinator, member, assignment):
    bureau, body = api_client_for(coordinator), api_client_for(member)
    created = bureau.post(
        "/api/v1/reminders/",
        {
            "department": assignment.department_id,
            "assignments": [assignment.pk],
            "message": "请报送进展",
            "reply_by": in_days(2).isoformat(),
        },
        format="json",
    )
    assert created.status_code == HTTPStatus.CREATED, created.json()
    pk = created.json()["id"]
    assert created.json()["state"] == "sent"
    assert created.json()["assignments"][0]["task"]["code"] == "三(一)2-1"

    listed = body.get("/api/v1/reminders/?state=sent").json()
    assert [r["id"] for r in listed["results"]] == [pk]

    assert body.post(f"/api/v1/reminders/{pk}/acknowledge/").json()["state"] == "acknowledged"
    second = body.post(f"/api/v1/reminders/{pk}/acknowledge/")
    assert second.status_code == HTTPStatus.CONFLICT
    replied = body.post(f"/api/v1/reminders/{pk}/reply/", {"reply": "已报送"}, format="json")
    assert replied.json()["state"] == "replied" and replied.json()["reply"] == "已报送"

    by_state = bureau.get(
        f"/api/v1/reminders/?department={assignment.department_id}&state=replied"
    ).json()
    assert [r["id"] for r in by_state["results"]] == [pk]


def test_reminder_page_shows_the_history_of_the_reminder(send_reminder, member):
    reminder = send_reminder()
    services.reminder_acknowledge(reminder=reminder, by=member)

    page = browser_for(member).get(f"/reminders/{reminder.pk}/")

    assert page.status_code == HTTPStatus.OK
    assert "签收：王晓明 ·" in page.content.decode()
    verbs = [(e.who, e.verb) for e in page.context["history"]]
    assert verbs[0] == ("王晓明", "修改") and verbs[-1][1] == "创建"


def test_new_reminder_page_lists_the_chosen_assignments_checked(coordinator, assignment, body):
    others = list(
        Assignment.objects.filter(department=body, is_active=True)
        .exclude(pk=assignment.pk)
        .values_list("pk", flat=True)[:2]
    )
    ids = ",".join(str(pk) for pk in [assignment.pk, *others]) + ",x,"

    page = browser_for(coordinator).get(f"/reminders/new/?assignments={ids}")

    assert page.status_code == HTTPStatus.OK
    assert {a.pk for a in page.context["candidates"]} == {assignment.pk, *others}
    assert page.context["chosen"] == {assignment.pk, *others}


def test_new_reminder_page_sends_and_shows_the_reminder(coordinator, assignment, member):
    client = browser_for(coordinator)
    response = client.post(
        f"/reminders/new/?assignments={assignment.pk}",
        {"assignments": [assignment.pk], "message": "请报送进展", "reply_by": in_days(3)},
    )

    reminder = Reminder.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/reminders/{reminder.pk}/"
    assert list(reminder.assignments.all()) == [assignment]


def test_new_reminder_page_with_a_past_date_says_so_and_sends_nothing(coordinator, assignment):
    response = browser_for(coordinator).post(
        f"/reminders/new/?assignments={assignment.pk}",
        {"assignments": [assignment.pk], "message": "请报送进展", "reply_by": in_days(-2)},
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "回复期限不能早于今天" in response.content.decode()
    assert not Reminder.objects.exists()
