from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared code at the bottom of the layers: every app may import it; it imports none."""

    name = "core"
    verbose_name = _("公共")

    def ready(self):
        # Runs after the admin discovered every app's admin module: Django's groups,
        # DRF's tokens, axes' login records, celery-beat's schedules… follow our rules
        # too (only superusers delete; text fields bounded).
        from django.contrib import admin

        from core.admin import apply_admin_rules

        apply_admin_rules(admin.site)
