from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeedingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "seeding"
    verbose_name = _("演示与模拟数据")
