"""Writes for semi-annual summaries: ask for a generation, generate, edit, submit.

Generation runs as a Celery job (`summaries.tasks.summary_generate_task`), queued
once the transaction that asks for it commits. The job is safe to run again on
the same version (a worker killed halfway, a retry): it starts over, writes every
file under a temporary name and renames it into place, and removes what a killed
run left behind — so a version ends with exactly its three files.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_coordinator
from core.errors import ApplicationError, ConflictError, NotFoundError, PermissionDenied
from core.services import record_actor
from reports.models import ReportingPeriod
from tasks.models import Plan

from .collect import collect, summary_day
from .documents.data import Narrative
from .documents.docx import write_docx
from .documents.xlsx import write_xlsx
from .models import NARRATIVE_MAX_LENGTH, Summary, SummaryVersion
from .snapshot import read_snapshot

log = logging.getLogger("yangquan.summaries")

NARRATIVE_FIELDS = ("overview", "problems", "next_steps")


def _check_coordinator(by) -> None:
    if by is not None and not is_coordinator(by):
        raise PermissionDenied(_("只有市民政局协调员可以生成、修改和报送半年汇总。"))


def summary_for(*, plan: Plan, period: ReportingPeriod) -> Summary:
    summary, _created = Summary.objects.get_or_create(plan=plan, period=period)
    return summary


@transaction.atomic
def summary_generate_request(
    *, plan: Plan, period: ReportingPeriod, by, trigger: str
) -> SummaryVersion:
    """A new version, queued; the job starts once this transaction commits.

    The narrative starts from the previous version's (the coordinator's text
    carries over to the regenerated summary).
    """
    _check_coordinator(by)
    if period.plan_id != plan.pk:
        raise ValidationError({"period": _("报告期不属于该实施方案。")})
    summary = summary_for(plan=plan, period=period)
    summary = Summary.objects.select_for_update().get(pk=summary.pk)
    previous = summary.versions.order_by("-number").first()
    number = (summary.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = SummaryVersion(
        summary=summary,
        number=number,
        trigger=trigger,
        requested_by=by,
        stage=_("排队等待"),
        **{name: getattr(previous, name) for name in NARRATIVE_FIELDS} if previous else {},
    )
    version.full_clean()
    record_actor(version, by)
    version.save()
    if trigger != SummaryVersion.Trigger.COMMAND:
        from .tasks import summary_generate_task

        transaction.on_commit(lambda: summary_generate_task.delay(version.pk))
    return version


def version_dir(version: SummaryVersion) -> Path:
    summary = version.summary
    return (
        Path(settings.MEDIA_ROOT)
        / "summaries"
        / summary.plan.slug
        / summary.period.code
        / f"v{version.number}"
    )


def _file_names(version: SummaryVersion) -> dict[str, str]:
    stem = f"{version.summary.period.code}-v{version.number}"
    return {
        "data_file": f"data-{stem}.jsonl.gz",
        "docx_file": f"半年工作推进情况汇总-{stem}.docx",
        "xlsx_file": f"任务台账-{stem}.xlsx",
    }


def _relative(path: Path) -> str:
    return str(path.relative_to(settings.MEDIA_ROOT))


class _Progress:
    """Writes the stage and percentage at most once a second (the page polls it).

    With `apart`, each write is made from another thread, so on its own database
    connection and committed at once, while the job's own connection sits in the
    long read transaction of the collection.
    """

    def __init__(self, version_id: int, start: int, end: int, *, apart: bool = False):
        self.version_id, self.start, self.end, self.apart = version_id, start, end, apart
        self.last = 0.0

    def __call__(self, stage: str, share: float) -> None:
        now = time.monotonic()
        if now - self.last < 1.0 and share < 1.0:
            return
        self.last = now
        percent = int(self.start + (self.end - self.start) * max(0.0, min(1.0, share)))
        if not self.apart:
            _write_progress(self.version_id, stage, percent)
            return
        writer = threading.Thread(
            target=_write_progress_apart, args=(self.version_id, stage, percent)
        )
        writer.start()
        writer.join()


def _write_progress(version_id: int, stage: str, percent: int) -> None:
    SummaryVersion.objects.filter(pk=version_id).update(stage=stage, progress=percent)


def _write_progress_apart(version_id: int, stage: str, percent: int) -> None:
    try:
        _write_progress(version_id, stage, percent)
    finally:
        connection.close()


def summary_generate(*, version_id: int) -> SummaryVersion:
    """The job's work: collect the data into a snapshot, render the Word and Excel files."""
    with transaction.atomic():
        version = (
            SummaryVersion.objects.select_for_update()
            .select_related("summary__plan__coordinator", "summary__period")
            .get(pk=version_id)
        )
        if version.is_done or version.is_failed:
            return version  # a duplicate delivery of a finished job
        version.status = SummaryVersion.Status.RUNNING
        version.started_at = timezone.now()
        version.attempts += 1
        version.stage, version.progress, version.error = _("开始生成"), 0, ""
        record_actor(version, None, reason=_("第%(n)d次尝试") % {"n": version.attempts})
        version.save()
    directory = version_dir(version)
    directory.mkdir(parents=True, exist_ok=True)
    for leftover in directory.glob("*.part"):  # what a killed run left behind
        leftover.unlink()
    names = _file_names(version)
    summary = version.summary
    as_of = summary_day(summary.period)
    # In a worker the collection is its own REPEATABLE READ transaction; called inside a
    # transaction (a test, the command in a transaction) it reads in that one.
    consistent = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if consistent:
            # Every query of the collection sees the same committed state.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        collected = collect(
            plan=summary.plan,
            period=summary.period,
            path=directory / names["data_file"],
            as_of=as_of,
            progress=_Progress(version.pk, 0, 70, apart=consistent),
        )
    _render(
        version, directory, names, progress=_Progress(version.pk, 70, 100), bodies=collected.bodies
    )
    with transaction.atomic():
        version = SummaryVersion.objects.select_for_update().get(pk=version.pk)
        version.status = SummaryVersion.Status.DONE
        version.finished_at = timezone.now()
        version.as_of = as_of
        version.data_checksum = collected.checksum
        version.figures = {
            **collected.figures,
            "rows": collected.rows,
            "bodies": collected.bodies,
            "copied": collected.copied,
        }
        version.data_file = _relative(directory / names["data_file"])
        version.docx_file = _relative(directory / names["docx_file"])
        version.xlsx_file = _relative(directory / names["xlsx_file"])
        version.stage, version.progress = _("已完成"), 100
        record_actor(version, None, reason=_("生成完成"))
        version.save()
    log.info(
        "summary generated version=%s period=%s rows=%s checksum=%s",
        version.pk,
        summary.period.code,
        collected.rows,
        collected.checksum[:12],
    )
    return version


def narrative_of(version: SummaryVersion) -> Narrative:
    return Narrative(**{name: getattr(version, name) for name in NARRATIVE_FIELDS})


def _render(
    version, directory: Path, names: dict, *, progress, excel: bool = True, bodies: int = 0
) -> None:
    data_path = directory / names["data_file"]
    progress(_("生成Word报告"), 0.0)
    write_docx(
        read_snapshot(data_path, narrative=narrative_of(version)), directory / names["docx_file"]
    )
    if excel:
        progress(_("生成Excel台账"), 0.4)
        write_xlsx(
            read_snapshot(data_path, narrative=narrative_of(version)),
            directory / names["xlsx_file"],
            # A sheet per body, unless there are so many that the workbook grows too big.
            per_body_sheets=bodies <= settings.SUMMARY_XLSX_BODY_SHEETS_MAX,
        )
    progress(_("已完成"), 1.0)


def summary_version_fail(*, version_id: int, reason: str) -> None:
    """The job gave up: say why, where the coordinator will see it."""
    with transaction.atomic():
        version = SummaryVersion.objects.select_for_update().get(pk=version_id)
        if version.is_done:
            return
        version.status = SummaryVersion.Status.FAILED
        version.finished_at = timezone.now()
        version.error = reason[:2000]
        version.stage = _("生成失败")
        record_actor(version, None, reason=_("生成失败"))
        version.save()
    log.error("summary generation failed version=%s reason=%s", version_id, reason)


@transaction.atomic
def summary_narrative_update(
    *, version: SummaryVersion, by, narrative_version: int, **texts: str
) -> SummaryVersion:
    """Edit the draft's 总体情况, 主要问题 and 下半年工作打算; its Word file is rendered again."""
    _check_coordinator(by)
    version = SummaryVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_editable:
        raise ConflictError(
            _("只能修改已生成、尚未报送的汇总（本版：%(state)s）。")
            % {"state": _("已报送") if version.is_submitted else version.get_status_display()}
        )
    if narrative_version != version.narrative_version:
        raise ConflictError(_("正文已被他人修改，请刷新后再编辑。"))
    unknown = set(texts) - set(NARRATIVE_FIELDS)
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    for name, value in texts.items():
        if len(value or "") > NARRATIVE_MAX_LENGTH:
            raise ValidationError({name: _("内容过长。")})
        setattr(version, name, (value or "").strip())
    version.narrative_version += 1
    version.full_clean()
    record_actor(version, by)
    version.save()
    from .tasks import summary_render_task

    version_id = version.pk
    transaction.on_commit(lambda: summary_render_task.delay(version_id))
    return version


def summary_render(*, version_id: int) -> None:
    """Render a version's Word file again from its own snapshot (after a narrative edit)."""
    version = SummaryVersion.objects.select_related("summary__period", "summary__plan").get(
        pk=version_id
    )
    if not version.is_done:
        return
    directory = version_dir(version)
    _render(version, directory, _file_names(version), progress=lambda s, p: None, excel=False)


@transaction.atomic
def summary_submit(*, version: SummaryVersion, by) -> SummaryVersion:
    """报送 市委、市政府: the version is frozen from now on."""
    _check_coordinator(by)
    version = (
        SummaryVersion.objects.select_for_update().select_related("summary").get(pk=version.pk)
    )
    if not version.is_done:
        raise ConflictError(_("只能报送已生成的汇总。"))
    if version.is_submitted:
        raise ConflictError(_("该版本已报送。"))
    missing = [
        str(SummaryVersion._meta.get_field(name).verbose_name)
        for name in NARRATIVE_FIELDS
        if not getattr(version, name).strip()
    ]
    if missing:
        raise ValidationError(_("报送前请填写：%(fields)s。") % {"fields": "、".join(missing)})
    version.submitted_at = timezone.now()
    version.submitted_by = by
    record_actor(version, by, reason=_("报送市委、市政府"))
    version.save()
    summary = version.summary
    summary.submitted_version = version
    record_actor(summary, by)
    summary.save(update_fields=["submitted_version", "updated_at"])
    return version


def summaries_due(*, today: date | None = None) -> list[SummaryVersion]:
    """At a period's deadline, a draft summary is generated (the scheduled job, once)."""
    today = today or timezone.localdate()
    window = today - timedelta(days=settings.SUMMARY_GENERATE_WITHIN_DAYS)
    created = []
    for period in ReportingPeriod.objects.filter(
        due_on__lt=today, due_on__gte=window
    ).select_related("plan"):
        if SummaryVersion.objects.filter(
            summary__period=period, trigger=SummaryVersion.Trigger.SCHEDULE
        ).exists():
            continue
        created.append(
            summary_generate_request(
                plan=period.plan, period=period, by=None, trigger=SummaryVersion.Trigger.SCHEDULE
            )
        )
    return created


def period_by_code(*, code: str, plan: Plan | None = None) -> ReportingPeriod:
    """A period by its code (2019H1), in the given plan or the only plan."""
    periods = ReportingPeriod.objects.filter(code=code).select_related("plan")
    if plan is not None:
        periods = periods.filter(plan=plan)
    found = list(periods[:2])
    if not found:
        raise NotFoundError(_("没有报告期“%(code)s”。") % {"code": code})
    if len(found) > 1:
        raise ApplicationError(
            _("有多个实施方案都有报告期“%(code)s”，请指明方案。") % {"code": code}
        )
    return found[0]
