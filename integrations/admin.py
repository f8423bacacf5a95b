"""County systems in the admin: register one (its secret shown once), rotate, revoke."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_coordinator
from core.admin import HistoryAdmin
from core.errors import ApplicationError

from . import services
from .models import (
    SCOPES,
    ApiClient,
    WebhookAttempt,
    WebhookDelivery,
    WebhookHost,
    WebhookSubscription,
)


class ApiClientCreateForm(forms.ModelForm):
    scope_choices = forms.MultipleChoiceField(
        label=_("权限范围"),
        choices=[(s, s) for s in SCOPES],
        initial=list(SCOPES),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ApiClient
        fields = ["department", "name"]


@admin.register(ApiClient)
class ApiClientAdmin(HistoryAdmin):
    list_display = [
        "name",
        "department",
        "client_id",
        "scopes",
        "created_at",
        "last_used_at",
        "rotated_at",
        "revoked_at",
    ]
    list_filter = ["department"]
    search_fields = ["name", "application__client_id", "department__short_name"]
    actions = ["rotate", "revoke"]
    readonly_fields = [
        "department",
        "client_id",
        "user",
        "scopes",
        "created_at",
        "last_used_at",
        "rotated_at",
        "revoked_at",
    ]
    fields = ["name", *readonly_fields]

    @admin.display(description="client_id")
    def client_id(self, obj):
        return obj.application.client_id

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("application", "department")

    def _coordinator(self, request) -> bool:
        return is_coordinator(request.user)

    def has_view_permission(self, request, obj=None):
        return self._coordinator(request)

    def has_add_permission(self, request):
        return self._coordinator(request)

    def has_change_permission(self, request, obj=None):
        return self._coordinator(request)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiClientCreateForm
            kwargs["fields"] = ["department", "name", "scope_choices"]
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["department", "name", "scope_choices"]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        client, secret = services.api_client_create(
            department=form.cleaned_data["department"],
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scope_choices"],
            by=request.user,
        )
        obj.pk = client.pk
        messages.warning(
            request,
            f"请立即记下（只显示这一次）：client_id={client.application.client_id} "
            f"client_secret={secret}",
        )

    @admin.action(description=_("更换密钥（旧密钥和令牌立即失效）"))
    def rotate(self, request, queryset):
        for client in queryset.select_related("application"):
            try:
                secret = services.api_client_rotate(client=client, by=request.user)
            except ApplicationError as error:
                messages.error(request, f"{client.name}：{error}")
                continue
            messages.warning(
                request,
                f"{client.name}（只显示这一次）：client_id={client.application.client_id} "
                f"client_secret={secret}",
            )

    @admin.action(description=_("停用（令牌立即失效）"))
    def revoke(self, request, queryset):
        for client in queryset:
            services.api_client_revoke(client=client, by=request.user)
        messages.success(request, _("已停用所选对接系统。"))


class CoordinatorOnlyMixin:
    def has_view_permission(self, request, obj=None):
        return is_coordinator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_coordinator(request.user)

    def has_add_permission(self, request):
        return is_coordinator(request.user)


@admin.register(WebhookHost)
class WebhookHostAdmin(CoordinatorOnlyMixin, HistoryAdmin):
    """The hosts webhooks may go to. A private address only when listed as that address."""

    list_display = ["host", "note", "created_at"]
    search_fields = ["host", "note"]


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["number", "at", "address", "status_code", "error", "duration_ms"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(CoordinatorOnlyMixin, HistoryAdmin):
    list_display = ["url", "client", "events", "is_active", "created_at"]
    list_filter = ["is_active"]
    readonly_fields = ["client", "url", "events", "created_at", "updated_at"]
    fields = ["client", "url", "events", "is_active", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False  # county systems register their URLs through the API


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(CoordinatorOnlyMixin, admin.ModelAdmin):
    list_display = ["id", "subscription", "event", "state", "attempts", "last_status_code"]
    list_filter = ["state"]
    readonly_fields = [
        "subscription",
        "event",
        "state",
        "attempts",
        "last_status_code",
        "last_error",
        "created_at",
        "delivered_at",
    ]
    inlines = [WebhookAttemptInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
