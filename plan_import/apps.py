from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanImportConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plan_import"
    verbose_name = _("方案导入")
