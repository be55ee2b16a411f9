from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "bascule.network"
    verbose_name = _("Network")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from bascule.people.models import Person

        from . import actions
        from .models import Membership

        # Lists of spaces count members again once a membership or a person changes.
        for model in (Membership, Person):
            for signal in (post_save, post_delete):
                signal.connect(actions.member_counts_forget, sender=model, dispatch_uid=f"member-counts-{model.__name__}")
