from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdoptionConfig(AppConfig):
    name = "bascule.adoption"
    verbose_name = _("Adoption")

    def ready(self):
        # The "Cockpit" entry of the navigation is on every page: computed when a person
        # logs in (so that pages pay no query for it), forgotten when their roles or the
        # spaces they manage change.
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from bascule.network.models import Membership
        from bascule.programs.models import RoleAssignment

        from . import navigation

        user_logged_in.connect(navigation.prepare, dispatch_uid="adoption_navigation_prepare")
        for model in (Membership, RoleAssignment):
            post_save.connect(navigation.changed, sender=model, dispatch_uid=f"adoption_navigation_{model.__name__}")
            post_delete.connect(navigation.changed, sender=model, dispatch_uid=f"adoption_navigation_del_{model.__name__}")
