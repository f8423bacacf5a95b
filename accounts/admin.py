"""Admin for accounts, the CSV import of accounts, and the admin site's titles.

Coordinators manage the accounts of bodies here; nothing on these pages lets
them grant admin rights to anyone, themselves included (accounts.services says
who manages whom): for a non-superuser the user form has no superuser or staff
status, groups or permissions, the role list stops at the body roles, and
superusers' and coordinators' accounts (their password page too) do not exist.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import HistoryAdmin
from core.errors import PermissionDenied as ServicePermissionDenied

from .forms import AccountsImportForm
from .models import User, UserRole
from .services import (
    CSV_COLUMNS,
    accounts_import_csv,
    accounts_manageable_by,
    coordinator_group,
    may_issue_reset_link,
    may_manage_account,
    password_reset_link_issue,
    roles_assignable_by,
    validation_messages,
)

# Fields that grant rights: a superuser's alone to see and set.
PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")

admin.site.site_header = _("阳泉市乡镇政府服务能力建设任务跟踪 · 管理")
admin.site.site_title = _("任务跟踪管理")
admin.site.index_title = _("数据管理")


@admin.register(User)
class UserAdmin(HistoryAdmin, DjangoUserAdmin):
    change_list_template = "admin/accounts/user/change_list.html"
    change_form_template = "admin/accounts/user/change_form.html"
    import_template = "admin/accounts/user/import_csv.html"
    reset_link_template = "admin/accounts/user/reset_link.html"

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

    # --- Who sees and changes what (accounts.services) ---------------------------

    def get_queryset(self, request):
        return accounts_manageable_by(request.user, super().get_queryset(request))

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or may_manage_account(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_manage_account(request.user, obj))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        kept = []
        for name, options in fieldsets:
            fields = tuple(f for f in options["fields"] if f not in PRIVILEGE_FIELDS)
            if fields:
                kept.append((name, {**options, "fields": fields}))
        return kept

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return self.list_filter
        return tuple(f for f in self.list_filter if f not in PRIVILEGE_FIELDS)

    def get_list_display(self, request):
        if request.user.is_superuser:
            return self.list_display
        return tuple(f for f in self.list_display if f not in PRIVILEGE_FIELDS)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            kwargs["choices"] = roles_assignable_by(request.user)
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            self._refuse_privilege(request, obj, change)
        if not change and obj.role == UserRole.COORDINATOR:
            # As accounts.services.account_create: coordinators work in the admin.
            obj.is_staff = True
        super().save_model(request, obj, form, change)
        if obj.role == UserRole.COORDINATOR:
            obj.groups.add(coordinator_group())

    def _refuse_privilege(self, request, obj, change):
        """Whatever the form or a history revert carries, a non-superuser grants no rights."""
        current = User.objects.filter(pk=obj.pk).first() if change else None
        if current is not None and not may_manage_account(request.user, current):
            raise PermissionDenied
        if not may_manage_account(request.user, obj):
            raise PermissionDenied
        obj.is_superuser = False
        obj.is_staff = False

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404
        if not (
            self.has_change_permission(request, user) and may_manage_account(request.user, user)
        ):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["may_issue_reset_link"] = obj is not None and may_issue_reset_link(
            request.user, obj
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import-csv/",
                self.admin_site.admin_view(self.import_csv_view),
                name="{}_{}_import_csv".format(*info),
            ),
            path(
                "<path:object_id>/reset-link/",
                self.admin_site.admin_view(self.reset_link_view),
                name="{}_{}_reset_link".format(*info),
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

    def reset_link_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Issue a one-time link with which the person sets a new password (shown once)."""
        user = self.get_object(request, unquote(object_id))
        if user is None:
            raise Http404
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        link = None
        if request.method == "POST":
            try:
                link = request.build_absolute_uri(
                    password_reset_link_issue(user=user, by=request.user)
                )
            except ServicePermissionDenied as error:
                raise PermissionDenied(str(error.message)) from error
        context = {
            **self.admin_site.each_context(request),
            "title": _("重置密码链接：%(user)s") % {"user": user.get_username()},
            "opts": self.opts,
            "original": user,
            "link": link,
            "may_issue": may_issue_reset_link(request.user, user),
            "timeout_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            "has_view_permission": True,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.reset_link_template, context)
