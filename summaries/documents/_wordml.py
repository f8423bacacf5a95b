"""WordprocessingML body fragments as strings: paragraphs and streamed tables.

The body of a national report has ~100,000 table rows; building each as lxml
elements costs ~0.5 ms a row, formatting a string ~0.05 ms. Every piece of text
goes through `text()` (XML-illegal characters removed, markup escaped), and
attribute values are only the numbers and style ids written here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from . import wording as w
from ._docx_skeleton import (
    CHAR_TWIPS,
    STYLE_TABLE_HEADER,
    STYLE_TABLE_TEXT,
    TABLE_CHAR_TWIPS,
    TEXT_WIDTH_TWIPS,
)

CELL_MARGIN_TWIPS = 57  # 1 mm left and right inside table cells


def text(value: str) -> str:
    return escape(w.clean(value))


def no_indent() -> str:
    return '<w:ind w:firstLineChars="0" w:firstLine="0"/>'


def right_indent(chars: float) -> str:
    """An indent from the right margin, in 3号 characters, and no first-line indent."""
    return (
        f'<w:ind w:right="{round(chars * CHAR_TWIPS)}" w:rightChars="{round(chars * 100)}"'
        ' w:firstLineChars="0" w:firstLine="0"/>'
    )


def paragraph(
    value: str = "",
    style: str | None = None,
    *,
    keep_next: bool = False,
    indent: str = "",
    align: str | None = None,
) -> str:
    """A paragraph; "\\n" in `value` becomes a line break within it.

    `keep_next` keeps it on the page of what follows (an introduction and its
    table); `indent` is a w:ind from `no_indent`/`right_indent`; `align` a w:jc value.
    """
    ppr = "".join(
        (
            f'<w:pStyle w:val="{style}"/>' if style else "",
            "<w:keepNext/>" if keep_next else "",
            indent,
            f'<w:jc w:val="{align}"/>' if align else "",
        )
    )
    runs = "<w:r><w:br/></w:r>".join(
        f'<w:r><w:t xml:space="preserve">{text(line)}</w:t></w:r>' if line else ""
        for line in value.split("\n")
    )
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{runs}</w:p>"


@dataclass(frozen=True)
class Column:
    header: str
    chars: float  # width in 五号 characters, cell margins included; 0 = what is left
    align: str = "left"  # of the column's cells: "left" or "center"

    @property
    def twips(self) -> int:
        return round(self.chars * TABLE_CHAR_TWIPS)


@dataclass(frozen=True)
class Shaded:
    """Cell paragraphs on a coloured background (the traffic light)."""

    texts: Sequence[str]
    fill: str  # RRGGBB


Cell = str | Sequence[str] | Shaded  # one paragraph, several, or several on a colour


def widths(columns: Sequence[Column]) -> list[int]:
    """Column widths in twips; the one column of width 0 takes what is left."""
    fixed = sum(c.twips for c in columns)
    return [c.twips or TEXT_WIDTH_TWIPS - fixed for c in columns]


def _cell(content: Cell, width: int, style: str, align: str | None, keep_next: bool) -> str:
    fill = ""
    if isinstance(content, Shaded):
        fill = f'<w:shd w:val="clear" w:color="auto" w:fill="{content.fill}"/>'
        content = content.texts
    texts = [content] if isinstance(content, str) else list(content) or [""]
    paragraphs = "".join(
        paragraph(value, style, keep_next=keep_next, align=align) for value in texts
    )
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{fill}'
        f'<w:vAlign w:val="center"/></w:tcPr>{paragraphs}</w:tc>'
    )


def row(cells: Sequence[Cell], columns: Sequence[Column], column_widths: Sequence[int]) -> str:
    if len(cells) != len(columns):
        raise ValueError(f"a row of {len(cells)} cells in a table of {len(columns)} columns")
    return (
        "<w:tr>"
        + "".join(
            _cell(cell, width, STYLE_TABLE_TEXT, column.align, keep_next=False)
            for cell, column, width in zip(cells, columns, column_widths, strict=True)
        )
        + "</w:tr>"
    )


def header_row(columns: Sequence[Column], column_widths: Sequence[int]) -> str:
    """Repeats on every page (w:tblHeader), never splits, keeps with the first row."""
    return (
        "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
        + "".join(
            _cell(column.header, width, STYLE_TABLE_HEADER, None, keep_next=True)
            for column, width in zip(columns, column_widths, strict=True)
        )
        + "</w:tr>"
    )


def table(columns: Sequence[Column], rows: Iterable[Sequence[Cell]]) -> Iterator[str]:
    """A table streamed row by row; nothing at all when `rows` is empty.

    The layout is fixed (Word does not re-measure a long table) and the table is
    followed by an empty small paragraph (Word needs one between a table and what
    follows).
    """
    column_widths = widths(columns)
    started = False
    for cells in rows:
        if not started:
            started = True
            grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in column_widths)
            yield (
                '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>'
                f'<w:tblW w:w="{TEXT_WIDTH_TWIPS}" w:type="dxa"/><w:jc w:val="center"/>'
                '<w:tblLayout w:type="fixed"/><w:tblCellMar>'
                f'<w:left w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/>'
                f'<w:right w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/></w:tblCellMar>'
                '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0"'
                ' w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
                f"<w:tblGrid>{grid}</w:tblGrid>" + header_row(columns, column_widths)
            )
        yield row(cells, columns, column_widths)
    if started:
        yield "</w:tbl>" + paragraph("", STYLE_TABLE_TEXT)
