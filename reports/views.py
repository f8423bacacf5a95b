"""The department workbench: the home page, a work item with every body's share, one report.

Views stay thin: they read through selectors, write through one service each
and render. Errors a person can fix come back as form or page messages;
refusals are 403 (and logged).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import is_coordinator
from core.errors import ApplicationError, ConflictError, PermissionDenied
from core.security import log_refused_write
from milestones.selectors import checklist_lines_for_department
from notifications.selectors import inbox
from tasks.models import Role
from tasks.selectors import task_list

from . import permissions, selectors, services
from .forms import AssignmentFilterForm, ProgressReportForm, ReturnForm
from .models import Evidence, ProgressReport

TASK_PAGE_SIZE = 25
HISTORY_PAGE_SIZE = 30


def _refuse(request, exc: PermissionDenied):
    log_refused_write(request=request, reason=str(exc.message))
    raise DjangoPermissionDenied(str(exc.message))


@login_required
def home(request):
    """A body's own assignments grouped by role, its checklist lines, and the review queue."""
    user, as_of = request.user, request.as_of
    groups = []
    light_counts = {}
    if user.department_id:
        mine = selectors.assignment_list(user=user, as_of=as_of).filter(
            department_id=user.department_id, is_active=True
        )
        light_counts = selectors.light_counts(mine, as_of=as_of)
        rows = list(mine.order_by("task__order"))
        for role in Role:
            in_role = [a for a in rows if a.role == role]
            if in_role:
                groups.append((role.label, in_role))
    lines = (
        list(checklist_lines_for_department(department_id=user.department_id, as_of=as_of))
        if user.department_id
        else []
    )
    return render(
        request,
        "reports/home.html",
        {
            "groups": groups,
            "to_review": list(selectors.review_queue(user=user)[:50]) if not as_of else [],
            "light_counts": light_counts,
            "lines": lines,
            "unread": list(inbox(user=user).filter(read_at__isnull=True)[:5]),
        },
    )


@login_required
def task_detail(request, task_id: int):
    """A work item: the plan's words, its shares (counted, then filterable and paginated), the history."""
    user, as_of = request.user, request.as_of
    task = get_object_or_404(task_list().select_related("parent__parent"), pk=task_id)
    shares = selectors.assignment_list(user=user, as_of=as_of).filter(task=task)
    filters = AssignmentFilterForm(request.GET or None)
    listed = filters.apply(shares, as_of=as_of) if filters.is_valid() else shares
    page = Paginator(listed.order_by("department__order", "pk"), TASK_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    own = list(shares.filter(department_id=user.department_id)) if user.department_id else []
    texts = selectors.report_texts([a.report_id for a in page if a.report_id])
    for a in [*page, *own]:
        a.mine = permissions.can_report_on(user, a)
        a.progress_text = texts.get(a.report_id, "")
    history = Paginator(
        selectors.task_timeline(task=task, user=user, own=own), HISTORY_PAGE_SIZE
    ).get_page(request.GET.get("history_page"))
    return render(
        request,
        "reports/task_detail.html",
        {
            "task": task,
            "page": page,
            "own": own,
            "own_is_lead": any(a.role == Role.LEAD for a in own),
            "light_counts": selectors.light_counts(shares, as_of=as_of),
            "state_counts": selectors.report_state_counts(shares),
            "total": shares.count(),
            "filters": filters,
            "history": history,
        },
    )


@login_required
def assignment_detail(request, assignment_id: int):
    """One body's share of a work item: its report in the works (editable) and the reports before it."""
    user, as_of = request.user, request.as_of
    assignment = get_object_or_404(
        selectors.assignment_list(user=user, as_of=as_of).select_related("task__parent"),
        pk=assignment_id,
    )
    reports = list(selectors.report_list(user=user, as_of=as_of).filter(assignment=assignment))
    open_report = None if as_of else next((r for r in reports if r.is_open), None)
    may_report = not as_of and permissions.can_report_on(user, assignment)
    editable = may_report and (open_report is None or open_report.is_editable)
    form = None
    status = 200
    conflict = yours = None
    if request.method == "POST":
        if not may_report:
            _refuse(request, PermissionDenied(_("只能为本单位承担的任务填报进展。")))
        if not editable:
            messages.error(request, _("已报送的填报不能修改；如需修改，请先撤回。"))
            return redirect("assignment_detail", assignment_id=assignment.pk)
        form = ProgressReportForm(request.POST, request.FILES, instance=open_report)
        if form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                services.report_save(
                    assignment=assignment,
                    by=user,
                    fields=form.report_fields(),
                    version=form.cleaned_data["version"],
                    submit=submit,
                    upload=form.cleaned_data.get("file"),
                )
            except PermissionDenied as exc:
                _refuse(request, exc)
            except ConflictError as exc:
                conflict = selectors.report_list_all().filter(pk=getattr(open_report, "pk", None))
                conflict = conflict.first()
                form.show_conflict(exc, current=conflict)
                yours = form.unsaved_report()
                status = 409
            except (ValidationError, ApplicationError) as exc:
                form.add_service_error(exc)
                status = 400
            else:
                messages.success(
                    request,
                    _("已报送，等待审核。") if submit else _("已保存草稿。"),
                )
                return redirect("assignment_detail", assignment_id=assignment.pk)
        else:
            status = 400
    elif editable:
        form = ProgressReportForm(
            instance=open_report,
            initial={"version": open_report.version}
            if open_report
            else services.report_initial(assignment=assignment),
        )
    trail = selectors.report_trail(open_report) if open_report else None
    return render(
        request,
        "reports/assignment_detail.html",
        {
            "assignment": assignment,
            "task": assignment.task,
            "reports": [r for r in reports if r is not open_report],
            "open_report": open_report,
            "trail": trail,
            "form": form,
            "conflict": conflict,
            "yours": yours,
            "period": open_report.period
            if open_report
            else services.period_for(plan_id=assignment.task.plan_id),
            "may_review": open_report is not None
            and permissions.can_review_report(user, open_report),
            "may_withdraw": open_report is not None
            and permissions.can_withdraw_report(user, open_report),
            "wrote_it": open_report is not None
            and open_report.is_submitted
            and permissions.may_review_body(user, assignment.department_id)
            and permissions.wrote_report(user, open_report),
            "return_form": ReturnForm(),
        },
        status=status,
    )


def _report_action(request, report_id: int, action, done: str):
    # Any report: whether this user may act on it is the service's decision (403).
    report = get_object_or_404(ProgressReport.objects.only("pk", "assignment_id"), pk=report_id)
    try:
        action(report, _version(request))
    except PermissionDenied as exc:
        _refuse(request, exc)
    except (ValidationError, ApplicationError) as exc:
        messages.error(request, _messages_of(exc))
    else:
        messages.success(request, done)
    return redirect("assignment_detail", assignment_id=report.assignment_id)


def _messages_of(exc) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc.message)


def _version(request) -> int:
    """The version the page showed. A form without one cannot prove it saw the latest
    save: it gets a version no report has, refused (after the permission check) as stale."""
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else services.NO_VERSION


@login_required
@require_POST
def report_submit(request, report_id: int):
    return _report_action(
        request,
        report_id,
        lambda r, v: services.report_submit(report=r, by=request.user, version=v),
        _("已报送，等待审核。"),
    )


@login_required
@require_POST
def report_withdraw(request, report_id: int):
    return _report_action(
        request,
        report_id,
        lambda r, v: services.report_withdraw(report=r, by=request.user, version=v),
        _("已撤回，可以继续修改。"),
    )


@login_required
@require_POST
def report_problems_public(request, report_id: int):
    """The bureau decides whether a report's 存在问题 shows on the public page."""
    public = request.POST.get("public") == "1"
    return _report_action(
        request,
        report_id,
        lambda r, v: services.report_problems_publish(report=r, by=request.user, public=public),
        _("存在问题将在政务公开页面显示。") if public else _("存在问题不再公开。"),
    )


@login_required
@require_POST
def report_approve(request, report_id: int):
    return _report_action(
        request,
        report_id,
        lambda r, v: services.report_approve(report=r, by=request.user, version=v),
        _("已审核通过。"),
    )


@login_required
@require_POST
def report_return(request, report_id: int):
    return _report_action(
        request,
        report_id,
        lambda r, v: services.report_return(
            report=r, by=request.user, reason=request.POST.get("reason", ""), version=v
        ),
        _("已退回经办人修改。"),
    )


@login_required
@require_POST
def evidence_remove(request, evidence_id: int):
    evidence = get_object_or_404(
        Evidence.objects.select_related("report__assignment", "report__period"), pk=evidence_id
    )
    try:
        services.evidence_remove(evidence=evidence, by=request.user)
    except PermissionDenied as exc:
        _refuse(request, exc)
    messages.success(request, _("已移除佐证材料“%(name)s”。") % {"name": evidence.original_name})
    return redirect("assignment_detail", assignment_id=evidence.report.assignment_id)


@login_required
def evidence_download(request, evidence_id: int):
    evidence = get_object_or_404(
        Evidence.objects.select_related("report__assignment"),
        pk=evidence_id,
        removed_at__isnull=True,
        report__in=selectors.reports_visible_to(request.user),
    )
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )


@login_required
def period_list(request):
    """The reporting periods (half-years) and their state; coordinators close and reopen them."""
    return render(
        request,
        "reports/period_list.html",
        {"periods": selectors.period_list(), "may_manage": is_coordinator(request.user)},
    )


@login_required
@require_POST
def period_close(request, period_id: int):
    period = get_object_or_404(selectors.period_list(), pk=period_id)
    try:
        carried = services.period_close(period=period, by=request.user)
    except PermissionDenied as exc:
        _refuse(request, exc)
    messages.success(
        request,
        _("已关闭“%(period)s”，%(n)d 份未完成的填报已结转到下一报告期。")
        % {"period": period.title, "n": len(carried)},
    )
    return redirect("period_list")


@login_required
@require_POST
def period_reopen(request, period_id: int):
    period = get_object_or_404(selectors.period_list(), pk=period_id)
    try:
        services.period_reopen(
            period=period, by=request.user, reason=request.POST.get("reason", "")
        )
    except PermissionDenied as exc:
        _refuse(request, exc)
    except (ValidationError, ApplicationError) as exc:
        messages.error(request, _messages_of(exc))
    else:
        messages.success(request, _("已重新开放“%(period)s”。") % {"period": period.title})
    return redirect("period_list")
