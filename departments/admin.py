"""Admin for places (行政区划) and bodies (单位)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import HistoryAdmin, NoDeleteMixin

from .models import Department, DepartmentAlias, Region


@admin.register(Region)
class RegionAdmin(HistoryAdmin):
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to", "successor")
    list_filter = ("kind", ("parent", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "name")
    ordering = ("code",)
    list_select_related = ("parent", "successor")
    autocomplete_fields = ("parent", "successor")
    fieldsets = (
        (None, {"fields": ("code", "name", "kind", "parent")}),
        (_("沿革"), {"fields": ("valid_from", "valid_to", "successor", "names_by_year")}),
    )


class DepartmentAliasInline(NoDeleteMixin, admin.TabularInline):
    model = DepartmentAlias
    extra = 1


class DepartmentAdminForm(forms.ModelForm):
    """The rules of departments.services.department_set_members, for the admin form."""

    class Meta:
        model = Department
        fields = (
            "short_name",
            "full_name",
            "kind",
            "region",
            "order",
            "members",
            "valid_from",
            "valid_to",
            "successor",
        )

    def clean(self):
        cleaned = super().clean()
        members = cleaned.get("members")
        kind = cleaned.get("kind")
        if members and kind not in Department.COLLECTIVE_KINDS:
            self.add_error("members", _("只有集合称谓可以包含其他单位。"))
        return cleaned


@admin.register(Department)
class DepartmentAdmin(HistoryAdmin):
    form = DepartmentAdminForm
    list_display = ("short_name", "full_name", "kind", "region", "successor", "order")
    list_filter = ("kind",)
    search_fields = ("short_name", "full_name", "aliases__name")
    ordering = ("order", "short_name")
    list_select_related = ("region", "successor")
    autocomplete_fields = ("region", "successor")
    filter_horizontal = ("members",)
    inlines = (DepartmentAliasInline,)
    fieldsets = (
        (None, {"fields": ("short_name", "full_name", "kind", "region", "order")}),
        (_("集合称谓"), {"fields": ("members",)}),
        (_("沿革"), {"fields": ("valid_from", "valid_to", "successor")}),
    )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "members":
            # A collective stands for concrete bodies, never for another wording.
            kwargs["queryset"] = Department.objects.concrete()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(DepartmentAlias)
class DepartmentAliasAdmin(HistoryAdmin):
    list_display = ("name", "department")
    search_fields = ("name", "department__short_name", "department__full_name")
    list_filter = ("department__kind",)
    ordering = ("name",)
    list_select_related = ("department",)
    autocomplete_fields = ("department",)
