"""Pages for coordinators: upload a plan, review what was read, correct it, publish it.

Every page and action is for coordinators only (403 for others, logged for
writes). Actions are plain POST-redirect-GET back to the clause they changed
(`#card-<id>`); a refusal comes back as a message there.
"""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from core.errors import PermissionDenied
from core.security import log_refused_write

from . import selectors, services
from .forms import (
    AddBodyForm,
    BodyForm,
    ImportForm,
    NewBodyForm,
    SplitForm,
    TitleForm,
    UploadForm,
)
from .models import ImportedBody, ImportedClause, PlanImport
from .permissions import may_import
from .readers import limit_message, max_bytes
from .uploads import SizeLimitUploadHandler

RECENT_IMPORTS = 20


def _only_coordinators(request) -> None:
    if not may_import(request.user):
        reason = _("只有市民政局协调员可以导入和审核方案。")
        log_refused_write(request=request, reason=reason)
        raise DjangoPermissionDenied(reason)


def _errors(form_or_exc) -> str:
    if isinstance(form_or_exc, ValidationError):
        return "；".join(form_or_exc.messages)
    return "；".join(str(e) for errors in form_or_exc.errors.values() for e in errors)


def _back_to(plan_import: PlanImport, clause: ImportedClause | None = None):
    url = reverse("plan_import:review", args=[plan_import.pk])
    return HttpResponseRedirect(f"{url}#card-{clause.pk}" if clause else url)


# --- upload ---------------------------------------------------------------------------------


@login_required
@csrf_exempt  # checked below, once the size-limiting upload handler is in place
def upload(request):
    _only_coordinators(request)
    handler = None
    if request.method == "POST":
        handler = SizeLimitUploadHandler(request, limit=max_bytes())
        request.upload_handlers.insert(0, handler)
        try:
            request.POST  # noqa: B018 - parse now, within the limits
        except RequestDataTooBig:
            return _upload_page(request, UploadForm(), status=413, error=limit_message(max_bytes()))
    return _upload_checked(request, handler)


@csrf_protect
def _upload_checked(request, handler):
    if request.method != "POST":
        return _upload_page(request, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if handler is not None and handler.too_large:
        form.is_valid()
        form.errors.pop("__all__", None)  # "upload or paste" is not the problem
        form.add_error("file", limit_message(max_bytes()))
        return _upload_page(request, form, status=400)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    data = form.cleaned_data
    try:
        plan_import = services.import_create(
            text=data["source_text"],
            by=request.user,
            title=data["title"],
            source_name=data["source_name"],
            issued_on=data["issued_on"],
            coordinator=data["coordinator"],
            issuers=list(data["issuers"]) or None,
        )
    except ValidationError as exc:
        form.add_service_error(exc)
        return _upload_page(request, form, status=400)
    messages.success(
        request,
        _("已读取《%(title)s》，识别出 %(n)d 条责任条款。请逐条核对后发布。")
        % {"title": plan_import.title, "n": plan_import.clauses.count()},
    )
    return redirect("plan_import:review", plan_import.pk)


def _upload_page(request, form, status=200, error=""):
    return render(
        request,
        "plan_import/upload.html",
        {"form": form, "error": error, "imports": selectors.import_list()[:RECENT_IMPORTS]},
        status=status,
    )


# --- review ---------------------------------------------------------------------------------


def _get_import(pk: int) -> PlanImport:
    return get_object_or_404(
        PlanImport.objects.select_related("coordinator", "created_by", "published_plan"), pk=pk
    )


@login_required
def review(request, import_id: int):
    _only_coordinators(request)
    plan_import = _get_import(import_id)
    if request.method == "POST":
        return _update_particulars(request, plan_import)
    return _review_page(request, plan_import)


def _review_page(request, plan_import, *, form=None, status=200):
    clauses = selectors.import_clauses(plan_import)
    dates = services.plan_dates(plan_import)
    defaults = {
        "issued_on": dates.issued_on.isoformat(),
        "starts_on": dates.starts_on.isoformat(),
        "ends_on": dates.ends_on.isoformat(),
        "slug": plan_import.slug or services.default_slug(plan_import, dates.issued_on),
    }
    if form is None:
        form = ImportForm(
            initial={
                "title": plan_import.title,
                "document_number": plan_import.document_number,
                "slug": plan_import.slug,
                "issued_on": plan_import.issued_on,
                "starts_on": plan_import.starts_on,
                "ends_on": plan_import.ends_on,
                "coordinator": plan_import.coordinator_id,
                "issuers": [d.pk for d in plan_import.issuers.all()],
            },
            defaults=defaults,
        )
    problems = services.publish_problems(plan_import, clauses, by=request.user)
    _attach_row_forms(clauses)
    bodies = [b for c in clauses for b in c.bodies.all()]
    return render(
        request,
        "plan_import/review.html",
        {
            "plan_import": plan_import,
            "clauses": clauses,
            "segments": selectors.document_segments(plan_import.source_text, clauses),
            "form": form,
            "dates": dates,
            "dates_defaulted": {
                "issued_on": plan_import.issued_on is None,
                "starts_on": plan_import.starts_on is None,
                "ends_on": plan_import.ends_on is None,
            },
            "problems": problems,
            "departments": selectors.department_choices(),
            "body_count": len(bodies),
            "unresolved_count": sum(1 for b in bodies if b.needs_review),
            "warnings": [w for w in plan_import.warnings if w.get("level") == "warning"],
            "notes": [w for w in plan_import.warnings if w.get("level") != "warning"],
        },
        status=status,
    )


def _attach_row_forms(clauses: list[ImportedClause]) -> None:
    """Each clause and body gets its small forms (prefixed by their ids, as the actions read them)."""
    written = Counter(b.written_as for c in clauses for b in c.bodies.all())
    for clause in clauses:
        clause.title_form = TitleForm(
            prefix=f"t{clause.pk}", initial={"title": clause.title}, form_id=f"t{clause.pk}"
        )
        clause.add_form = AddBodyForm(prefix=f"a{clause.pk}", initial={"role": "support"})
        points = services.split_points(clause.text)
        clause.split_form = (
            SplitForm(prefix=f"s{clause.pk}", points=points, form_id=f"s{clause.pk}")
            if points
            else None
        )
        clause.unresolved = []
        for body in clause.bodies.all():
            body.written_elsewhere = written[body.written_as] - 1
            body.form = BodyForm(
                prefix=f"b{body.pk}",
                form_id=f"b{body.pk}",
                initial={
                    "role": body.role,
                    "department": body.department.short_name if body.department_id else "",
                },
            )
            if body.needs_review or body.is_new:
                body.new_form = NewBodyForm(
                    prefix=f"n{body.pk}",
                    form_id=f"n{body.pk}",
                    initial={"short_name": body.new_short_name, "kind": body.new_kind},
                )
            if body.needs_review:
                clause.unresolved.append(body)


def _update_particulars(request, plan_import):
    form = ImportForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.import_update(
                plan_import=plan_import,
                by=request.user,
                title=data["title"],
                slug=data["slug"],
                document_number=data["document_number"],
                issued_on=data["issued_on"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                coordinator=data["coordinator"],
                issuers=list(data["issuers"]),
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("已保存方案信息。"))
            return _back_to(plan_import)
    return _review_page(request, plan_import, form=form, status=400)


def _body(import_id: int, body_id: int) -> ImportedBody:
    return get_object_or_404(
        ImportedBody.objects.select_related("clause__plan_import", "department"),
        pk=body_id,
        clause__plan_import_id=import_id,
    )


def _clause(import_id: int, clause_id: int) -> ImportedClause:
    return get_object_or_404(
        ImportedClause.objects.select_related("plan_import"),
        pk=clause_id,
        plan_import_id=import_id,
    )


def _run(request, action, done: str) -> bool:
    """Call a service; a refusal becomes a message. True if it went through."""
    try:
        action()
    except PermissionDenied as exc:
        log_refused_write(request=request, reason=str(exc.message))
        raise DjangoPermissionDenied(str(exc.message)) from None
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return False
    messages.success(request, done)
    return True


@login_required
@require_POST
def body_change(request, import_id: int, body_id: int):
    _only_coordinators(request)
    body = _body(import_id, body_id)
    clause, plan_import = body.clause, body.clause.plan_import
    if request.POST.get("action") == "remove":
        _run(
            request,
            lambda: services.body_remove(body=body, by=request.user),
            _("已从 %(code)s 删除“%(name)s”。") % {"code": clause.code, "name": body.written_as},
        )
        return _back_to(plan_import, clause)
    form = BodyForm(request.POST, prefix=f"b{body.pk}")
    if not form.is_valid():
        messages.error(request, _errors(form))
        return _back_to(plan_import, clause)
    data = form.cleaned_data
    _run(
        request,
        lambda: services.body_update(
            body=body,
            by=request.user,
            role=data["role"],
            department=data["department"],
            everywhere=data["everywhere"],
        ),
        _("已保存 %(code)s 中“%(name)s”的修改。") % {"code": clause.code, "name": body.written_as},
    )
    return _back_to(plan_import, clause)


@login_required
@require_POST
def body_new(request, import_id: int, body_id: int):
    _only_coordinators(request)
    body = _body(import_id, body_id)
    clause, plan_import = body.clause, body.clause.plan_import
    form = NewBodyForm(request.POST, prefix=f"n{body.pk}")
    if not form.is_valid():
        messages.error(request, _errors(form))
        return _back_to(plan_import, clause)
    data = form.cleaned_data
    _run(
        request,
        lambda: services.body_confirm_new(
            body=body,
            by=request.user,
            short_name=data["short_name"],
            kind=data["kind"],
            everywhere=data["everywhere"],
        ),
        _("已确认新建单位“%(name)s”（发布时创建）。") % {"name": data["short_name"]},
    )
    return _back_to(plan_import, clause)


@login_required
@require_POST
def body_add(request, import_id: int, clause_id: int):
    _only_coordinators(request)
    clause = _clause(import_id, clause_id)
    form = AddBodyForm(request.POST, prefix=f"a{clause.pk}")
    if not form.is_valid():
        messages.error(request, _errors(form))
        return _back_to(clause.plan_import, clause)
    data = form.cleaned_data
    _run(
        request,
        lambda: services.body_add(
            clause=clause, by=request.user, role=data["role"], written_as=data["name"]
        ),
        _("已在 %(code)s 添加“%(name)s”。") % {"code": clause.code, "name": data["name"]},
    )
    return _back_to(clause.plan_import, clause)


@login_required
@require_POST
def clause_title(request, import_id: int, clause_id: int):
    _only_coordinators(request)
    clause = _clause(import_id, clause_id)
    form = TitleForm(request.POST, prefix=f"t{clause.pk}")
    if not form.is_valid():
        messages.error(request, _errors(form))
        return _back_to(clause.plan_import, clause)
    _run(
        request,
        lambda: services.clause_retitle(
            clause=clause, by=request.user, title=form.cleaned_data["title"]
        ),
        _("已修改 %(code)s 的标题。") % {"code": clause.code},
    )
    return _back_to(clause.plan_import, clause)


@login_required
@require_POST
def clause_split(request, import_id: int, clause_id: int):
    _only_coordinators(request)
    clause = _clause(import_id, clause_id)
    form = SplitForm(request.POST, prefix=f"s{clause.pk}")
    if not form.is_valid():
        messages.error(request, _errors(form))
        return _back_to(clause.plan_import, clause)
    code = clause.code
    _run(
        request,
        lambda: services.clause_split(clause=clause, by=request.user, at=form.cleaned_data["at"]),
        _("已将 %(code)s 拆分为两条。") % {"code": code},
    )
    return _back_to(clause.plan_import, clause)


@login_required
@require_POST
def clause_merge(request, import_id: int, clause_id: int):
    _only_coordinators(request)
    clause = _clause(import_id, clause_id)
    code = clause.code
    _run(
        request,
        lambda: services.clause_merge_next(clause=clause, by=request.user),
        _("已将 %(code)s 与下一条合并。") % {"code": code},
    )
    return _back_to(clause.plan_import, clause)


@login_required
@require_POST
def publish(request, import_id: int):
    _only_coordinators(request)
    plan_import = _get_import(import_id)
    try:
        plan = services.import_publish(plan_import=plan_import, by=request.user)
    except PermissionDenied as exc:
        log_refused_write(request=request, reason=str(exc.message))
        raise DjangoPermissionDenied(str(exc.message)) from None
    except ValidationError as exc:
        messages.error(request, _("未能发布：") + _errors(exc))
        return _back_to(plan_import)
    messages.success(
        request,
        _("已发布《%(title)s》：%(n)d 项工作任务已分解到各承办单位。")
        % {"title": plan.title, "n": plan.tasks.clauses().count()},
    )
    return redirect("plan_show", plan.slug)


@login_required
@require_POST
def discard(request, import_id: int):
    _only_coordinators(request)
    plan_import = _get_import(import_id)
    if _run(
        request,
        lambda: services.import_discard(plan_import=plan_import, by=request.user),
        _("已放弃导入《%(title)s》。") % {"title": plan_import.title},
    ):
        return redirect("plan_import:upload")
    return _back_to(plan_import)
