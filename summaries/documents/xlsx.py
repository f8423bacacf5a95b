"""The ledger (任务台账) as an Excel workbook, streamed.

`write_xlsx(data, path_or_stream)` writes one sheet with every assignment ("全市汇总")
and one sheet per county and per city department, in ONE pass over the bodies:
openpyxl's write-only worksheets each stream to their own temporary file, so a
row is appended to the whole-plan sheet and to its body's sheet as it goes by
(interleaved appends on several write-only sheets are supported; a test checks
it). A body's sheet is closed as soon as its rows are done, so only two sheets
are open at any time, whatever the number of bodies.

`write_ledger_rows(rows, columns, path_or_stream, sheet_title)` is the same
formatting for any list (the bureau's dashboard exports).

What a Chinese office expects of a ledger: a bold header row, frozen, with an
auto-filter; widths that fit Chinese text (a CJK character counts as two width
units); long texts wrapped; dates as dates and percentages as numbers; A4
landscape printing with the header row repeated on every page.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from . import wording as w
from ._files import Destination, output
from .data import AssignmentRow, Light, SummaryData

__all__ = [
    "Column",
    "display_width",
    "ledger_columns",
    "sheet_title",
    "write_ledger_rows",
    "write_xlsx",
]

EXCEL_CELL_MAX_CHARS = 32767
SHEET_TITLE_MAX = 31
WIDTH_SAMPLE_ROWS = 200  # rows looked at to size columns without a fixed width
MAX_ESTIMATED_WIDTH = 60
FONT_NAME = "宋体"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
FONT_CHARSET_GB2312 = 134


@dataclass(frozen=True)
class Column:
    """A column of a ledger sheet.

    `width` is in Excel's units (one Latin character; a CJK character takes two).
    None sizes the column from its header and the first rows. `wrap` wraps long
    text; `number_format` applies to numbers and dates (e.g. "0%", "yyyy-mm-dd").
    """

    header: str
    width: float | None = None
    wrap: bool = False
    number_format: str | None = None
    align: str = "left"  # "left" or "center"


def ledger_columns() -> tuple[Column, ...]:
    """The 任务台账 columns (a function, so the headers are translated when used)."""
    return (
        Column(_("序号"), 6, align="center"),
        Column(_("任务编号"), 12),
        Column(_("工作任务"), 34, wrap=True),
        Column(_("承办单位"), 20, wrap=True),
        Column(_("分工"), 6, align="center"),
        Column(_("完成时限"), 12, number_format=DATE_FORMAT, align="center"),
        Column(_("进度状态"), 10, align="center"),
        Column(_("完成百分比"), 12, number_format="0%", align="center"),
        Column(_("状态灯"), 8, align="center"),
        Column(_("最新进展"), 50, wrap=True),
        Column(_("存在问题"), 34, wrap=True),
        Column(_("下步打算"), 34, wrap=True),
        Column(_("报告期"), 14, align="center"),
    )


LIGHT_COLUMN = 8  # 状态灯, counted from 0

LIGHT_FILLS = {
    Light.RED: "FFC7CE",
    Light.YELLOW: "FFEB9C",
    Light.GREEN: "C6EFCE",
    Light.DONE: "D9D9D9",
}


def write_xlsx(
    data: SummaryData, path_or_stream: Destination, *, per_body_sheets: bool = True
) -> None:
    """Write the ledger of `data` (counties then departments) to a path or a stream.

    Consumes `data.counties`, `data.departments` and each section's rows once; the
    other parts of `data` are not used. Memory does not grow with the rows, but
    openpyxl keeps ~24 KB per finished sheet until it saves: a national ledger
    (~2,850 bodies) takes ~70 MB and opens slowly in Excel. `per_body_sheets=False`
    writes only the whole-plan sheet (and 说明), in flat memory.
    """
    period = data.header.period.title
    columns = ledger_columns()
    with _workbook(path_or_stream, data_title=w.document_title(data.header)) as (book, styles):
        titles = _SheetTitles()
        whole = _Sheet(
            book, styles, titles.claim(_("全市汇总")), columns, light_column=LIGHT_COLUMN
        )
        number = 0
        for section in data.bodies():
            own = None
            if per_body_sheets:
                own = _Sheet(
                    book, styles, titles.claim(section.name), columns, light_column=LIGHT_COLUMN
                )
            for own_number, row in enumerate(section.rows, 1):
                number += 1
                values = _ledger_values(row, section.name, period)
                whole.append([number, *values], light=row.light)
                if own is not None:
                    own.append([own_number, *values], light=row.light)
            if own is not None:
                own.close()
        whole.close()
        _notes_sheet(book, styles, titles.claim(_("说明")), data, number)


def write_ledger_rows(
    rows: Iterable[Sequence[Any]],
    columns: Sequence[Column | str],
    path_or_stream: Destination,
    sheet_title: str = "台账",
) -> None:
    """Any rows → a one-sheet workbook with the ledger's formatting, streamed.

    `columns` are `Column`s or plain header strings. Columns without a width are
    sized from the header and the first `WIDTH_SAMPLE_ROWS` rows (held briefly;
    the rest streams). Values may be str, int, float, Decimal, bool, date,
    datetime (aware ones are written in local time) or None.
    """
    specs = [c if isinstance(c, Column) else Column(str(c)) for c in columns]
    iterator = iter(rows)
    if any(c.width is None for c in specs):
        head = list(islice(iterator, WIDTH_SAMPLE_ROWS))
        specs = _estimate_widths(specs, head)
        iterator = chain(head, iterator)
    with _workbook(path_or_stream, data_title=sheet_title) as (book, styles):
        sheet = _Sheet(book, styles, _SheetTitles().claim(sheet_title), specs)
        for row in iterator:
            sheet.append(list(row))
        sheet.close()


# --- Sheets -------------------------------------------------------------------------------


class _Styles:
    """Named cell styles registered once per workbook (cells then refer to them by name)."""

    def __init__(self, book: Workbook) -> None:
        thin = Side(style="thin", color="808080")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        font = Font(name=FONT_NAME, size=10.5, charset=FONT_CHARSET_GB2312)
        self._names: dict[tuple[str, ...], str] = {}
        self._book = book
        self._border = border
        self._font = font
        header = NamedStyle(
            name="台账表头",
            font=Font(name=FONT_NAME, size=10.5, bold=True, charset=FONT_CHARSET_GB2312),
            fill=PatternFill("solid", fgColor="DDEBF7"),
            border=border,
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        )
        book.add_named_style(header)
        self.header = header.name

    def get(
        self, *, wrap: bool, align: str, number_format: str | None = None, fill: str | None = None
    ) -> str:
        """The name of the style with these traits (registered on first use)."""
        key = (str(wrap), align, number_format or "", fill or "")
        name = self._names.get(key)
        if name is None:
            name = f"台账{len(self._names) + 1}"
            style = NamedStyle(
                name=name,
                font=self._font,
                border=self._border,
                alignment=Alignment(horizontal=align, vertical="center", wrap_text=wrap),
            )
            if number_format:
                style.number_format = number_format
            if fill:
                style.fill = PatternFill("solid", fgColor=fill)
            self._book.add_named_style(style)
            self._names[key] = name
        return name


class _Sheet:
    """A write-only sheet with a styled, frozen, filtered header row."""

    def __init__(
        self,
        book: Workbook,
        styles: _Styles,
        title: str,
        columns: Sequence[Column],
        *,
        light_column: int | None = None,
    ):
        self.columns = list(columns)
        self.light_column = light_column  # index of the column coloured by `append(light=)`
        self.styles = styles
        self.ws = book.create_sheet(title=title)
        self.rows = 0
        for index, column in enumerate(self.columns, 1):
            width = max(column.width or 0, display_width(column.header) + 2)
            self.ws.column_dimensions[get_column_letter(index)].width = width
        self.ws.freeze_panes = "A2"
        self.ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.paperSize = 9  # A4
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.ws.print_title_rows = "1:1"
        header = []
        for column in self.columns:
            cell = WriteOnlyCell(self.ws, value=_text(column.header))
            cell.style = styles.header
            header.append(cell)
        self.ws.append(header)
        self.last_column = get_column_letter(len(self.columns))
        # Per column: the style of a text and of a number/date value.
        self._text_styles = [styles.get(wrap=c.wrap, align=c.align) for c in self.columns]
        self._value_styles = [
            styles.get(wrap=False, align=c.align, number_format=c.number_format)
            for c in self.columns
        ]
        # A date in a column without a number format: (date style, datetime style).
        self._date_styles = [
            (
                styles.get(wrap=False, align=c.align, number_format=DATE_FORMAT),
                styles.get(wrap=False, align=c.align, number_format=DATETIME_FORMAT),
            )
            for c in self.columns
        ]

    def append(self, values: Sequence[Any], light: Light | None = None) -> None:
        """Append one row; `light` colours the 状态灯 column."""
        cells = []
        for index, value in enumerate(values):
            value = _cell_value(value)
            cell = WriteOnlyCell(self.ws, value=value)
            if isinstance(value, str):
                if cell.data_type == "f":  # user text such as "=1+1" is text, not a formula
                    cell.data_type = "s"
                style = self._text_styles[index]
            elif isinstance(value, date) and not self.columns[index].number_format:
                style = self._date_styles[index][isinstance(value, datetime)]
            else:
                style = self._value_styles[index]
            if light is not None and index == self.light_column:
                style = self.styles.get(wrap=False, align="center", fill=LIGHT_FILLS[light])
            cell.style = style
            cells.append(cell)
        self.ws.append(cells)
        self.rows += 1

    def close(self) -> None:
        self.ws.auto_filter.ref = f"A1:{self.last_column}{self.rows + 1}"
        self.ws.close()


class _SheetTitles:
    """Unique, valid sheet titles (Excel compares them case-insensitively)."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def claim(self, name: str) -> str:
        title = sheet_title(name, self._used)
        self._used.add(title.casefold())
        return title


_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _cut(text: str, limit: int) -> str:
    """At most `limit` UTF-16 units (how Excel counts a sheet title's 31 characters)."""
    while _utf16_len(text) > limit:
        text = text[:-1]
    return text


def sheet_title(name: str, used: Collection[str] = ()) -> str:
    """A valid Excel sheet title for `name`, not in `used` (case-folded titles).

    Forbidden characters []:*?/\\ become "_", control characters go, apostrophes
    cannot start or end it, "History" is reserved, and it has at most 31
    characters; a clash gets "(2)", "(3)"… within the 31.
    """
    base = _FORBIDDEN.sub("_", w.clean(name)).replace("\n", " ").strip().strip("'").strip()
    base = _cut(base, SHEET_TITLE_MAX).strip().strip("'") or "Sheet"
    if base.casefold() == "history":
        base = f"{base}_"
    title, n = base, 1
    while title.casefold() in used:
        n += 1
        suffix = f"({n})"
        title = _cut(base, SHEET_TITLE_MAX - len(suffix)).rstrip("'") + suffix
    return title


# --- Values -------------------------------------------------------------------------------


def display_width(text: str) -> int:
    """Width in Excel units: East-Asian wide and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _text(value: str) -> str:
    return w.clean(value)[:EXCEL_CELL_MAX_CHARS]


def _cell_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return value
    return _text(str(value))


def _ledger_values(row: AssignmentRow, body: str, period: str) -> list[Any]:
    """One ledger row after 序号 (the column order of `ledger_columns`)."""
    if row.reported:
        progress, problems, next_steps = row.progress, row.problems, row.next_steps
    else:
        progress, problems, next_steps = w.not_reported(), "", ""
    return [
        row.task_code,
        row.task_title,
        body,
        w.label(row.role),
        row.deadline,
        w.label(row.status),
        None if row.percent is None else row.percent / 100,
        w.label(row.light),
        progress,
        problems,
        next_steps,
        period,
    ]


def _estimate_widths(columns: list[Column], rows: list[Sequence[Any]]) -> list[Column]:
    sized = []
    for index, column in enumerate(columns):
        if column.width is not None:
            sized.append(column)
            continue
        widest = display_width(column.header)
        for row in rows:
            if index < len(row) and row[index] is not None:
                value = row[index]
                text = value.isoformat() if isinstance(value, date) else str(value)
                widest = max(widest, max(display_width(line) for line in text.split("\n")))
        width = min(widest + 2, MAX_ESTIMATED_WIDTH)
        sized.append(
            Column(
                column.header,
                width=width,
                wrap=column.wrap or widest + 2 > MAX_ESTIMATED_WIDTH,
                number_format=column.number_format,
                align=column.align,
            )
        )
    return sized


# --- Workbook -----------------------------------------------------------------------------


class _workbook:  # noqa: N801 - used like a function: `with _workbook(...) as (book, styles)`
    """A write-only workbook saved to the destination on success, discarded on error."""

    def __init__(self, path_or_stream: Destination, *, data_title: str) -> None:
        self.destination = path_or_stream
        self.book = Workbook(write_only=True)
        self.book.properties.title = data_title.replace("\n", "")
        self.book.properties.language = "zh-CN"

    def __enter__(self) -> tuple[Workbook, _Styles]:
        return self.book, _Styles(self.book)

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is not None:
            _discard(self.book)
            return
        with output(self.destination) as stream:
            self.book.save(stream)


def _discard(book: Workbook) -> None:
    """Finish and delete the temporary files of every sheet (a failed render).

    openpyxl removes them only when the workbook is saved (or at exit); a Celery
    worker lives long, so a failure must not leave them behind.
    """
    for ws in book.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        if not ws.closed:
            with contextlib.suppress(Exception):  # best effort while another error propagates
                ws.close()
        with contextlib.suppress(Exception):
            writer.cleanup()


def _notes_sheet(book: Workbook, styles: _Styles, title: str, data: SummaryData, rows: int) -> None:
    header = data.header
    sheet = _Sheet(book, styles, title, [Column(_("项目"), 14), Column(_("内容"), 70, wrap=True)])
    generated = header.generated_at
    if timezone.is_aware(generated):
        generated = timezone.localtime(generated)
    for label, value in (
        (_("实施方案"), f"《{header.plan_title.strip('《》')}》"),
        (_("报告期"), f"{header.period.title}（{header.period.code}）"),
        (_("截至"), w.date_cn(header.as_of)),
        (_("生成时间"), generated.strftime("%Y-%m-%d %H:%M")),
        (_("编制单位"), header.issuer),
        (_("任务数"), str(rows)),
        (
            _("说明"),
            _(
                "“全市汇总”列出全部承办任务；其后每个县(区)和市直部门一张工作表。"
                "进展情况取自本期最新一份已审核的报告，没有的显示“本期未报送”。"
            ),
        ),
    ):
        sheet.append([label, value])
    sheet.close()
