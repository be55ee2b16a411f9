from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "bascule.programs"
    verbose_name = _("Accompaniment programs")

    def ready(self):
        # The "Programs" entry of the navigation is on every page: computed when a person
        # logs in (so that pages pay no query for it), forgotten when their roles change.
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_navigation_prepare, dispatch_uid="programs_navigation_prepare")
        # The charter in force and the version the person accepted, kept in the session.
        from .charter import charter_login_check

        user_logged_in.connect(charter_login_check, dispatch_uid="programs_charter_login_check")


def _navigation_prepare(sender, request, user, **kwargs):
    from .actions import navigation_forget
    from .queries import navigation_entry

    person = getattr(user, "person", None)
    if person is not None:
        navigation_forget(person.pk)
        navigation_entry(person)
