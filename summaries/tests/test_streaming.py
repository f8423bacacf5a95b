"""20,000 rows through each writer: consumed once, in memory that does not grow with them.

Two instruments, because they see different things:
- tracemalloc sees every Python object (rows, strings, XML fragments kept in a list)
  but slows openpyxl five-fold, so the .xlsx is traced on fewer rows;
- the process's resident memory (sampled from /proc) also sees C memory — an lxml
  document tree or openpyxl's cells — and costs nothing.
The test rows carry ~2 KB of text each, so keeping all 20,000 of them (or their
XML) would add 40–60 MB; the bounds below are far under that.
"""

from __future__ import annotations

import gc
import html
import io
import os
import threading
import time
import tracemalloc
import zipfile

import pytest

from summaries.documents.docx import write_docx
from summaries.documents.sample import sample_summary
from summaries.documents.xlsx import write_xlsx

from .conftest import OneShot, long_rows, sections_of, with_parts

ROWS = 20_000
BODIES = 100
MB = 1024 * 1024

needs_proc = pytest.mark.skipif(
    not os.path.exists("/proc/self/statm"), reason="resident memory is read from /proc"
)


class ResidentPeak:
    """The highest resident set size while the block runs, above the size at its start."""

    def __init__(self, interval: float = 0.002) -> None:
        self.interval = interval
        self.start = self.peak = 0
        self._stop = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE")

    def _rss(self) -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * self._page

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._rss())
            time.sleep(self.interval)

    def __enter__(self) -> ResidentPeak:
        gc.collect()
        self.start = self.peak = self._rss()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())

    @property
    def growth(self) -> int:
        return self.peak - self.start


def big_summary(rows: OneShot, n: int):
    return with_parts(
        sample_summary(), counties=sections_of(rows, BODIES, n // BODIES), departments=[]
    )


def traced_peak(render) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        render()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture(autouse=True)
def _warm_up():
    """Imports, translation catalogues and caches are loaded before anything is measured."""
    write_docx(sample_summary(), io.BytesIO())
    write_xlsx(sample_summary(), io.BytesIO())


def test_docx_streams_20000_rows_once_in_bounded_python_memory(tmp_path):
    rows = OneShot(long_rows(ROWS))
    path = tmp_path / "big.docx"
    peak = traced_peak(lambda: write_docx(big_summary(rows, ROWS), path))

    assert rows.passes == 1 and rows.consumed == ROWS
    print(f"docx traced peak {peak / MB:.2f} MB")
    assert peak < 16 * MB, f"tracemalloc peak {peak / MB:.1f} MB"
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode()
    assert xml.count("<w:tr>") >= ROWS and "第19999项" in xml


@needs_proc
def test_docx_resident_memory_does_not_grow_with_20000_rows(tmp_path):
    rows = OneShot(long_rows(ROWS))
    with ResidentPeak() as resident:
        write_docx(big_summary(rows, ROWS), tmp_path / "big.docx")
    assert rows.consumed == ROWS
    print(f"docx resident growth {resident.growth / MB:.1f} MB")
    assert resident.growth < 30 * MB, f"resident memory grew {resident.growth / MB:.1f} MB"


@needs_proc
def test_xlsx_streams_20000_rows_once_in_bounded_resident_memory(tmp_path):
    rows = OneShot(long_rows(ROWS))
    path = tmp_path / "big.xlsx"
    with ResidentPeak() as resident:
        write_xlsx(big_summary(rows, ROWS), path)

    assert rows.passes == 1 and rows.consumed == ROWS
    print(f"xlsx resident growth {resident.growth / MB:.1f} MB")
    assert resident.growth < 30 * MB, f"resident memory grew {resident.growth / MB:.1f} MB"
    with zipfile.ZipFile(path) as package:
        whole = package.read("xl/worksheets/sheet1.xml").decode()
        sheets = [n for n in package.namelist() if n.startswith("xl/worksheets/sheet")]
    assert len(sheets) == 1 + BODIES + 1  # 全市汇总, one per body, 说明
    # openpyxl writes non-ASCII text as character references (&#31532;…).
    assert whole.count("<row ") == ROWS + 1 and "第19999项" in html.unescape(whole)


def test_xlsx_python_memory_does_not_grow_with_the_rows(tmp_path):
    """Traced peaks for 500 and 2,000 rows: kept rows would add ~3 MB between them.

    Written to files: an in-memory output stream would itself grow with the rows.
    """
    peaks = []
    for n in (500, 2_000):
        rows = OneShot(long_rows(n))
        data, path = big_summary(rows, n), tmp_path / f"{n}.xlsx"
        peaks.append(traced_peak(lambda data=data, path=path: write_xlsx(data, path)))
        assert rows.consumed == n
    small, large = peaks
    print(f"xlsx traced peaks {small / MB:.2f} MB → {large / MB:.2f} MB")
    assert large - small < 1 * MB, f"peaks {small / MB:.1f} MB → {large / MB:.1f} MB"
    assert large < 16 * MB
