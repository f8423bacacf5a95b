"""Pages of the semi-annual summaries: the list of periods, one summary with its versions.

Generating runs in the background; the page shows a progress bar that htmx
refreshes every second until the job is done, then reloads the page.
"""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError, PermissionDenied
from core.security import log_refused_write
from reports.models import ReportingPeriod

from . import permissions, selectors, services
from .documents.html import render_summary_html
from .forms import NarrativeForm
from .models import SummaryVersion
from .snapshot import read_snapshot

# Above this many assignment rows the page shows the figures only; the files hold the rest.
HTML_ROWS_MAX = 3000


def _viewer(request):
    if not permissions.can_view_summaries(request.user):
        raise DjangoPermissionDenied(_("只有市民政局和市领导可以查看半年汇总。"))


def _manager(request):
    if not permissions.can_manage_summaries(request.user):
        log_refused_write(request=request, reason="summaries: not a coordinator")
        raise DjangoPermissionDenied(_("只有市民政局协调员可以生成、修改和报送半年汇总。"))


@login_required
def summary_list(request):
    _viewer(request)
    rows = []
    for period in selectors.periods_with_summaries():
        summary = next(iter(period.summaries.all()), None)
        versions = list(summary.versions.all()) if summary else []
        rows.append(
            {"period": period, "summary": summary, "latest": versions[0] if versions else None}
        )
    return render(
        request,
        "summaries/summary_list.html",
        {"rows": rows, "may_manage": permissions.can_manage_summaries(request.user)},
    )


@login_required
@require_POST
def summary_generate(request, period_id: int):
    _manager(request)
    period = get_object_or_404(ReportingPeriod.objects.select_related("plan"), pk=period_id)
    try:
        version = services.summary_generate_request(
            plan=period.plan, period=period, by=request.user, trigger=SummaryVersion.Trigger.PAGE
        )
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc
    messages.info(request, _("已开始生成第%(n)d版，请稍候。") % {"n": version.number})
    return redirect("summary_detail", summary_id=version.summary_id)


@login_required
def summary_detail(request, summary_id: int):
    _viewer(request)
    summary = get_object_or_404(selectors.summary_detail(), pk=summary_id)
    versions = list(summary.versions.all())
    chosen = request.GET.get("version", "")
    version = next((v for v in versions if str(v.number) == chosen), None)
    if version is None:
        version = next((v for v in versions if v.is_working), None) or (
            versions[0] if versions else None
        )
    document = None
    if version is not None and version.is_done and version.figures.get("rows", 0) <= HTML_ROWS_MAX:
        data = read_snapshot(
            Path(settings.MEDIA_ROOT) / version.data_file,
            narrative=services.narrative_of(version),
        )
        document = render_summary_html(data)
    may_manage = permissions.can_manage_summaries(request.user)
    form = None
    if version is not None and version.is_editable and may_manage:
        form = NarrativeForm(
            initial={
                "overview": version.overview,
                "problems": version.problems,
                "next_steps": version.next_steps,
                "narrative_version": version.narrative_version,
            }
        )
    return render(
        request,
        "summaries/summary_detail.html",
        {
            "summary": summary,
            "versions": versions,
            "version": version,
            "document": document,
            "form": form,
            "may_manage": may_manage,
        },
    )


@login_required
def version_progress(request, version_id: int):
    """The progress bar alone (htmx polls it); when the job ends, the whole page reloads."""
    _viewer(request)
    version = get_object_or_404(SummaryVersion, pk=version_id)
    response = render(request, "summaries/_progress.html", {"version": version})
    if not version.is_working and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


def _version_for_write(request, version_id: int) -> SummaryVersion:
    _manager(request)
    return get_object_or_404(SummaryVersion.objects.select_related("summary"), pk=version_id)


@login_required
@require_POST
def version_narrative(request, version_id: int):
    version = _version_for_write(request, version_id)
    form = NarrativeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.summary_narrative_update(
                version=version,
                by=request.user,
                narrative_version=data["narrative_version"],
                overview=data["overview"],
                problems=data["problems"],
                next_steps=data["next_steps"],
            )
        except (ValidationError, ApplicationError) as exc:
            messages.error(request, _message(exc))
        else:
            messages.success(request, _("已保存正文，Word报告正在重新生成。"))
    else:
        messages.error(request, _("正文未保存：%(e)s") % {"e": form.errors.as_text()})
    return redirect(_detail_url(version))


@login_required
@require_POST
def version_submit(request, version_id: int):
    version = _version_for_write(request, version_id)
    try:
        services.summary_submit(version=version, by=request.user)
    except (ValidationError, ApplicationError) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("已报送市委、市政府；该版本已冻结。"))
    return redirect(_detail_url(version))


FILES = {"docx": "docx_file", "xlsx": "xlsx_file"}


@login_required
def version_download(request, version_id: int, kind: str):
    _viewer(request)
    version = get_object_or_404(SummaryVersion, pk=version_id, status=SummaryVersion.Status.DONE)
    if kind not in FILES:
        raise Http404
    relative = getattr(version, FILES[kind])
    path = Path(settings.MEDIA_ROOT) / relative
    if not relative or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


def _detail_url(version: SummaryVersion) -> str:
    from django.urls import reverse

    return f"{reverse('summary_detail', args=[version.summary_id])}?version={version.number}"


def _message(exc) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc.message)
