"""Keeping the cached navigation entry right (queries.navigation_entry). Reads and cache
only: nothing here writes to the database."""

from bascule.network.models import MANAGING_ROLES

from .queries import navigation_entry, navigation_forget


def navigation_prepare(sender, request, user, **kwargs):
    person = getattr(user, "person", None)
    if person is not None:
        navigation_forget(person.pk)
        navigation_entry(person)


def membership_changed(sender, instance, **kwargs):
    # Only an owner's or manager's membership changes what they moderate (becoming one,
    # leaving). A manager made a member keeps the entry until the cache expires; the
    # queue itself asks access.py again.
    if instance.role in MANAGING_ROLES:
        navigation_forget(instance.person_id)
