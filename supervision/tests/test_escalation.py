"""Reminders nobody signs for are escalated to the body's reviewers, once, after a set time.

The clock is frozen and moved with time_machine; the job is run as Celery runs it
(in-process in tests) and directly through its service.
"""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from notifications.models import Notification
from supervision import services
from supervision.models import Reminder
from supervision.tasks import reminders_escalate_task
from tasks.models import Assignment, Responsibility
from tests.factories import DepartmentFactory, UserFactory
from yangquan_tracker.celery import app

pytestmark = pytest.mark.django_db

SENT = "2026-05-11 09:00 +0800"


def escalations(user) -> int:
    return Notification.objects.filter(
        recipient=user, kind=Notification.Kind.REMINDER, key__startswith="reminder-escalate:"
    ).count()


def test_default_is_48_hours_and_the_job_is_due_every_hour():
    assert settings.REMINDER_ESCALATE_AFTER_HOURS == 48
    call_command("ensure_schedules", verbosity=0)
    job = PeriodicTask.objects.get(name="supervision.reminders_escalate")
    assert job.task == "supervision.tasks.reminders_escalate_task" and job.enabled
    assert job.task in app.tasks  # the worker knows it by that name
    for hour in ("03", "14"):
        last_run = datetime.fromisoformat(f"2026-05-11 {hour}:05:00+08:00") - timedelta(hours=1)
        with time_machine.travel(f"2026-05-11 {hour}:04:30 +0800", tick=False):
            assert not job.schedule.is_due(last_run).is_due
        with time_machine.travel(f"2026-05-11 {hour}:05:10 +0800", tick=False):
            assert job.schedule.is_due(last_run).is_due


def test_unacknowledged_reminder_goes_to_the_reviewers_after_48_hours_once(
    time_machine, send_reminder, member, reviewer, coordinator
):
    time_machine.move_to(SENT, tick=False)
    reminder = send_reminder()

    time_machine.shift(timedelta(hours=47, minutes=59))
    assert reminders_escalate_task.delay().get() == 0
    assert escalations(reviewer) == 0

    time_machine.shift(timedelta(minutes=1))
    assert reminders_escalate_task.delay().get() == 1
    reminder.refresh_from_db()
    assert reminder.escalated_at == timezone.now()
    assert escalations(reviewer) == 1
    assert escalations(member) == 0  # staff already have the reminder; reviewers are told
    assert escalations(coordinator) == 0

    time_machine.shift(timedelta(hours=5))
    assert reminders_escalate_task.delay().get() == 0
    assert escalations(reviewer) == 1

    record = Reminder.history.filter(id=reminder.pk).latest("history_date")
    assert record.history_user is None
    assert record.history_change_reason == "逾48小时未签收，已通知审核人"


def test_acknowledged_or_answered_reminders_are_not_escalated(
    time_machine, send_reminder, member, reviewer
):
    time_machine.move_to(SENT, tick=False)
    acknowledged = send_reminder()
    answered = send_reminder()
    services.reminder_acknowledge(reminder=acknowledged, by=member)
    services.reminder_reply(reminder=answered, by=member, reply="已落实")

    time_machine.shift(timedelta(days=10))
    assert services.reminders_escalate() == 0
    assert escalations(reviewer) == 0


def test_the_time_is_a_setting(time_machine, settings, send_reminder, reviewer):
    settings.REMINDER_ESCALATE_AFTER_HOURS = 4
    time_machine.move_to(SENT, tick=False)
    send_reminder()

    time_machine.shift(timedelta(hours=3))
    assert services.reminders_escalate() == 0
    time_machine.shift(timedelta(hours=1))
    assert services.reminders_escalate() == 1
    assert (
        "逾4小时未签收"
        in Notification.objects.get(recipient=reviewer, key__startswith="reminder-escalate:").title
    )


def test_a_body_without_a_reviewer_account_gets_its_sender_told(
    time_machine, coordinator, assignment
):
    time_machine.move_to(SENT, tick=False)
    lonely = DepartmentFactory(short_name="无审核人的单位")
    UserFactory(role="staff", department=lonely)
    responsibility = Responsibility.objects.create(
        task=assignment.task, department=lonely, role="support", written_as="无审核人的单位"
    )
    share = Assignment.objects.create(
        task=assignment.task,
        department=lonely,
        role="support",
        responsibility=responsibility,
        deadline=assignment.deadline,
    )
    services.reminder_send(
        department=lonely,
        assignments=[share],
        message="请报送",
        reply_by=timezone.localdate() + timedelta(days=7),
        by=coordinator,
    )

    time_machine.shift(timedelta(hours=49))
    assert services.reminders_escalate() == 1
    assert escalations(coordinator) == 1
