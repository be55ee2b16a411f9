from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "bascule.core"
    verbose_name = _("Bascule")

    def ready(self):
        from . import lookups  # noqa: F401  (registers ``__any_of``)
