"""Reading a document into a draft, changing its particulars, discarding it."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.services import set_m2m
from departments.models import Department

from .. import guesses
from ..models import ImportedBody, ImportedClause, ImportedNode, PlanImport, Resolution
from ..names import DepartmentMatcher, propose_kind, propose_short_name
from ..parser import ParsedDocument, parse_document
from ..readers import normalise_text
from ._common import check_actor, check_draft, save_with_history, title_from_text

SLUG_RE = re.compile(r"^[-a-z0-9_]+$")


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
    check_actor(by, system_allowed=True)
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
    save_with_history(plan_import, by, reason=_("导入"))
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
            body = body_for_name(clause, written, role, matcher)
            body.order = order
            body.clean_fields(exclude=["clause", "department"])
            bodies.append(body)
    bulk_create_with_history(bodies, ImportedBody, default_user=by, default_change_reason=reason)


def body_for_name(clause: ImportedClause, written: str, role: str, matcher) -> ImportedBody:
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
    check_actor(by)
    check_draft(plan_import)
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
    save_with_history(plan_import, by)
    if issuers is not None:
        set_m2m(plan_import.issuers, issuers, by=by)
    return plan_import


@transaction.atomic
def import_discard(*, plan_import: PlanImport, by) -> PlanImport:
    """Give up a draft: it stays (with its history) but can no longer be changed or published."""
    check_actor(by)
    plan_import = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    check_draft(plan_import)
    plan_import.status = PlanImport.Status.DISCARDED
    save_with_history(plan_import, by, reason=_("放弃"))
    return plan_import
