"""Publishing a reviewed draft: the plan, its tree, responsibilities, new bodies and shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import set_m2m
from departments.models import Department
from reports.services import lights_refresh, periods_ensure
from tasks.models import Plan, Responsibility, Task
from tasks.services import assignments_sync

from .. import guesses
from ..models import ImportedClause, ImportedNode, PlanImport
from ._common import check_actor, check_draft, save_with_history, title_from_text

TASK_KINDS = {
    ImportedNode.Kind.PART: Task.Kind.PART,
    ImportedNode.Kind.SECTION: Task.Kind.SECTION,
    ImportedNode.Kind.ITEM: Task.Kind.ITEM,
}


@dataclass
class PlanDates:
    issued_on: date
    starts_on: date
    ends_on: date


def plan_dates(plan_import: PlanImport, *, today: date | None = None) -> PlanDates:
    """The dates a plan is published with: those set on the import, else defaults.

    issued_on: as set, else the date the document states (guessed at import), else
    today. starts_on: as set, else issued_on. ends_on: as set, else 31 December of
    the latest year the text names (see `guesses.guess_ends_on`).
    """
    issued = plan_import.issued_on or today or timezone.localdate()
    starts = plan_import.starts_on or issued
    ends = plan_import.ends_on or guesses.guess_ends_on(plan_import.source_text, issued_on=issued)
    return PlanDates(issued, starts, max(ends, starts))


def default_slug(plan_import: PlanImport, issued_on: date) -> str:
    return f"plan-{issued_on.year}-{plan_import.pk}"


def publish_problems(
    plan_import: PlanImport, clauses: list[ImportedClause], *, by=None
) -> list[str]:
    """Why the import cannot be published yet (empty when it can).

    `clauses` come with their bodies and departments prefetched (see
    selectors.import_detail), so this reads nothing per row.
    """
    problems = []
    unresolved = [
        f"{clause.code} {body.written_as}"
        for clause in clauses
        for body in clause.bodies.all()
        if body.needs_review
    ]
    if unresolved:
        problems.append(
            _("以下单位尚未确认（请选择已有单位，或确认新建）：%(names)s")
            % {"names": "；".join(unresolved)}
        )
    empty = [clause.code for clause in clauses if not clause.bodies.all()]
    if empty:
        problems.append(_("以下条款没有责任单位：%(codes)s") % {"codes": "、".join(empty)})
    for clause in clauses:
        seen: dict[str, str] = {}
        for body in clause.bodies.all():
            key = f"d{body.department_id}" if body.department_id else f"n{body.new_short_name}"
            if body.needs_review:
                continue
            if key in seen:
                problems.append(
                    _("条款 %(code)s 中“%(name)s”出现两次（%(a)s、%(b)s），请删除其一。")
                    % {
                        "code": clause.code,
                        "name": body.shown_name,
                        "a": seen[key],
                        "b": body.written_as,
                    }
                )
            seen[key] = body.written_as
    if not clauses:
        problems.append(_("没有责任条款。"))
    if plan_import.coordinator_id is None and not _concrete_department(by):
        problems.append(_("请选择牵头协调单位。"))
    return problems


def _concrete_department(user) -> Department | None:
    department = getattr(user, "department", None)
    return department if department is not None and not department.is_collective else None


@transaction.atomic
def import_publish(*, plan_import: PlanImport, by) -> Plan:
    """Make the reviewed import a live plan, all at once or not at all.

    Creates the bodies confirmed as new, the `Plan` (dates per `plan_dates`; the
    coordinator as set, else the publisher's own body), a `Task` per part,
    section and item (sub-items are kept in their clauses' codes, not as nodes)
    and per clause, a `Responsibility` per body with the document's wording, then
    the shares (`assignments_sync`), the reporting periods to date and the lights.
    """
    check_actor(by)
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    check_draft(plan_import)
    clauses = list(
        plan_import.clauses.order_by("start", "pk").prefetch_related("bodies__department")
    )
    problems = publish_problems(plan_import, clauses, by=by)
    if problems:
        raise ValidationError(problems)
    new_bodies = _create_new_bodies(clauses, by)
    dates = plan_dates(plan_import)
    slug = plan_import.slug or default_slug(plan_import, dates.issued_on)
    if Plan.objects.filter(slug=slug).exists():
        raise ValidationError(
            {"slug": _("已有标识为“%(slug)s”的方案，请换一个。") % {"slug": slug}}
        )
    plan = Plan(
        slug=slug,
        title=plan_import.title,
        document_number=plan_import.document_number,
        issued_on=dates.issued_on,
        starts_on=dates.starts_on,
        ends_on=dates.ends_on,
        coordinator=plan_import.coordinator or _concrete_department(by),
        source_text=plan_import.source_text,
        source_reference=plan_import.source_name,
    )
    save_with_history(plan, by, reason=_("由导入的方案发布"))
    set_m2m(plan.issuers, list(plan_import.issuers.all()), by=by)
    _create_tasks(plan, plan_import, clauses, new_bodies, by)
    assignments_sync(plan=plan, by=by)
    periods_ensure(plan=plan)
    lights_refresh(plan_ids=[plan.pk])
    plan_import.status = PlanImport.Status.PUBLISHED
    plan_import.published_plan = plan
    plan_import.published_at = timezone.now()
    save_with_history(plan_import, by, reason=_("发布"))
    return plan


def _create_new_bodies(clauses: list[ImportedClause], by) -> dict[str, Department]:
    created: dict[str, Department] = {}
    order = (Department.objects.aggregate(m=Max("order"))["m"] or 0) + 1
    for clause in clauses:
        for body in clause.bodies.all():
            if not body.is_new or body.new_short_name in created:
                continue
            department = Department(short_name=body.new_short_name, kind=body.new_kind, order=order)
            order += 1
            save_with_history(department, by, reason=_("导入方案时新建"))
            created[body.new_short_name] = department
    return created


def _create_tasks(plan, plan_import, clauses, new_bodies, by) -> None:
    nodes = list(plan_import.nodes.order_by("order"))
    by_code = {node.code: node for node in nodes}

    def tree_parent(code: str) -> str:
        """The nearest part, section or item at or above `code` (sub-items are not nodes)."""
        node = by_code.get(code)
        while node is not None and node.kind == ImportedNode.Kind.SUBITEM:
            node = by_code.get(node.parent_code)
        return node.code if node is not None else ""

    entries = [(node.start, 0, node) for node in nodes if node.kind in TASK_KINDS]
    entries += [(clause.start, 1, clause) for clause in clauses]
    tasks: dict[str, Task] = {}
    for order, (_start, is_clause, entry) in enumerate(sorted(entries, key=lambda e: e[:2]), 1):
        if is_clause:
            parent = tasks.get(tree_parent(entry.node_code))
            task = Task(
                plan=plan,
                parent=parent,
                kind=Task.Kind.CLAUSE,
                code=entry.code,
                title=entry.title[:200],
                text=entry.text,
                responsibility_text=entry.responsibility_text,
                order=order,
                due_date=guesses.due_date_from(entry.due_text),
            )
        else:
            parent = tasks.get(tree_parent(entry.parent_code)) if entry.parent_code else None
            own_text = (
                entry.text[len(entry.label) :].strip()
                if entry.text.startswith(entry.label)
                else entry.text
            )
            task = Task(
                plan=plan,
                parent=parent,
                kind=TASK_KINDS[entry.kind],
                code=entry.code,
                title=(entry.heading or title_from_text(own_text) or entry.code)[:200],
                text=entry.text,
                order=order,
            )
        save_with_history(task, by, reason=_("由导入的方案发布"))
        if not is_clause:
            tasks[entry.code] = task
            continue
        for position, body in enumerate(entry.bodies.all(), start=1):
            responsibility = Responsibility(
                task=task,
                department=body.department or new_bodies[body.new_short_name],
                role=body.role,
                written_as=body.written_as[:60],
                order=position,
            )
            save_with_history(responsibility, by, reason=_("由导入的方案发布"))
