"""Reads for assignments (with their traffic light) and progress reports."""

from datetime import date, timedelta

from django.db import models
from django.db.models import (
    Case,
    CharField,
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
from django.utils.translation import gettext_lazy as _

from tasks.models import Assignment

from . import permissions
from .models import Evidence, ProgressReport, ReportingPeriod

YELLOW_WINDOW_DAYS = 30


class Light(models.TextChoices):
    RED = "red", _("红灯")
    YELLOW = "yellow", _("黄灯")
    GREEN = "green", _("绿灯")


def _latest(reports: QuerySet, field: str):
    return Subquery(reports.order_by("-updated_at", "-pk").values(field)[:1])


def assignment_list(*, user=None, today: date | None = None) -> QuerySet[Assignment]:
    """Assignments with their latest report and light, in one query.

    - latest_*: the most recent report in any state (what the body is working on);
    - approved_*: the most recent approved report (what counts);
    - light: red when past the deadline and not completed; yellow when the
      deadline is within 30 days, or a reporting period is open and nothing has
      been approved in it; green otherwise.

    With `user`, latest_* only look at reports that user may read (another
    body's drafts stay hidden); without, at all reports (for internal use).
    """
    today = today or timezone.localdate()
    reports = ProgressReport.objects.filter(assignment=OuterRef("pk"))
    if user is not None:
        reports = reports_visible_to(user, reports)
    approved = reports.filter(state=ProgressReport.State.APPROVED)
    open_period = ReportingPeriod.objects.filter(
        plan=OuterRef("task__plan"), starts_on__lte=today, ends_on__gte=today
    )
    approved_in_open_period = approved.filter(
        period__starts_on__lte=today, period__ends_on__gte=today
    )
    completed = Q(approved_status=ProgressReport.Status.COMPLETED)
    return (
        Assignment.objects.select_related("task__plan", "department", "responsibility")
        .annotate(
            latest_report_id=_latest(reports, "pk"),
            latest_state=_latest(reports, "state"),
            latest_status=_latest(reports, "status"),
            latest_percent=_latest(reports, "percent"),
            latest_updated_at=_latest(reports, "updated_at"),
            approved_status=_latest(approved, "status"),
            approved_percent=_latest(approved, "percent"),
            period_open=Exists(open_period),
            reported_in_period=Exists(approved_in_open_period),
        )
        .annotate(
            light=Case(
                When(completed, then=Value(Light.GREEN)),
                When(deadline__lt=today, then=Value(Light.RED)),
                When(
                    deadline__lte=today + timedelta(days=YELLOW_WINDOW_DAYS),
                    then=Value(Light.YELLOW),
                ),
                When(Q(period_open=True, reported_in_period=False), then=Value(Light.YELLOW)),
                default=Value(Light.GREEN),
                output_field=CharField(),
            )
        )
        .order_by("task__plan_id", "task__order", "department__order")
    )


def reports_visible_to(user, queryset: QuerySet[ProgressReport] | None = None):
    """Approved reports for everyone; drafts and reviews only for their body and the bureau."""
    queryset = ProgressReport.objects.all() if queryset is None else queryset
    if permissions.is_coordinator(user):
        return queryset
    visible = Q(state=ProgressReport.State.APPROVED)
    if user.department_id and permissions.can_see_unapproved(user, user.department_id):
        visible |= Q(assignment__department_id=user.department_id)
    return queryset.filter(visible)


def report_list(*, user) -> QuerySet[ProgressReport]:
    """Reports this user may read, with everything a list shows."""
    return reports_visible_to(user, report_list_all())


def report_list_all() -> QuerySet[ProgressReport]:
    return (
        ProgressReport.objects.select_related(
            "assignment__task",
            "assignment__department",
            "period",
            "created_by",
            "updated_by",
            "submitted_by",
            "reviewed_by",
        )
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.filter(removed_at__isnull=True))
        )
        .order_by("-updated_at", "-pk")
    )


def latest_reports_for_task(*, task, user) -> dict[int, ProgressReport]:
    """For each assignment of a work item, the latest report this user may see."""
    reports = report_list(user=user).filter(assignment__task=task)
    latest: dict[int, ProgressReport] = {}
    for report in reports:  # newest first
        latest.setdefault(report.assignment_id, report)
    return latest
