from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdoptionConfig(AppConfig):
    name = "bascule.adoption"
    verbose_name = _("Adoption")
