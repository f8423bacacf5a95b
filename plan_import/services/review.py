"""Corrections on the review page: bodies (role, body, new body, removal, addition) and
clauses (title, split, merge). Each is saved with its author in the row's history."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.services import record_actor
from departments.models import Department
from tasks.models import Role

from ..models import ImportedBody, ImportedClause, Resolution
from ..names import DepartmentMatcher
from ._common import SENTENCE_ENDS, check_actor, check_draft, save_with_history, title_from_text
from .drafts import body_for_name


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
    check_actor(by)
    check_draft(body.clause.plan_import)
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
        save_with_history(row, by)
    return changed


@transaction.atomic
def body_confirm_new(
    *, body: ImportedBody, by, short_name: str, kind: str, everywhere: bool = False
) -> list[ImportedBody]:
    """The coordinator confirms that a written name is a body the table lacks: it is
    created, with this short name and kind, when the plan is published."""
    check_actor(by)
    check_draft(body.clause.plan_import)
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
        save_with_history(row, by)
    return rows


@transaction.atomic
def body_remove(*, body: ImportedBody, by) -> None:
    """Take a body off a clause (its history keeps what was removed and by whom)."""
    check_actor(by)
    check_draft(body.clause.plan_import)
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
    check_actor(by)
    check_draft(clause.plan_import)
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
        body = body_for_name(clause, written_as, role, DepartmentMatcher())
    body.order = (clause.bodies.aggregate(m=Max("order"))["m"] or 0) + 1
    body.added_in_review = True
    save_with_history(body, by)
    return body


# --- clauses ----------------------------------------------------------------------------------


@transaction.atomic
def clause_retitle(*, clause: ImportedClause, by, title: str) -> ImportedClause:
    check_actor(by)
    check_draft(clause.plan_import)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("标题不能为空。")})
    clause.title = title
    save_with_history(clause, by)
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
            save_with_history(clause, by, reason=_("拆分或合并后重新编号"))


@transaction.atomic
def clause_split(*, clause: ImportedClause, by, at: int) -> ImportedClause:
    """Split a clause's text at offset `at`: the second part becomes a new clause
    with the same bodies and roles. Returns the new clause."""
    check_actor(by)
    check_draft(clause.plan_import)
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
    save_with_history(clause, by, reason=_("拆分"))
    save_with_history(new, by, reason=_("由 %(code)s 拆分") % {"code": clause.code})
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
        save_with_history(copy, by, reason=_("由 %(code)s 拆分") % {"code": clause.code})
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
    check_actor(by)
    check_draft(clause.plan_import)
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
    save_with_history(clause, by, reason=_("与 %(code)s 合并") % {"code": following.code})
    have = {(b.written_as, b.role) for b in clause.bodies.all()}
    order = (clause.bodies.aggregate(m=Max("order"))["m"] or 0) + 1
    for body in following.bodies.order_by("order", "pk"):
        if (body.written_as, body.role) in have:
            continue
        body.clause = clause
        body.order = order
        order += 1
        save_with_history(body, by, reason=_("由 %(code)s 并入") % {"code": following.code})
    record_actor(following, by, reason=_("并入 %(code)s") % {"code": clause.code})
    following.delete()
    _renumber(clause.plan_import_id, clause.node_code, by)
    clause.refresh_from_db()
    return clause
