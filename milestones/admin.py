"""Admin for the dated steps (目标步骤) and their checklists."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import HistoryAdmin, NoDeleteMixin

from .models import ChecklistEvidence, ChecklistLine, Milestone
from .services import checklist_lines_sync


class ChecklistLineInline(NoDeleteMixin, admin.TabularInline):
    """The checklist is generated from the step's scope (action below); here it is ticked off.

    New lines: the "补齐节点任务清单" action, or the 节点任务清单 page.
    """

    model = ChecklistLine
    fields = ("region", "department", "state", "completed_on", "note")
    readonly_fields = ("region", "department")
    show_change_link = True
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # The milestone too: each row's title (__str__) names it.
        return super().get_queryset(request).select_related("milestone", "region", "department")


@admin.register(Milestone)
class MilestoneAdmin(HistoryAdmin):
    list_display = ("due_date", "due_precision", "title", "scope", "code", "plan")
    list_display_links = ("due_date", "title")
    list_filter = ("plan", "scope", "due_precision")
    search_fields = ("code", "title", "text", "note")
    ordering = ("plan", "due_date", "order")
    date_hierarchy = "due_date"
    list_select_related = ("plan",)
    inlines = (ChecklistLineInline,)
    actions = ("sync_lines",)
    fieldsets = (
        (None, {"fields": ("plan", "code", "title", "scope", "order")}),
        (_("时限"), {"fields": ("due_date", "due_precision")}),
        (_("原文"), {"fields": ("text", "note")}),
    )

    @admin.action(description=_("按落实范围补齐节点任务清单"), permissions=["change"])
    def sync_lines(self, request, queryset):
        changed = sum(
            checklist_lines_sync(milestone=m, by=request.user)
            for m in queryset.select_related("plan")
        )
        self.message_user(
            request,
            ngettext("新增或更新 %(count)d 条清单。", "新增或更新 %(count)d 条清单。", changed)
            % {"count": changed},
            messages.SUCCESS,
        )


@admin.register(ChecklistLine)
class ChecklistLineAdmin(HistoryAdmin):
    list_display = ("milestone", "region", "department", "state", "completed_on")
    list_filter = (
        "state",
        ("completed_on", admin.EmptyFieldListFilter),
        "milestone__plan",
        ("milestone", admin.RelatedOnlyFieldListFilter),
        ("department", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("region__name", "region__code", "department__short_name", "milestone__title")
    ordering = ("milestone__due_date", "milestone__order", "region__code")
    list_select_related = ("milestone", "region", "department")
    autocomplete_fields = ("milestone", "region", "department")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("milestone", "region", "department")


@admin.register(ChecklistEvidence)
class ChecklistEvidenceAdmin(HistoryAdmin):
    """Files counties attach to their lines: read here, added and hidden through the pages."""

    list_display = ("original_name", "line", "extension", "size", "uploaded_by", "created_at")
    list_filter = (("removed_at", admin.EmptyFieldListFilter), "extension")
    search_fields = ("original_name", "sha256", "line__region__name")
    ordering = ("-created_at",)
    list_select_related = ("line__milestone", "line__region", "uploaded_by")
    readonly_fields = (
        "line",
        "file",
        "original_name",
        "extension",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "created_at",
    )

    def has_add_permission(self, request, obj=None):
        return False
