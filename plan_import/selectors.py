"""Reads for imports: the list, one import with everything its review page shows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from departments.models import Department

from .models import ImportedBody, ImportedClause, PlanImport, Resolution


def import_list() -> QuerySet[PlanImport]:
    """Imports, newest first, with their clause and unresolved-body counts (one query)."""
    return (
        PlanImport.objects.select_related("created_by", "published_plan")
        .defer("source_text")
        .annotate(
            clause_count=Count("clauses", distinct=True),
            unresolved_count=Count(
                "clauses__bodies",
                filter=Q(clauses__bodies__resolution=Resolution.UNRESOLVED),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-pk")
    )


def import_clauses(plan_import: PlanImport) -> list[ImportedClause]:
    """Its clauses in reading order, each with its bodies and their departments."""
    bodies = ImportedBody.objects.select_related("department").order_by("order", "pk")
    return list(
        plan_import.clauses.order_by("start", "pk").prefetch_related(
            Prefetch("bodies", queryset=bodies)
        )
    )


def department_choices() -> QuerySet[Department]:
    """Bodies a written name may be matched to (concrete bodies, collectives, placeholders)."""
    return Department.objects.only("pk", "short_name", "full_name", "kind").order_by(
        "order", "short_name"
    )


@dataclass
class Segment:
    """A run of the document's text: plain, a clause's words, or the words naming its bodies."""

    text: str
    kind: str = "plain"  # plain / clause / paren
    clause: ImportedClause | None = None

    @property
    def is_clause(self) -> bool:
        return self.kind == "clause"

    @property
    def is_paren(self) -> bool:
        return self.kind == "paren"


def document_segments(text: str, clauses: list[ImportedClause]) -> list[Segment]:
    """The text cut into segments so that each clause can be highlighted in place.

    Spans come from the offsets stored at import (and kept through splits and
    merges); a span overlapping an earlier one is clipped, so every character of
    the text appears exactly once.
    """
    spans = []
    seen_parens = set()
    for clause in clauses:
        spans.append((clause.start, clause.end, "clause", clause))
        paren = (clause.paren_start, clause.paren_end)
        if clause.paren_start is not None and clause.paren_end and paren not in seen_parens:
            seen_parens.add(paren)
            spans.append((clause.paren_start, clause.paren_end, "paren", clause))
    spans.sort(key=lambda s: (s[0], s[2] != "clause"))
    segments, cursor = [], 0
    for start, end, kind, clause in spans:
        start, end = max(start, cursor), min(end, len(text))
        if end <= start:
            continue
        if start > cursor:
            segments.append(Segment(text[cursor:start]))
        segments.append(Segment(text[start:end], kind, clause))
        cursor = end
    if cursor < len(text):
        segments.append(Segment(text[cursor:]))
    return segments
