"""Helpers shared by the services of every app.

The actor of a change is recorded one way only: the service that makes the
change passes `by` to `record_actor`, which puts it on the history row
django-simple-history writes (the admin does the same through SimpleHistoryAdmin).
"""

from typing import Any

from django.db import models


def record_actor(instance: models.Model, by, *, reason: str = "") -> None:
    """The next save's history row names `by` (None: the system) and, if given, why."""
    if by is not None:
        instance._history_user = by
    if reason:
        instance._change_reason = reason


def upsert(
    model: type[models.Model], *, lookup: dict[str, Any], values: dict[str, Any], by=None
) -> tuple[models.Model, bool]:
    """Create or update one row, validating it, and saving only if something differs.

    Saving only on a real change keeps a second load of the same data from
    writing anything, history included. Returns (instance, changed).
    """
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
    else:
        differs = [name for name, value in values.items() if getattr(instance, name) != value]
        if not differs:
            return instance, False
        for name in differs:
            setattr(instance, name, values[name])
    instance.full_clean()
    record_actor(instance, by)
    instance.save()
    return instance, True


def set_m2m(manager, objects, *, by=None) -> bool:
    """Make a many-to-many relation hold exactly `objects`; report whether it changed."""
    wanted = {o.pk for o in objects}
    current = set(manager.values_list("pk", flat=True))
    if wanted == current:
        return False
    record_actor(manager.instance, by)
    manager.set(objects)
    return True
