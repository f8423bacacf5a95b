"""Admin for reporting periods, progress reports and evidence.

Reports and evidence are read-only here: they change only through
reports.services, which checks who acts, locked periods and the
draft → submitted → approved / returned cycle. Nothing is ever deleted.
"""

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import HistoryAdmin

from .models import AssignmentProgress, Evidence, LightSpan, ProgressReport, ReportingPeriod


class ReadOnlyAdminMixin:
    """View-only: no add, change or delete by anyone, superusers included."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EvidenceLinkMixin:
    @admin.display(description=_("文件"))
    def download_link(self, evidence: Evidence) -> str:
        """Through the app's download view, which checks who may read it (media is not public)."""
        try:
            url = reverse("evidence_download", args=[evidence.pk])
        except NoReverseMatch:
            return evidence.original_name
        return format_html('<a href="{}">{}</a>', url, evidence.original_name)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(HistoryAdmin):
    list_display = ("title", "code", "plan", "starts_on", "ends_on", "due_on", "is_locked")
    list_filter = ("plan", "is_locked")
    search_fields = ("code", "title")
    ordering = ("plan", "starts_on")
    list_select_related = ("plan",)


class EvidenceInline(EvidenceLinkMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = Evidence
    fields = ("download_link", "size", "uploaded_by", "created_at", "removed_at")
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = (
        "assignment",
        "period",
        "status",
        "percent",
        "state",
        "version",
        "updated_by",
        "updated_at",
    )
    list_filter = ("state", "status", "period", "assignment__department__kind")
    search_fields = (
        "assignment__task__code",
        "assignment__task__title",
        "assignment__department__short_name",
        "progress",
        "problems",
        "next_steps",
    )
    ordering = ("-updated_at",)
    date_hierarchy = "updated_at"
    list_select_related = ("assignment__task", "assignment__department", "period", "updated_by")
    readonly_fields = ("created_at", "updated_at")
    inlines = (EvidenceInline,)
    fieldsets = (
        (None, {"fields": ("assignment", "period", "state", "version")}),
        (_("进展"), {"fields": ("status", "percent", "progress", "problems", "next_steps")}),
        (
            _("经办与审核"),
            {
                "fields": (
                    ("created_by", "created_at"),
                    ("updated_by", "updated_at"),
                    ("submitted_by", "submitted_at"),
                    ("reviewed_by", "reviewed_at"),
                    "return_reason",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("assignment__task", "assignment__department", "period")
        )


@admin.register(Evidence)
class EvidenceAdmin(EvidenceLinkMixin, ReadOnlyAdminMixin, HistoryAdmin):
    list_display = (
        "original_name",
        "report",
        "extension",
        "size",
        "uploaded_by",
        "created_at",
        "removed_at",
    )
    list_filter = (("removed_at", admin.EmptyFieldListFilter), "extension")
    search_fields = ("original_name", "sha256", "report__assignment__task__code")
    ordering = ("-created_at",)
    list_select_related = (
        "report__assignment__task",
        "report__assignment__department",
        "uploaded_by",
    )
    readonly_fields = ("download_link",)
    fields = (
        "report",
        "original_name",
        "download_link",
        ("extension", "content_type", "size"),
        "sha256",
        ("uploaded_by", "created_at"),
        "removed_at",
    )


@admin.register(AssignmentProgress)
class AssignmentProgressAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Where each assignment stands (kept by the services; read-only here)."""

    list_display = ("assignment", "latest_report", "approved_report", "computed_deadline")
    list_select_related = ("assignment__task", "assignment__department")
    raw_id_fields = ("assignment", "latest_report", "approved_report")
    search_fields = ("assignment__task__code", "assignment__department__short_name")


@admin.register(LightSpan)
class LightSpanAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The light history of each assignment (computed; read-only here)."""

    list_display = ("assignment", "light", "starts_on", "ends_on")
    list_filter = ("light",)
    list_select_related = ("assignment__task", "assignment__department")
    search_fields = ("assignment__task__code", "assignment__department__short_name")
