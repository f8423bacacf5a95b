"""The admin base every app uses: changes keep their author, and nobody but a superuser deletes."""

from simple_history.admin import SimpleHistoryAdmin

from core.services import record_actor


class NoDeleteMixin:
    """Rows are deactivated or corrected, not deleted: only a superuser may delete."""

    def has_delete_permission(self, request, obj=None):
        return bool(request.user.is_superuser) and super().has_delete_permission(request, obj)


class HistoryAdmin(NoDeleteMixin, SimpleHistoryAdmin):
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
