"""The summary as an HTML fragment: a template context and a render helper.

`summary_context(data)` turns a `SummaryData` into plain values for
`summaries/_summary_body.html` (Bootstrap 5; the print layout is in
`static/summaries/css/summary-print.css`). The sentences are the .docx's own
(`wording`), so the page and the document say the same thing.

Scale: the context keeps the data's iterables lazy, but Django's `{% for %}` turns
what it loops over into a list, and the page is one string. This is for a city's
summary (dozens of bodies, hundreds of rows); a national one belongs in the
.docx and .xlsx.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from summaries.similarity import copy_threshold

from . import wording as w
from .data import AssignmentRow, BodySection, Figures, Light, SummaryData

__all__ = ["render_summary_html", "summary_context"]

TEMPLATE = "summaries/_summary_body.html"
HTML_EXCERPT_CHARS = 300

LIGHT_BADGES = {
    Light.RED: "text-bg-danger",
    Light.YELLOW: "text-bg-warning",
    Light.GREEN: "text-bg-success",
    Light.DONE: "text-bg-secondary",
}


def summary_context(data: SummaryData) -> dict[str, Any]:
    """Context for `summaries/_summary_body.html` (consumes `data` once, lazily)."""
    header = data.header
    return {
        "title": w.document_title(header).replace("\n", ""),
        "period": header.period,
        "as_of": w.date_cn(header.as_of),
        "generated_at": header.generated_at,
        "addressee": w.addressee_line(header),
        "opening": w.opening(header),
        "figure_sentences": w.figures_sentences(data.figures, data.previous_figures, header.as_of),
        "figure_table": _figure_table(data.figures, data.previous_figures),
        "overview": w.paragraphs(data.narrative.overview),
        "problems": w.paragraphs(data.narrative.problems),
        "next_steps": w.paragraphs(data.narrative.next_steps),
        "next_steps_heading": w.next_steps_heading(header),
        "placeholder": w.PLACEHOLDER,
        "counties": _sections(data.counties),
        "departments": _sections(data.departments),
        "milestones": (
            {
                "number": n,
                "title": m.title,
                "due": w.date_cn(m.due),
                "sentence": w.milestone_sentence(m),
                "lines": m.lines,
            }
            for n, m in enumerate(data.milestones, 1)
        ),
        "pilot_towns": list(data.pilot_towns),
        "overdue": (
            {"item": item, "light_label": w.label(item.light), "badge": LIGHT_BADGES[item.light]}
            for item in data.overdue
        ),
        "copied_reports": (
            {
                "item": item,
                "progress": w.excerpt(item.progress, HTML_EXCERPT_CHARS),
                "previous_progress": w.excerpt(item.previous_progress, HTML_EXCERPT_CHARS),
                "similarity": w.percent(item.similarity),
            }
            for item in data.copied_reports
        ),
        "copy_threshold": w.percent(copy_threshold(), 0),
        "findings": data.findings,
        "issuer": header.issuer,
        "document_date": w.date_cn(header.document_date),
    }


def render_summary_html(data: SummaryData) -> str:
    """The fragment as a string (for a page that includes it, or a stored version)."""
    return render_to_string(TEMPLATE, summary_context(data))


def _figure_table(current: Figures, previous: Figures | None) -> list[dict[str, Any]]:
    """Headline figures as rows: label, this period, previous period, change (+3, −2)."""
    rows: list[tuple[str, int, int | None]] = [
        (_("承办任务"), current.assignments, previous.assignments if previous else None),
    ]
    for light, count in current.by_light.items():
        before = getattr(previous.by_light, light.value) if previous else None
        rows.append((w.label(light), count, before))
    for status, count in current.by_status.items():
        before = getattr(previous.by_status, status.value) if previous else None
        rows.append((w.label(status), count, before))
    rows.append(
        (
            _("审核通过的报告"),
            current.reports_approved,
            previous.reports_approved if previous else None,
        )
    )
    table = [
        {
            "label": label,
            "current": now,
            "previous": "—" if before is None else before,
            "change": "" if before is None else w.signed(now - before),
        }
        for label, now, before in rows
    ]
    share_now, share_before = current.reported_share, previous.reported_share if previous else None
    table.append(
        {
            "label": _("有审核通过报告的任务占比"),
            "current": w.percent(share_now),
            "previous": w.percent(share_before) if previous else "—",
            "change": (
                w.signed(round((share_now - share_before) * 100, 1))
                if share_now is not None and share_before is not None
                else ""
            ),
        }
    )
    return table


def _sections(sections: Iterable[BodySection]) -> Iterator[dict[str, Any]]:
    for number, section in enumerate(sections, 1):
        yield {
            "number": w.chinese_numeral(number),
            "name": section.name,
            "kind": w.label(section.kind),
            "sentence": w.body_sentence(section),
            "rows": _rows(section.rows),
        }


def _rows(rows: Iterable[AssignmentRow]) -> Iterator[dict[str, Any]]:
    for number, row in enumerate(rows, 1):
        yield {
            "number": number,
            "task": f"{row.task_code} {row.task_title}",
            "role": w.label(row.role),
            "deadline": w.date_iso(row.deadline),
            "status": w.label(row.status),
            "percent": "" if row.percent is None else f"{row.percent}%",
            "light": row.light.value,
            "light_label": w.label(row.light),
            "badge": LIGHT_BADGES[row.light],
            "texts": (
                w.report_texts(row.progress, row.problems, row.next_steps, HTML_EXCERPT_CHARS)
                if row.reported
                else [w.not_reported()]
            ),
        }
