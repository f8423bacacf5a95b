"""Pages of the bureau's follow-through: reminders, sign-off, inspections.

Views stay thin: reads through supervision.selectors, one service per write.
Refusals are 403 (and logged); mistakes a person can fix come back as form
errors or page messages.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError, PermissionDenied
from core.security import log_refused_write
from reports.selectors import assignment_list
from tasks.models import Task

from . import permissions, selectors, services
from .forms import (
    DepartmentPickForm,
    FindingForm,
    FindingFormSet,
    InspectionForm,
    ReminderFilterForm,
    ReminderForm,
    ReopenForm,
    ReplyForm,
    parse_ids,
)
from .ledger import findings_ledger, reminders_ledger
from .models import Inspection, Reminder, SignOff

PAGE_SIZE = 30


def _refuse(request, message: str):
    log_refused_write(request=request, reason=message)
    raise DjangoPermissionDenied(message)


def _messages_of(exc) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc.message)


def _add_errors(form, exc) -> None:
    """A service's refusal on the form fields it names (or above the form)."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, _messages_of(exc))


def _next_or(request, default):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


# --- Reminders (催办) -------------------------------------------------------------------


@login_required
def reminder_list(request):
    """Reminders and their receipts: the bureau sees all (filter by state and body), a body its own."""
    user = request.user
    filters = ReminderFilterForm(request.GET or None)
    wanted = filters.cleaned_data if filters.is_valid() else {}
    state = wanted.get("state") or ""
    department = wanted.get("department")
    reminders = selectors.reminder_list(
        user=user,
        state=state if state in Reminder.State.values else None,
        overdue=state == "overdue",
        department_id=department.pk if department else None,
    )
    if request.GET.get("export") == "xlsx":
        return reminders_ledger(reminders)  # the whole filtered list (任务台账)
    page = Paginator(reminders, PAGE_SIZE).get_page(request.GET.get("page"))
    export = request.GET.copy()
    export.pop("page", None)
    export["export"] = "xlsx"
    return render(
        request,
        "supervision/reminder_list.html",
        {
            "page": page,
            "filters": filters,
            "may_send": permissions.can_send_reminder(user),
            "export_query": export.urlencode(),
            "overdue_count": selectors.reminders_overdue_reply().count()
            if permissions.sees_every_reminder(user)
            else None,
        },
    )


@login_required
def reminder_new(request):
    """Chase bodies about shares: `?assignments=1,2,3` (from a list), or pick a body first.

    Shares of several bodies make one reminder per body.
    """
    user = request.user
    if not permissions.can_send_reminder(user):
        _refuse(request, _("只有市民政局协调员可以催办。"))
    ids = parse_ids(request.GET.get("assignments"))
    pick = DepartmentPickForm(request.GET if "department" in request.GET else None)
    candidates = assignment_list(user=user).filter(is_active=True)
    if ids:
        candidates = candidates.filter(pk__in=ids)
        chosen = set(ids)
    elif pick.is_valid():
        candidates = candidates.filter(department=pick.cleaned_data["department"])
        chosen = set()
    else:
        candidates = candidates.none()
        chosen = set()
    candidates = list(candidates.order_by("department__order", "department_id", "task__order"))
    status = 200
    if request.method == "POST":
        form = ReminderForm(request.POST)
        chosen = {int(v) for v in request.POST.getlist("assignments") if v.isdigit()}
        if form.is_valid():
            try:
                sent = services.reminders_send(
                    assignments=list(form.cleaned_data["assignments"]),
                    message=form.cleaned_data["message"],
                    reply_by=form.cleaned_data["reply_by"],
                    by=user,
                )
            except PermissionDenied as exc:
                _refuse(request, str(exc.message))
            except (ValidationError, ApplicationError) as exc:
                _add_errors(form, exc)
                status = 400
            else:
                messages.success(
                    request,
                    _("已向%(bodies)s发出催办。")
                    % {"bodies": "、".join(r.department.short_name for r in sent)},
                )
                if len(sent) == 1:
                    return redirect("reminder_detail", reminder_id=sent[0].pk)
                return redirect("reminder_list")
        else:
            status = 400
    else:
        form = ReminderForm()
    return render(
        request,
        "supervision/reminder_new.html",
        {
            "form": form,
            "pick": pick,
            "candidates": candidates,
            "chosen": chosen,
            "bodies": len({a.department_id for a in candidates}),
        },
        status=status,
    )


def _visible_reminder(request, reminder_id: int) -> Reminder:
    return get_object_or_404(selectors.reminder_list(user=request.user), pk=reminder_id)


@login_required
def reminder_detail(request, reminder_id: int):
    """One reminder: what was asked, about which shares, its receipt and reply, its history."""
    user = request.user
    reminder = _visible_reminder(request, reminder_id)
    return render(
        request,
        "supervision/reminder_detail.html",
        {
            "reminder": reminder,
            "may_acknowledge": permissions.can_acknowledge(user, reminder),
            "may_reply": permissions.can_reply(user, reminder),
            "reply_form": ReplyForm(),
            "history": selectors.reminder_history(reminder),
        },
    )


def _any_reminder(reminder_id: int) -> Reminder:
    # Any reminder: whether this user may act on it is the service's decision (403).
    return get_object_or_404(Reminder.objects.only("pk", "department_id", "state"), pk=reminder_id)


@login_required
@require_POST
def reminder_acknowledge(request, reminder_id: int):
    reminder = _any_reminder(reminder_id)
    try:
        services.reminder_acknowledge(reminder=reminder, by=request.user)
    except PermissionDenied as exc:
        _refuse(request, str(exc.message))
    except (ValidationError, ApplicationError) as exc:
        messages.error(request, _messages_of(exc))
    else:
        messages.success(request, _("已签收催办。"))
    return _next_or(request, f"/reminders/{reminder.pk}/")


@login_required
@require_POST
def reminder_reply(request, reminder_id: int):
    reminder = _any_reminder(reminder_id)
    try:
        services.reminder_reply(
            reminder=reminder, by=request.user, reply=request.POST.get("reply", "")
        )
    except PermissionDenied as exc:
        _refuse(request, str(exc.message))
    except (ValidationError, ApplicationError) as exc:
        messages.error(request, _("未回复：") + _messages_of(exc))
    else:
        messages.success(request, _("已回复，市民政局将收到通知。"))
    return _next_or(request, f"/reminders/{reminder.pk}/")


# --- Sign-off (办结) --------------------------------------------------------------------


@login_required
@require_POST
def task_sign_off(request, task_id: int):
    task = get_object_or_404(Task.objects.all(), pk=task_id)
    try:
        services.task_sign_off(task=task, by=request.user)
    except PermissionDenied as exc:
        _refuse(request, str(exc.message))
    except (ValidationError, ApplicationError) as exc:
        messages.error(request, _messages_of(exc))
    else:
        messages.success(request, _("已办结：%(code)s") % {"code": task.code})
    return _next_or(request, f"/tasks/{task.pk}/")


@login_required
@require_POST
def task_reopen(request, task_id: int):
    sign_off = get_object_or_404(SignOff.objects.select_related("task"), task_id=task_id)
    form = ReopenForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else request.POST.get("reason", "")
    try:
        services.sign_off_reopen(sign_off=sign_off, by=request.user, reason=reason)
    except PermissionDenied as exc:
        _refuse(request, str(exc.message))
    except (ValidationError, ApplicationError) as exc:
        messages.error(request, _messages_of(exc))
    else:
        messages.success(request, _("已重新打开：%(code)s") % {"code": sign_off.task.code})
    return _next_or(request, f"/tasks/{task_id}/")


# --- Inspections (督查) -----------------------------------------------------------------


@login_required
def inspection_list(request):
    """Inspections with how many of their findings are still open."""
    as_of = request.as_of
    if request.GET.get("export") == "xlsx":
        # Every finding of every inspection listed, each with its rectification item.
        findings = (
            selectors.finding_list(as_of)
            .filter(inspection__in=selectors.inspection_list(as_of=as_of).values("pk"))
            .order_by("-inspection__inspected_on", "-inspection_id", "number")
        )
        return findings_ledger(findings, as_of=as_of)
    page = Paginator(selectors.inspection_list(as_of=as_of), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = selectors.finding_counts([i.pk for i in page], as_of=as_of)
    for inspection in page:
        inspection.findings_total, inspection.findings_open = counts.get(inspection.pk, (0, 0))
    return render(
        request,
        "supervision/inspection_list.html",
        {
            "page": page,
            "may_record": permissions.can_record_inspection(request.user),
            "open_count": selectors.open_findings_count(as_of=as_of),
        },
    )


@login_required
def inspection_new(request):
    """Record an inspection and its findings; each finding becomes a rectification item."""
    user = request.user
    if not permissions.can_record_inspection(user):
        _refuse(request, _("只有市民政局协调员可以记录督查。"))
    status = 200
    if request.method == "POST":
        form = InspectionForm(request.POST)
        findings = FindingFormSet(request.POST, prefix="findings")
        if form.is_valid() and findings.is_valid():
            data = form.cleaned_data
            try:
                inspection = services.inspection_record(
                    plan=data["plan"],
                    inspected_on=data["inspected_on"],
                    inspectors=data["inspectors"],
                    summary=data["summary"],
                    departments=list(data["departments"]),
                    regions=list(data["regions"]),
                    findings=[f.cleaned_data for f in findings if f.cleaned_data],
                    by=user,
                )
            except PermissionDenied as exc:
                _refuse(request, str(exc.message))
            except (ValidationError, ApplicationError) as exc:
                _add_errors(form, exc)
                status = 400
            else:
                messages.success(
                    request,
                    _("已记录督查%(code)s，%(n)d条发现已作为整改任务交办。")
                    % {"code": inspection.code, "n": inspection.findings.count()},
                )
                return redirect("inspection_detail", inspection_id=inspection.pk)
        else:
            status = 400
    else:
        form = InspectionForm()
        findings = FindingFormSet(prefix="findings")
    return render(
        request,
        "supervision/inspection_new.html",
        {"form": form, "findings": findings},
        status=status,
    )


@login_required
def inspection_detail(request, inspection_id: int):
    """An inspection's findings: each a rectification item with its light, report and closing."""
    user, as_of = request.user, request.as_of
    inspection = get_object_or_404(selectors.inspection_list(as_of=as_of), pk=inspection_id)
    rows = selectors.finding_rows(inspection=inspection, user=user, as_of=as_of)
    may_record = not as_of and permissions.can_record_inspection(user)
    return render(
        request,
        "supervision/inspection_detail.html",
        {
            "inspection": inspection,
            "rows": rows,
            "open": sum(1 for r in rows if not r.closed),
            "may_record": may_record,
            "finding_form": FindingForm() if may_record else None,
            "history": selectors.inspection_history(inspection),
        },
    )


@login_required
@require_POST
def finding_new(request, inspection_id: int):
    inspection = get_object_or_404(Inspection.objects.select_related("plan"), pk=inspection_id)
    if not permissions.can_record_inspection(request.user):
        _refuse(request, _("只有市民政局协调员可以记录督查发现。"))
    form = FindingForm(request.POST)
    if form.is_valid():
        try:
            finding = services.finding_add(
                inspection=inspection, by=request.user, **form.cleaned_data
            )
        except PermissionDenied as exc:
            _refuse(request, str(exc.message))
        except (ValidationError, ApplicationError) as exc:
            messages.error(request, _messages_of(exc))
        else:
            messages.success(
                request,
                _("已交办整改任务%(code)s。") % {"code": finding.task.code},
            )
    else:
        errors = [
            f"{form.fields[n].label if n in form.fields else ''}：{'；'.join(e)}"
            for n, e in form.errors.items()
        ]
        messages.error(request, _("未添加：") + "；".join(errors))
    return redirect("inspection_detail", inspection_id=inspection.pk)
