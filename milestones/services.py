"""Writes for dated steps and their checklists."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ConflictError, PermissionDenied
from core.evidence import evidence_upload_check
from core.models import check_text_lengths
from core.services import record_actor, upsert
from departments.models import Department, Region

from . import permissions
from .models import ChecklistEvidence, ChecklistLine, LineState, Milestone


def milestone_scope_regions(*, milestone: Milestone) -> list[Region]:
    """The counties or towns that must each be done for the step to be done."""
    year = milestone.due_date.year
    scope = milestone.scope
    if scope == Milestone.Scope.COUNTIES:
        return list(Region.objects.counties().valid_in(year))
    pilots = list(milestone.plan.pilot_towns.select_related("parent"))
    if scope == Milestone.Scope.PILOT_TOWNS:
        return pilots
    if scope == Milestone.Scope.PILOT_COUNTIES:
        return sorted({town.parent for town in pilots}, key=lambda r: r.code)
    if scope == Milestone.Scope.ALL_TOWNS:
        return list(Region.objects.towns().valid_in(year).select_related("parent"))
    raise ValidationError({"scope": _("未知的落实范围。")})


def milestones_load(*, plan, milestones: list[dict]) -> int:
    changed = 0
    for order, row in enumerate(milestones, start=1):
        milestone, did = upsert(
            Milestone,
            lookup={"plan": plan, "code": row["code"]},
            values={
                "due_date": row["due_date"],
                "due_precision": row.get("due_precision", Milestone.Precision.MONTH),
                "title": row["title"],
                "text": row["text"],
                "scope": row["scope"],
                "note": row.get("note", ""),
                "order": order,
            },
        )
        changed += did
        changed += checklist_lines_sync(milestone=milestone)
    return changed


def checklist_lines_sync(*, milestone: Milestone, by=None) -> int:
    """One checklist line per county or town in the step's scope (never removes lines)."""
    governments = {
        d.region_id: d for d in Department.objects.filter(kind=Department.Kind.COUNTY_GOVERNMENT)
    }
    changed = 0
    for region in milestone_scope_regions(milestone=milestone):
        county_id = region.pk if region.kind == Region.Kind.COUNTY else region.parent_id
        if county_id not in governments:
            raise ValidationError(
                _("“%(region)s”所在县(区)没有人民政府单位，无法生成清单。")
                % {"region": region.name}
            )
        _target, did = upsert(
            ChecklistLine,
            lookup={"milestone": milestone, "region": region},
            values={"department": governments[county_id]},
            by=by,
        )
        changed += did
    return changed


def _locked(line: ChecklistLine) -> ChecklistLine:
    return (
        ChecklistLine.objects.select_for_update(of=("self",))
        .select_related("milestone", "region", "department")
        .get(pk=line.pk)
    )


@transaction.atomic
def checklist_line_report_done(
    *, line: ChecklistLine, by, completed_on: date, note: str = "", upload=None
) -> ChecklistLine:
    """A county reports its line done (with the day it was done); the bureau then confirms it.

    `upload`, if given, is attached as evidence (the same file rules as a
    report's evidence); a refused file leaves the line as it was.
    """
    line = _locked(line)
    if not permissions.can_report_line(by, line):
        if line.is_confirmed:
            raise ConflictError(_("该项已由市民政局确认完成，不能再修改。"))
        raise PermissionDenied(_("只能报告本县(区)的节点任务清单。"))
    if completed_on is None:
        raise ValidationError({"completed_on": _("请填写完成日期。")})
    if completed_on > timezone.localdate():
        raise ConflictError(_("完成日期不能晚于今天。"))
    line.state = LineState.REPORTED
    line.completed_on = completed_on
    line.note = (note or "").strip()
    line.reported_by = by
    line.reported_at = timezone.now()
    check_text_lengths(line)
    line.full_clean()
    record_actor(line, by)
    line.save()
    if upload:
        checklist_evidence_add(line=line, by=by, upload=upload)
    return line


@transaction.atomic
def checklist_evidence_add(*, line: ChecklistLine, by, upload) -> ChecklistEvidence:
    """Attach a file to a line the county may still report on (not once confirmed)."""
    if not permissions.can_report_line(by, line):
        raise PermissionDenied(_("只能为本县(区)未确认的节点任务清单上传佐证材料。"))
    checked = evidence_upload_check(upload)
    evidence = ChecklistEvidence(
        line=line,
        original_name=checked.name,
        extension=checked.extension,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    evidence.file.save(checked.name, upload, save=False)
    evidence.full_clean()
    record_actor(evidence, by)
    evidence.save()
    return evidence


@transaction.atomic
def checklist_line_confirm(*, line: ChecklistLine, by) -> ChecklistLine:
    """The bureau confirms a line the county reported done (only confirmed lines count)."""
    line = _locked(line)
    if not permissions.can_confirm_line(by, line):
        if not line.is_reported:
            raise ConflictError(_("只有县(区)已报完成的清单项可以确认。"))
        raise PermissionDenied(_("只有市民政局协调员可以确认。"))
    line.state = LineState.CONFIRMED
    line.confirmed_by = by
    line.confirmed_at = timezone.now()
    line.return_reason = ""
    line.full_clean()
    record_actor(line, by)
    line.save()
    return line


@transaction.atomic
def checklist_line_return(*, line: ChecklistLine, by, reason: str) -> ChecklistLine:
    """The bureau sends a reported line back to the county with a reason."""
    line = _locked(line)
    if not permissions.can_confirm_line(by, line):
        if not line.is_reported:
            raise ConflictError(_("只有县(区)已报完成的清单项可以退回。"))
        raise PermissionDenied(_("只有市民政局协调员可以退回。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"return_reason": _("退回时必须填写理由。")})
    line.state = LineState.RETURNED
    line.return_reason = reason
    check_text_lengths(line)
    line.full_clean()
    record_actor(line, by)
    line.save()
    return line
