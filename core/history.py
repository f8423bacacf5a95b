"""A readable timeline from django-simple-history records.

Diffs are computed in Python over rows fetched in one query per model, rather
than with `prev_record` (a query per row).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

CHANGE_VERBS = {"+": "创建", "~": "修改", "-": "删除"}
SKIPPED_FIELDS = {"id", "created_at", "updated_at", "version"}


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    verb: str
    subject: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field, old, new)
    reason: str = ""


def _display(record, field_obj) -> str:
    value = getattr(record, field_obj.attname)
    if value is None or value == "":
        return "—"
    if field_obj.choices:
        return str(dict(field_obj.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        # As people read times here: local time, to the minute.
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


def field_changes(before, after, fields) -> list[tuple[str, str, str]]:
    """(label, old, new) for each of `fields` that differs between two versions of a row."""
    changes = []
    for f in fields:
        old, new = _display(before, f), _display(after, f)
        if old != new:
            changes.append((str(f.verbose_name), old, new))
    return changes


def timeline(
    histories: list[tuple[QuerySet | list, callable]], *, include_system: bool = False
) -> list[HistoryEntry]:
    """Merge history records into one list, newest first.

    Each item is (historical queryset or list of records, subject(record) -> str).
    Rows the system created or changed with no person behind them (the plan
    loader, a recomputation) are left out unless they carry a reason (a period
    closed, a report carried forward) or `include_system` is set.
    """
    entries: list[HistoryEntry] = []
    for records, subject in histories:
        if isinstance(records, QuerySet):
            records = records.select_related("history_user").order_by(
                "id", "history_date", "history_id"
            )
        records = list(records)
        if not records:
            continue
        model = type(records[0])
        tracked = [
            f
            for f in model.instance_type._meta.concrete_fields
            # Who changed something is the entry's author; ids of related rows say little.
            if f.name not in SKIPPED_FIELDS and not f.is_relation
        ]
        previous = {}
        for record in sorted(records, key=lambda r: (r.id, r.history_date, r.history_id)):
            before = previous.get(record.id)
            changes = []
            for f in tracked:
                new = _display(record, f)
                old = _display(before, f) if before is not None else None
                if before is None:
                    continue
                if old != new:
                    changes.append((str(f.verbose_name), old, new))
            previous[record.id] = record
            reason = record.history_change_reason or ""
            if before is not None and not changes and not reason:
                continue
            user = record.history_user
            if user is None and not reason and not include_system:
                continue
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=(user.get_full_name() or user.username) if user else "系统",
                    verb=CHANGE_VERBS.get(record.history_type, record.history_type),
                    subject=subject(record),
                    changes=changes,
                    reason=reason,
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
