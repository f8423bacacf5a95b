"""Admin for accounts, the CSV import of accounts, and the admin site's titles."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import HistoryAdmin

from .forms import AccountsImportForm
from .models import User, UserRole
from .services import CSV_COLUMNS, accounts_import_csv, coordinator_group, validation_messages

admin.site.site_header = _("阳泉市乡镇政府服务能力建设任务跟踪 · 管理")
admin.site.site_title = _("任务跟踪管理")
admin.site.index_title = _("数据管理")


@admin.register(User)
class UserAdmin(HistoryAdmin, DjangoUserAdmin):
    change_list_template = "admin/accounts/user/change_list.html"
    import_template = "admin/accounts/user/import_csv.html"

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("单位与角色"), {"fields": ("department", "role")}),
        (_("个人信息"), {"fields": ("last_name", "first_name", "email")}),
        (
            _("权限"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "department",
                    "role",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = (
        "username",
        "last_name",
        "first_name",
        "department",
        "role",
        "is_active",
        "is_staff",
        "last_login",
    )
    list_filter = (
        "role",
        ("department", admin.RelatedOnlyFieldListFilter),
        "department__kind",
        "is_active",
        "is_staff",
        "is_superuser",
    )
    search_fields = (
        "username",
        "last_name",
        "first_name",
        "email",
        "department__short_name",
        "department__full_name",
    )
    ordering = ("department__order", "username")
    list_select_related = ("department",)
    autocomplete_fields = ("department",)

    def save_model(self, request, obj, form, change):
        if not change and obj.role == UserRole.COORDINATOR:
            # As accounts.services.account_create: coordinators work in the admin.
            obj.is_staff = True
        super().save_model(request, obj, form, change)
        if obj.role == UserRole.COORDINATOR:
            obj.groups.add(coordinator_group())

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import-csv/",
                self.admin_site.admin_view(self.import_csv_view),
                name="{}_{}_import_csv".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_csv_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a CSV of accounts; on any bad row show every error and save nothing."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        errors: list[str] = []
        if request.method == "POST":
            form = AccountsImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    users = accounts_import_csv(file=form.cleaned_data["file"], by=request.user)
                except ValidationError as error:
                    errors = validation_messages(error)
                else:
                    self.message_user(
                        request,
                        ngettext(
                            "已创建 %(count)d 个账号。", "已创建 %(count)d 个账号。", len(users)
                        )
                        % {"count": len(users)},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse(
                            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_changelist"
                        )
                    )
        else:
            form = AccountsImportForm()
        context = {
            **self.admin_site.each_context(request),
            "title": _("批量导入账号"),
            "opts": self.opts,
            "form": form,
            "errors": errors,
            "columns": ",".join(CSV_COLUMNS),
            "roles": UserRole.choices,
            "has_view_permission": self.has_view_permission(request),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.import_template, context)
