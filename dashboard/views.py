"""The bureau's overview (/dashboard/), the lists behind its figures, the reporting status.

Thin: validate the filters (dashboard.filters), read through dashboard.selectors,
render. Coordinators and viewers only; anyone else gets 403. A bad filter value
is dropped with a message; the rest of the filters still apply.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.text import Truncator

from accounts.permissions import is_coordinator
from core.ledger import LedgerRow, ledger_response
from departments.models import Department, Region
from reports.lights import Light
from reports.models import ReportingPeriod
from tasks.models import Plan, Responsibility, Role, Task

from . import selectors
from .filters import REPORT_STATE_CHOICES, SCOPE_PARAMS, dashboard_filter, error_messages
from .permissions import can_view_dashboard

LIST_PAGE_SIZE = 50


def figures_for(filters, *, as_of) -> dict:
    """The overview's figures for valid filters (the page and the API call this)."""
    wanted = filters.form.cleaned_data
    plan, period = filters.resolved()
    figures = selectors.dashboard_figures(
        assignments=filters.qs,
        plan=plan,
        period=period,
        county_id=wanted.get("county"),
        as_of=as_of,
    )
    figures["plan"] = {"id": plan.pk, "title": plan.title} if plan else None
    figures["period"] = {"id": period.pk, "title": period.title} if period else None
    return figures


def _check(request):
    if not can_view_dashboard(request.user):
        raise PermissionDenied("总览只对市民政局协调员和市领导开放。")


def _filters(request):
    """The filters from the URL; invalid ones are dropped with a message each."""
    data = {k: v for k, v in request.GET.items() if v.strip() != "" and k != "page"}
    filters = dashboard_filter(data, as_of=request.as_of)
    if not filters.is_valid():
        for message in error_messages(filters):
            messages.warning(request, f"筛选条件无效，已忽略：{message}")
        for name in filters.errors:
            data.pop(name, None)
        filters = dashboard_filter(data, as_of=request.as_of)
        filters.is_valid()
    return filters, data


def _scope(data: dict, *names) -> dict:
    return {k: v for k, v in data.items() if k in (names or SCOPE_PARAMS)}


def _options(items, selected) -> str:
    """<option>s built in Python: a national select has thousands (the template loop was slow)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if str(value) == selected else "", label) for value, label in items),
    )


def _choices(data: dict) -> dict:
    plan_id = data.get("plan")
    sections = Task.objects.filter(kind=Task.Kind.SECTION, origin=Task.Origin.PLAN)
    periods = ReportingPeriod.objects.order_by("plan_id", "starts_on")
    if plan_id:
        sections = sections.filter(plan_id=plan_id)
        periods = periods.filter(plan_id=plan_id)
    lists = {
        "plan": [
            (p["pk"], Truncator(p["title"]).chars(24))
            for p in Plan.objects.order_by("-issued_on").values("pk", "title")
        ],
        "section": [
            (s["pk"], f"{s['code']} {Truncator(s['title']).chars(14)}")
            for s in sections.order_by("plan_id", "order").values("pk", "code", "title")
        ],
        "department": list(
            Department.objects.concrete()
            .order_by("order", "short_name")
            .values_list("pk", "short_name")
        ),
        "county": list(
            Region.objects.filter(
                kind__in=Region.COUNTY_LEVEL_KINDS,
                pk__in=Department.objects.filter(region__isnull=False).values("region_id"),
            )
            .order_by("code")
            .values_list("pk", "name")
        ),
        "light": Light.choices,
        "role": Role.choices,
        "period": list(periods.values_list("pk", "code")),
    }
    return {
        "options": {name: _options(items, data.get(name, "")) for name, items in lists.items()},
        "lights": Light.choices,
        "report_states": REPORT_STATE_CHOICES,
    }


def _url(name: str, params: dict) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(name) + (f"?{query}" if query else "")


@login_required
def dashboard(request):
    _check(request)
    filters, data = _filters(request)
    figures = figures_for(filters, as_of=request.as_of)
    scope = _scope(data)
    # The period the figures used stays on every link, so a list shows the same period.
    if figures["period"] and "period" not in scope:
        scope_links = {**scope, "period": figures["period"]["id"]}
    else:
        scope_links = scope
    context = {
        "figures": figures,
        "scope": scope,
        "data": data,
        "choices": _choices(data),
        "chart_data": {
            "figures": figures,
            "drill": _url("dashboard_assignments", scope),
            "reporting": _url("dashboard_reporting", scope_links),
            "labels": {
                "lights": dict(Light.choices),
                "status": dict(selectors.ProgressReport.Status.choices),
                "roles": dict(Role.choices),
                "reporting": dict(REPORT_STATE_CHOICES),
            },
        },
        "links": _links(scope, scope_links),
        "is_partial": request.htmx and not request.htmx.boosted,
    }
    template = "dashboard/_body.html" if context["is_partial"] else "dashboard/dashboard.html"
    return render(request, template, context)


def _links(scope: dict, scope_links: dict) -> dict:
    """Base URLs the template appends one parameter to (via the drill tag)."""
    return {
        "assignments": _url("dashboard_assignments", scope),
        "reporting": _url("dashboard_reporting", scope_links),
        "findings": reverse("inspection_list"),
        "reminders": reverse("reminder_list") + "?state=overdue",
    }


# --- The lists behind the figures -------------------------------------------------------


def _ledger_rows(assignments) -> "list[LedgerRow]":
    """Ledger rows for assignments (with drilldown annotations), in order. Two queries."""
    rows = list(assignments)
    task_ids = {a.task_id for a in rows}
    bodies: dict[int, dict[str, list[str]]] = {}
    for r in (
        Responsibility.objects.filter(task_id__in=task_ids)
        .order_by("task_id", "order")
        .values("task_id", "role", "written_as")
    ):
        bodies.setdefault(r["task_id"], {}).setdefault(r["role"], []).append(r["written_as"])
    out = []
    for a in rows:
        named = bodies.get(a.task_id, {})
        if a.role == Role.SUPPORT:
            lead = "、".join(named.get(Role.LEAD, []) or named.get(Role.RESPONSIBLE, []))
            support = a.department.short_name
        else:
            lead = a.department.short_name
            support = "、".join(named.get(Role.SUPPORT, []))
        out.append(
            LedgerRow(
                code=a.task.code,
                title=a.task.title,
                lead=lead,
                support=support,
                deadline=a.deadline,
                status=selectors.ProgressReport.Status(a.shown_status).label,
                percent=a.approved_percent,
                light=selectors.light_name(a.light or ""),
                progress=a.approved_progress or "",
                problems=a.approved_problems or "",
            )
        )
    return out


@login_required
def assignment_drilldown(request):
    """The assignments behind a figure of the overview, filtered like it; `?export=xlsx`."""
    _check(request)
    filters, data = _filters(request)
    listed = selectors.drilldown_list(filters.qs, as_of=request.as_of)
    if request.GET.get("export") == "xlsx":
        return ledger_response(
            _ledger_rows(listed.iterator(chunk_size=2000)),
            filename="任务台账.xlsx",
            sheet_title="任务台账",
        )
    page = Paginator(listed, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    scope = {k: v for k, v in data.items() if k != "export"}
    return render(
        request,
        "dashboard/assignments.html",
        {
            "page": page,
            "data": data,
            "choices": _choices(data),
            "status_labels": selectors.ProgressReport.Status.choices,
            "export_url": _url("dashboard_assignments", {**scope, "export": "xlsx"}),
            "page_query": urlencode(scope),
            "remind_ids": ",".join(str(a.pk) for a in page),
            "may_remind": is_coordinator(request.user),
        },
    )


@login_required
def reporting_status(request):
    """For a period: each body's assignments and the state of its report; sortable; `?export=xlsx`."""
    _check(request)
    filters, data = _filters(request)
    period = filters.resolved()[1]
    sort = request.GET.get("sort", "body")
    if sort not in selectors.REPORTING_SORTS:
        messages.warning(request, "排序方式无效，已按单位排序。")
        sort = "body"
    listed = selectors.reporting_status_list(filters.qs, period).order_by(
        *selectors.REPORTING_SORTS[sort], "pk"
    )
    counts_scope = {k: v for k, v in data.items() if k not in ("report_state", "sort", "export")}
    counts = dict.fromkeys(selectors.REPORT_STATES, 0)
    for row in (
        selectors.reporting_status_list(
            dashboard_filter(counts_scope, as_of=request.as_of).qs, period
        )
        .values("period_rank")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[selectors.RANK_STATES[row["period_rank"]]] = row["n"]
    labels = dict(REPORT_STATE_CHOICES)
    if request.GET.get("export") == "xlsx":
        rows = selectors.with_period_state(
            selectors.drilldown_list(listed, as_of=request.as_of), period
        ).order_by(*selectors.REPORTING_SORTS[sort], "pk")
        return _reporting_export(rows, labels, period)
    page = Paginator(listed, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.period_state_of(page)
    scope = {k: v for k, v in data.items() if k not in ("export",)}
    return render(
        request,
        "dashboard/reporting.html",
        {
            "page": page,
            "data": data,
            "period": period,
            "sort": sort,
            "counts": [
                (
                    state,
                    labels[state],
                    n,
                    _url("dashboard_reporting", {**counts_scope, "report_state": state}),
                )
                for state, n in counts.items()
            ],
            "choices": _choices(data),
            "sort_links": {
                key: _url("dashboard_reporting", {**scope, "sort": key})
                for key in selectors.REPORTING_SORTS
            },
            "export_url": _url("dashboard_reporting", {**scope, "export": "xlsx"}),
            "page_query": urlencode(scope),
            "remind_ids": ",".join(str(a.pk) for a in page),
            "may_remind": is_coordinator(request.user),
        },
    )


def _reporting_export(rows, labels, period):
    rows = selectors.period_state_of(rows)
    ledger = _ledger_rows(rows)
    for assignment, row in zip(rows, ledger, strict=True):
        row.extra = [labels[assignment.period_state]]
    return ledger_response(
        ledger,
        filename=f"填报情况{period.code if period else ''}.xlsx",
        sheet_title="填报情况",
        extra_columns=[("本期填报", 12)],
    )
