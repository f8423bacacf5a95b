"""Reminders and inspections as ledgers (任务台账, core.ledger): one row per share concerned.

Each row is a share (assignment) with its approved progress and light, then the
columns of the list it comes from (催办: body, sent, reply-by, state; 督查:
inspection date, finding, body, closed). A fixed number of queries.
"""

from datetime import date

from django.db.models import F, QuerySet

from core.ledger import LedgerRow, ledger_response
from reports.lights import Light
from reports.models import ProgressReport
from reports.selectors import assignment_list
from tasks.models import Assignment, Responsibility, Role

from .models import Finding, Reminder

REMINDER_COLUMNS = [("被催办单位", 16), ("催办时间", 17), ("回复期限", 12), ("催办状态", 12)]
FINDING_COLUMNS = [("督查日期", 12), ("督查发现", 40), ("整改单位", 16), ("是否销号", 9)]


def _shares(ids, *, as_of: date | None) -> dict[int, Assignment]:
    """The shares with light and approved report (only approved: the ledger is shared)."""
    return {
        a.pk: a
        for a in assignment_list(user=None, as_of=as_of)
        .filter(pk__in=list(ids))
        .annotate(
            approved_progress=F("progress__approved_report__progress"),
            approved_problems=F("progress__approved_report__problems"),
        )
    }


def _bodies(task_ids) -> dict[int, dict[str, list[str]]]:
    bodies: dict[int, dict[str, list[str]]] = {}
    for r in (
        Responsibility.objects.filter(task_id__in=list(task_ids))
        .order_by("task_id", "order")
        .values("task_id", "role", "written_as")
    ):
        bodies.setdefault(r["task_id"], {}).setdefault(r["role"], []).append(r["written_as"])
    return bodies


def ledger_row(a: Assignment, bodies: dict, extra: list) -> LedgerRow:
    named = bodies.get(a.task_id, {})
    if a.role == Role.SUPPORT:
        lead = "、".join(named.get(Role.LEAD, []) or named.get(Role.RESPONSIBLE, []))
        support = a.department.short_name
    else:
        lead, support = a.department.short_name, "、".join(named.get(Role.SUPPORT, []))
    status = a.approved_status or ProgressReport.Status.NOT_STARTED
    return LedgerRow(
        code=a.task.code,
        title=a.task.title,
        lead=lead,
        support=support,
        deadline=a.deadline,
        status=str(ProgressReport.Status(status).label),
        percent=a.approved_percent,
        light=str(Light(a.light).label) if a.light else "",
        progress=a.approved_progress or "",
        problems=a.approved_problems or "",
        extra=extra,
    )


def reminders_ledger(reminders: QuerySet[Reminder]):
    reminders = list(reminders)
    pairs = [(r, a) for r in reminders for a in r.assignments.all()]
    shares = _shares({a.pk for _r, a in pairs}, as_of=None)
    bodies = _bodies({a.task_id for _r, a in pairs})
    rows = []
    for reminder, a in pairs:
        extra = [
            reminder.department.short_name,
            reminder.sent_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            reminder.reply_by,
            str(reminder.get_state_display()),
        ]
        rows.append(ledger_row(shares[a.pk], bodies, extra))
    return ledger_response(
        rows, filename="催办台账.xlsx", sheet_title="催办台账", extra_columns=REMINDER_COLUMNS
    )


def findings_ledger(findings: QuerySet[Finding], *, as_of: date | None):
    findings = list(findings)
    shares = _shares({f.assignment_id for f in findings}, as_of=as_of)
    bodies = _bodies({f.task_id for f in findings})
    rows = [
        ledger_row(
            shares[f.assignment_id],
            bodies,
            [
                f.inspection.inspected_on,
                f.text,
                f.department.short_name,
                "是" if f.closed else "否",
            ],
        )
        for f in findings
    ]
    return ledger_response(
        rows,
        filename="督查整改台账.xlsx",
        sheet_title="督查整改台账",
        extra_columns=FINDING_COLUMNS,
    )
