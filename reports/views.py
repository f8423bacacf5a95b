"""The department workbench: report progress on an assignment, submit, review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.services import log_refused_write
from yangquan_tracker.errors import ApplicationError, ConflictError, PermissionDenied

from . import permissions, selectors, services
from .forms import ProgressReportForm, ReturnForm
from .models import Evidence, ProgressReport


def _refuse(request, exc: PermissionDenied):
    log_refused_write(request=request, reason=str(exc.message))
    raise DjangoPermissionDenied(str(exc.message))


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _assignment(assignment_id: int, user):
    return get_object_or_404(
        selectors.assignment_list(user=user).select_related("task__parent"), pk=assignment_id
    )


@login_required
def assignment_detail(request, assignment_id: int):
    """One body's share of a work item: its open report (editable) and past reports."""
    assignment = _assignment(assignment_id, request.user)
    reports = list(selectors.report_list(user=request.user).filter(assignment=assignment))
    open_report = next((r for r in reports if r.state in ProgressReport.OPEN_STATES), None)
    may_report = permissions.can_report_on(request.user, assignment)
    conflict = None

    if request.method == "POST":
        if not may_report:
            _refuse(request, PermissionDenied(_("只能为本单位承担的任务填报进展。")))
        if open_report and not open_report.is_editable:
            messages.error(request, _("已报送的填报不能修改。"))
            return redirect("assignment_detail", assignment_id=assignment.pk)
        form = ProgressReportForm(request.POST, request.FILES, instance=open_report)
        if form.is_valid():
            try:
                with transaction.atomic():
                    report = _save(request, form, assignment, open_report)
                    if request.POST.get("action") == "submit":
                        services.report_submit(report=report, by=request.user)
                messages.success(
                    request,
                    _("已报送，等待本单位审核人审核。")
                    if request.POST.get("action") == "submit"
                    else _("已保存草稿。"),
                )
                return redirect("assignment_detail", assignment_id=assignment.pk)
            except ConflictError as exc:
                conflict = ProgressReport.objects.select_related("updated_by").get(
                    pk=open_report.pk
                )
                form.add_error(None, exc.message)
                # Saving again now is a deliberate choice made with both versions in view.
                form.data = form.data.copy()
                form.data["version"] = conflict.version
            except PermissionDenied as exc:
                _refuse(request, exc)
            except ValidationError as exc:
                _add_errors(form, exc)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
    else:
        form = ProgressReportForm(
            instance=open_report,
            initial={"version": open_report.version if open_report else None},
        )

    return render(
        request,
        "reports/assignment_detail.html",
        {
            "assignment": assignment,
            "task": assignment.task,
            "reports": reports,
            "open_report": open_report,
            "form": form
            if may_report and (open_report is None or open_report.is_editable)
            else None,
            "conflict": conflict,
            "may_review": open_report is not None
            and permissions.can_review_report(request.user, open_report),
            "return_form": ReturnForm(
                initial={"version": open_report.version if open_report else None}
            ),
        },
        status=409 if conflict else (400 if request.method == "POST" else 200),
    )


def _save(request, form, assignment, open_report) -> ProgressReport:
    fields = form.report_fields()
    if open_report is None:
        report = services.report_create(assignment=assignment, by=request.user, **fields)
    else:
        version = form.cleaned_data["version"]
        if version is None:
            # A form without its version cannot prove it saw the latest save.
            raise ConflictError(
                _("页面已过期，请刷新后再保存。"), extra={"current_version": open_report.version}
            )
        report = services.report_update(
            report=open_report, by=request.user, version=version, **fields
        )
    upload = form.cleaned_data.get("file")
    if upload:
        services.evidence_add(report=report, by=request.user, upload=upload)
    return report


def _report_action(request, report_id: int, action):
    # Any report: whether this user may act on it is the service's decision (403).
    report = get_object_or_404(selectors.report_list_all(), pk=report_id)
    try:
        action(report)
    except PermissionDenied as exc:
        _refuse(request, exc)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("assignment_detail", assignment_id=report.assignment_id)


def _version(request):
    value = request.POST.get("version")
    return int(value) if value and value.isdigit() else None


@login_required
@require_POST
def report_submit(request, report_id: int):
    def act(report):
        services.report_submit(report=report, by=request.user, version=_version(request))
        messages.success(request, _("已报送，等待本单位审核人审核。"))

    return _report_action(request, report_id, act)


@login_required
@require_POST
def report_approve(request, report_id: int):
    def act(report):
        services.report_approve(report=report, by=request.user, version=_version(request))
        messages.success(request, _("已审核通过。"))

    return _report_action(request, report_id, act)


@login_required
@require_POST
def report_return(request, report_id: int):
    def act(report):
        services.report_return(
            report=report,
            by=request.user,
            reason=request.POST.get("reason", ""),
            version=_version(request),
        )
        messages.success(request, _("已退回经办人修改。"))

    return _report_action(request, report_id, act)


@login_required
@require_POST
def evidence_remove(request, evidence_id: int):
    evidence = get_object_or_404(
        Evidence.objects.select_related("report__assignment"), pk=evidence_id
    )
    try:
        services.evidence_remove(evidence=evidence, by=request.user)
        messages.success(
            request, _("已移除佐证材料“%(name)s”。") % {"name": evidence.original_name}
        )
    except PermissionDenied as exc:
        _refuse(request, exc)
    return redirect("assignment_detail", assignment_id=evidence.report.assignment_id)


@login_required
def evidence_download(request, evidence_id: int):
    from django.http import FileResponse

    evidence = get_object_or_404(
        Evidence.objects.select_related("report__assignment"),
        pk=evidence_id,
        removed_at__isnull=True,
        report__in=selectors.reports_visible_to(request.user),
    )
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )
