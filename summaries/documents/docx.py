"""The summary as a Chinese official report (.docx, GB/T 9704-2012 conventions).

`write_docx(data, path_or_stream)` writes the whole report without holding it in
memory: `_docx_skeleton` builds an empty document with python-docx (styles, page
setup, page numbers, properties), and the body is streamed into its
`word/document.xml` paragraph by paragraph and table row by table row while the
data's iterables are consumed. Memory stays flat however many bodies and rows
there are; a test renders 20,000 rows under tracemalloc.

Structure: title; 主送; opening; 一、总体情况 (figures with the change since the
previous period, then the coordinator's text); 二、各县(区)推进情况 and
三、市直各部门推进情况 (per body: （一）name, a sentence of its figures, its table);
四、时间节点 and 试点乡镇; 五、逾期事项, 疑似应付式填报 (and open 督查 findings);
六、存在的主要问题; 七、下半年工作打算; 特此报告; issuer and date.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import IO, Any

from django.utils.translation import gettext as _

from summaries.similarity import copy_threshold

from . import _wordml as x
from . import wording as w
from ._docx_skeleton import STYLE_H1, STYLE_H2, STYLE_H3, STYLE_TITLE, skeleton
from ._files import Destination, output
from .data import (
    AssignmentRow,
    BodySection,
    ChecklistLineState,
    Light,
    PilotLine,
    SummaryData,
)

__all__ = ["DOCX_EXCERPT_CHARS", "write_docx"]

DOCX_EXCERPT_CHARS = 200  # each text in a table cell is cut to this many characters

LIGHT_SHADING = {
    Light.RED: "F8CBAD",
    Light.YELLOW: "FFE699",
    Light.GREEN: "C6E0B4",
    Light.DONE: "D9D9D9",
}


def write_docx(data: SummaryData, path_or_stream: Destination) -> None:
    """Write `data` as the semi-annual report (.docx) to a path or a binary stream.

    Consumes each iterable of `data` once (see `summaries.documents.data`). A path is
    written through a temporary "<path>.part" file, so a failed render never leaves
    a truncated document under the real name.
    """
    empty = skeleton(data)
    with output(path_or_stream) as stream:
        _write_package(empty, _body(data), stream)


def _write_package(empty: bytes, body: Iterable[str], out: IO[bytes]) -> None:
    """Copy the skeleton's parts, streaming `body` into word/document.xml."""
    with (
        zipfile.ZipFile(io.BytesIO(empty)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info.filename, source.read(info.filename))
                continue
            xml = source.read(info.filename).decode("utf-8")
            head, sep, tail = xml.partition("<w:sectPr")
            if not sep or "<w:sectPr" in tail:
                raise RuntimeError("the skeleton must have exactly one section")
            with target.open("word/document.xml", "w") as part:
                part.write(head.encode("utf-8"))
                for fragment in body:
                    part.write(fragment.encode("utf-8"))
                part.write((sep + tail).encode("utf-8"))


def _peek(iterable: Iterable[Any]) -> Iterator[Any] | None:
    """The same items, or None when there are none (takes the first one early)."""
    iterator = iter(iterable)
    for first in iterator:
        return chain((first,), iterator)
    return None


def _narrative(text: str) -> Iterator[str]:
    parts = w.paragraphs(text)
    for part in parts or [w.PLACEHOLDER]:
        yield x.paragraph(part)


class _Counter:
    """Passes items through and counts them (for the "共N项" line after a table)."""

    def __init__(self, items: Iterable[Any]) -> None:
        self._items = items
        self.count = 0

    def __iter__(self) -> Iterator[Any]:
        for item in self._items:
            self.count += 1
            yield item


# --- The report ---------------------------------------------------------------------------


def _body(data: SummaryData) -> Iterator[str]:
    header = data.header
    yield x.paragraph(w.document_title(header), STYLE_TITLE)
    yield x.paragraph("")
    yield x.paragraph(w.addressee_line(header), indent=x.no_indent())
    yield x.paragraph(w.opening(header))

    yield x.paragraph(_("一、总体情况"), STYLE_H1)
    for sentence in w.figures_sentences(data.figures, data.previous_figures, header.as_of):
        yield x.paragraph(sentence)
    yield from _narrative(data.narrative.overview)

    yield x.paragraph(_("二、各县(区)推进情况"), STYLE_H1)
    yield from _bodies(data.counties, _("本期无县(区)承办任务。"))
    yield x.paragraph(_("三、市直各部门推进情况"), STYLE_H1)
    yield from _bodies(data.departments, _("本期无市直部门承办任务。"))

    yield x.paragraph(_("四、时间节点和试点乡镇推进情况"), STYLE_H1)
    yield from _milestones(data)
    yield from _pilot_towns(data)

    yield x.paragraph(_("五、逾期事项和疑似应付式填报情况"), STYLE_H1)
    yield from _attention(data)

    yield x.paragraph(_("六、存在的主要问题"), STYLE_H1)
    yield from _narrative(data.narrative.problems)
    yield x.paragraph(_("七、%(heading)s") % {"heading": w.next_steps_heading(header)}, STYLE_H1)
    yield from _narrative(data.narrative.next_steps)
    yield x.paragraph(_("特此报告。"))

    yield from _signature(header.issuer, w.date_cn(header.document_date))


def _signature(issuer: str, day: str) -> Iterator[str]:
    """Issuer centred over the date; the date four characters in from the right."""
    date_indent = 4.0
    issuer_indent = max(0.0, date_indent + (_width(day) - _width(issuer)) / 2)
    yield x.paragraph("")
    for text, indent in ((issuer, issuer_indent), (day, date_indent)):
        yield x.paragraph(text, indent=x.right_indent(indent), align="right")


def _width(text: str) -> float:
    """Width in full-width characters (ASCII counts half)."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _bodies(sections: Iterable[BodySection], empty: str) -> Iterator[str]:
    """（一）… per body: its name, its figures as a sentence, and its rows."""
    columns = (
        x.Column(_("序号"), 3, "center"),
        x.Column(_("工作任务"), 10.5),
        x.Column(_("分工及时限"), 5.8, "center"),
        x.Column(_("进度"), 4.6, "center"),
        x.Column(_("进展情况、存在问题及下步打算"), 0),
    )
    count = 0
    for count, section in enumerate(sections, 1):
        yield x.paragraph(f"（{w.chinese_numeral(count)}）{section.name}", STYLE_H2)
        yield x.paragraph(w.body_sentence(section), keep_next=True)
        yield from x.table(columns, _body_rows(section.rows))
    if not count:
        yield x.paragraph(empty)


def _body_rows(rows: Iterable[AssignmentRow]) -> Iterator[list[x.Cell]]:
    for number, row in enumerate(rows, 1):
        progress = [w.label(row.status)]
        if row.percent is not None:
            progress.append(f"{row.percent}%")
        if w.label(row.light) != progress[0]:  # not "已完成" twice
            progress.append(w.label(row.light))
        texts = w.report_texts(row.progress, row.problems, row.next_steps, DOCX_EXCERPT_CHARS)
        if not row.reported:
            texts = [w.not_reported()]
        yield [
            str(number),
            [w.excerpt(f"{row.task_code} {row.task_title}", DOCX_EXCERPT_CHARS)],
            [w.label(row.role), w.date_iso(row.deadline)],
            x.Shaded(progress, LIGHT_SHADING[row.light]),
            texts or [""],
        ]


def _line_state(line: ChecklistLineState) -> str:
    if line.done and line.done_on:
        return _("已完成（%(day)s）") % {"day": w.date_iso(line.done_on)}
    return _("已完成") if line.done else _("未完成")


def _milestones(data: SummaryData) -> Iterator[str]:
    """Each dated step: a 1. heading, its counts, and its checklist lines.

    A step's lines are either towns (with their county) or counties; the first line
    decides whether the table has a 所属县(区) column.
    """
    yield x.paragraph(_("（一）时间节点完成情况"), STYLE_H2)
    town_columns = (
        x.Column(_("序号"), 3, "center"),
        x.Column(_("乡镇"), 12),
        x.Column(_("所属县(区)"), 12),
        x.Column(_("完成情况"), 0),
    )
    county_columns = (
        x.Column(_("序号"), 3, "center"),
        x.Column(_("县(区)"), 18),
        x.Column(_("完成情况"), 0),
    )
    count = 0
    for count, milestone in enumerate(data.milestones, 1):
        yield x.paragraph(
            _("%(n)d.%(title)s（完成时限%(due)s）")
            % {"n": count, "title": milestone.title, "due": w.date_cn(milestone.due)},
            STYLE_H3,
        )
        yield x.paragraph(w.milestone_sentence(milestone), keep_next=True)
        rest = iter(milestone.lines)
        first = next(rest, None)
        if first is None:
            continue
        lines = chain((first,), rest)
        if first.county:
            yield from x.table(
                town_columns,
                (
                    [str(n), line.unit, line.county, _line_state(line)]
                    for n, line in enumerate(lines, 1)
                ),
            )
        else:
            yield from x.table(
                county_columns,
                ([str(n), line.unit, _line_state(line)] for n, line in enumerate(lines, 1)),
            )
    if not count:
        yield x.paragraph(_("本期无到期的时间节点。"))


def _pilot_towns(data: SummaryData) -> Iterator[str]:
    yield x.paragraph(_("（二）试点乡镇推进情况"), STYLE_H2)
    towns = list(data.pilot_towns)  # six towns: small by definition
    if not towns:
        yield x.paragraph(_("本期无试点乡镇情况。"))
        return
    lines = sum(len(t.lines) for t in towns)
    done = sum(1 for t in towns for line in t.lines if line.done)
    yield x.paragraph(
        _("%(n)d个试点乡镇共有清单事项%(lines)d项，已完成%(done)d项，完成率%(share)s。")
        % {
            "n": len(towns),
            "lines": lines,
            "done": done,
            "share": w.percent(done / lines if lines else None),
        }
    )
    columns = (
        x.Column(_("序号"), 3, "center"),
        x.Column(_("试点乡镇"), 8),
        x.Column(_("所属县(区)"), 8),
        x.Column(_("清单事项完成情况"), 0),
    )

    def line_text(line: PilotLine) -> str:
        if line.done:
            suffix = f"（{w.date_iso(line.done_on)}）" if line.done_on else ""
            return _("已完成：%(title)s%(suffix)s") % {"title": line.title, "suffix": suffix}
        return _("未完成：%(title)s") % {"title": line.title}

    yield from x.table(
        columns,
        (
            [str(n), town.town, town.county, [line_text(line) for line in town.lines]]
            for n, town in enumerate(towns, 1)
        ),
    )


def _attention(data: SummaryData) -> Iterator[str]:
    yield x.paragraph(_("（一）逾期事项"), STYLE_H2)
    overdue = _peek(data.overdue)
    if overdue is None:
        yield x.paragraph(
            _("截至%(day)s，无逾期未完成事项。") % {"day": w.date_cn(data.header.as_of)}
        )
    else:
        yield x.paragraph(
            _("截至%(day)s，以下事项已超过完成时限仍未完成：")
            % {"day": w.date_cn(data.header.as_of)},
            keep_next=True,
        )
        counter = _Counter(overdue)
        yield from x.table(
            (
                x.Column(_("序号"), 3, "center"),
                x.Column(_("承办单位"), 9),
                x.Column(_("工作任务"), 0),
                x.Column(_("完成时限"), 6, "center"),
                x.Column(_("逾期天数"), 5, "center"),
                x.Column(_("状态灯"), 4, "center"),
            ),
            (
                [
                    str(n),
                    item.body,
                    w.excerpt(f"{item.task_code} {item.task_title}", DOCX_EXCERPT_CHARS),
                    w.date_iso(item.deadline),
                    str(item.days_overdue),
                    x.Shaded([item.light.label], LIGHT_SHADING[item.light]),
                ]
                for n, item in enumerate(counter, 1)
            ),
        )
        yield x.paragraph(_("以上逾期事项共%(n)d项。") % {"n": counter.count})

    yield x.paragraph(_("（二）疑似应付式填报"), STYLE_H2)
    copied = _peek(data.copied_reports)
    if copied is None:
        yield x.paragraph(_("经比对，本期未发现进展情况与上期高度雷同的报告。"))
    else:
        yield x.paragraph(
            _("经比对，以下报告本期进展情况与上期相似度达到%(share)s以上，存在应付式填报嫌疑：")
            % {"share": w.percent(copy_threshold(), 0)},
            keep_next=True,
        )
        counter = _Counter(copied)
        yield from x.table(
            (
                x.Column(_("序号"), 3, "center"),
                x.Column(_("承办单位"), 7),
                x.Column(_("工作任务"), 7),
                x.Column(_("本期进展情况"), 10),
                x.Column(_("上期进展情况"), 10),
                x.Column(_("相似度"), 0, "center"),
            ),
            (
                [
                    str(n),
                    item.body,
                    w.excerpt(f"{item.task_code} {item.task_title}", DOCX_EXCERPT_CHARS),
                    w.excerpt(item.progress, DOCX_EXCERPT_CHARS),
                    w.excerpt(item.previous_progress, DOCX_EXCERPT_CHARS),
                    w.percent(item.similarity),
                ]
                for n, item in enumerate(counter, 1)
            ),
        )
        yield x.paragraph(
            _("以上疑似应付式填报共%(n)d份，已通知相关单位重新核实填报。") % {"n": counter.count}
        )

    findings = _peek(data.findings)
    if findings is not None:
        yield x.paragraph(_("（三）督查发现问题整改情况"), STYLE_H2)
        counter = _Counter(findings)
        yield from x.table(
            (
                x.Column(_("序号"), 3, "center"),
                x.Column(_("督查"), 7),
                x.Column(_("承办单位"), 7),
                x.Column(_("督查发现"), 0),
                x.Column(_("整改时限"), 6, "center"),
                x.Column(_("整改情况"), 10),
            ),
            (
                [
                    str(n),
                    item.inspection,
                    item.body,
                    w.excerpt(item.finding, DOCX_EXCERPT_CHARS),
                    w.date_iso(item.due),
                    w.excerpt(item.rectification, DOCX_EXCERPT_CHARS) or _("尚未整改"),
                ]
                for n, item in enumerate(counter, 1)
            ),
        )
        yield x.paragraph(_("以上未销号的督查发现共%(n)d项。") % {"n": counter.count})
