"""Reads for reminders, sign-offs and inspections; the figures the dashboard shows.

For the layers above (dashboard, summaries, public page), the stable entry points are:

- `reminders_overdue_reply(*, as_of=None, department_id=None) -> QuerySet[Reminder]`
- `open_findings(queryset_of_assignments=None, *, as_of=None) -> QuerySet[Finding]`
- `open_findings_count(queryset_of_assignments=None, *, as_of=None) -> int`
- `signed_off_task_ids(*, as_of=None) -> QuerySet` (of task ids, for `task_id__in=`)

Each is one query (or a lazy queryset to filter further), whatever the size.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import REPORTING_ROLES, acts_for
from core.history import HistoryEntry, timeline
from reports.models import ProgressReport
from reports.selectors import assignment_list
from tasks.models import Assignment, Role, Task

from . import permissions
from .models import Finding, Inspection, Reminder, ReminderState, SignOff, SignOffState

OPEN_REMINDER_STATES = (ReminderState.SENT, ReminderState.ACKNOWLEDGED)


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def people_of(department_ids, *, roles=REPORTING_ROLES):
    """Active staff and reviewers (or `roles`) of some bodies: who hears of their reminders."""
    return get_user_model().objects.filter(
        department_id__in=list(department_ids), role__in=list(roles), is_active=True
    )


# --- Reminders (催办) ----------------------------------------------------------------


def _reminders() -> QuerySet[Reminder]:
    return Reminder.objects.select_related(
        "department", "sent_by", "acknowledged_by", "replied_by"
    ).prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("task").order_by("task__order"),
        )
    )


def reminder_list(
    *,
    user,
    state: str | None = None,
    department_id: int | None = None,
    overdue: bool = False,
) -> QuerySet[Reminder]:
    """Reminders this user may read, newest first: the bureau and viewers all, a body its own.

    `state` is one of Reminder.State; `overdue` keeps those past their reply-by
    date without a reply.
    """
    queryset = _reminders()
    if not permissions.sees_every_reminder(user):
        if not acts_for(user, user.department_id):
            return queryset.none()
        queryset = queryset.filter(department_id=user.department_id)
    if department_id:
        queryset = queryset.filter(department_id=department_id)
    if state:
        queryset = queryset.filter(state=state)
    if overdue:
        queryset = queryset.filter(
            state__in=OPEN_REMINDER_STATES, reply_by__lt=timezone.localdate()
        )
    return queryset.order_by("-sent_at", "-pk")


def reminders_overdue_reply(
    *, as_of: date | None = None, department_id: int | None = None
) -> QuerySet[Reminder]:
    """Reminders whose reply-by date had passed with no reply, today or as of a day.

    For the bureau's list and the dashboard: `.count()` for the figure, or
    iterate (department, sent_by and the assignments are loaded with them).
    """
    day = as_of or timezone.localdate()
    queryset = _reminders().filter(reply_by__lt=day)
    if as_of is None:
        queryset = queryset.filter(state__in=OPEN_REMINDER_STATES)
    else:
        end = _end_of(as_of)
        queryset = queryset.filter(sent_at__lte=end).filter(
            Q(replied_at__isnull=True) | Q(replied_at__gt=end)
        )
    if department_id:
        queryset = queryset.filter(department_id=department_id)
    return queryset.order_by("reply_by", "pk")


def reminders_open_for(*, user) -> QuerySet[Reminder]:
    """The reminders a body has not answered yet, those to sign for first: shown at home."""
    if not acts_for(user, user.department_id):
        return Reminder.objects.none()
    return (
        _reminders()
        .filter(department_id=user.department_id, state__in=OPEN_REMINDER_STATES)
        .annotate(to_sign=Case(When(state=ReminderState.SENT, then=Value(0)), default=Value(1)))
        .order_by("to_sign", "reply_by", "pk")
    )


def reminders_for_assignment(*, assignment: Assignment, user) -> QuerySet[Reminder]:
    """Reminders about one share, as far as this user may see them."""
    return reminder_list(user=user).filter(assignments=assignment)


def reminder_history(reminder: Reminder) -> list[HistoryEntry]:
    """Who sent, acknowledged, replied, and when the reviewers were told (system)."""
    return timeline(
        [
            (
                Reminder.history.filter(id=reminder.pk),
                lambda r: _("催办"),
            )
        ],
        include_system=True,
    )


# --- Sign-off (办结) -------------------------------------------------------------------


def sign_off_of(task: Task) -> SignOff | None:
    return SignOff.objects.filter(task=task).select_related("signed_by", "reopened_by").first()


def sign_off_list() -> QuerySet[SignOff]:
    return SignOff.objects.select_related("task__plan", "signed_by", "reopened_by").order_by(
        "-signed_at", "-pk"
    )


def sign_off_history(sign_off: SignOff) -> list[HistoryEntry]:
    return timeline([(SignOff.history.filter(id=sign_off.pk), lambda r: _("办结"))])


def answerable_shares(task: Task) -> tuple[str, list[Assignment]]:
    """The shares whose reports decide whether a work item is finished, and which role they are.

    The lead bodies (牵头) when the item has any; where it has none (only 负责
    bodies, e.g. most county items and every rectification item) every
    responsible body; where it has neither, every body with a share.
    Inactive shares do not count.
    """
    shares = list(
        Assignment.objects.filter(task=task, is_active=True)
        .select_related("department", "progress__approved_report")
        .order_by("department__order", "pk")
    )
    for role in (Role.LEAD, Role.RESPONSIBLE):
        chosen = [a for a in shares if a.role == role]
        if chosen:
            return role, chosen
    return "", shares


def _approved_report(assignment: Assignment) -> ProgressReport | None:
    try:
        return assignment.progress.approved_report
    except ObjectDoesNotExist:
        return None


SIGN_OFF_BLOCKERS_SHOWN = 10  # bodies named on the page; the rest are counted


def sign_off_blockers(*, task: Task) -> list[str]:
    """Why a work item may not be signed off yet, in Chinese; empty when it may be.

    Each answerable body (see `answerable_shares`) must have its latest
    approved report say 已完成. The first few bodies that have not are named,
    the others counted: a clause every county answers for has thousands of
    shares, and the check reads them in SQL, not in Python.
    """
    if not task.is_clause:
        return [_("只有责任条款（具体工作任务）可以办结。")]
    active = Assignment.objects.filter(task=task, is_active=True)
    roles = set(active.values_list("role", flat=True).distinct().order_by())
    if not roles:
        return [_("该任务尚未分解到具体单位，无法办结。")]
    role = next((r for r in (Role.LEAD, Role.RESPONSIBLE) if r in roles), "")
    shares = active.filter(role=role) if role else active
    blocking = shares.exclude(progress__approved_report__status=ProgressReport.Status.COMPLETED)
    total = blocking.count()
    if not total:
        return []
    label = Role(role).label if role else _("承办")
    missing = []
    for share in blocking.select_related("department", "progress__approved_report").order_by(
        "department__order", "pk"
    )[:SIGN_OFF_BLOCKERS_SHOWN]:
        report = _approved_report(share)
        body = share.department.short_name
        if report is None:
            missing.append(
                _("%(role)s单位%(body)s尚无审核通过的填报。") % {"role": label, "body": body}
            )
        else:
            missing.append(
                _("%(role)s单位%(body)s最新审核通过的填报为“%(status)s %(percent)d%%”，尚未完成。")
                % {
                    "role": label,
                    "body": body,
                    "status": report.get_status_display(),
                    "percent": report.percent,
                }
            )
    if total > len(missing):
        missing.append(
            _("另有%(n)d个%(role)s单位尚未完成。") % {"n": total - len(missing), "role": label}
        )
    return missing


def _signed_state_on(task_ref, day: date):
    """The sign-off state of a work item at the end of `day`, from the sign-off history."""
    return Subquery(
        SignOff.history.filter(task_id=task_ref, history_date__lte=_end_of(day))
        .order_by("-history_date", "-history_id")
        .values("state")[:1]
    )


def signed_off_task_ids(*, as_of: date | None = None) -> QuerySet:
    """Ids of the work items signed off (办结) today, or as of a day: for `task_id__in=`."""
    if as_of is None:
        return SignOff.objects.filter(state=SignOffState.SIGNED).values("task_id")
    return (
        Task.objects.annotate(signed=_signed_state_on(OuterRef("pk"), as_of))
        .filter(signed=SignOffState.SIGNED)
        .values("pk")
    )


# --- Inspections (督查) and rectification (整改) ----------------------------------------


def inspection_list(*, as_of: date | None = None) -> QuerySet[Inspection]:
    """Inspections newest first (those recorded by `as_of`), with their plan and bodies."""
    queryset = Inspection.objects.select_related("plan", "created_by", "section").prefetch_related(
        "departments", "regions"
    )
    if as_of is not None:
        queryset = queryset.filter(created_at__lte=_end_of(as_of))
    return queryset.order_by("-inspected_on", "-pk")


def finding_list(as_of: date | None = None) -> QuerySet[Finding]:
    """Findings with `closed` (signed off) as of the day, and what they concern."""
    queryset = Finding.objects.select_related(
        "inspection", "department", "region", "task", "assignment"
    )
    if as_of is None:
        closed = Exists(
            SignOff.objects.filter(task_id=OuterRef("task_id"), state=SignOffState.SIGNED)
        )
        return queryset.annotate(closed=closed)
    return queryset.filter(created_at__lte=_end_of(as_of)).annotate(
        signed_state=_signed_state_on(OuterRef("task_id"), as_of),
        closed=Case(
            When(signed_state=SignOffState.SIGNED, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def open_findings(
    queryset_of_assignments: QuerySet[Assignment] | None = None, *, as_of: date | None = None
) -> QuerySet[Finding]:
    """Findings not closed (销号) yet, today or as of a day, oldest deadline first.

    `queryset_of_assignments` narrows them to rectification items among those
    assignments (e.g. one body's, or one county's); each row carries
    `closed=False` and its inspection, body, place, task and assignment.
    """
    queryset = finding_list(as_of).filter(closed=False)
    if queryset_of_assignments is not None:
        queryset = queryset.filter(assignment__in=queryset_of_assignments.values("pk"))
    return queryset.order_by("deadline", "inspection_id", "number")


def open_findings_count(
    queryset_of_assignments: QuerySet[Assignment] | None = None, *, as_of: date | None = None
) -> int:
    """How many findings are not closed: the dashboard's figure (one query)."""
    return open_findings(queryset_of_assignments, as_of=as_of).count()


def finding_counts(inspection_ids: list[int], *, as_of: date | None = None) -> dict:
    """inspection id -> (findings, open findings), for a page of inspections (one query)."""
    rows = (
        finding_list(as_of)
        .filter(inspection_id__in=inspection_ids)
        .values("inspection_id")
        .annotate(total=Count("pk"), open=Count("pk", filter=Q(closed=False)))
        .order_by()
    )
    return {row["inspection_id"]: (row["total"], row["open"]) for row in rows}


@dataclass
class FindingRow:
    finding: Finding
    assignment: Assignment  # with `light` and the shown report (reports.selectors.assignment_list)
    closed: bool

    @property
    def closable(self) -> bool:
        """Its body's latest approved report says completed: the bureau may close it (销号)."""
        return not self.closed and (
            self.assignment.approved_status == ProgressReport.Status.COMPLETED
        )


def finding_rows(*, inspection: Inspection, user, as_of: date | None = None) -> list[FindingRow]:
    """An inspection's findings with their light, latest report and whether they are closed."""
    findings = list(finding_list(as_of).filter(inspection=inspection).order_by("number"))
    shares = {
        a.pk: a
        for a in assignment_list(user=user, as_of=as_of).filter(
            pk__in=[f.assignment_id for f in findings]
        )
    }
    return [FindingRow(f, shares[f.assignment_id], bool(f.closed)) for f in findings]


def inspection_history(inspection: Inspection) -> list[HistoryEntry]:
    return timeline(
        [
            (Inspection.history.filter(id=inspection.pk), lambda r: _("督查记录")),
            (
                Finding.history.filter(inspection_id=inspection.pk),
                lambda r: _("督查发现 %(n)d") % {"n": r.number},
            ),
        ]
    )
