"""Writes for reporting periods, progress reports, evidence and the lights.

Every write checks the actor against reports.permissions, validates the row
and records who did it (core.services.record_actor) in the history. Reports are
never deleted; evidence is only hidden (removed_at). Each report belongs to one
reporting period; a closed (locked) period refuses every change, approval and
return included, until a coordinator reopens it with a reason.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_coordinator
from core import events
from core.errors import ConflictError, PermissionDenied
from core.evidence import evidence_upload_check
from core.services import record_actor
from core.uploads import store_with_row
from milestones.services import milestones_load
from notifications.models import Notification
from notifications.services import notify
from tasks.models import Assignment, Plan, Task
from tasks.services import plan_load_from_fixtures, read_plan_fixture

from . import permissions
from .lights import Approval, Light, LightRule, PeriodDue, light_timeline
from .models import (
    AssignmentProgress,
    Evidence,
    LightSpan,
    ProgressReport,
    ReportingPeriod,
)

evidence_log = logging.getLogger("yangquan.evidence")

EVIDENCE_DIR = "evidence"  # reports.models.evidence_upload_to
ORPHAN_BATCH = 500
NO_VERSION = 0  # versions start at 1: a request that names none matches no report
EDITABLE_FIELDS = ("status", "percent", "progress", "problems", "next_steps")
REASON_MAX_LENGTH = 100  # what the history keeps as the reason of a change

# --- Loading a plan ------------------------------------------------------------


@transaction.atomic
def plan_load(*, fixtures_dir, plan_file: str) -> dict:
    """Everything a plan fixture holds, then its periods up to today and its lights.

    All or nothing, and idempotent: a second load changes nothing.
    """
    data = read_plan_fixture(fixtures_dir=fixtures_dir, plan_file=plan_file)
    plan, changed = plan_load_from_fixtures(fixtures_dir=fixtures_dir, data=data)
    changed["milestones"] = milestones_load(plan=plan, milestones=data.get("milestones", []))
    periods = periods_ensure(plan=plan)
    changed["periods"] = len(periods)
    if periods:
        changed["lights"] = lights_refresh(plan_ids=[plan.pk])
    else:
        changed["lights"] = lights_refresh(plan_ids=[plan.pk], stale_only=True)
    return changed


# --- Reporting periods ---------------------------------------------------------


def half_year_of(day: date) -> tuple[str, str, date, date]:
    """(code, title, first day, last day) of the half-year containing `day`."""
    if day.month <= 6:
        return f"{day.year}H1", f"{day.year}年上半年", date(day.year, 1, 1), date(day.year, 6, 30)
    return f"{day.year}H2", f"{day.year}年下半年", date(day.year, 7, 1), date(day.year, 12, 31)


def period_for(*, plan_id: int, on: date | None = None) -> ReportingPeriod | None:
    """The period a report made on `on` belongs to.

    Between a half-year's end and its submission deadline, bodies report on
    that half-year: it takes the report while it is open. Otherwise the report
    belongs to the half-year containing the day.
    """
    on = on or timezone.localdate()
    candidates = list(
        ReportingPeriod.objects.filter(plan_id=plan_id, starts_on__lte=on, due_on__gte=on).order_by(
            "starts_on"
        )
    )
    for period in candidates:
        if not period.is_locked:
            return period
    return next((p for p in candidates if p.ends_on >= on), None)


def _period_new(plan: Plan, day: date, *, today: date) -> ReportingPeriod:
    code, title, starts, ends = half_year_of(day)
    due = ends + timedelta(days=settings.REPORTING_PERIOD_DUE_DAYS)
    period = ReportingPeriod(
        plan=plan,
        code=code,
        title=title,
        starts_on=starts,
        ends_on=ends,
        due_on=due,
        # A half-year whose deadline passed before it was created takes no reports.
        is_locked=due < today,
    )
    period.full_clean()
    record_actor(period, None, reason=_("按半年自动生成"))
    period.save()
    return period


@transaction.atomic
def periods_ensure(*, plan: Plan, until: date | None = None) -> list[ReportingPeriod]:
    """Every half-year from the plan's start to `until` (default: today) exists; returns new ones."""
    today = timezone.localdate()
    until = until or today
    have = set(plan.reporting_periods.values_list("code", flat=True))
    created = []
    day = plan.starts_on
    while day <= until:
        code, _title, _starts, ends = half_year_of(day)
        if code not in have:
            created.append(_period_new(plan, day, today=today))
        day = ends + timedelta(days=1)
    return created


def _next_period(period: ReportingPeriod) -> ReportingPeriod:
    following = (
        ReportingPeriod.objects.filter(plan_id=period.plan_id, starts_on__gt=period.ends_on)
        .order_by("starts_on")
        .first()
    )
    if following is None:
        following = _period_new(
            period.plan, period.ends_on + timedelta(days=1), today=timezone.localdate()
        )
        following.is_locked = False  # it takes what is carried into it
        following.save(update_fields=["is_locked"])
    return following


def _check_coordinator(by) -> None:
    if by is not None and not is_coordinator(by):
        raise PermissionDenied(_("只有市民政局协调员可以关闭或重新开放报告期。"))


@transaction.atomic
def period_close(*, period: ReportingPeriod, by=None) -> list[ProgressReport]:
    """Lock a period. What is left open is carried into the next period, text and all.

    A draft or returned report continues as a draft there; a submitted one stays
    submitted, so its reviewer still finds it. The old row keeps its text and
    becomes `carried`; both histories say so. Returns the new reports.
    """
    _check_coordinator(by)
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_locked:
        return []
    following = _next_period(period)
    carried = []
    open_reports = (
        ProgressReport.objects.select_for_update()
        .filter(period=period, state__in=ProgressReport.OPEN_STATES)
        .order_by("pk")
    )
    taken = set(
        ProgressReport.objects.filter(
            period=following, state__in=ProgressReport.OPEN_STATES
        ).values_list("assignment_id", flat=True)
    )
    for old in open_reports:
        if old.assignment_id not in taken:
            carried.append(_carry(old, following, by))
        old.state = ProgressReport.State.CARRIED
        old.version += 1
        record_actor(
            old,
            by,
            reason=_("报告期关闭，结转至%(period)s") % {"period": following.title},
        )
        old.save(update_fields=["state", "version", "updated_at"])
    period.is_locked = True
    record_actor(period, by, reason=_("关闭报告期"))
    period.save(update_fields=["is_locked", "updated_at"])
    return carried


def _carry(old: ProgressReport, following: ReportingPeriod, by) -> ProgressReport:
    new = ProgressReport(
        assignment_id=old.assignment_id,
        period=following,
        status=old.status,
        percent=old.percent,
        progress=old.progress,
        problems=old.problems,
        next_steps=old.next_steps,
        state=(ProgressReport.State.SUBMITTED if old.is_submitted else ProgressReport.State.DRAFT),
        submitted_at=old.submitted_at if old.is_submitted else None,
        submitted_by_id=old.submitted_by_id if old.is_submitted else None,
        carried_from=old,
        created_by_id=old.created_by_id,
        updated_by_id=old.updated_by_id,
    )
    record_actor(new, by, reason=_("结转自%(period)s") % {"period": old.period.title})
    new.save()
    _progress_set(new)
    return new


@transaction.atomic
def period_reopen(*, period: ReportingPeriod, by, reason: str) -> ReportingPeriod:
    """Open a closed period again (补报); the reason is kept in its history."""
    _check_coordinator(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("重新开放报告期必须填写理由。")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("理由不能超过%(n)d个字。") % {"n": REASON_MAX_LENGTH}})
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if not period.is_locked:
        raise ConflictError(_("该报告期未关闭。"))
    period.is_locked = False
    record_actor(period, by, reason=_("重新开放：%(reason)s") % {"reason": reason})
    period.save(update_fields=["is_locked", "updated_at"])
    return period


def periods_close_due(*, today: date | None = None) -> list[ReportingPeriod]:
    """Close every open period whose submission deadline has passed (the daily job)."""
    today = today or timezone.localdate()
    closed = []
    for period in ReportingPeriod.objects.filter(is_locked=False, due_on__lt=today).order_by(
        "starts_on"
    ):
        period_close(period=period, by=None)
        closed.append(period)
    return closed


# --- Progress reports ----------------------------------------------------------


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("不能填写这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})


def _check_period_open(period: ReportingPeriod) -> None:
    if period.is_locked:
        raise ConflictError(
            _("报告期“%(period)s”已关闭，不能再填报或审核。如需补报，请联系市民政局重新开放。")
            % {"period": period.title}
        )


def _validate(report: ProgressReport) -> None:
    # The model's clean() states every rule of a report in Python (with the
    # messages people read); the database constraints back it up. Validating
    # constraints here would cost a query per constraint on every save.
    # Related rows are not looked up again either: the services set them from rows
    # they hold (the actor, the locked report's assignment and period).
    related = [f.name for f in ProgressReport._meta.concrete_fields if f.is_relation]
    report.full_clean(exclude=related, validate_unique=False, validate_constraints=False)


def report_initial(*, assignment: Assignment) -> dict:
    """A new report starts from the last approved one (what stood, to be updated)."""
    last = (
        ProgressReport.objects.filter(assignment=assignment, state=ProgressReport.State.APPROVED)
        .order_by("-reviewed_at", "-pk")
        .values(*EDITABLE_FIELDS)
        .first()
    )
    return last or {}


@transaction.atomic
def report_create(*, assignment: Assignment, by, **fields) -> ProgressReport:
    if not permissions.can_report_on(by, assignment):
        raise PermissionDenied(_("只能为本单位承担的任务填报进展。"))
    _check_fields(fields)
    period = period_for(plan_id=assignment.task.plan_id)
    if period is None:
        raise ConflictError(_("当前没有可填报的报告期，请联系市民政局。"))
    _check_period_open(period)
    if ProgressReport.objects.filter(
        assignment=assignment, period=period, state__in=ProgressReport.OPEN_STATES
    ).exists():
        raise ConflictError(_("该任务本报告期已有一份未审核的填报，请在原填报上继续编辑。"))
    report = ProgressReport(
        assignment=assignment, period=period, created_by=by, updated_by=by, **fields
    )
    _validate(report)
    record_actor(report, by)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:
        # Two creates raced past the check above; the database kept one.
        raise ConflictError(
            _("该任务本报告期已有一份未审核的填报（刚由他人创建），请刷新后在原填报上继续编辑。")
        ) from error
    _progress_set(report)
    return report


def _lock(report: ProgressReport) -> ProgressReport:
    """Re-read the row under a lock so two saves cannot interleave."""
    # of=("self",): lock the report only, not the rows it joins.
    return (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related(
            "assignment__task",
            "assignment__department",
            "period",
            "created_by",
            "updated_by",
            "submitted_by",
            "reviewed_by",
        )
        .get(pk=report.pk)
    )


def _check_version(report: ProgressReport, version: int | None) -> None:
    """Refuse a change based on an older version. None: an internal caller that read
    the row itself (pages and the API always pass the version they showed)."""
    if version == NO_VERSION:
        raise ConflictError(
            _("页面已过期，请刷新后再操作。"), extra={"current_version": report.version}
        )
    if version is not None and int(version) != report.version:
        raise ConflictError(
            _("保存失败：该填报已被%(user)s于%(when)s修改，请核对最新内容后再保存。")
            % {
                "user": report.updated_by.get_full_name() or report.updated_by.username,
                "when": timezone.localtime(report.updated_at).strftime("%Y-%m-%d %H:%M"),
            },
            extra={"current_version": report.version},
        )


def _apply(report: ProgressReport, by, *, reason: str = "", **changes) -> ProgressReport:
    """Every change to a report: a new version, validated, with its author in the history."""
    for name, value in changes.items():
        setattr(report, name, value)
    report.updated_by = by
    report.version += 1
    _validate(report)
    record_actor(report, by, reason=reason)
    report.save()
    _progress_set(report)
    return report


def _refuse_edit(by, report: ProgressReport, verb: str) -> None:
    if permissions.can_report_on(by, report.assignment):
        raise ConflictError(
            _("只有草稿或退回的填报可以%(verb)s（当前：%(state)s）。")
            % {"verb": verb, "state": report.get_state_display()}
        )
    raise PermissionDenied(_("只能%(verb)s本单位的填报。") % {"verb": verb})


@transaction.atomic
def report_update(
    *, report: ProgressReport, by, version: int | None = None, **fields
) -> ProgressReport:
    """Change a draft or returned report; refused if someone saved since `version`."""
    report = _lock(report)
    if not permissions.can_edit_report(by, report):
        _refuse_edit(by, report, _("修改"))
    _check_version(report, version)
    _check_period_open(report.period)
    _check_fields(fields)
    return _apply(report, by, **fields)


@transaction.atomic
def report_submit(*, report: ProgressReport, by, version: int | None = None) -> ProgressReport:
    report = _lock(report)
    if not permissions.can_edit_report(by, report):
        _refuse_edit(by, report, _("报送"))
    _check_version(report, version)
    _check_period_open(report.period)
    return _apply(
        report,
        by,
        state=ProgressReport.State.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=by,
    )


@transaction.atomic
def report_withdraw(*, report: ProgressReport, by, version: int | None = None) -> ProgressReport:
    """Take a submitted report back to draft before it is reviewed (撤回)."""
    report = _lock(report)
    if not permissions.can_withdraw_report(by, report):
        if permissions.can_report_on(by, report.assignment):
            raise ConflictError(_("只有已报送、尚未审核的填报可以撤回。"))
        raise PermissionDenied(_("只能撤回本单位的填报。"))
    _check_version(report, version)
    _check_period_open(report.period)
    return _apply(
        report,
        by,
        reason=_("撤回"),
        state=ProgressReport.State.DRAFT,
        submitted_at=None,
        submitted_by=None,
    )


def _check_reviewable(report: ProgressReport, by) -> None:
    if permissions.can_review_report(by, report):
        return
    if not permissions.may_review_body(by, report.assignment.department_id):
        raise PermissionDenied(_("只有本单位审核人或市民政局协调员可以审核。"))
    if not report.is_submitted:
        raise ConflictError(
            _("只有已报送的填报可以审核或退回（当前：%(state)s）。")
            % {"state": report.get_state_display()}
        )
    raise PermissionDenied(
        _("不能审核自己填写或最后修改的填报，请由本单位其他审核人或市民政局审核。")
    )


@transaction.atomic
def report_problems_publish(*, report: ProgressReport, by, public: bool) -> ProgressReport:
    """The bureau marks a report's 存在问题 publishable on the public page (政务公开), or not.

    Not a change of the report's content: no new version, the author stays; the
    history records who decided.
    """
    if not is_coordinator(by):
        raise PermissionDenied(_("只有市民政局协调员可以决定存在问题是否公开。"))
    report = _lock(report)
    report.problems_public = bool(public)
    record_actor(report, by, reason=_("存在问题设为可公开") if public else _("存在问题取消公开"))
    report.save(update_fields=["problems_public"])
    return report


@transaction.atomic
def report_approve(*, report: ProgressReport, by, version: int | None = None) -> ProgressReport:
    report = _lock(report)
    _check_reviewable(report, by)
    _check_version(report, version)
    _check_period_open(report.period)
    report = _apply(
        report,
        by,
        state=ProgressReport.State.APPROVED,
        reviewed_at=timezone.now(),
        reviewed_by=by,
    )
    lights_refresh(assignment_ids=[report.assignment_id])
    _tell_authors(report, Notification.Kind.APPROVED, _("填报已审核通过"))
    _event(events.REPORT_APPROVED, report)
    return report


@transaction.atomic
def report_return(
    *, report: ProgressReport, by, reason: str, version: int | None = None
) -> ProgressReport:
    report = _lock(report)
    _check_reviewable(report, by)
    _check_version(report, version)
    _check_period_open(report.period)
    if not (reason or "").strip():
        raise ValidationError({"return_reason": _("退回时必须填写理由。")})
    report = _apply(
        report,
        by,
        state=ProgressReport.State.RETURNED,
        reviewed_at=timezone.now(),
        reviewed_by=by,
        return_reason=reason.strip(),
    )
    _tell_authors(report, Notification.Kind.RETURNED, _("填报被退回"), body=report.return_reason)
    _event(events.REPORT_RETURNED, report)
    return report


def _event(kind: str, report: ProgressReport) -> None:
    """Tell systems outside (core.events outbox) that a body's report was reviewed."""
    events.event_record(
        kind=kind,
        department_ids=[report.assignment.department_id],
        payload={
            "report": report.pk,
            "assignment": report.assignment_id,
            "task": report.assignment.task_id,
            "state": report.state,
            "version": report.version,
            "return_reason": report.return_reason,
        },
    )


def _tell_authors(report: ProgressReport, kind: str, verb: str, body: str = "") -> None:
    """The people who wrote and submitted a report hear what became of it."""
    task = report.assignment.task
    notify(
        recipients=[report.created_by, report.submitted_by],
        kind=kind,
        title=f"{verb}：{task.code} {task.title}",
        body=body,
        url=f"/assignments/{report.assignment_id}/",
        key=f"report:{report.pk}:{report.version}",
    )


def open_report_of(assignment: Assignment) -> ProgressReport | None:
    """The report in the works for an assignment (the newest period's, if several)."""
    return (
        ProgressReport.objects.filter(assignment=assignment, state__in=ProgressReport.OPEN_STATES)
        .select_related("period")
        .order_by("-period__starts_on")
        .first()
    )


@transaction.atomic
def report_save(
    *,
    assignment: Assignment,
    by,
    fields: dict,
    version: int | None = None,
    submit: bool = False,
    upload=None,
) -> ProgressReport:
    """The report page's one use case: save the open report (or start one), attach a file, maybe submit.

    All or nothing: a refused submit or file leaves the report as it was.
    """
    report = open_report_of(assignment)
    if report is None:
        report = report_create(assignment=assignment, by=by, **fields)
    elif version is None:
        # A form without its version cannot prove it saw the latest save.
        raise ConflictError(
            _("页面已过期，请刷新后再保存。"), extra={"current_version": report.version}
        )
    else:
        report = report_update(report=report, by=by, version=version, **fields)
    if upload:
        evidence_add(report=report, by=by, upload=upload)
    if submit:
        report = report_submit(report=report, by=by, version=report.version)
    return report


def _progress_set(report: ProgressReport) -> None:
    """The report just written is the assignment's latest (and, if approved, latest approved)."""
    fields = {"latest_report": report}
    if report.is_approved:
        fields["approved_report"] = report
    AssignmentProgress.objects.bulk_create(
        [AssignmentProgress(assignment_id=report.assignment_id, **fields)],
        update_conflicts=True,
        unique_fields=["assignment"],
        update_fields=list(fields),
    )


# --- Lights --------------------------------------------------------------------

LIGHTS_BATCH = 2000


def _effective_start(plan_row: dict) -> date:
    """Work is expected from the later of the plan's start and its issue date; on a
    rectification item (督查整改), from the day the inspection's finding was recorded."""
    start = max(plan_row["task__plan__starts_on"], plan_row["task__plan__issued_on"])
    if plan_row["task__origin"] == Task.Origin.INSPECTION:
        start = max(start, timezone.localtime(plan_row["task__created_at"]).date())
    return start


def _approval_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


@transaction.atomic
def lights_refresh(
    *,
    assignment_ids: Iterable[int] | None = None,
    plan_ids: Iterable[int] | None = None,
    stale_only: bool = False,
) -> int:
    """Recompute the light spans (the whole light history) of some assignments.

    Called by report approval (one assignment), when periods are added (a plan),
    and by the periodic job for assignments never computed or whose deadline
    changed (`stale_only`). Works in batches with a fixed number of queries per
    batch. Returns how many assignments were recomputed.
    """
    rule = LightRule.from_settings()
    assignments = Assignment.objects.all()
    if assignment_ids is not None:
        assignments = assignments.filter(pk__in=list(assignment_ids))
    if plan_ids is not None:
        assignments = assignments.filter(task__plan_id__in=list(plan_ids))
    if stale_only:
        assignments = assignments.filter(
            Q(progress__isnull=True)
            | Q(progress__computed_deadline__isnull=True)
            | ~Q(progress__computed_deadline=F("deadline"))
        )
    rows = list(
        assignments.order_by("pk").values(
            "pk",
            "deadline",
            "task__plan_id",
            "task__plan__starts_on",
            "task__plan__issued_on",
            "task__origin",
            "task__created_at",
        )
    )
    periods: dict[int, list[PeriodDue]] = defaultdict(list)
    for plan_id, pk, ends_on, due_on in ReportingPeriod.objects.filter(
        plan_id__in={r["task__plan_id"] for r in rows}
    ).values_list("plan_id", "pk", "ends_on", "due_on"):
        periods[plan_id].append(PeriodDue(pk, ends_on, due_on))
    now = timezone.now()
    for offset in range(0, len(rows), LIGHTS_BATCH):
        batch = rows[offset : offset + LIGHTS_BATCH]
        ids = [r["pk"] for r in batch]
        approvals: dict[int, list[Approval]] = defaultdict(list)
        for assignment_id, reviewed_at, status, percent, period_id in (
            ProgressReport.objects.filter(
                assignment_id__in=ids,
                state=ProgressReport.State.APPROVED,
                reviewed_at__isnull=False,
            )
            .order_by("assignment_id", "reviewed_at", "pk")
            .values_list("assignment_id", "reviewed_at", "status", "percent", "period_id")
        ):
            approvals[assignment_id].append(
                Approval(_approval_day(reviewed_at), status, percent, period_id)
            )
        spans = []
        for row in batch:
            for span in light_timeline(
                start=_effective_start(row),
                deadline=row["deadline"],
                approvals=approvals[row["pk"]],
                periods=periods[row["task__plan_id"]],
                rule=rule,
                since=row["task__plan__starts_on"],
            ):
                spans.append(
                    LightSpan(
                        assignment_id=row["pk"],
                        light=span.light,
                        starts_on=span.starts_on,
                        ends_on=span.ends_on,
                    )
                )
        LightSpan.objects.filter(assignment_id__in=ids).delete()
        LightSpan.objects.bulk_create(spans, batch_size=5000)
        AssignmentProgress.objects.bulk_create(
            [
                AssignmentProgress(
                    assignment_id=row["pk"], computed_deadline=row["deadline"], computed_at=now
                )
                for row in batch
            ],
            update_conflicts=True,
            unique_fields=["assignment"],
            update_fields=["computed_deadline", "computed_at"],
            batch_size=5000,
        )
    return len(rows)


def lights_turned(*, day: date) -> dict[int, list[tuple[Assignment, str]]]:
    """Assignments whose light turned yellow or red (from better) on `day`, by body."""
    before = LightSpan.objects.filter(
        assignment=OuterRef("assignment"), ends_on=day - timedelta(days=1)
    ).values("light")[:1]
    turned = (
        LightSpan.objects.filter(starts_on=day, light__in=[Light.RED, Light.YELLOW])
        .annotate(was=Subquery(before))
        .filter(assignment__is_active=True)
        .select_related("assignment__task", "assignment__department")
        .order_by("assignment__department_id", "assignment__task__order")
    )
    worse = {Light.RED: {Light.YELLOW, Light.GREEN}, Light.YELLOW: {Light.GREEN}}
    by_body: dict[int, list[tuple[Assignment, str]]] = defaultdict(list)
    for span in turned:
        if span.was in worse[span.light]:
            by_body[span.assignment.department_id].append((span.assignment, span.light))
    return by_body


def lights_notify(*, day: date) -> int:
    """Tell each body (its staff and reviewers) which of its assignments turned yellow or red."""
    from django.contrib.auth import get_user_model

    from accounts.permissions import REPORTING_ROLES

    by_body = lights_turned(day=day)
    if not by_body:
        return 0
    people = defaultdict(list)
    for user in get_user_model().objects.filter(
        department_id__in=by_body, role__in=REPORTING_ROLES, is_active=True
    ):
        people[user.department_id].append(user)
    sent = 0
    for department_id, rows in by_body.items():
        lines = [
            f"{a.task.code} {a.task.title}：{Light(light).label}（完成时限 {a.deadline:%Y-%m-%d}）"
            for a, light in rows
        ]
        sent += len(
            notify(
                recipients=people[department_id],
                kind=Notification.Kind.LIGHT,
                title=_("%(n)d项任务状态灯变为黄灯或红灯") % {"n": len(rows)},
                body="\n".join(lines),
                url="/",
                key=f"light:{department_id}:{day.isoformat()}",
            )
        )
    return sent


def report_due_reminders(*, today: date | None = None) -> int:
    """催报: a few days before a period's deadline, remind exactly the bodies that have not yet
    submitted a report for each of their assignments in the period — once per reminder day.

    "Not yet submitted" = no report of the period that is submitted or approved. Staff and
    reviewers of each such body get one notice listing its assignments still to report.
    """
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from accounts.permissions import REPORTING_ROLES

    today = today or timezone.localdate()
    due_days = [today + timedelta(days=n) for n in settings.REPORT_DUE_REMINDER_DAYS]
    sent = 0
    for period in ReportingPeriod.objects.filter(
        is_locked=False, due_on__in=due_days
    ).select_related("plan"):
        reported = ProgressReport.objects.filter(
            assignment=OuterRef("pk"),
            period=period,
            state__in=[ProgressReport.State.SUBMITTED, ProgressReport.State.APPROVED],
        )
        missing = (
            Assignment.objects.filter(task__plan=period.plan, is_active=True)
            .exclude(Exists(reported))
            .select_related("task")
            .order_by("department_id", "task__order")
        )
        by_body: dict[int, list[Assignment]] = defaultdict(list)
        for assignment in missing:
            by_body[assignment.department_id].append(assignment)
        people = defaultdict(list)
        for user in get_user_model().objects.filter(
            department_id__in=by_body, role__in=REPORTING_ROLES, is_active=True
        ):
            people[user.department_id].append(user)
        days_left = (period.due_on - today).days
        for department_id, rows in by_body.items():
            sent += len(
                notify(
                    recipients=people[department_id],
                    kind=Notification.Kind.REPORT_DUE,
                    title=_("催报：%(period)s报送截止还有%(days)d天，%(n)d项任务尚未报送")
                    % {"period": period.title, "days": days_left, "n": len(rows)},
                    body="\n".join(f"{a.task.code} {a.task.title}" for a in rows),
                    url="/",
                    key=f"due:{period.pk}:{department_id}:{today.isoformat()}",
                )
            )
    return sent


def reports_daily(*, today: date | None = None) -> dict:
    """The daily round: new half-years, periods past their deadline closed, lights, notices."""
    today = today or timezone.localdate()
    new_periods = []
    for plan in Plan.objects.all():
        created = periods_ensure(plan=plan, until=today)
        if created:
            lights_refresh(plan_ids=[plan.pk])
        new_periods += created
    closed = periods_close_due(today=today)
    recomputed = lights_refresh(stale_only=True)
    return {
        "periods_created": len(new_periods),
        "periods_closed": len(closed),
        "lights_recomputed": recomputed,
        "light_notifications": lights_notify(day=today),
    }


# --- Evidence ------------------------------------------------------------------


@transaction.atomic
def evidence_add(*, report: ProgressReport, by, upload) -> Evidence:
    """Attach a file: PDF, Word, Excel or an image, checked by content and size."""
    if not permissions.can_edit_report(by, report):
        raise PermissionDenied(_("只能为本单位未报送的填报上传佐证材料。"))
    _check_period_open(report.period)
    checked = evidence_upload_check(upload)
    evidence = Evidence(
        report=report,
        original_name=checked.name,
        extension=checked.extension,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    evidence.full_clean(exclude=["file"])
    # The file is written with its row: if the row is not saved, or its
    # transaction is rolled back, the file is deleted again.
    storage = evidence.file.storage
    with store_with_row(
        storage, evidence.file.field.generate_filename(evidence, checked.name), upload
    ) as stored:
        evidence.file.name = stored
        record_actor(evidence, by)
        evidence.save()
    return evidence


def evidence_orphans_remove(*, older_than: timedelta | None = None) -> list[str]:
    """Delete files under MEDIA_ROOT/evidence/ that no evidence row names (the daily job).

    Such files are left by a process killed between writing a file and
    committing its row. Files younger than `older_than` (default: an hour) are
    kept: their transaction may still be running. Returns the names removed.
    """
    older_than = timedelta(hours=1) if older_than is None else older_than
    storage = Evidence._meta.get_field("file").storage
    cutoff = timezone.now() - older_than
    removed: list[str] = []
    batch: list[str] = []

    def sweep(names: list[str]) -> None:
        known = set(Evidence.objects.filter(file__in=names).values_list("file", flat=True))
        for name in names:
            if name in known or storage.get_modified_time(name) > cutoff:
                continue
            storage.delete(name)
            removed.append(name)
            evidence_log.warning("evidence file without a row removed name=%s", name)

    for name in _stored_files(storage, EVIDENCE_DIR):
        batch.append(name)
        if len(batch) >= ORPHAN_BATCH:
            sweep(batch)
            batch = []
    if batch:
        sweep(batch)
    evidence_log.info("evidence orphan sweep done removed=%d", len(removed))
    return removed


def _stored_files(storage, directory: str):
    """Every file name under `directory` in storage, depth first."""
    if not storage.exists(directory):
        return
    folders, files = storage.listdir(directory)
    for name in sorted(files):
        yield f"{directory}/{name}"
    for folder in sorted(folders):
        yield from _stored_files(storage, f"{directory}/{folder}")


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by) -> Evidence:
    """Hide a file from the report; the file and its history stay."""
    if not permissions.can_edit_report(by, evidence.report):
        raise PermissionDenied(_("只能移除本单位未报送填报中的佐证材料。"))
    evidence.removed_at = timezone.now()
    record_actor(evidence, by)
    evidence.save(update_fields=["removed_at", "updated_at"])
    return evidence
