"""The ledger (任务台账): any list of work as an Excel file a Chinese office expects, streamed.

Columns: 序号, 任务编号, 工作任务, 牵头单位, 配合单位, 完成时限, 进度, 完成百分比, 状态灯,
最新进展, 存在问题 (and any `extra_columns` a list adds, after them). A bold
header row, frozen, with an auto-filter; widths that fit Chinese text; long texts
wrapped; dates as dates, percentages as numbers; A4 landscape with the header
repeated on every printed page.

openpyxl's write-only mode streams rows to a temporary file (memory stays flat
whatever the number of rows); the response then streams that file. Every app may
use it: each turns its own rows into `LedgerRow`s.
"""

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

FONT = "宋体"
EXCEL_CELL_MAX = 32767
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# (header, width in Excel units: a CJK character is about two, wrap)
COLUMNS: tuple[tuple[str, float, bool], ...] = (
    ("序号", 6, False),
    ("任务编号", 12, False),
    ("工作任务", 36, True),
    ("牵头单位", 20, True),
    ("配合单位", 24, True),
    ("完成时限", 12, False),
    ("进度", 9, False),
    ("完成百分比", 11, False),
    ("状态灯", 8, False),
    ("最新进展", 50, True),
    ("存在问题", 34, True),
)
HEADERS = [c[0] for c in COLUMNS]
LIGHT_FILLS = {"红灯": "FFC7CE", "黄灯": "FFEB9C", "绿灯": "C6EFCE", "已完成": "D9E1F2"}


@dataclass
class LedgerRow:
    code: str
    title: str
    lead: str = ""
    support: str = ""
    deadline: date | None = None
    status: str = ""
    percent: int | None = None  # 0–100
    light: str = ""  # 红灯 / 黄灯 / 绿灯 / 已完成
    progress: str = ""
    problems: str = ""
    extra: list[Any] = field(default_factory=list)

    def values(self, number: int) -> list[Any]:
        return [
            number,
            self.code,
            self.title,
            self.lead,
            self.support,
            self.deadline,
            self.status,
            None if self.percent is None else self.percent / 100,
            self.light,
            self.progress,
            self.problems,
            *self.extra,
        ]


def write_ledger(
    rows: Iterable[LedgerRow],
    stream,
    *,
    sheet_title: str = "任务台账",
    extra_columns: Sequence[tuple[str, float]] = (),
) -> int:
    """Write the rows as a one-sheet workbook to a binary stream; returns the row count."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=sheet_title[:31])
    columns = [*COLUMNS, *((header, width, True) for header, width in extra_columns)]
    for index, (_header, width, _wrap) in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name=FONT, size=10.5)
    header_font = Font(name=FONT, size=10.5, bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrapped = Alignment(vertical="top", wrap_text=True)
    plain = Alignment(vertical="top")
    fills = {name: PatternFill("solid", fgColor=colour) for name, colour in LIGHT_FILLS.items()}

    header = []
    for title, _width, _wrap in columns:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font, cell.fill, cell.border, cell.alignment = header_font, header_fill, border, centre
        header.append(cell)
    sheet.append(header)

    count = 0
    for count, row in enumerate(rows, 1):
        cells = []
        for index, value in enumerate(row.values(count)):
            if value is not None and not isinstance(value, int | float | date | str):
                value = str(value)  # lazy translations, Decimal…
            if isinstance(value, str) and len(value) > EXCEL_CELL_MAX:
                value = value[: EXCEL_CELL_MAX - 1] + "…"
            cell = WriteOnlyCell(sheet, value=value)
            cell.font, cell.border = font, border
            cell.alignment = wrapped if columns[index][2] else plain
            if index == 5 and value is not None:
                cell.number_format = "yyyy-mm-dd"
            elif index == 7 and value is not None:
                cell.number_format = "0%"
            elif index == 8 and value in fills:
                cell.fill = fills[value]
            cells.append(cell)
        sheet.append(cells)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    book.save(stream)
    return count


def ledger_response(
    rows: Iterable[LedgerRow],
    *,
    filename: str,
    sheet_title: str = "任务台账",
    extra_columns: Sequence[tuple[str, float]] = (),
) -> FileResponse:
    """The ledger as a download, streamed from a temporary file (deleted when closed)."""
    # Closed (and so deleted) by the response once it is sent.
    stream = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    write_ledger(rows, stream, sheet_title=sheet_title, extra_columns=extra_columns)
    stream.seek(0)
    response = FileResponse(stream, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
