from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared code at the bottom of the layers: every app may import it; it imports none."""

    name = "core"
    verbose_name = _("公共")
