"""Imports in the admin: read-only records of what was read and changed (review happens on the page)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import HistoryAdmin

from .models import ImportedBody, ImportedClause, PlanImport


@admin.register(PlanImport)
class PlanImportAdmin(HistoryAdmin):
    list_display = ("title", "status", "created_at", "created_by", "published_plan", "review_link")
    list_filter = ("status",)
    search_fields = ("title", "source_name", "document_number")
    list_select_related = ("created_by", "published_plan")
    readonly_fields = (
        "title",
        "source_name",
        "status",
        "created_by",
        "published_plan",
        "published_at",
        "warnings",
        "source_text",
        "review_link",
    )
    exclude = (
        "issuers",
        "coordinator",
        "slug",
        "document_number",
        "issued_on",
        "starts_on",
        "ends_on",
    )

    def has_add_permission(self, request):
        return False  # imports start on the upload page (or `manage.py import_plan`)

    @admin.display(description=_("核对页面"))
    def review_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("plan_import:review", args=[obj.pk]), _("打开")
        )


@admin.register(ImportedClause)
class ImportedClauseAdmin(HistoryAdmin):
    list_display = ("code", "title", "plan_import")
    list_select_related = ("plan_import",)
    search_fields = ("code", "title", "text")
    readonly_fields = [f.name for f in ImportedClause._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ImportedBody)
class ImportedBodyAdmin(HistoryAdmin):
    list_display = ("written_as", "role", "department", "resolution", "clause")
    list_filter = ("resolution", "role")
    list_select_related = ("clause", "department")
    search_fields = ("written_as", "clause__code")
    readonly_fields = [f.name for f in ImportedBody._meta.fields]

    def has_add_permission(self, request):
        return False
