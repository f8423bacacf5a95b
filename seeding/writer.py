"""Writing many reports at once, the way the services would have left them.

Demo and synthetic data describe the past: reports made, submitted, returned and
approved years ago, in periods long closed. The services write the present (they
refuse a closed period and stamp rows with the current time), so the seeding
commands write rows in bulk instead and keep everything else the services keep:

- every report's history, one row per step it went through (created, submitted,
  returned, approved, carried), each dated and signed as it happened;
- the assignment's stored progress (latest and latest approved report), as
  `reports.services._progress_set` would have left it after the last step;
- the light history, computed by the real `reports.services.lights_refresh`.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models

from reports.models import AssignmentProgress, ProgressReport
from reports.services import lights_refresh

HISTORY_BATCH = 5000


@dataclass
class Step:
    """One step of a report's life, as its history row records it."""

    when: datetime
    kind: str  # "+" created, "~" changed
    user_id: int | None
    changes: dict = field(default_factory=dict)  # fields as they stood after this step
    reason: str = ""


@dataclass
class ReportPlan:
    """A report to write: its final fields and the steps that led there."""

    fields: dict
    steps: list[Step]
    carried_from: "ReportPlan | None" = None
    period_title: str = ""
    row: ProgressReport | None = None


@contextmanager
def stamped_by_hand(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep the created_at/updated_at we set (the past), not now."""
    saved = []
    for model in model_classes:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _tracked_fields() -> list[str]:
    history_model = ProgressReport.history.model
    names = {f.attname for f in history_model._meta.concrete_fields}
    return [f.attname for f in ProgressReport._meta.concrete_fields if f.attname in names]


def reports_write(plans: list[ReportPlan]) -> list[ProgressReport]:
    """Insert the reports, their history rows and what the services derive from them.

    Carried reports must come before the reports that continue them. Queries: a
    fixed number per call (batched inserts, one upsert of the stored progress, and
    lights_refresh's batches); memory: the reports of this call.
    """
    if not plans:
        return []
    rows = [ProgressReport(**p.fields) for p in plans]
    for p, row in zip(plans, rows, strict=True):
        p.row = row
    with stamped_by_hand(ProgressReport):
        ProgressReport.objects.bulk_create(rows, batch_size=2000)
    continued = [p for p in plans if p.carried_from is not None]
    for p in continued:
        p.row.carried_from_id = p.carried_from.row.pk
    if continued:
        ProgressReport.objects.bulk_update(
            [p.row for p in continued], ["carried_from"], batch_size=2000
        )
    _history_write(plans)
    assignment_ids = sorted({row.assignment_id for row in rows})
    _progress_write(rows)
    lights_refresh(assignment_ids=assignment_ids)
    return rows


def _history_write(plans: Iterable[ReportPlan]) -> None:
    history_model = ProgressReport.history.model
    names = _tracked_fields()
    batch = []
    for p in plans:
        final = {name: getattr(p.row, name) for name in names}
        for step in p.steps:
            values = {**final, **step.changes}
            values["updated_at"] = step.when
            batch.append(
                history_model(
                    **values,
                    history_date=step.when,
                    history_type=step.kind,
                    history_user_id=step.user_id,
                    history_change_reason=step.reason or None,
                )
            )
        if len(batch) >= HISTORY_BATCH:
            history_model.objects.bulk_create(batch)
            batch = []
    if batch:
        history_model.objects.bulk_create(batch)


def _progress_write(rows: list[ProgressReport]) -> None:
    """Latest and latest approved report per assignment, as the services keep them.

    The services set `latest_report` to the report last written and
    `approved_report` to the report last approved; the newest write wins. Reports
    already stored for these assignments (an earlier load) count too.
    """
    ids = {row.assignment_id for row in rows}
    latest: dict[int, tuple] = {}
    approved: dict[int, tuple] = defaultdict(lambda: None)
    existing = ProgressReport.objects.filter(assignment_id__in=ids).values_list(
        "assignment_id", "pk", "updated_at", "state", "reviewed_at"
    )
    for assignment_id, pk, updated_at, state, reviewed_at in existing.iterator(chunk_size=5000):
        key = (updated_at, pk)
        if assignment_id not in latest or key > latest[assignment_id]:
            latest[assignment_id] = key
        if state == ProgressReport.State.APPROVED and reviewed_at is not None:
            akey = (reviewed_at, pk)
            if approved[assignment_id] is None or akey > approved[assignment_id]:
                approved[assignment_id] = akey
    AssignmentProgress.objects.bulk_create(
        [
            AssignmentProgress(
                assignment_id=assignment_id,
                latest_report_id=latest[assignment_id][1],
                approved_report_id=approved[assignment_id][1] if approved[assignment_id] else None,
            )
            for assignment_id in sorted(latest)
        ],
        update_conflicts=True,
        unique_fields=["assignment"],
        update_fields=["latest_report", "approved_report"],
        batch_size=2000,
    )
