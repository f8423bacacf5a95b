"""Admin for plans, their work items and who answers for each."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import HistoryAdmin, NoDeleteMixin
from departments.models import Department, Region

from .models import Assignment, Plan, Responsibility, Target, Task
from .services import placeholder_resolve
from .tasks import assignments_sync_task


@admin.register(Plan)
class PlanAdmin(HistoryAdmin):
    list_display = ("title", "document_number", "issued_on", "starts_on", "ends_on", "coordinator")
    search_fields = ("title", "document_number", "slug")
    ordering = ("-issued_on",)
    date_hierarchy = "issued_on"
    list_select_related = ("coordinator",)
    autocomplete_fields = ("coordinator",)
    filter_horizontal = ("issuers", "pilot_towns")
    actions = ("sync_assignments",)
    fieldsets = (
        (None, {"fields": ("slug", "title", "document_number", "issuers", "coordinator")}),
        (_("日期"), {"fields": ("issued_on", "published_on", "starts_on", "ends_on")}),
        (_("试点乡镇"), {"fields": ("pilot_towns",)}),
        (_("原文"), {"classes": ("collapse",), "fields": ("source_text", "source_reference")}),
    )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "pilot_towns":
            # Pilots are 乡镇 (镇 and 乡), as tasks.services.plan_set_pilot_towns requires.
            kwargs["queryset"] = Region.objects.towns().select_related("parent")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.action(description=_("按责任分工生成任务分解"), permissions=["change"])
    def sync_assignments(self, request, queryset):
        # A background job per plan, started once this request's transaction commits.
        for plan_id in queryset.values_list("pk", flat=True):
            transaction.on_commit(
                lambda plan_id=plan_id: assignments_sync_task.delay(plan_id, request.user.pk)
            )
        self.message_user(
            request,
            _("已提交后台任务：按责任分工生成任务分解。完成后刷新“任务分解”列表即可看到。"),
            messages.SUCCESS,
        )


class ResponsibilityInline(NoDeleteMixin, admin.TabularInline):
    model = Responsibility
    fields = ("order", "department", "role", "written_as")
    autocomplete_fields = ("department",)
    ordering = ("order",)
    extra = 0

    def get_queryset(self, request):
        # Each row's title (__str__) names the task.
        return super().get_queryset(request).select_related("task", "department")


class AssignmentInline(NoDeleteMixin, admin.TabularInline):
    """Shares are generated from the responsibilities; edit one on its own page."""

    model = Assignment
    fields = ("department", "role", "deadline", "is_active", "responsibility")
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("task", "department", "responsibility__task")
        )


class TargetInline(NoDeleteMixin, admin.StackedInline):
    model = Target
    fields = (("code", "title"), ("metric", "minimum", "unit", "scope"), "text")
    extra = 0


@admin.register(Task)
class TaskAdmin(HistoryAdmin):
    list_display = ("code", "title", "kind", "parent", "due_date", "plan", "order")
    list_display_links = ("code", "title")
    list_filter = ("plan", "kind")
    search_fields = ("code", "title", "text", "responsibility_text")
    ordering = ("plan", "order")
    list_select_related = ("plan", "parent")
    autocomplete_fields = ("parent",)
    inlines = (ResponsibilityInline, TargetInline, AssignmentInline)
    fieldsets = (
        (None, {"fields": ("plan", "kind", "parent", "code", "title", "order", "due_date")}),
        (_("原文"), {"fields": ("text", "responsibility_text")}),
    )


class ResolvePlaceholderForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(
        label=_("明确为"),
        queryset=Department.objects.concrete(),
        widget=FilteredSelectMultiple(_("单位"), is_stacked=False),
    )


@admin.register(Responsibility)
class ResponsibilityAdmin(HistoryAdmin):
    list_display = ("task", "department", "role", "written_as", "order", "resolve_link")
    list_filter = ("role", "department__kind", "task__plan")
    search_fields = (
        "task__code",
        "task__title",
        "department__short_name",
        "department__full_name",
        "written_as",
    )
    ordering = ("task__plan", "task__order", "order")
    list_select_related = ("task", "department")
    autocomplete_fields = ("task", "department", "resolved_from")

    def get_queryset(self, request):
        # __str__ reads the task: the autocomplete list needs it too.
        return super().get_queryset(request).select_related("task", "department")

    @admin.display(description=_("明确单位"))
    def resolve_link(self, obj):
        if obj.department.kind != Department.Kind.PLACEHOLDER:
            return ""
        url = reverse("admin:tasks_responsibility_resolve", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("明确为具体单位"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/resolve/",
                self.admin_site.admin_view(self.resolve_view),
                name="tasks_responsibility_resolve",
            ),
            *super().get_urls(),
        ]

    def resolve_view(self, request, pk: int):
        """Name the bodies a 相关部门 wording stands for in one clause."""
        responsibility = get_object_or_404(
            Responsibility.objects.select_related("task", "department"), pk=pk
        )
        if not self.has_change_permission(request, responsibility):
            raise PermissionDenied
        form = ResolvePlaceholderForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                created = placeholder_resolve(
                    responsibility=responsibility,
                    departments=list(form.cleaned_data["departments"]),
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error("departments", exc)
            else:
                self.message_user(
                    request,
                    _("已将“%(w)s”明确为：%(names)s。任务分解将在后台生成。")
                    % {
                        "w": responsibility.written_as,
                        "names": "、".join(r.department.short_name for r in created),
                    },
                    messages.SUCCESS,
                )
                return redirect("admin:tasks_task_change", responsibility.task_id)
        context = {
            **self.admin_site.each_context(request),
            "title": _("明确“%(w)s”") % {"w": responsibility.written_as},
            "responsibility": responsibility,
            "form": form,
            "media": self.media + form.media,
            "opts": self.model._meta,
        }
        return render(request, "admin/tasks/responsibility/resolve.html", context)


@admin.register(Assignment)
class AssignmentAdmin(HistoryAdmin):
    list_display = ("task", "department", "role", "deadline", "is_active")
    list_filter = ("is_active", "role", "department__kind", "task__plan", "deadline")
    search_fields = ("task__code", "task__title", "department__short_name")
    ordering = ("task__plan", "task__order", "department__order")
    date_hierarchy = "deadline"
    list_select_related = ("task", "department")
    autocomplete_fields = ("task", "department", "responsibility")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("task", "department")


@admin.register(Target)
class TargetAdmin(HistoryAdmin):
    list_display = ("title", "code", "task", "metric", "minimum", "unit", "scope")
    list_filter = ("metric", "scope", "task__plan")
    search_fields = ("title", "code", "text", "task__code", "task__title")
    ordering = ("task__order", "code")
    list_select_related = ("task",)
    autocomplete_fields = ("task",)
