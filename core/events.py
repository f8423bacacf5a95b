"""The outbox (core.models.OutboxEvent): services record what happened; apps above fan it out.

Event kinds (the contract with webhook subscribers, docs/notes/countyapi.md):

- `report.approved`, `report.returned`: a body's progress report reviewed;
- `reminder.created`: a reminder (催办) sent to a body;
- `work_item.signed_off`: a work item finished (办结), told to the bodies that share it.
"""

from .models import OutboxEvent

REPORT_APPROVED = "report.approved"
REPORT_RETURNED = "report.returned"
REMINDER_CREATED = "reminder.created"
WORK_ITEM_SIGNED_OFF = "work_item.signed_off"
KINDS = (REPORT_APPROVED, REPORT_RETURNED, REMINDER_CREATED, WORK_ITEM_SIGNED_OFF)


def event_record(*, kind: str, department_ids, payload: dict) -> OutboxEvent:
    """Record an event in the caller's transaction (call it from inside the service's atomic)."""
    if kind not in KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    return OutboxEvent.objects.create(
        kind=kind, department_ids=sorted({int(d) for d in department_ids}), payload=payload
    )
