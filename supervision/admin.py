"""Admin for reminders, sign-offs and inspections: read and correct, with history.

Day-to-day work happens on the pages (/reminders/, /inspections/, a work item's
page): they go through the services, which notify people and keep the rules.
"""

from django.contrib import admin

from core.admin import HistoryAdmin

from .models import Finding, Inspection, Reminder, SignOff


@admin.register(Reminder)
class ReminderAdmin(HistoryAdmin):
    list_display = ("sent_at", "department", "state", "reply_by", "acknowledged_at", "replied_at")
    list_filter = ("state", ("department", admin.RelatedOnlyFieldListFilter))
    search_fields = ("message", "reply", "department__short_name")
    date_hierarchy = "sent_at"
    list_select_related = ("department",)
    raw_id_fields = ("assignments",)
    readonly_fields = ("sent_by", "acknowledged_by", "replied_by", "escalated_at")


@admin.register(SignOff)
class SignOffAdmin(HistoryAdmin):
    list_display = ("task", "state", "signed_by", "signed_at", "reopened_at")
    list_filter = ("state", "task__origin")
    search_fields = ("task__code", "task__title", "reopen_reason")
    list_select_related = ("task", "signed_by")
    raw_id_fields = ("task",)
    readonly_fields = ("signed_by", "reopened_by")


class FindingInline(admin.TabularInline):
    model = Finding
    fields = ("number", "text", "department", "region", "deadline", "task")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # a finding is added through the inspection's page (it creates its task)


@admin.register(Inspection)
class InspectionAdmin(HistoryAdmin):
    list_display = ("code", "inspected_on", "inspectors", "plan")
    list_filter = ("plan",)
    search_fields = ("code", "inspectors", "summary", "findings__text")
    date_hierarchy = "inspected_on"
    list_select_related = ("plan",)
    readonly_fields = ("code", "section", "created_by")
    filter_horizontal = ("departments", "regions")
    inlines = (FindingInline,)
