"""Writes for reminders (催办/签收), sign-off (办结) and inspections (督查/整改).

Every write checks its actor against supervision.permissions, validates the
row and names the actor in the history (core.services.record_actor). The people
concerned hear of it through notifications.notify (inbox, then e-mail).
"""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import UserRole
from accounts.permissions import acts_for
from core import events
from core.errors import ConflictError, PermissionDenied
from core.services import record_actor, set_m2m
from departments.models import Department, Region
from notifications.models import Notification
from notifications.services import notify
from reports.services import lights_refresh
from tasks.models import Assignment, Plan, Role, Task
from tasks.services import share_create, task_create

from . import permissions, selectors
from .models import TEXT_MAX_LENGTH, Finding, Inspection, Reminder, ReminderState, SignOff

REASON_MAX_LENGTH = 100  # what the history keeps as the reason of a change
INSPECTION_PART_CODE = "督查"
INSPECTION_PART_TITLE = "督查整改"


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    if len(value) > TEXT_MAX_LENGTH:
        raise ValidationError({field: _("不能超过%(n)d个字。") % {"n": TEXT_MAX_LENGTH}})
    return value


def _tasks_lines(assignments) -> str:
    return "\n".join(f"{a.task.code} {a.task.title}" for a in assignments)


# --- Reminders (催办) -------------------------------------------------------------------


@transaction.atomic
def reminder_send(
    *, department: Department, assignments: list[Assignment], message: str, reply_by: date, by
) -> Reminder:
    """Chase one body about some of its shares; its staff and reviewers are notified."""
    if not permissions.can_send_reminder(by):
        raise PermissionDenied(_("只有市民政局协调员可以催办。"))
    message = _text(message, "message", _("请填写催办内容。"))
    assignments = list(assignments)
    if not assignments:
        raise ValidationError({"assignments": _("请至少选择一项催办事项。")})
    # Well-formed requests that clash with how things stand (whose share it is, whether
    # it is still active, today's date) are conflicts (409), not bad input.
    strangers = [a for a in assignments if a.department_id != department.pk]
    if strangers:
        raise ConflictError(
            _("以下事项不由%(body)s承办：%(tasks)s")
            % {
                "body": department.short_name,
                "tasks": "、".join(a.task.code for a in strangers),
            }
        )
    inactive = [a for a in assignments if not a.is_active]
    if inactive:
        raise ConflictError(
            _("以下事项已不再有效：%(tasks)s") % {"tasks": "、".join(a.task.code for a in inactive)}
        )
    if reply_by is None:
        raise ValidationError({"reply_by": _("请填写回复期限。")})
    if reply_by < timezone.localdate():
        raise ConflictError(_("回复期限不能早于今天。"))
    reminder = Reminder(
        department=department,
        message=message,
        reply_by=reply_by,
        sent_by=by,
        sent_at=timezone.now(),
    )
    reminder.full_clean()
    record_actor(reminder, by)
    reminder.save()
    set_m2m(reminder.assignments, assignments, by=by)
    notify(
        recipients=selectors.people_of([department.pk]),
        kind=Notification.Kind.REMINDER,
        title=_("催办：%(n)d项任务，请签收并于%(day)s前回复")
        % {"n": len(assignments), "day": f"{reply_by:%Y-%m-%d}"},
        body=f"{message}\n\n{_tasks_lines(assignments)}",
        url=f"/reminders/{reminder.pk}/",
        key=f"reminder:{reminder.pk}",
    )
    events.event_record(
        kind=events.REMINDER_CREATED,
        department_ids=[department.pk],
        payload={
            "reminder": reminder.pk,
            "assignments": [a.pk for a in assignments],
            "reply_by": reply_by.isoformat(),
        },
    )
    return reminder


@transaction.atomic
def reminders_send(
    *, assignments: list[Assignment], message: str, reply_by: date, by
) -> list[Reminder]:
    """One reminder per body among the chosen shares (a list may cover several bodies)."""
    if not permissions.can_send_reminder(by):
        raise PermissionDenied(_("只有市民政局协调员可以催办。"))
    by_body: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        by_body[assignment.department_id].append(assignment)
    if not by_body:
        raise ValidationError({"assignments": _("请至少选择一项催办事项。")})
    return [
        reminder_send(
            department=shares[0].department,
            assignments=shares,
            message=message,
            reply_by=reply_by,
            by=by,
        )
        for shares in by_body.values()
    ]


def _locked(reminder: Reminder) -> Reminder:
    return (
        Reminder.objects.select_for_update(of=("self",))
        .select_related("department", "sent_by")
        .get(pk=reminder.pk)
    )


@transaction.atomic
def reminder_acknowledge(*, reminder: Reminder, by) -> Reminder:
    """The body signs for the reminder (签收): its staff or reviewers, once."""
    reminder = _locked(reminder)
    if not permissions.can_acknowledge(by, reminder):
        if acts_for(by, reminder.department_id):
            raise ConflictError(_("该催办已签收。"))
        raise PermissionDenied(_("只能签收发给本单位的催办。"))
    reminder.state = ReminderState.ACKNOWLEDGED
    reminder.acknowledged_by = by
    reminder.acknowledged_at = timezone.now()
    reminder.full_clean()
    record_actor(reminder, by)
    reminder.save()
    return reminder


@transaction.atomic
def reminder_reply(*, reminder: Reminder, by, reply: str) -> Reminder:
    """The body answers (回复); answering signs for it too. The sender is notified."""
    reminder = _locked(reminder)
    if not permissions.can_reply(by, reminder):
        if acts_for(by, reminder.department_id):
            raise ConflictError(_("该催办已回复。"))
        raise PermissionDenied(_("只能回复发给本单位的催办。"))
    reply = _text(reply, "reply", _("请填写回复内容。"))
    now = timezone.now()
    if reminder.is_sent:
        reminder.acknowledged_by = by
        reminder.acknowledged_at = now
    reminder.state = ReminderState.REPLIED
    reminder.reply = reply
    reminder.replied_by = by
    reminder.replied_at = now
    reminder.full_clean()
    record_actor(reminder, by)
    reminder.save()
    notify(
        recipients=[reminder.sent_by],
        kind=Notification.Kind.REMINDER,
        title=_("%(body)s已回复催办") % {"body": reminder.department.short_name},
        body=reply,
        url=f"/reminders/{reminder.pk}/",
        key=f"reminder-reply:{reminder.pk}",
    )
    return reminder


def reminders_escalate(*, now: datetime | None = None) -> int:
    """Tell a body's reviewers of reminders left unacknowledged too long (the hourly job).

    "Too long" is REMINDER_ESCALATE_AFTER_HOURS after sending. Each reminder is
    escalated once; a body without a reviewer account gets its sender told
    instead. Returns how many reminders were escalated.
    """
    now = now or timezone.now()
    hours = settings.REMINDER_ESCALATE_AFTER_HOURS
    due = list(
        Reminder.objects.filter(
            state=ReminderState.SENT,
            escalated_at__isnull=True,
            sent_at__lte=now - timedelta(hours=hours),
        )
        .select_related("department", "sent_by")
        .order_by("pk")
    )
    if not due:
        return 0
    reviewers = defaultdict(list)
    for user in selectors.people_of({r.department_id for r in due}, roles=[UserRole.REVIEWER]):
        reviewers[user.department_id].append(user)
    for reminder in due:
        with transaction.atomic():
            _escalate(reminder, reviewers[reminder.department_id], now=now, hours=hours)
    return len(due)


def _escalate(reminder: Reminder, reviewers: list, *, now: datetime, hours: int) -> None:
    body = reminder.department.short_name
    sent = f"{timezone.localtime(reminder.sent_at):%Y-%m-%d %H:%M}"
    if reviewers:
        recipients = reviewers
        title = _("请督促签收：市民政局%(sent)s发给%(body)s的催办逾%(hours)d小时未签收") % {
            "sent": sent,
            "body": body,
            "hours": hours,
        }
        reason = _("逾%(hours)d小时未签收，已通知审核人") % {"hours": hours}
    else:
        recipients = [reminder.sent_by]
        title = _("%(body)s逾%(hours)d小时未签收催办，且该单位没有审核人账号") % {
            "body": body,
            "hours": hours,
        }
        reason = _("逾%(hours)d小时未签收，该单位无审核人，已通知催办人") % {"hours": hours}
    notify(
        recipients=recipients,
        kind=Notification.Kind.REMINDER,
        title=title,
        body=reminder.message,
        url=f"/reminders/{reminder.pk}/",
        key=f"reminder-escalate:{reminder.pk}",
    )
    reminder.escalated_at = now
    record_actor(reminder, None, reason=reason)
    reminder.save(update_fields=["escalated_at", "updated_at"])


# --- Sign-off (办结) --------------------------------------------------------------------


def _tell_bodies(task: Task, *, title: str, key: str, body: str = "") -> None:
    departments = Assignment.objects.filter(task=task, is_active=True).values_list(
        "department_id", flat=True
    )
    notify(
        recipients=selectors.people_of(departments),
        kind=Notification.Kind.SIGNOFF,
        title=title,
        body=body,
        url=f"/tasks/{task.pk}/",
        key=key,
    )


@transaction.atomic
def task_sign_off(*, task: Task, by) -> SignOff:
    """The bureau marks a work item finished (办结), once its answerable bodies report it done.

    Refused (409, naming what is missing) while a lead body's latest approved
    report — or, with no lead, any responsible body's — is not 已完成; see
    selectors.answerable_shares.
    """
    if not permissions.can_sign_off(by):
        raise PermissionDenied(_("只有市民政局协调员可以办结工作任务。"))
    task = Task.objects.select_for_update().get(pk=task.pk)
    sign_off = SignOff.objects.select_for_update().filter(task=task).first()
    if sign_off is not None and sign_off.is_signed:
        raise ConflictError(_("该任务已办结。"))
    missing = selectors.sign_off_blockers(task=task)
    if missing:
        raise ConflictError(
            _("尚不能办结：%(missing)s") % {"missing": "".join(missing)},
            extra={"missing": missing},
        )
    again = sign_off is not None
    sign_off = sign_off or SignOff(task=task)
    sign_off.state = SignOff.State.SIGNED
    sign_off.signed_by = by
    sign_off.signed_at = timezone.now()
    sign_off.reopened_by = None
    sign_off.reopened_at = None
    sign_off.reopen_reason = ""
    sign_off.full_clean()
    record_actor(sign_off, by, reason=_("重新办结") if again else _("办结"))
    sign_off.save()
    _tell_bodies(
        task,
        title=_("工作任务已办结：%(code)s %(title)s") % {"code": task.code, "title": task.title},
        key=f"signoff:{sign_off.pk}:{sign_off.signed_at.isoformat()}",
    )
    events.event_record(
        kind=events.WORK_ITEM_SIGNED_OFF,
        department_ids=Assignment.objects.filter(task=task, is_active=True).values_list(
            "department_id", flat=True
        ),
        payload={"task": task.pk, "code": task.code, "sign_off": sign_off.pk},
    )
    return sign_off


@transaction.atomic
def sign_off_reopen(*, sign_off: SignOff, by, reason: str) -> SignOff:
    """Reopen a finished work item (重新打开); the reason is kept in the history."""
    if not permissions.can_sign_off(by):
        raise PermissionDenied(_("只有市民政局协调员可以重新打开工作任务。"))
    sign_off = (
        SignOff.objects.select_for_update(of=("self",)).select_related("task").get(pk=sign_off.pk)
    )
    if not sign_off.is_signed:
        raise ConflictError(_("该任务未办结，无需重新打开。"))
    reason = _text(reason, "reason", _("重新打开必须填写理由。"))
    sign_off.state = SignOff.State.REOPENED
    sign_off.reopened_by = by
    sign_off.reopened_at = timezone.now()
    sign_off.reopen_reason = reason
    sign_off.full_clean()
    record_actor(
        sign_off,
        by,
        reason=_("重新打开：%(reason)s")
        % {"reason": Truncator(reason).chars(REASON_MAX_LENGTH - 10)},
    )
    sign_off.save()
    task = sign_off.task
    _tell_bodies(
        task,
        title=_("工作任务已重新打开：%(code)s %(title)s")
        % {"code": task.code, "title": task.title},
        body=reason,
        key=f"signoff-reopen:{sign_off.pk}:{sign_off.reopened_at.isoformat()}",
    )
    return sign_off


# --- Inspections (督查) and rectification (整改) ------------------------------------------


def _inspection_part(plan: Plan, by) -> Task:
    """The plan's part "督查整改", made on first use; every inspection is a section under it."""
    part = Task.objects.filter(plan=plan, code=INSPECTION_PART_CODE).first()
    if part is not None:
        return part
    return task_create(
        plan=plan,
        parent=None,
        kind=Task.Kind.PART,
        code=INSPECTION_PART_CODE,
        title=INSPECTION_PART_TITLE,
        text=_("市民政局督查发现的问题及其整改，不属于方案原文。"),
        origin=Task.Origin.INSPECTION,
        by=by,
    )


def _next_inspection_code(plan: Plan, year: int) -> str:
    taken = set(
        Inspection.objects.filter(plan=plan, code__startswith=f"督查{year}-").values_list(
            "code", flat=True
        )
    )
    number = len(taken) + 1
    while f"督查{year}-{number}" in taken:
        number += 1
    return f"督查{year}-{number}"


def _check_places(regions: list[Region]) -> None:
    wrong = [r.name for r in regions if not (r.is_town or r.kind in Region.COUNTY_LEVEL_KINDS)]
    if wrong:
        raise ValidationError(
            {"regions": _("只能选择县(区)或乡镇：%(names)s") % {"names": "、".join(wrong)}}
        )


@transaction.atomic
def inspection_record(
    *,
    plan: Plan,
    inspected_on: date,
    inspectors: str,
    by,
    summary: str = "",
    departments: list[Department] = (),
    regions: list[Region] = (),
    findings: list[dict] = (),
) -> Inspection:
    """Record an inspection; each finding (text, department, deadline, region) becomes a
    rectification item (see `finding_add`)."""
    if not permissions.can_record_inspection(by):
        raise PermissionDenied(_("只有市民政局协调员可以记录督查。"))
    plan = Plan.objects.select_for_update().get(pk=plan.pk)  # one numbering at a time
    if inspected_on is None:
        raise ValidationError({"inspected_on": _("请填写督查日期。")})
    if inspected_on > timezone.localdate():
        raise ValidationError({"inspected_on": _("督查日期不能晚于今天。")})
    inspectors = (inspectors or "").strip()
    if not inspectors:
        raise ValidationError({"inspectors": _("请填写督查人员。")})
    _check_places(list(regions))
    code = _next_inspection_code(plan, inspected_on.year)
    day = f"{inspected_on.year}年{inspected_on.month}月{inspected_on.day}日"
    section = task_create(
        plan=plan,
        parent=_inspection_part(plan, by),
        kind=Task.Kind.SECTION,
        code=code,
        title=_("%(day)s督查") % {"day": day},
        text=(summary or "").strip() or _("%(day)s督查发现的问题") % {"day": day},
        origin=Task.Origin.INSPECTION,
        by=by,
    )
    inspection = Inspection(
        plan=plan,
        code=code,
        inspected_on=inspected_on,
        inspectors=inspectors,
        summary=(summary or "").strip(),
        section=section,
        created_by=by,
    )
    inspection.full_clean()
    record_actor(inspection, by)
    inspection.save()
    set_m2m(inspection.departments, list(departments), by=by)
    set_m2m(inspection.regions, list(regions), by=by)
    for finding in findings:
        finding_add(inspection=inspection, by=by, **finding)
    return inspection


@transaction.atomic
def finding_add(
    *,
    inspection: Inspection,
    text: str,
    department: Department,
    deadline: date,
    by,
    region: Region | None = None,
) -> Finding:
    """A finding becomes a rectification item: a work item under the inspection's section,
    the body's share of it (role 负责) with the deadline, its light computed at once.

    The body then reports on it on its ordinary assignment page, its reviewer
    approves, and the bureau closes it (销号) by signing it off.
    """
    if not permissions.can_record_inspection(by):
        raise PermissionDenied(_("只有市民政局协调员可以记录督查发现。"))
    text = _text(text, "text", _("请填写发现的问题及整改要求。"))
    if department is None:
        raise ValidationError({"department": _("请选择整改单位。")})
    if department.is_collective:
        raise ValidationError({"department": _("整改单位必须是具体单位。")})
    if deadline is None:
        raise ValidationError({"deadline": _("请填写整改时限。")})
    if deadline < inspection.inspected_on:
        raise ValidationError({"deadline": _("整改时限不能早于督查日期。")})
    if region is not None:
        _check_places([region])
    last = inspection.findings.order_by("-number").values_list("number", flat=True).first()
    number = (last or 0) + 1
    code = f"{inspection.code}-{number}"
    task = task_create(
        plan=inspection.plan,
        parent=inspection.section,
        kind=Task.Kind.CLAUSE,
        code=code,
        title=Truncator(text.splitlines()[0]).chars(60),
        text=text,
        origin=Task.Origin.INSPECTION,
        responsibility_text=_("%(body)s负责") % {"body": department.short_name},
        due_date=deadline,
        by=by,
    )
    assignment = share_create(
        task=task, department=department, role=Role.RESPONSIBLE, deadline=deadline, by=by
    )
    finding = Finding(
        inspection=inspection,
        number=number,
        text=text,
        department=department,
        region=region,
        deadline=deadline,
        task=task,
        assignment=assignment,
        created_by=by,
    )
    finding.full_clean()
    record_actor(finding, by)
    finding.save()
    lights_refresh(assignment_ids=[assignment.pk])
    notify(
        recipients=selectors.people_of([department.pk]),
        kind=Notification.Kind.INSPECTION,
        title=_("督查整改事项%(code)s：请于%(day)s前整改并填报")
        % {"code": code, "day": f"{deadline:%Y-%m-%d}"},
        body=text,
        url=f"/assignments/{assignment.pk}/",
        key=f"finding:{finding.pk}",
    )
    return finding
