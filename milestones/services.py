"""Writes for dated steps and their checklists."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from departments.models import Department, Region
from yangquan_tracker.services import upsert

from .models import Milestone, MilestoneTarget


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
        changed += milestone_targets_sync(milestone=milestone)
    return changed


def milestone_targets_sync(*, milestone: Milestone, by=None) -> int:
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
            MilestoneTarget,
            lookup={"milestone": milestone, "region": region},
            values={"department": governments[county_id]},
            by=by,
        )
        changed += did
    return changed
