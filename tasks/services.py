"""Writes for plans, work items, responsibilities and assignments."""

from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.services import record_actor, set_m2m, upsert
from departments.models import Department, Region
from departments.services import department_resolve_name, departments_load, regions_load

from .models import Assignment, Plan, Responsibility, Role, Target, Task

ROLE_KEYS = {
    "lead": Role.LEAD,
    "support": Role.SUPPORT,
    "responsible": Role.RESPONSIBLE,
    "guide": Role.GUIDE,
}
TASK_NODE_KEYS = {
    "code",
    "title",
    "text",
    "responsibility_text",
    "due_date",
    "children",
    *ROLE_KEYS,
}
DEFAULT_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _read_yaml(path: Path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def read_plan_fixture(*, fixtures_dir: Path = DEFAULT_FIXTURES, plan_file: str) -> dict:
    return _read_yaml(fixtures_dir / plan_file)


@transaction.atomic
def plan_load_from_fixtures(
    *, fixtures_dir: Path = DEFAULT_FIXTURES, data: dict
) -> tuple[Plan, dict]:
    """Load places, bodies and one plan (tree, responsibilities, targets, assignments).

    The layers above load the rest of the fixture (dated steps: milestones;
    reporting periods and lights: reports). Safe to run again: rows are matched
    on natural keys and only saved when they differ, so a second run over the
    same files writes nothing. All or nothing: a bad fixture rolls it back.
    """
    regions = _read_yaml(fixtures_dir / "regions.yaml")
    changed = {
        "regions": regions_load(
            regions=regions["regions"],
            successors=regions.get("successors", {}),
            divisions_csv=fixtures_dir / "divisions_2016_2022.csv",
        ),
        "departments": departments_load(departments=_read_yaml(fixtures_dir / "departments.yaml")),
    }
    plan, changed["plan"] = plan_upsert(data=data["plan"], fixtures_dir=fixtures_dir)
    changed["tasks"] = tasks_load(plan=plan, nodes=data["tasks"])
    changed["targets"] = targets_load(plan=plan, targets=data.get("targets", []))
    changed["assignments"] = assignments_sync(plan=plan)
    return plan, changed


def plan_upsert(*, data: dict, fixtures_dir: Path) -> tuple[Plan, int]:
    source_text = (fixtures_dir / data["source_file"]).read_text(encoding="utf-8")
    plan, did = upsert(
        Plan,
        lookup={"slug": data["slug"]},
        values={
            "title": data["title"],
            "document_number": data.get("document_number", ""),
            "issued_on": data["issued_on"],
            "published_on": data.get("published_on"),
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "coordinator": department_resolve_name(data["coordinator"]),
            "source_text": source_text,
            "source_reference": data.get("source_reference", ""),
        },
    )
    did += set_m2m(plan.issuers, [department_resolve_name(n) for n in data["issuers"]])
    towns = list(Region.objects.filter(code__in=data.get("pilot_towns", [])))
    if len(towns) != len(data.get("pilot_towns", [])):
        raise ValidationError(_("试点乡镇的区划代码有误。"))
    plan_set_pilot_towns(plan=plan, towns=towns)
    return plan, int(did)


def plan_set_pilot_towns(*, plan: Plan, towns: list[Region], by=None) -> bool:
    not_towns = [t.name for t in towns if not t.is_town]
    if not_towns:
        raise ValidationError(
            {"pilot_towns": _("试点乡镇必须是乡或镇：%(names)s") % {"names": "、".join(not_towns)}}
        )
    return set_m2m(plan.pilot_towns, towns, by=by)


def _kind_for(node: dict, parent: Task | None) -> str:
    if parent is None:
        return Task.Kind.PART
    if any(key in node for key in ROLE_KEYS):
        return Task.Kind.CLAUSE
    return Task.Kind.SECTION if parent.kind == Task.Kind.PART else Task.Kind.ITEM


def tasks_load(*, plan: Plan, nodes: list[dict]) -> int:
    changed = 0
    order = 0

    def walk(node: dict, parent: Task | None):
        nonlocal changed, order
        unknown = set(node) - TASK_NODE_KEYS
        if unknown:
            raise ValidationError(
                _(
                    "工作任务 %(code)s 含有无法识别的项：%(keys)s（分工只能是 lead/support/responsible）"
                )
                % {"code": node.get("code", "?"), "keys": "、".join(sorted(unknown))}
            )
        order += 1
        task, did = upsert(
            Task,
            lookup={"plan": plan, "code": node["code"]},
            values={
                "parent": parent,
                "kind": _kind_for(node, parent),
                "title": node["title"],
                "text": node["text"],
                "responsibility_text": node.get("responsibility_text", ""),
                "order": order,
                "due_date": node.get("due_date"),
            },
        )
        changed += did
        position = 0
        for key, role in ROLE_KEYS.items():
            for written in node.get(key, []):
                position += 1
                _r, did = responsibility_upsert(
                    task=task,
                    department=department_resolve_name(written),
                    role=role,
                    written_as=written,
                    order=position,
                )
                changed += did
        for child in node.get("children", []):
            walk(child, task)

    for node in nodes:
        walk(node, None)
    return changed


def responsibility_upsert(
    *, task: Task, department: Department, role: str, written_as: str, order: int = 0, by=None
) -> tuple[Responsibility, bool]:
    return upsert(
        Responsibility,
        lookup={"task": task, "department": department},
        values={"role": role, "written_as": written_as, "order": order},
        by=by,
    )


@transaction.atomic
def placeholder_resolve(
    *, responsibility: Responsibility, departments: list[Department], by
) -> list[Responsibility]:
    """Name the bodies a 相关部门 wording stands for in one clause.

    Each becomes a responsibility of the same role (kept apart from the plan's
    own wording through `resolved_from`); their assignments are then created by
    a background job once this transaction commits.
    """
    from .tasks import assignments_sync_task

    if responsibility.department.kind != Department.Kind.PLACEHOLDER:
        raise ValidationError(_("只有“相关部门”这类待明确的分工可以明确为具体单位。"))
    if not departments:
        raise ValidationError(_("请至少选择一个单位。"))
    taken = set(
        Responsibility.objects.filter(
            task=responsibility.task, department__in=departments
        ).values_list("department__short_name", flat=True)
    )
    if taken:
        raise ValidationError(
            _("这些单位已承担该任务：%(names)s") % {"names": "、".join(sorted(taken))}
        )
    created = []
    for department in departments:
        resolved = Responsibility(
            task=responsibility.task,
            department=department,
            role=responsibility.role,
            written_as=responsibility.written_as,
            order=responsibility.order,
            resolved_from=responsibility,
        )
        resolved.full_clean()
        record_actor(resolved, by)
        resolved.save()
        created.append(resolved)
    plan_id, user_id = responsibility.task.plan_id, by.pk
    transaction.on_commit(lambda: assignments_sync_task.delay(plan_id, user_id))
    return created


def targets_load(*, plan: Plan, targets: list[dict]) -> int:
    changed = 0
    for row in targets:
        task = Task.objects.get(plan=plan, code=row["task"])
        _t, did = upsert(
            Target,
            lookup={"task": task, "code": row["code"]},
            values={
                key: row[key] for key in ("title", "metric", "minimum", "unit", "scope", "text")
            },
        )
        changed += did
    return changed


def assignments_sync(*, plan: Plan, by=None) -> int:
    """Give every concrete body its share of each clause it answers for.

    A collective wording (各县(区)人民政府) becomes one share per county; a
    placeholder (相关部门) gets none until the bureau names the bodies. Existing
    shares are left as they are (their deadline may have been changed by hand).
    """
    responsibilities = (
        Responsibility.objects.filter(task__plan=plan)
        .select_related("task", "department")
        .prefetch_related("department__members")
    )
    existing = set(
        Assignment.objects.filter(task__plan=plan).values_list("task_id", "department_id")
    )
    created = 0
    for responsibility in responsibilities:
        department = responsibility.department
        if department.kind == Department.Kind.PLACEHOLDER:
            continue
        bodies = department.members.all() if department.is_collective else [department]
        for body in bodies:
            if (responsibility.task_id, body.pk) in existing:
                continue
            assignment = Assignment(
                task=responsibility.task,
                department=body,
                role=responsibility.role,
                responsibility=responsibility,
                deadline=responsibility.task.due_date or plan.ends_on,
            )
            assignment.full_clean()
            record_actor(assignment, by)
            assignment.save()
            existing.add((responsibility.task_id, body.pk))
            created += 1
    return created


def task_create(
    *,
    plan: Plan,
    parent: Task | None,
    kind: str,
    code: str,
    title: str,
    text: str,
    origin: str = Task.Origin.PLAN,
    responsibility_text: str = "",
    due_date=None,
    by=None,
) -> Task:
    """Add a work item after every other of its plan (e.g. a rectification item, 督查整改)."""
    last = Task.objects.filter(plan=plan).order_by("-order").values_list("order", flat=True)
    task = Task(
        plan=plan,
        parent=parent,
        kind=kind,
        code=code,
        title=title,
        text=text,
        origin=origin,
        responsibility_text=responsibility_text,
        due_date=due_date,
        order=(last.first() or 0) + 1,
    )
    task.full_clean()
    record_actor(task, by)
    task.save()
    return task


def share_create(
    *, task: Task, department: Department, role: str, deadline, written_as: str = "", by=None
) -> Assignment:
    """Give one concrete body a responsibility for a work item and its share (assignment)."""
    responsibility = Responsibility(
        task=task,
        department=department,
        role=role,
        written_as=written_as or department.short_name,
        order=task.responsibilities.count() + 1,
    )
    responsibility.full_clean()
    record_actor(responsibility, by)
    responsibility.save()
    assignment = Assignment(
        task=task,
        department=department,
        role=role,
        responsibility=responsibility,
        deadline=deadline,
    )
    assignment.full_clean()
    record_actor(assignment, by)
    assignment.save()
    return assignment
