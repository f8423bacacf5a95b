"""The summary as a Chinese official report (.docx, GB/T 9704-2012 conventions).

`write_docx(data, path_or_stream)` writes the whole report without holding it in
memory: python-docx builds a skeleton (styles, page setup, footers, properties) with
an empty body, and the body is streamed into `word/document.xml` paragraph by
paragraph and table row by table row, while the data's iterables are consumed.
Memory therefore stays flat however many bodies and rows there are.

Layout (the facts are in /work/shared/TOOLCHAIN.md, "Word and Excel documents"):
A4; margins 37/35/28/26 mm (top/bottom/left/right); a grid of 22 lines of 28
characters; title 方正小标宋简体 2号 centred; body 仿宋_GB2312 3号, indented two
characters, fixed 28.95 pt line pitch; headings 一、 黑体, （一） 楷体_GB2312,
1. 仿宋 bold; page numbers "— 1 —" in 宋体 4号, odd pages right and even pages left;
tables in 仿宋 五号 with a header row repeated on every page. Fonts are named, not
embedded: East-Asian names go in `w:eastAsia`, with Times New Roman for Latin text,
so the file shows the official faces on an office PC and falls back elsewhere.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC
from itertools import chain
from typing import IO, Any

import docx
from django.utils.translation import gettext as _
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from summaries.similarity import copy_threshold

from . import wording as w
from .data import (
    AssignmentRow,
    BodySection,
    ChecklistLineState,
    Light,
    SummaryData,
)

__all__ = ["DOCX_EXCERPT_CHARS", "write_docx"]

DOCX_EXCERPT_CHARS = 200  # each report text in a table cell is cut to this many characters

# Font names as a Chinese office has them installed (not embedded, not free).
FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEI = "黑体"
FONT_KAI = "楷体_GB2312"
FONT_SONG = "宋体"
FONT_LATIN = "Times New Roman"

# Sizes in half-points (w:sz): 2号 22 pt, 3号 16 pt, 4号 14 pt, 五号 10.5 pt.
SIZE_TITLE = 44
SIZE_BODY = 32
SIZE_PAGE_NUMBER = 28
SIZE_TABLE = 21

# A 3号 character's height plus 7/8 of it: 22 lines in the 225 mm text block.
LINE_PITCH_TWIPS = 579  # 28.95 pt
TITLE_LINE_TWIPS = 700  # 35 pt between the title's lines
TEXT_WIDTH_TWIPS = 8844  # 156 mm
# 28 characters of 3号 in 156 mm (442.2 pt) need at most 15.79 pt each: 16 pt less 0.25 pt.
CONDENSE_TWENTIETHS = -5
CHAR_TWIPS = 320  # one 3号 character, for indents in twips (with *Chars attributes first)
TABLE_CHAR_TWIPS = 210  # one 五号 character
CELL_MARGIN_TWIPS = 57  # 1 mm left and right inside table cells

LIGHT_SHADING = {
    Light.RED: "F8CBAD",
    Light.YELLOW: "FFE699",
    Light.GREEN: "C6E0B4",
    Light.DONE: "D9D9D9",
}

_W_NS_DECL = ' xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

# Style ids (the skeleton defines them).
STYLE_TITLE = "Title"
STYLE_H1 = "Heading1"
STYLE_H2 = "Heading2"
STYLE_H3 = "Heading3"
STYLE_TABLE_TEXT = "TableText"
STYLE_TABLE_HEADER = "TableHeader"


def write_docx(data: SummaryData, path_or_stream: str | os.PathLike[str] | IO[bytes]) -> None:
    """Write `data` as the semi-annual report (.docx) to a path or a binary stream.

    Consumes each iterable of `data` once (see `summaries.documents.data`). A path is
    written through a temporary "<path>.part" file, so a failed render never leaves
    a truncated document under the real name.
    """
    skeleton = _skeleton(data)
    if isinstance(path_or_stream, str | os.PathLike):
        partial = f"{os.fspath(path_or_stream)}.part"
        try:
            with open(partial, "wb") as out:
                _write_package(skeleton, _body(data), out)
            os.replace(partial, path_or_stream)
        finally:
            if os.path.exists(partial):
                os.remove(partial)
    else:
        _write_package(skeleton, _body(data), path_or_stream)


# --- The package: skeleton parts copied, document.xml streamed ----------------------------


def _write_package(skeleton: bytes, body: Iterable[str], out: IO[bytes]) -> None:
    with (
        zipfile.ZipFile(io.BytesIO(skeleton)) as source,
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


def _skeleton(data: SummaryData) -> bytes:
    """An empty document with the report's styles, page setup, footers and properties."""
    document = docx.Document()
    _define_styles(document)

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    # The page number's top sits about 7 mm below the text block.
    section.footer_distance = Mm(22)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.attrib.clear()
    # 22 lines a page. The 28 characters a line come from condensed character
    # spacing (CONDENSE_TWENTIETHS), not from a character grid: LibreOffice gives
    # each 16 pt glyph two cells of a 15.79 pt grid and sets 14 characters a line.
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))

    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)
    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")

    header = data.header
    props = document.core_properties
    props.title = w.document_title(header).replace("\n", "")
    props.subject = header.plan_title
    props.author = header.issuer
    props.last_modified_by = header.issuer
    props.category = _("半年工作推进情况汇总")
    props.language = "zh-CN"
    props.comments = f"{header.period.code}; as_of={header.as_of.isoformat()}"
    generated = header.generated_at
    if generated.tzinfo is not None:  # core properties are written as UTC
        generated = generated.astimezone(UTC).replace(tzinfo=None)
    props.created = props.modified = generated
    props.revision = 1

    # python-docx's template carries a thumbnail of its own empty page: leave it out.
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rel_id)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- Styles -------------------------------------------------------------------------------


def _el(tag: str, /, *children: Any, **attrs: str | int) -> Any:
    """A WordprocessingML element: _el("w:spacing", line=579) → <w:spacing w:line="579"/>."""
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), str(value))
    for child in children:
        if child is not None:
            element.append(child)
    return element


def _fonts(east_asia: str, latin: str = FONT_LATIN, hint: bool = False) -> Any:
    attrs = {"ascii": latin, "hAnsi": latin, "cs": latin, "eastAsia": east_asia}
    if hint:
        attrs["hint"] = "eastAsia"
    return _el("w:rFonts", **attrs)


def _run_props(
    east_asia: str,
    size: int,
    bold: bool = False,
    latin: str = FONT_LATIN,
    hint: bool = False,
    condense: bool = False,
) -> Any:
    """A w:rPr in schema order: fonts, bold, colour, spacing, size, language."""
    return _el(
        "w:rPr",
        _fonts(east_asia, latin, hint),
        _el("w:b", val=1 if bold else 0),
        _el("w:bCs", val=1 if bold else 0),
        _el("w:color", val="000000"),
        _el("w:spacing", val=CONDENSE_TWENTIETHS) if condense else None,
        _el("w:kern", val=0),
        _el("w:sz", val=size),
        _el("w:szCs", val=size),
        _el("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"),
    )


def _para_props(
    *,
    align: str = "both",
    first_line_chars: int = 0,
    line: int = LINE_PITCH_TWIPS,
    rule: str = "exact",
    keep_next: bool = False,
    outline: int | None = None,
    snap: bool = True,
    char_twips: int = CHAR_TWIPS,
    widow_control: bool | None = None,
) -> Any:
    """A w:pPr in schema order: keepNext, widowControl, snapToGrid, spacing, ind, jc, outlineLvl.

    Official documents fill every one of the 22 lines, so the body turns widow
    control off (Word would otherwise push lines to the next page).
    """
    return _el(
        "w:pPr",
        _el("w:keepNext") if keep_next else None,
        None if widow_control is None else _el("w:widowControl", val=int(widow_control)),
        None if snap else _el("w:snapToGrid", val=0),
        _el("w:spacing", before=0, after=0, line=line, lineRule=rule),
        _el(
            "w:ind",
            firstLineChars=first_line_chars * 100,
            firstLine=first_line_chars * char_twips,
            left=0,
            right=0,
        ),
        _el("w:jc", val=align),
        _el("w:outlineLvl", val=outline) if outline is not None else None,
    )


def _restyle(style_element: Any, ppr: Any, rpr: Any) -> None:
    """Replace a style's paragraph and run properties (theme fonts, colours and all)."""
    for tag in ("w:pPr", "w:rPr"):
        old = style_element.find(qn(tag))
        if old is not None:
            style_element.remove(old)
    style_element.append(ppr)
    style_element.append(rpr)


def _define_styles(document: Any) -> None:
    styles = document.styles
    root = styles.element

    # Document defaults: 仿宋 3号, Chinese, no theme fonts (they would win over names).
    defaults = root.find(qn("w:docDefaults"))
    for old in list(defaults):
        defaults.remove(old)
    defaults.append(_el("w:rPrDefault", _run_props(FONT_BODY, SIZE_BODY)))
    defaults.append(
        _el(
            "w:pPrDefault",
            _el("w:pPr", _el("w:spacing", before=0, after=0, line=240, lineRule="auto")),
        )
    )

    _restyle(
        styles["Normal"].element,
        _para_props(first_line_chars=2, widow_control=False),
        _run_props(FONT_BODY, SIZE_BODY, condense=True),
    )
    _restyle(
        styles["Title"].element,
        _para_props(align="center", line=TITLE_LINE_TWIPS, snap=False),
        _run_props(FONT_TITLE, SIZE_TITLE),
    )
    _restyle(
        styles["Heading 1"].element,
        _para_props(first_line_chars=2, keep_next=True, outline=0),
        _run_props(FONT_HEI, SIZE_BODY, condense=True),
    )
    _restyle(
        styles["Heading 2"].element,
        _para_props(first_line_chars=2, keep_next=True, outline=1),
        _run_props(FONT_KAI, SIZE_BODY, condense=True),
    )
    _restyle(
        styles["Heading 3"].element,
        _para_props(first_line_chars=2, keep_next=True, outline=2),
        _run_props(FONT_BODY, SIZE_BODY, bold=True, condense=True),
    )
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        # Word keeps a "linked character style" per heading; unlinking avoids
        # the template's theme-coloured character styles being applied.
        link = styles[name].element.find(qn("w:link"))
        if link is not None:
            styles[name].element.remove(link)

    from docx.enum.style import WD_STYLE_TYPE

    table_text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    table_text.element.set(qn("w:styleId"), STYLE_TABLE_TEXT)
    table_text.base_style = styles["Normal"]
    _restyle(
        table_text.element,
        _para_props(align="left", line=240, rule="auto", snap=False, char_twips=TABLE_CHAR_TWIPS),
        _run_props(FONT_BODY, SIZE_TABLE),
    )
    table_header = styles.add_style("Table Header", WD_STYLE_TYPE.PARAGRAPH)
    table_header.element.set(qn("w:styleId"), STYLE_TABLE_HEADER)
    table_header.base_style = table_text
    _restyle(
        table_header.element,
        _para_props(align="center", line=240, rule="auto", snap=False),
        _run_props(FONT_HEI, SIZE_TABLE),
    )


def _page_number(paragraph: Any, *, odd: bool) -> None:
    """ "— 1 —" in 宋体 4号: odd pages at the right, even pages at the left, one character in."""
    p = paragraph._p
    ppr = _el(
        "w:pPr",
        _el("w:snapToGrid", val=0),
        _el("w:spacing", before=0, after=0, line=240, lineRule="auto"),
        _el("w:ind", **({"right": 280} if odd else {"left": 280}), firstLineChars=0, firstLine=0),
        _el("w:jc", val="right" if odd else "left"),
    )
    old = p.find(qn("w:pPr"))
    if old is not None:
        p.remove(old)
    p.insert(0, ppr)

    def run(*children: Any) -> Any:
        return _el(
            "w:r", _run_props(FONT_SONG, SIZE_PAGE_NUMBER, latin=FONT_SONG, hint=True), *children
        )

    def text(value: str) -> Any:
        t = _el("w:t")
        t.text = value
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return t

    instr = _el("w:instrText")
    instr.text = " PAGE "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    for element in (
        run(text("— ")),
        run(_el("w:fldChar", fldCharType="begin")),
        run(instr),
        run(_el("w:fldChar", fldCharType="separate")),
        run(text("1")),
        run(_el("w:fldChar", fldCharType="end")),
        run(text(" —")),
    ):
        p.append(element)


# --- Body fragments -----------------------------------------------------------------------


def _xml(element: Any) -> str:
    return etree.tostring(element, encoding="unicode").replace(_W_NS_DECL, "", 1)


def _t(value: str) -> Any:
    t = _el("w:t")
    t.text = w.clean(value)
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return t


def _p(
    text: str = "",
    style: str | None = None,
    *,
    keep_next: bool = False,
    indent: Any = None,
    align: str | None = None,
) -> Any:
    """A paragraph; "\\n" in `text` becomes a line break within it.

    `keep_next` keeps it on the page of what follows (an introduction and its
    table); `indent` is a w:ind element, `align` a w:jc value.
    """
    ppr = _el(
        "w:pPr",
        _el("w:pStyle", val=style) if style else None,
        _el("w:keepNext") if keep_next else None,
        indent,
        _el("w:jc", val=align) if align else None,
    )
    paragraph = _el("w:p", ppr)
    lines = text.split("\n")
    for index, line in enumerate(lines):
        run = _el("w:r")
        if index:
            run.append(_el("w:br"))
        if line:
            run.append(_t(line))
        if index or line:
            paragraph.append(run)
    return paragraph


def _para(text: str = "", style: str | None = None, *, keep_next: bool = False) -> str:
    return _xml(_p(text, style, keep_next=keep_next))


def _no_indent() -> Any:
    return _el("w:ind", firstLineChars=0, firstLine=0)


def _narrative(text: str) -> Iterator[str]:
    parts = w.paragraphs(text)
    if not parts:
        yield _para(w.PLACEHOLDER)
        return
    for part in parts:
        yield _para(part)


@dataclass(frozen=True)
class _Column:
    header: str
    chars: float  # width in 五号 characters, cell margins included; 0 = the rest
    align: str = "left"  # w:jc of the column's cells: "left" or "center"

    @property
    def twips(self) -> int:
        return round(self.chars * TABLE_CHAR_TWIPS)


@dataclass(frozen=True)
class _Shaded:
    """Cell paragraphs on a coloured background (the traffic light)."""

    texts: Sequence[str]
    fill: str


Cell = str | Sequence[str] | _Shaded  # one paragraph, several, or several on a colour


def _fit(columns: Sequence[_Column]) -> list[int]:
    """Column widths in twips; the one column of width 0 takes what is left."""
    fixed = sum(c.twips for c in columns)
    return [c.twips or TEXT_WIDTH_TWIPS - fixed for c in columns]


def _cell(content: Cell, width: int, style: str, align: str | None, keep_next: bool) -> Any:
    fill = None
    if isinstance(content, _Shaded):
        content, fill = content.texts, content.fill
    texts = [content] if isinstance(content, str) else list(content) or [""]
    tcpr = _el(
        "w:tcPr",
        _el("w:tcW", w=width, type="dxa"),
        _el("w:shd", val="clear", color="auto", fill=fill) if fill else None,
        _el("w:vAlign", val="center"),
    )
    return _el(
        "w:tc",
        tcpr,
        *(_p(text, style, align=align, keep_next=keep_next) for text in texts),
    )


def _row(
    cells: Sequence[Cell],
    columns: Sequence[_Column],
    widths: Sequence[int],
    *,
    header: bool = False,
) -> Any:
    """A table row; the header row repeats on every page and keeps with the first row."""
    trpr = _el("w:trPr", _el("w:cantSplit"), _el("w:tblHeader")) if header else None
    style = STYLE_TABLE_HEADER if header else STYLE_TABLE_TEXT
    return _el(
        "w:tr",
        trpr,
        *(
            _cell(cell, width, style, None if header else column.align, keep_next=header)
            for cell, column, width in zip(cells, columns, widths, strict=True)
        ),
    )


def _table(columns: Sequence[_Column], rows: Iterable[Sequence[Cell]]) -> Iterator[str]:
    """A table streamed row by row; nothing at all when `rows` is empty.

    The header row is marked to repeat on every page (w:tblHeader) and the layout is
    fixed, so Word does not re-measure a long table.
    """
    widths = _fit(columns)
    started = False
    for cells in rows:
        if not started:
            started = True
            tbl = _el(
                "w:tbl",
                _el(
                    "w:tblPr",
                    _el("w:tblStyle", val="TableGrid"),
                    _el("w:tblW", w=TEXT_WIDTH_TWIPS, type="dxa"),
                    _el("w:jc", val="center"),
                    _el("w:tblLayout", type="fixed"),
                    _el(
                        "w:tblCellMar",
                        _el("w:left", w=CELL_MARGIN_TWIPS, type="dxa"),
                        _el("w:right", w=CELL_MARGIN_TWIPS, type="dxa"),
                    ),
                    _el(
                        "w:tblLook",
                        val="04A0",
                        firstRow=1,
                        lastRow=0,
                        firstColumn=0,
                        lastColumn=0,
                        noHBand=0,
                        noVBand=1,
                    ),
                ),
                _el("w:tblGrid", *(_el("w:gridCol", w=width) for width in widths)),
                _row([c.header for c in columns], columns, widths, header=True),
            )
            yield _xml(tbl).removesuffix("</w:tbl>")
        yield _xml(_row(cells, columns, widths))
    if started:
        yield "</w:tbl>"
        # Word needs a paragraph between a table and whatever follows; keep it small.
        yield _xml(_p("", STYLE_TABLE_TEXT))


def _peek(iterable: Iterable[Any]) -> Iterator[Any] | None:
    """The same items, or None when there are none (takes the first one early)."""
    iterator = iter(iterable)
    for first in iterator:
        return chain((first,), iterator)
    return None


# --- The report ---------------------------------------------------------------------------


def _body(data: SummaryData) -> Iterator[str]:
    header = data.header
    yield _para(w.document_title(header), STYLE_TITLE)
    yield _para("")
    yield _xml(_p(w.addressee_line(header), indent=_no_indent()))
    yield _para(w.opening(header))

    yield _para(_("一、总体情况"), STYLE_H1)
    for sentence in w.figures_sentences(data.figures, data.previous_figures, header.as_of):
        yield _para(sentence)
    yield from _narrative(data.narrative.overview)

    yield _para(_("二、各县(区)推进情况"), STYLE_H1)
    yield from _bodies(data.counties, _("本期无县(区)承办任务。"))
    yield _para(_("三、市直各部门推进情况"), STYLE_H1)
    yield from _bodies(data.departments, _("本期无市直部门承办任务。"))

    yield _para(_("四、时间节点和试点乡镇推进情况"), STYLE_H1)
    yield from _milestones(data)
    yield from _pilot_towns(data)

    yield _para(_("五、逾期事项和疑似应付式填报情况"), STYLE_H1)
    yield from _attention(data)

    yield _para(_("六、存在的主要问题"), STYLE_H1)
    yield from _narrative(data.narrative.problems)
    yield _para(_("七、%(heading)s") % {"heading": w.next_steps_heading(header)}, STYLE_H1)
    yield from _narrative(data.narrative.next_steps)
    yield _para(_("特此报告。"))

    yield from _signature(header.issuer, w.date_cn(header.document_date))


def _signature(issuer: str, day: str) -> Iterator[str]:
    """Issuer centred over the date; the date four characters in from the right."""
    date_indent = 4.0
    issuer_indent = max(0.0, date_indent + (_width(day) - _width(issuer)) / 2)
    yield _para("")
    for text, indent in ((issuer, issuer_indent), (day, date_indent)):
        right = _el(
            "w:ind",
            rightChars=round(indent * 100),
            right=round(indent * CHAR_TWIPS),
            firstLineChars=0,
            firstLine=0,
        )
        yield _xml(_p(text, indent=right, align="right"))


def _width(text: str) -> float:
    """Width in full-width characters (ASCII counts half)."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


BODY_COLUMNS = (
    _Column(_("序号"), 3, "center"),
    _Column(_("工作任务"), 10.5),
    _Column(_("分工及时限"), 5.8, "center"),
    _Column(_("进度"), 4.6, "center"),
    _Column(_("进展情况、存在问题及下步打算"), 0),  # the rest
)


def _bodies(sections: Iterable[BodySection], empty: str) -> Iterator[str]:
    count = 0
    for count, section in enumerate(sections, 1):
        yield _para(f"（{w.chinese_numeral(count)}）{section.name}", STYLE_H2)
        yield _para(w.body_sentence(section), keep_next=True)
        yield from _table(BODY_COLUMNS, _body_rows(section.rows))
    if not count:
        yield _para(empty)


def _body_rows(rows: Iterable[AssignmentRow]) -> Iterator[list[Cell]]:
    for number, row in enumerate(rows, 1):
        progress = [row.status.label]
        if row.percent is not None:
            progress.append(f"{row.percent}%")
        progress.append(row.light.label)
        texts = w.report_texts(row.progress, row.problems, row.next_steps, DOCX_EXCERPT_CHARS)
        if not row.reported:
            texts = [w.not_reported()]
        yield [
            str(number),
            [w.excerpt(f"{row.task_code} {row.task_title}", DOCX_EXCERPT_CHARS)],
            [row.role.label, w.date_iso(row.deadline)],
            _Shaded(progress, LIGHT_SHADING[row.light]),
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
    yield _para(_("（一）时间节点完成情况"), STYLE_H2)
    town_columns = (
        _Column(_("序号"), 3, "center"),
        _Column(_("乡镇"), 12),
        _Column(_("所属县(区)"), 12),
        _Column(_("完成情况"), 0),
    )
    county_columns = (
        _Column(_("序号"), 3, "center"),
        _Column(_("县(区)"), 18),
        _Column(_("完成情况"), 0),
    )
    count = 0
    for count, milestone in enumerate(data.milestones, 1):
        yield _para(
            _("%(n)d.%(title)s（完成时限%(due)s）")
            % {"n": count, "title": milestone.title, "due": w.date_cn(milestone.due)},
            STYLE_H3,
        )
        yield _para(w.milestone_sentence(milestone), keep_next=True)
        rest = iter(milestone.lines)
        first = next(rest, None)
        if first is None:
            continue
        lines = chain((first,), rest)
        if first.county:
            yield from _table(
                town_columns,
                (
                    [str(n), line.unit, line.county, _line_state(line)]
                    for n, line in enumerate(lines, 1)
                ),
            )
        else:
            yield from _table(
                county_columns,
                ([str(n), line.unit, _line_state(line)] for n, line in enumerate(lines, 1)),
            )
    if not count:
        yield _para(_("本期无到期的时间节点。"))


def _pilot_towns(data: SummaryData) -> Iterator[str]:
    yield _para(_("（二）试点乡镇推进情况"), STYLE_H2)
    towns = list(data.pilot_towns)  # six towns: small by definition
    if not towns:
        yield _para(_("本期无试点乡镇情况。"))
        return
    lines = sum(len(t.lines) for t in towns)
    done = sum(1 for t in towns for line in t.lines if line.done)
    yield _para(
        _("%(n)d个试点乡镇共有清单事项%(lines)d项，已完成%(done)d项，完成率%(share)s。")
        % {
            "n": len(towns),
            "lines": lines,
            "done": done,
            "share": w.percent(done / lines if lines else None),
        }
    )
    columns = (
        _Column(_("序号"), 3, "center"),
        _Column(_("试点乡镇"), 8),
        _Column(_("所属县(区)"), 8),
        _Column(_("清单事项完成情况"), 0),
    )

    def line_text(line: Any) -> str:
        if line.done:
            suffix = f"（{w.date_iso(line.done_on)}）" if line.done_on else ""
            return _("已完成：%(title)s%(suffix)s") % {"title": line.title, "suffix": suffix}
        return _("未完成：%(title)s") % {"title": line.title}

    yield from _table(
        columns,
        (
            [str(n), town.town, town.county, [line_text(line) for line in town.lines]]
            for n, town in enumerate(towns, 1)
        ),
    )


def _attention(data: SummaryData) -> Iterator[str]:
    yield _para(_("（一）逾期事项"), STYLE_H2)
    overdue = _peek(data.overdue)
    if overdue is None:
        yield _para(_("截至%(day)s，无逾期未完成事项。") % {"day": w.date_cn(data.header.as_of)})
    else:
        yield _para(
            _("截至%(day)s，以下事项已超过完成时限仍未完成：")
            % {"day": w.date_cn(data.header.as_of)},
            keep_next=True,
        )
        counter = _Counter(overdue)
        yield from _table(
            (
                _Column(_("序号"), 3, "center"),
                _Column(_("承办单位"), 9),
                _Column(_("工作任务"), 0),
                _Column(_("完成时限"), 6, "center"),
                _Column(_("逾期天数"), 5, "center"),
                _Column(_("状态灯"), 4, "center"),
            ),
            (
                [
                    str(n),
                    item.body,
                    w.excerpt(f"{item.task_code} {item.task_title}", DOCX_EXCERPT_CHARS),
                    w.date_iso(item.deadline),
                    str(item.days_overdue),
                    _Shaded([item.light.label], LIGHT_SHADING[item.light]),
                ]
                for n, item in enumerate(counter, 1)
            ),
        )
        yield _para(_("以上逾期事项共%(n)d项。") % {"n": counter.count})

    yield _para(_("（二）疑似应付式填报"), STYLE_H2)
    copied = _peek(data.copied_reports)
    if copied is None:
        yield _para(_("经比对，本期未发现进展情况与上期高度雷同的报告。"))
    else:
        yield _para(
            _("经比对，以下报告本期进展情况与上期相似度达到%(share)s以上，存在应付式填报嫌疑：")
            % {"share": w.percent(copy_threshold(), 0)},
            keep_next=True,
        )
        counter = _Counter(copied)
        yield from _table(
            (
                _Column(_("序号"), 3, "center"),
                _Column(_("承办单位"), 7),
                _Column(_("工作任务"), 7),
                _Column(_("本期进展情况"), 10),
                _Column(_("上期进展情况"), 10),
                _Column(_("相似度"), 0, "center"),
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
        yield _para(
            _("以上疑似应付式填报共%(n)d份，已通知相关单位重新核实填报。") % {"n": counter.count}
        )

    findings = _peek(data.findings)
    if findings is not None:
        yield _para(_("（三）督查发现问题整改情况"), STYLE_H2)
        counter = _Counter(findings)
        yield from _table(
            (
                _Column(_("序号"), 3, "center"),
                _Column(_("督查"), 7),
                _Column(_("承办单位"), 7),
                _Column(_("督查发现"), 0),
                _Column(_("整改时限"), 6, "center"),
                _Column(_("整改情况"), 10),
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
        yield _para(_("以上未销号的督查发现共%(n)d项。") % {"n": counter.count})


class _Counter:
    """Passes items through and counts them (for the "共N项" line after a table)."""

    def __init__(self, items: Iterable[Any]) -> None:
        self._items = items
        self.count = 0

    def __iter__(self) -> Iterator[Any]:
        for item in self._items:
            self.count += 1
            yield item
