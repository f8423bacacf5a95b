from django.contrib import admin

from core.admin import HistoryAdmin

from .models import Summary, SummaryVersion


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Summary)
class SummaryAdmin(ReadOnly, HistoryAdmin):
    list_display = ("period", "plan", "submitted_version")
    list_select_related = ("period", "plan", "submitted_version")


@admin.register(SummaryVersion)
class SummaryVersionAdmin(ReadOnly, HistoryAdmin):
    list_display = (
        "summary",
        "number",
        "status",
        "trigger",
        "requested_at",
        "finished_at",
        "submitted_at",
    )
    list_filter = ("status", "trigger")
    list_select_related = ("summary__period", "summary__plan")
