from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "bascule.moderation"
    verbose_name = _("Moderation")

    def ready(self):
        # The "Moderation" entry of the navigation is on every page: it is computed when a
        # person logs in, and forgotten when their memberships change (a new manager).
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save

        from bascule.network.models import Membership

        from . import signals

        user_logged_in.connect(signals.navigation_prepare, dispatch_uid="moderation_navigation_prepare")
        post_save.connect(signals.membership_changed, sender=Membership, dispatch_uid="moderation_membership_changed")
