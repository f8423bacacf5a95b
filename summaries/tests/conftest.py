"""Fixtures for the renderer tests: no database, only hand-built SummaryData."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar

import pytest

from summaries.documents.data import (
    AssignmentRow,
    BodyFigures,
    BodyKind,
    BodySection,
    Light,
    LightCounts,
    ReportStatus,
    Role,
    RoleCounts,
    SummaryData,
)
from summaries.documents.sample import sample_summary

T = TypeVar("T")


class OneShot(Iterable[T]):
    """An iterable that may be iterated once; a second pass fails the test."""

    def __init__(self, items: Iterable[T]) -> None:
        self._items = items
        self.passes = 0
        self.consumed = 0

    def __iter__(self) -> Iterator[T]:
        self.passes += 1
        if self.passes > 1:
            raise AssertionError("iterated twice")
        for item in self._items:
            self.consumed += 1
            yield item


def long_rows(n: int, *, text_chars: int = 500) -> Iterator[AssignmentRow]:
    """`n` distinct rows with long report texts (≈3 KB each if anyone kept them)."""
    for i in range(n):
        filler = f"第{i}项" + "推进乡镇便民服务中心标准化建设" * (text_chars // 15)
        yield AssignmentRow(
            task_code=f"三(二){i % 9 + 1}-{i}",
            task_title=f"工作任务{i}：完善乡镇政府公共服务职能",
            role=Role.LEAD if i % 2 else Role.SUPPORT,
            deadline=date(2019, 12, 31),
            status=ReportStatus.IN_PROGRESS,
            percent=i % 101,
            light=Light.GREEN,
            progress=filler,
            problems=filler[: text_chars // 2],
            next_steps=filler[: text_chars // 2],
        )


def sections_of(rows: Iterable[AssignmentRow], bodies: int, per_body: int) -> Iterator[BodySection]:
    """Cut one stream of rows into `bodies` sections of `per_body` rows, lazily."""
    iterator = iter(rows)

    def take() -> Iterator[AssignmentRow]:
        for _ in range(per_body):
            yield next(iterator)

    for b in range(bodies):
        yield BodySection(
            name=f"第{b + 1}县人民政府",
            kind=BodyKind.COUNTY_GOVERNMENT,
            figures=BodyFigures(
                by_role=RoleCounts(lead=per_body), by_light=LightCounts(green=per_body)
            ),
            rows=take(),
        )


def with_parts(data: SummaryData, **parts: Any) -> SummaryData:
    return replace(data, **parts)


@pytest.fixture
def summary() -> SummaryData:
    """The hand-written sample: 2 counties, 2 departments, 8 rows, one of everything else."""
    return sample_summary()
