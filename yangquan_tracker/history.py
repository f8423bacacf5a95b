"""A readable timeline from django-simple-history records.

Diffs are computed in Python over rows fetched in one query per model, rather
than with `prev_record` (a query per row).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet

CHANGE_VERBS = {"+": "创建", "~": "修改", "-": "删除"}
SKIPPED_FIELDS = {"id", "created_at", "updated_at", "version"}


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    verb: str
    subject: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field, old, new)


def _display(record, field_obj) -> str:
    value = getattr(record, field_obj.attname)
    if value is None or value == "":
        return "—"
    if field_obj.choices:
        return str(dict(field_obj.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def timeline(histories: list[tuple[QuerySet, callable]]) -> list[HistoryEntry]:
    """Merge history querysets into one list, newest first.

    Each item is (historical queryset, subject(record) -> str).
    """
    entries: list[HistoryEntry] = []
    for queryset, subject in histories:
        model = queryset.model
        tracked = [
            f
            for f in model.instance_type._meta.concrete_fields
            # Who changed something is the entry's author; ids of related rows say little.
            if f.name not in SKIPPED_FIELDS and not f.is_relation
        ]
        previous = {}
        for record in queryset.select_related("history_user").order_by(
            "id", "history_date", "history_id"
        ):
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
            if before is not None and not changes:
                continue
            user = record.history_user
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=(user.get_full_name() or user.username) if user else "系统",
                    verb=CHANGE_VERBS.get(record.history_type, record.history_type),
                    subject=subject(record),
                    changes=changes,
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
