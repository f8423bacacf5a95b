"""Writes for progress reports and their evidence.

Every write checks the actor against reports.permissions, validates the whole
row (full_clean) and records who did it in the history. Reports are never
deleted; evidence is only hidden (removed_at).
"""

import hashlib
from datetime import date
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tasks.models import Assignment
from yangquan_tracker.errors import ApplicationError, ConflictError, PermissionDenied

from . import permissions
from .models import Evidence, ProgressReport, ReportingPeriod

EDITABLE_FIELDS = ("status", "percent", "progress", "problems", "next_steps")

# Extension as named by the user -> what the content must turn out to be.
EVIDENCE_TYPES = {
    "pdf": {"pdf"},
    "doc": {"doc", "xls", "ppt"},  # OLE2 files: the sniffer cannot tell them apart
    "docx": {"docx", "zip"},
    "xls": {"xls", "doc", "ppt"},
    "xlsx": {"xlsx", "zip"},
    "jpg": {"jpg"},
    "jpeg": {"jpg"},
    "png": {"png"},
}


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("不能填写这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})


def _stamp(instance, by) -> None:
    """Record the actor in the history row this save creates."""
    instance._history_user = by


def current_period(*, plan_id: int, on: date | None = None) -> ReportingPeriod | None:
    on = on or timezone.localdate()
    return ReportingPeriod.objects.filter(
        plan_id=plan_id, starts_on__lte=on, ends_on__gte=on
    ).first()


def _check_period_open(report: ProgressReport) -> None:
    if report.period_id and report.period.is_locked:
        raise ApplicationError(
            _("报告期“%(period)s”已关闭，不能再修改。") % {"period": report.period}
        )


@transaction.atomic
def report_create(*, assignment: Assignment, by, **fields) -> ProgressReport:
    if not permissions.can_report_on(by, assignment):
        raise PermissionDenied(_("只能为本单位承担的任务填报进展。"))
    if assignment.reports.filter(state__in=ProgressReport.OPEN_STATES).exists():
        raise ApplicationError(_("该任务已有一份未审核的填报，请在原填报上继续编辑。"))
    _check_fields(fields)
    report = ProgressReport(
        assignment=assignment,
        period=current_period(plan_id=assignment.task.plan_id),
        created_by=by,
        updated_by=by,
        **fields,
    )
    _check_period_open(report)
    report.full_clean()
    _stamp(report, by)
    report.save()
    return report


def _lock(report: ProgressReport) -> ProgressReport:
    """Re-read the row under a lock so two saves cannot interleave."""
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to period.
    return (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("assignment__task", "period")
        .get(pk=report.pk)
    )


def _check_version(report: ProgressReport, version: int | None) -> None:
    if version is not None and int(version) != report.version:
        raise ConflictError(
            _(
                "保存失败：该填报已被%(user)s于%(when)s修改（当前版本%(current)s，您编辑的是版本%(yours)s）。"
            )
            % {
                "user": report.updated_by.get_full_name() or report.updated_by.username,
                "when": timezone.localtime(report.updated_at).strftime("%Y-%m-%d %H:%M"),
                "current": report.version,
                "yours": version,
            },
            extra={"current_version": report.version},
        )


@transaction.atomic
def report_update(*, report: ProgressReport, by, version: int, **fields) -> ProgressReport:
    """Change a draft or returned report; refused if someone saved since `version`."""
    report = _lock(report)
    if not permissions.can_edit_report(by, report):
        if permissions.can_report_on(by, report.assignment):
            raise ApplicationError(_("已报送或已审核的填报不能修改。"))
        raise PermissionDenied(_("只能修改本单位的填报。"))
    _check_version(report, version)
    _check_period_open(report)
    _check_fields(fields)
    return _apply(report, by, **fields)


def _apply(report: ProgressReport, by, **changes) -> ProgressReport:
    """Every change to a report: a new version, validated, with its author in the history."""
    for name, value in changes.items():
        setattr(report, name, value)
    report.updated_by = by
    report.version += 1
    report.full_clean()
    _stamp(report, by)
    report.save()
    return report


@transaction.atomic
def report_submit(*, report: ProgressReport, by, version: int | None = None) -> ProgressReport:
    report = _lock(report)
    if not permissions.can_edit_report(by, report):
        if permissions.can_report_on(by, report.assignment):
            raise ApplicationError(_("只有草稿或退回的填报可以报送。"))
        raise PermissionDenied(_("只能报送本单位的填报。"))
    _check_version(report, version)
    _check_period_open(report)
    return _apply(
        report,
        by,
        state=ProgressReport.State.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=by,
    )


def _check_reviewable(report: ProgressReport, by) -> None:
    if permissions.can_review_report(by, report):
        return
    if report.state != ProgressReport.State.SUBMITTED and (
        permissions.is_coordinator(by) or by.department_id == report.assignment.department_id
    ):
        raise ApplicationError(_("只有已报送的填报可以审核或退回。"))
    raise PermissionDenied(_("只有本单位审核人或市民政局协调员可以审核。"))


@transaction.atomic
def report_approve(*, report: ProgressReport, by, version: int | None = None) -> ProgressReport:
    report = _lock(report)
    _check_reviewable(report, by)
    _check_version(report, version)
    return _apply(
        report,
        by,
        state=ProgressReport.State.APPROVED,
        reviewed_at=timezone.now(),
        reviewed_by=by,
        return_reason="",
    )


@transaction.atomic
def report_return(
    *, report: ProgressReport, by, reason: str, version: int | None = None
) -> ProgressReport:
    report = _lock(report)
    _check_reviewable(report, by)
    _check_version(report, version)
    if not (reason or "").strip():
        raise ValidationError({"return_reason": _("退回时必须填写理由。")})
    return _apply(
        report,
        by,
        state=ProgressReport.State.RETURNED,
        reviewed_at=timezone.now(),
        reviewed_by=by,
        return_reason=reason.strip(),
    )


def _sniff(upload) -> tuple[str, str]:
    """(extension, mime) judged from the file's bytes, not its name."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None:
        return "", ""
    return kind.extension, kind.mime


@transaction.atomic
def evidence_add(*, report: ProgressReport, by, upload) -> Evidence:
    """Attach a file: PDF, Word, Excel or an image, checked by content and size."""
    if not permissions.can_edit_report(by, report):
        raise PermissionDenied(_("只能为本单位未报送的填报上传佐证材料。"))
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in EVIDENCE_TYPES:
        raise ValidationError(
            {
                "file": _("不支持的文件类型“%(ext)s”，只能上传PDF、Word、Excel或图片(JPG/PNG)。")
                % {"ext": extension or _("无扩展名")}
            }
        )
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("文件过大（%(size).1f MB），不能超过%(max).0f MB。")
                % {"size": upload.size / 2**20, "max": settings.EVIDENCE_MAX_BYTES / 2**20}
            }
        )
    sniffed, mime = _sniff(upload)
    if sniffed not in EVIDENCE_TYPES[extension]:
        raise ValidationError(
            {
                "file": _("文件内容与扩展名“%(ext)s”不符，请上传真实的PDF、Word、Excel或图片文件。")
                % {"ext": extension}
            }
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    evidence = Evidence(
        report=report,
        original_name=name[:200],
        extension=extension,
        content_type=mime,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=by,
    )
    evidence.file.save(name, upload, save=False)
    evidence.full_clean()
    _stamp(evidence, by)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by) -> Evidence:
    """Hide a file from the report; the file and its history stay."""
    if not permissions.can_edit_report(by, evidence.report):
        raise PermissionDenied(_("只能移除本单位未报送填报中的佐证材料。"))
    evidence.removed_at = timezone.now()
    _stamp(evidence, by)
    evidence.save(update_fields=["removed_at", "updated_at"])
    return evidence
