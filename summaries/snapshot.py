"""The data a summary version was made from, as a file: JSON lines, gzip, with a checksum.

Collection writes records in the order the renderers read them (header, figures,
the county sections with their rows, the department sections with theirs, dated
steps with their lines, pilot towns, overdue items, copied reports, findings).
Every record but the first (`meta`: when it was collected) goes into the SHA-256
checksum, so two generations from the same data have the same checksum.

Reading builds a `SummaryData` whose big parts are re-iterable views of the file:
each pass opens the file again and streams it, so a national summary is never
held in memory, and the same snapshot can be rendered as .docx and .xlsx (and
again after the coordinator edits the narrative).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .documents.data import (
    AssignmentRow,
    BodyFigures,
    BodyKind,
    BodySection,
    ChecklistLineState,
    CopiedReport,
    Figures,
    InspectionFinding,
    Light,
    LightCounts,
    MilestoneProgress,
    Narrative,
    OverdueItem,
    Period,
    PilotLine,
    PilotTown,
    ReportStatus,
    Role,
    RoleCounts,
    StatusCounts,
    SummaryData,
    SummaryHeader,
)


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} in a snapshot")


class SnapshotWriter:
    """Write records to `<path>.part`; `close()` renames it to `path` and returns the checksum."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.part = self.path.with_name(self.path.name + ".part")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Open across many write() calls; close() or discard() closes it.
        self._file = gzip.open(self.part, "wt", encoding="utf-8", compresslevel=5)  # noqa: SIM115
        self._digest = hashlib.sha256()
        self.records = 0

    def meta(self, **values) -> None:
        self._file.write(json.dumps({"t": "meta", **values}, default=_default) + "\n")

    def write(self, record_type: str, /, **values) -> None:
        line = json.dumps({"t": record_type, **values}, ensure_ascii=False, default=_default)
        self._digest.update(line.encode())
        self._file.write(line + "\n")
        self.records += 1

    def close(self) -> str:
        self._file.close()
        os.replace(self.part, self.path)
        return self._digest.hexdigest()

    def discard(self) -> None:
        self._file.close()
        self.part.unlink(missing_ok=True)


def _records(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as file:
        for line in file:
            yield json.loads(line)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class _Pass:
    """A re-iterable view of some records of the file (a fresh pass per iteration)."""

    def __init__(self, path: Path, make: Callable[[Iterator[dict]], Iterator[Any]]):
        self.path, self.make = path, make

    def __iter__(self):
        return self.make(_records(self.path))


def _figures(values: dict | None) -> Figures | None:
    if values is None:
        return None
    return Figures(
        tasks=values["tasks"],
        assignments=values["assignments"],
        by_light=LightCounts(**values["by_light"]),
        by_status=StatusCounts(**values["by_status"]),
        reports_approved=values["reports_approved"],
        assignments_with_approved_report=values["assignments_with_approved_report"],
    )


def _row(values: dict) -> AssignmentRow:
    return AssignmentRow(
        task_code=values["task_code"],
        task_title=values["task_title"],
        role=Role(values["role"]),
        deadline=_day(values["deadline"]),
        status=ReportStatus(values["status"]),
        percent=values["percent"],
        light=Light(values["light"]),
        progress=values["progress"],
        problems=values["problems"],
        next_steps=values["next_steps"],
    )


def _sections(group: str) -> Callable[[Iterator[dict]], Iterator[BodySection]]:
    """Sections of one group, each with its rows read from the same pass (in order)."""

    def make(records: Iterator[dict]) -> Iterator[BodySection]:
        pending = None
        for record in records:
            if record["t"] == "body" and record["group"] == group:
                pending = record
                break
        while pending is not None:
            section, pending = pending, None
            following: list[dict] = []

            def rows(section=section, following=following) -> Iterator[AssignmentRow]:
                for record in records:
                    if record["t"] == "row":
                        yield _row(record)
                        continue
                    following.append(record)
                    return

            row_iter = rows()
            yield BodySection(
                name=section["name"],
                kind=BodyKind(section["kind"]),
                figures=BodyFigures(
                    by_role=RoleCounts(**section["by_role"]),
                    by_light=LightCounts(**section["by_light"]),
                    average_percent=section["average_percent"],
                ),
                rows=row_iter,
            )
            for _row_left in row_iter:  # the renderer may stop early: drain this body
                pass
            if following and following[0]["t"] == "body" and following[0]["group"] == group:
                pending = following[0]

    return make


def _of_kind(kind: str, build: Callable[[dict], Any]) -> Callable[[Iterator[dict]], Iterator]:
    def make(records: Iterator[dict]) -> Iterator:
        for record in records:
            if record["t"] == kind:
                yield build(record)

    return make


def _milestone(values: dict) -> MilestoneProgress:
    return MilestoneProgress(
        title=values["title"],
        due=_day(values["due"]),
        met=values["met"],
        total=values["total"],
        lines=[
            ChecklistLineState(
                unit=line["unit"],
                county=line["county"],
                done=line["done"],
                done_on=_day(line["done_on"]),
            )
            for line in values["lines"]
        ],
    )


def read_snapshot(path: Path, *, narrative: Narrative) -> SummaryData:
    """A `SummaryData` over the snapshot file, with the version's narrative."""
    path = Path(path)
    small: dict[str, dict] = {}
    pilots: list[PilotTown] = []
    for record in _records(path):
        kind = record["t"]
        if kind in ("header", "figures", "previous_figures"):
            small[kind] = record
        elif kind == "pilot_town":
            pilots.append(
                PilotTown(
                    town=record["town"],
                    county=record["county"],
                    lines=[
                        PilotLine(title=li["title"], done=li["done"], done_on=_day(li["done_on"]))
                        for li in record["lines"]
                    ],
                )
            )
        elif kind == "body":
            continue
    header = small["header"]
    period = header["period"]
    return SummaryData(
        header=SummaryHeader(
            plan_title=header["plan_title"],
            period=Period(
                code=period["code"],
                title=period["title"],
                starts_on=_day(period["starts_on"]),
                ends_on=_day(period["ends_on"]),
            ),
            as_of=_day(header["as_of"]),
            generated_at=datetime.fromisoformat(header["generated_at"]),
            document_date=_day(header["document_date"]),
            addressee=header["addressee"],
            issuer=header["issuer"],
        ),
        figures=_figures(small["figures"]["values"]),
        previous_figures=_figures(small.get("previous_figures", {}).get("values")),
        narrative=narrative,
        counties=_Pass(path, _sections("county")),
        departments=_Pass(path, _sections("department")),
        milestones=_Pass(path, _of_kind("milestone", _milestone)),
        pilot_towns=pilots,
        overdue=_Pass(
            path,
            _of_kind(
                "overdue",
                lambda r: OverdueItem(
                    body=r["body"],
                    task_code=r["task_code"],
                    task_title=r["task_title"],
                    deadline=_day(r["deadline"]),
                    days_overdue=r["days_overdue"],
                    light=Light(r["light"]),
                ),
            ),
        ),
        copied_reports=_Pass(
            path,
            _of_kind(
                "copied",
                lambda r: CopiedReport(
                    body=r["body"],
                    task_code=r["task_code"],
                    task_title=r["task_title"],
                    progress=r["progress"],
                    previous_progress=r["previous_progress"],
                    similarity=r["similarity"],
                ),
            ),
        ),
        findings=_Pass(
            path,
            _of_kind(
                "finding",
                lambda r: InspectionFinding(
                    inspection=r["inspection"],
                    body=r["body"],
                    finding=r["finding"],
                    due=_day(r["due"]),
                    rectification=r["rectification"],
                ),
            ),
        ),
    )


def snapshot_records(path: Path, kind: str) -> Iterable[dict]:
    """Raw records of one kind (for tests and checks)."""
    return (record for record in _records(Path(path)) if record["t"] == kind)
