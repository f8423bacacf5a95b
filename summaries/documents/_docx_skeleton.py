"""The .docx skeleton: styles, page setup, page numbers and properties, with no body.

python-docx builds it from its default template; `summaries.documents.docx` then
streams the body into it. Everything about how the report *looks* is here:

- A4; margins top 37 mm, bottom 35 mm, left (binding) 28 mm, right 26 mm, so the
  text block is 156 × 225 mm; 22 lines a page at a fixed 28.95 pt pitch and 28
  characters a line (3号 characters condensed by 0.25 pt);
- document defaults and Normal: 仿宋_GB2312 3号 (16 pt), indented two characters,
  justified, widow control off (official pages are filled to the last line);
- Title: 方正小标宋简体 2号 (22 pt), centred; Heading 1 (一、): 黑体 3号; Heading 2
  (（一）): 楷体_GB2312 3号; Heading 3 (1.): 仿宋_GB2312 3号 bold — all indented two
  characters like the body, with outline levels for Word's navigation pane;
- Table Text / Table Header: 仿宋_GB2312 / 黑体 五号 (10.5 pt), single spacing, off
  the line grid;
- page numbers "— 1 —" in 宋体 4号 (14 pt) as a PAGE field, odd pages at the right
  and even pages at the left, one character in (w:evenAndOddHeaders).

Fonts are named, not embedded: each style names its East-Asian face in
`w:eastAsia` and Times New Roman for Latin text, and theme fonts are removed
(a theme font would win over a named one). See /work/shared/TOOLCHAIN.md.
"""

from __future__ import annotations

import io
from datetime import UTC
from typing import Any

import docx
from django.utils.translation import gettext as _
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from . import wording as w
from .data import SummaryData

# Font names as a Chinese office has them installed.
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
CHAR_TWIPS = 320  # one 3号 character (indents give *Chars first, twips as fallback)
TABLE_CHAR_TWIPS = 210  # one 五号 character

# Style ids.
STYLE_TITLE = "Title"
STYLE_H1 = "Heading1"
STYLE_H2 = "Heading2"
STYLE_H3 = "Heading3"
STYLE_TABLE_TEXT = "TableText"
STYLE_TABLE_HEADER = "TableHeader"


def skeleton(data: SummaryData) -> bytes:
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
