"""Writes for imports: read a document into a draft, correct it, publish or discard it.

Every service takes the actor as `by` and checks it may import (a coordinator;
`None` is the system, e.g. the `import_plan` command creating a draft). Rows
people correct (clauses, bodies, the import itself) keep their history, each
change naming its author. Nothing becomes live before `import_publish`, which
creates the plan, its tree, responsibilities, new bodies, shares, reporting
periods and lights in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.errors import PermissionDenied
from core.services import record_actor, set_m2m
from departments.models import Department
from reports.services import lights_refresh, periods_ensure
from tasks.models import Plan, Responsibility, Role, Task
from tasks.services import assignments_sync

from . import guesses
from .models import ImportedBody, ImportedClause, ImportedNode, PlanImport, Resolution
from .names import DepartmentMatcher, propose_kind, propose_short_name
from .parser import ParsedDocument, parse_document
from .permissions import may_import
from .readers import normalise_text

TITLE_SNIPPET = 30
SENTENCE_ENDS = "。；;！？!?"
TASK_KINDS = {
    ImportedNode.Kind.PART: Task.Kind.PART,
    ImportedNode.Kind.SECTION: Task.Kind.SECTION,
    ImportedNode.Kind.ITEM: Task.Kind.ITEM,
}
SLUG_RE = re.compile(r"^[-a-z0-9_]+$")


def _check(by, *, system_allowed: bool = False) -> None:
    if by is None and system_allowed:
        return
    if not may_import(by):
        raise PermissionDenied(_("只有市民政局协调员可以导入和审核方案。"))


def _check_draft(plan_import: PlanImport) -> None:
    if not plan_import.is_draft:
        raise ValidationError(
            _("该导入已%(status)s，不能再修改。") % {"status": plan_import.get_status_display()}
        )


def _save(instance, by, *, reason: str = "") -> None:
    instance.full_clean()
    record_actor(instance, by, reason=reason)
    instance.save()


def title_from_text(text: str) -> str:
    """A clause's title when its item has no heading: its first sentence, shortened."""
    first = re.split(f"[{SENTENCE_ENDS}\n]", text.strip(), maxsplit=1)[0].strip("，,、 ")
    return first if len(first) <= TITLE_SNIPPET else first[:TITLE_SNIPPET] + "…"


# --- creating a draft -----------------------------------------------------------------------


@transaction.atomic
def import_create(
    *,
    text: str,
    by,
    title: str = "",
    source_name: str = "",
    issued_on: date | None = None,
    coordinator: Department | None = None,
    issuers: list[Department] | None = None,
) -> PlanImport:
    """Read a plan's text into a draft import: its tree, clauses and bodies, matched.

    Raises ValidationError (creating nothing) for empty text or a document in
    which no responsibility clause is found. Missing particulars are guessed from
    the text (title, document number, issue date, issuers) for the reviewer to check.
    """
    _check(by, system_allowed=True)
    text = normalise_text(text)
    document = parse_document(text)
    if not document.clauses:
        raise ValidationError(
            _(
                "没有识别到任何责任条款：方案中应有写明责任单位的括号，如“（市民政局牵头，市财政局配合）”，"
                "或“责任单位：……”。请确认上传的是方案全文。"
            ),
            code="no_clauses",
        )
    matcher = DepartmentMatcher()
    plan_import = PlanImport(
        title=(title or guesses.guess_title(document.preamble) or source_name or _("未命名方案"))[
            :200
        ],
        source_name=source_name[:200],
        source_text=text,
        document_number=guesses.guess_document_number(document.preamble),
        issued_on=issued_on or guesses.guess_issued_on(text, document.preamble),
        coordinator=coordinator,
        warnings=[
            {
                "code": w.code,
                "message": w.message,
                "node": w.node_code,
                "line": w.line,
                "level": w.level,
            }
            for w in document.warnings
        ],
        created_by=by,
    )
    _save(plan_import, by, reason=_("导入"))
    found_issuers = (
        issuers if issuers is not None else guesses.guess_issuers(document.preamble, matcher)
    )
    if found_issuers:
        set_m2m(plan_import.issuers, found_issuers, by=by)
    _store_document(plan_import, document, matcher, by)
    return plan_import


def _store_document(plan_import: PlanImport, document: ParsedDocument, matcher, by) -> None:
    """The document's nodes, clauses and bodies, in a few bulk inserts (with history rows).

    Values come from the parser, so fields are checked one by one (`clean_fields`);
    the database's constraints check the rest.
    """
    ImportedNode.objects.bulk_create(
        ImportedNode(
            plan_import=plan_import,
            order=index,
            kind=node.kind,
            code=node.code[:30],
            label=node.label[:20],
            heading=node.heading[:200],
            text=node.text,
            parent_code=node.parent_code[:30],
            start=node.start,
        )
        for index, node in enumerate(document.nodes)
    )
    clauses = []
    for parsed in document.clauses:
        clause = ImportedClause(
            plan_import=plan_import,
            code=parsed.code,
            node_code=parsed.node_code,
            path=parsed.path,
            heading=parsed.heading[:200],
            title=(parsed.heading or title_from_text(parsed.text))[:200],
            text=parsed.text,
            responsibility_text=parsed.responsibility_text,
            due_text=parsed.due_text[:200],
            scope=parsed.scope,
            applied_rules=parsed.applied_rules,
            shared_by=parsed.shared_by,
            start=parsed.start,
            end=parsed.end,
            paren_start=parsed.paren_start,
            paren_end=parsed.paren_end,
            line=parsed.line,
        )
        clause.clean_fields(exclude=["plan_import"])
        clauses.append(clause)
    reason = _("导入")
    clauses = bulk_create_with_history(
        clauses, ImportedClause, default_user=by, default_change_reason=reason
    )
    bodies = []
    for clause, parsed in zip(clauses, document.clauses, strict=True):
        for order, (role, written) in enumerate(parsed.roles(), start=1):
            body = _body_for(clause, written, role, matcher)
            body.order = order
            body.clean_fields(exclude=["clause", "department"])
            bodies.append(body)
    bulk_create_with_history(bodies, ImportedBody, default_user=by, default_change_reason=reason)


def _body_for(clause: ImportedClause, written: str, role: str, matcher) -> ImportedBody:
    """A body as written, matched to a known one or proposed as new (never merged by guess)."""
    department = matcher.match(written)
    if department is not None:
        return ImportedBody(
            clause=clause,
            written_as=written,
            role=role,
            department=department,
            resolution=Resolution.MATCHED,
        )
    return ImportedBody(
        clause=clause,
        written_as=written,
        role=role,
        resolution=Resolution.UNRESOLVED,
        new_short_name=propose_short_name(written)[:50],
        new_kind=propose_kind(written),
    )


# --- the import's particulars ------------------------------------------------------------------


@transaction.atomic
def import_update(
    *,
    plan_import: PlanImport,
    by,
    title: str,
    slug: str = "",
    document_number: str = "",
    issued_on: date | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    coordinator: Department | None = None,
    issuers: list[Department] | None = None,
) -> PlanImport:
    """Change what the plan will be published with (title, dates, issuers…)."""
    _check(by)
    _check_draft(plan_import)
    if slug and not SLUG_RE.match(slug):
        raise ValidationError({"slug": _("标识只能包含小写字母、数字、连字符和下划线。")})
    if coordinator is not None and coordinator.is_collective:
        raise ValidationError({"coordinator": _("牵头协调单位须是具体单位。")})
    plan_import.title = title
    plan_import.slug = slug
    plan_import.document_number = document_number
    plan_import.issued_on = issued_on
    plan_import.starts_on = starts_on
    plan_import.ends_on = ends_on
    plan_import.coordinator = coordinator
    _save(plan_import, by)
    if issuers is not None:
        set_m2m(plan_import.issuers, issuers, by=by)
    return plan_import


# --- bodies -----------------------------------------------------------------------------------


def _same_written(body: ImportedBody, everywhere: bool) -> list[ImportedBody]:
    """The body, and (if asked) every other body of the import written the same way."""
    if not everywhere:
        return [body]
    others = ImportedBody.objects.filter(
        clause__plan_import_id=body.clause.plan_import_id, written_as=body.written_as
    ).exclude(pk=body.pk)
    return [body, *others]


@transaction.atomic
def body_update(
    *,
    body: ImportedBody,
    by,
    role: str | None = None,
    department: Department | None = None,
    everywhere: bool = False,
) -> list[ImportedBody]:
    """Change a body's role and/or the known body it stands for.

    With `everywhere`, the chosen body also stands for every other mention
    written the same way in this import (the role is changed on this row only).
    Returns the rows changed.
    """
    _check(by)
    _check_draft(body.clause.plan_import)
    if role is not None and role not in Role.values:
        raise ValidationError({"role": _("未知的分工。")})
    changed = []
    if role is not None and role != body.role:
        body.role = role
        changed.append(body)
    if department is not None:
        for row in _same_written(body, everywhere):
            if row.department_id == department.pk and row.is_matched:
                continue
            row.department = department
            row.resolution = Resolution.CHOSEN
            if row not in changed:
                changed.append(row)
    for row in changed:
        _save(row, by)
    return changed


@transaction.atomic
def body_confirm_new(
    *, body: ImportedBody, by, short_name: str, kind: str, everywhere: bool = False
) -> list[ImportedBody]:
    """The coordinator confirms that a written name is a body the table lacks: it is
    created, with this short name and kind, when the plan is published."""
    _check(by)
    _check_draft(body.clause.plan_import)
    short_name = "".join(short_name.split())
    if not short_name:
        raise ValidationError({"short_name": _("请填写新单位的简称。")})
    if kind not in ImportedBody.NEW_KINDS:
        raise ValidationError(
            {
                "kind": _(
                    "新单位只能是市直部门、党委机关、人民团体或“相关部门”类待明确单位；县(区)单位请先在管理后台添加。"
                )
            }
        )
    existing = (
        DepartmentMatcher().match(short_name)
        or Department.objects.filter(short_name=short_name).first()
    )
    if existing is not None:
        raise ValidationError(
            {
                "short_name": _("单位表中已有“%(name)s”，请直接选择该单位。")
                % {"name": existing.short_name}
            }
        )
    rows = _same_written(body, everywhere)
    for row in rows:
        row.department = None
        row.resolution = Resolution.NEW
        row.new_short_name = short_name
        row.new_kind = kind
        _save(row, by)
    return rows


@transaction.atomic
def body_remove(*, body: ImportedBody, by) -> None:
    """Take a body off a clause (its history keeps what was removed and by whom)."""
    _check(by)
    _check_draft(body.clause.plan_import)
    record_actor(body, by)
    body.delete()


@transaction.atomic
def body_add(
    *,
    clause: ImportedClause,
    by,
    role: str,
    written_as: str,
    department: Department | None = None,
) -> ImportedBody:
    """Add a body the reader missed. Given a known `department`, it is chosen;
    otherwise the written name is matched, or proposed as new (to be confirmed)."""
    _check(by)
    _check_draft(clause.plan_import)
    written_as = written_as.strip() or (department.short_name if department else "")
    if not written_as:
        raise ValidationError({"written_as": _("请填写单位名称。")})
    if role not in Role.values:
        raise ValidationError({"role": _("未知的分工。")})
    if department is not None:
        body = ImportedBody(
            clause=clause,
            written_as=written_as,
            role=role,
            department=department,
            resolution=Resolution.CHOSEN,
        )
    else:
        body = _body_for(clause, written_as, role, DepartmentMatcher())
    body.order = (clause.bodies.aggregate(m=Max("order"))["m"] or 0) + 1
    body.added_in_review = True
    _save(body, by)
    return body


# --- clauses ----------------------------------------------------------------------------------


@transaction.atomic
def clause_retitle(*, clause: ImportedClause, by, title: str) -> ImportedClause:
    _check(by)
    _check_draft(clause.plan_import)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("标题不能为空。")})
    clause.title = title
    _save(clause, by)
    return clause


def split_points(text: str) -> list[tuple[int, str]]:
    """Where a clause may be split: after each sentence (。；), or, in a single
    sentence, after each comma. (offset, label) pairs; the label shows both sides."""
    ends = [i + 1 for i, ch in enumerate(text[:-1]) if ch in SENTENCE_ENDS]
    if not ends:
        ends = [i + 1 for i, ch in enumerate(text[:-1]) if ch in "，,"]
    points = []
    for at in ends:
        if text[:at].strip() and text[at:].strip(SENTENCE_ENDS + "，, \n"):
            before = text[max(0, at - 12) : at].replace("\n", " ")
            after = text[at : at + 12].replace("\n", " ")
            points.append((at, f"…{before} ｜ {after}…"))
    return points


def _renumber(plan_import_id: int, node_code: str, by) -> None:
    """Clauses of one node are coded node-1, node-2 … in reading order, as the reader codes them."""
    clauses = list(
        ImportedClause.objects.filter(plan_import_id=plan_import_id, node_code=node_code).order_by(
            "start", "pk"
        )
    )
    for index, clause in enumerate(clauses, start=1):
        code = f"{node_code}-{index}"
        if clause.code != code:
            clause.code = code
            _save(clause, by, reason=_("拆分或合并后重新编号"))


@transaction.atomic
def clause_split(*, clause: ImportedClause, by, at: int) -> ImportedClause:
    """Split a clause's text at offset `at`: the second part becomes a new clause
    with the same bodies and roles. Returns the new clause."""
    _check(by)
    _check_draft(clause.plan_import)
    first, second = clause.text[:at].rstrip(), clause.text[at:].strip()
    if not (0 < at < len(clause.text)) or not first.strip() or not second:
        raise ValidationError(_("拆分位置须在条款文字中间，两部分都不能为空。"))
    source = clause.plan_import.source_text
    if source[clause.start : clause.end] == clause.text:
        second_start = clause.start + len(clause.text) - len(clause.text[at:].lstrip())
    else:  # a merged clause: find the second part in the document
        found = source.find(second, clause.start + 1, clause.end)
        second_start = found if found != -1 else clause.start + 1
    new = ImportedClause(
        plan_import=clause.plan_import,
        code=f"{clause.code}~",  # renumbered below
        node_code=clause.node_code,
        path=clause.path,
        heading=clause.heading,
        title=title_from_text(second) if clause.title == clause.heading else clause.title,
        text=second,
        responsibility_text=clause.responsibility_text,
        due_text=clause.due_text,
        scope=clause.scope,
        applied_rules=clause.applied_rules,
        shared_by=clause.shared_by,
        start=second_start,
        end=max(clause.end, second_start),
        paren_start=clause.paren_start,
        paren_end=clause.paren_end,
        line=clause.line,
    )
    clause.text = first
    clause.end = min(clause.end, max(second_start, clause.start))
    _save(clause, by, reason=_("拆分"))
    _save(new, by, reason=_("由 %(code)s 拆分") % {"code": clause.code})
    for body in clause.bodies.order_by("order", "pk"):
        copy = ImportedBody(
            clause=new,
            order=body.order,
            written_as=body.written_as,
            role=body.role,
            department=body.department,
            resolution=body.resolution,
            new_short_name=body.new_short_name,
            new_kind=body.new_kind,
            added_in_review=body.added_in_review,
        )
        _save(copy, by, reason=_("由 %(code)s 拆分") % {"code": clause.code})
    _renumber(clause.plan_import_id, clause.node_code, by)
    new.refresh_from_db()
    return new


def next_clause(clause: ImportedClause) -> ImportedClause | None:
    return (
        ImportedClause.objects.filter(plan_import_id=clause.plan_import_id)
        .filter(start__gte=clause.start)
        .exclude(pk=clause.pk)
        .exclude(start=clause.start, pk__lt=clause.pk)
        .order_by("start", "pk")
        .first()
    )


@transaction.atomic
def clause_merge_next(*, clause: ImportedClause, by) -> ImportedClause:
    """Merge a clause with the one after it in the same item: texts joined, bodies
    united (the second clause's bodies not already named with the same role are added)."""
    _check(by)
    _check_draft(clause.plan_import)
    following = next_clause(clause)
    if following is None or following.node_code != clause.node_code:
        raise ValidationError(_("只能与同一条目中的下一条责任条款合并。"))
    clause.text = clause.text + following.text
    clause.end = max(clause.end, following.end)
    if (
        following.responsibility_text
        and following.responsibility_text != clause.responsibility_text
    ):
        clause.responsibility_text = "；".join(
            filter(None, [clause.responsibility_text, following.responsibility_text])
        )[:300]
    clause.paren_start, clause.paren_end = following.paren_start, following.paren_end
    clause.due_text = "；".join(dict.fromkeys(filter(None, [clause.due_text, following.due_text])))[
        :200
    ]
    _save(clause, by, reason=_("与 %(code)s 合并") % {"code": following.code})
    have = {(b.written_as, b.role) for b in clause.bodies.all()}
    order = (clause.bodies.aggregate(m=Max("order"))["m"] or 0) + 1
    for body in following.bodies.order_by("order", "pk"):
        if (body.written_as, body.role) in have:
            continue
        body.clause = clause
        body.order = order
        order += 1
        _save(body, by, reason=_("由 %(code)s 并入") % {"code": following.code})
    record_actor(following, by, reason=_("并入 %(code)s") % {"code": clause.code})
    following.delete()
    _renumber(clause.plan_import_id, clause.node_code, by)
    clause.refresh_from_db()
    return clause


# --- publishing -------------------------------------------------------------------------------


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
    _check(by)
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    _check_draft(plan_import)
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
    _save(plan, by, reason=_("由导入的方案发布"))
    set_m2m(plan.issuers, list(plan_import.issuers.all()), by=by)
    _create_tasks(plan, plan_import, clauses, new_bodies, by)
    assignments_sync(plan=plan, by=by)
    periods_ensure(plan=plan)
    lights_refresh(plan_ids=[plan.pk])
    plan_import.status = PlanImport.Status.PUBLISHED
    plan_import.published_plan = plan
    plan_import.published_at = timezone.now()
    _save(plan_import, by, reason=_("发布"))
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
            _save(department, by, reason=_("导入方案时新建"))
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
        _save(task, by, reason=_("由导入的方案发布"))
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
            _save(responsibility, by, reason=_("由导入的方案发布"))


@transaction.atomic
def import_discard(*, plan_import: PlanImport, by) -> PlanImport:
    """Give up a draft: it stays (with its history) but can no longer be changed or published."""
    _check(by)
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    _check_draft(plan_import)
    plan_import.status = PlanImport.Status.DISCARDED
    _save(plan_import, by, reason=_("放弃"))
    return plan_import
