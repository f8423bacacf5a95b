"""The admin base every app uses: changes keep their author, and nobody but a superuser deletes."""

from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from core.services import record_actor


class NoDeleteMixin:
    """Rows are deactivated or corrected, not deleted: only a superuser may delete."""

    def has_delete_permission(self, request, obj=None):
        return bool(request.user.is_superuser) and super().has_delete_permission(request, obj)


# Text fields without a length of their own (a plan's full text, a clause's words)
# take at most this much in the admin; the 2018 plan is about 10,000 characters.
ADMIN_TEXT_MAX_LENGTH = 50_000


class BoundedTextMixin:
    """Every text field of the admin's forms has a maximum length (ADMIN_TEXT_MAX_LENGTH
    unless the model sets one)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.TextField) and not db_field.max_length:
            kwargs.setdefault("max_length", ADMIN_TEXT_MAX_LENGTH)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class HistoryAdmin(NoDeleteMixin, BoundedTextMixin, SimpleHistoryAdmin):
    """SimpleHistoryAdmin names the user on the edited row; this does the same for its inlines."""

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            record_actor(instance, request.user)
            instance.save()
        for instance in formset.deleted_objects:
            record_actor(instance, request.user)
            instance.delete()
        formset.save_m2m()


def _with_rules(cls, *mixins):
    missing = tuple(m for m in mixins if not issubclass(cls, m))
    return type(cls.__name__, (*missing, cls), {}) if missing else cls


def apply_admin_rules(site) -> None:
    """Give every model admin registered so far (Django's groups, DRF's tokens, axes' logs,
    celery-beat's schedules…) and its inlines our rules: only a superuser deletes, and
    every text field has a maximum length."""
    for model, model_admin in list(site._registry.items()):
        admin_class = type(model_admin)
        ruled = _with_rules(admin_class, NoDeleteMixin, BoundedTextMixin)
        inlines = [_with_rules(inline, NoDeleteMixin, BoundedTextMixin) for inline in ruled.inlines]
        if ruled is admin_class and inlines == list(admin_class.inlines):
            continue
        site.unregister(model)
        site.register(model, type(admin_class.__name__, (ruled,), {"inlines": inlines}))
