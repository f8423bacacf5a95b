"""Pages of the dated steps' checklists (节点任务清单): counties report their lines, the bureau confirms.

Views stay thin: reads through milestones.selectors, one service per write,
refusals are 403 (and logged), mistakes a person can fix come back as messages.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import is_coordinator
from core.errors import ApplicationError, PermissionDenied
from core.security import log_refused_write

from . import permissions, selectors, services
from .forms import ChecklistFilterForm, LineReportForm, LineReturnForm
from .models import ChecklistEvidence, ChecklistLine

PAGE_SIZE = 50


def _refuse(request, message: str):
    log_refused_write(request=request, reason=message)
    raise DjangoPermissionDenied(message)


def _messages_of(exc) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc.message)


def _back(request, line: ChecklistLine, default: str = "checklist_lines"):
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(default)
    return redirect(f"{target}#line-{line.pk}")


@login_required
def checklist_lines(request):
    """Every dated step (met or not), then the lines: a county's own, with a form per line."""
    user, as_of = request.user, request.as_of
    own = permissions.acts_for_county(user)
    data = request.GET.copy()
    if own and "department" not in data:
        data["department"] = str(user.department_id)  # a county starts on its own lines
    filters = ChecklistFilterForm(data or None)
    wanted = filters.cleaned_data if filters.is_valid() else {}
    department = wanted.get("department")
    lines = selectors.checklist_line_list(
        as_of=as_of,
        department_id=department.pk if department else None,
        milestone_id=wanted["milestone"].pk if wanted.get("milestone") else None,
        state=wanted.get("state") or None,
    )
    page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page"))
    for line in page:
        line.may_report = not as_of and permissions.can_report_line(user, line)
        line.report_form = LineReportForm(line=line) if line.may_report else None
        line.may_see_files = permissions.can_see_line_evidence(user, line)
    steps = list(selectors.milestone_progress(as_of=as_of))
    for step in steps:
        step.met = selectors.milestone_met(step)
    return render(
        request,
        "milestones/checklist_lines.html",
        {
            "steps": steps,
            "page": page,
            "filters": filters,
            "department": department,
            "own": own,
            "is_coordinator": is_coordinator(user),
            "queue_count": selectors.confirmation_queue().count() if is_coordinator(user) else 0,
        },
    )


@login_required
def confirmation_queue(request):
    """The bureau's queue: lines the counties reported done, to confirm or send back."""
    if not is_coordinator(request.user):
        _refuse(request, _("只有市民政局协调员可以确认节点任务清单。"))
    page = Paginator(selectors.confirmation_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    for line in page:
        line.return_form = LineReturnForm(line=line)
    return render(request, "milestones/confirmation_queue.html", {"page": page})


def _line(line_id: int) -> ChecklistLine:
    return get_object_or_404(ChecklistLine.objects.only("pk", "department_id"), pk=line_id)


@login_required
@require_POST
def line_report_done(request, line_id: int):
    line = _line(line_id)
    if not permissions.reports_for_line(request.user, line):
        _refuse(request, _("只能报告本县(区)的节点任务清单。"))
    form = LineReportForm(request.POST, request.FILES, line=line)
    if not form.is_valid():
        errors = [f"{form.fields[name].label}：{'；'.join(e)}" for name, e in form.errors.items()]
        messages.error(request, _("未报送：") + "；".join(errors))
        return _back(request, line)
    try:
        services.checklist_line_report_done(
            line=line,
            by=request.user,
            completed_on=form.cleaned_data["completed_on"],
            note=form.cleaned_data["note"],
            upload=form.cleaned_data.get("file"),
        )
    except PermissionDenied as exc:
        _refuse(request, str(exc.message))
    except (ValidationError, ApplicationError) as exc:
        messages.error(request, _("未报送：") + _messages_of(exc))
    else:
        messages.success(request, _("已报完成，等待市民政局确认。"))
    return _back(request, line)


@login_required
@require_POST
def line_confirm(request, line_id: int):
    line = _line(line_id)
    try:
        line = services.checklist_line_confirm(line=line, by=request.user)
    except PermissionDenied as exc:
        _refuse(request, str(exc.message))
    except (ValidationError, ApplicationError) as exc:
        messages.error(request, _messages_of(exc))
    else:
        messages.success(
            request,
            _("已确认：%(region)s · %(step)s")
            % {"region": line.region.name, "step": line.milestone.title},
        )
    return _back(request, line, default="checklist_confirmation_queue")


@login_required
@require_POST
def line_return(request, line_id: int):
    line = _line(line_id)
    form = LineReturnForm(request.POST, line=line)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        line = services.checklist_line_return(line=line, by=request.user, reason=reason)
    except PermissionDenied as exc:
        _refuse(request, str(exc.message))
    except (ValidationError, ApplicationError) as exc:
        messages.error(request, _messages_of(exc))
    else:
        messages.success(request, _("已退回%(region)s。") % {"region": line.region.name})
    return _back(request, line, default="checklist_confirmation_queue")


@login_required
def line_evidence_download(request, evidence_id: int):
    evidence = get_object_or_404(
        ChecklistEvidence.objects.select_related("line"), pk=evidence_id, removed_at__isnull=True
    )
    if not permissions.can_see_line_evidence(request.user, evidence.line):
        raise DjangoPermissionDenied(_("只有本县(区)和市民政局可以查看佐证材料。"))
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )
