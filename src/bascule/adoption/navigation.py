"""The cached "Cockpit" navigation entry: for analytics viewers and space managers.
Reads and cache only: nothing here writes to the database."""

from django.core.cache import cache

from bascule import access

TIMEOUT = 300


def _key(person_id: int) -> str:
    return f"adoption:nav:{person_id}"


def navigation_entry(person) -> bool:
    """Whether the "Cockpit" entry shows for ``person`` (cached a few minutes)."""
    if person is None or person.pk is None:
        return False
    shown = cache.get(_key(person.pk))
    if shown is None:
        from .metrics import managed_spaces

        shown = access.may_view_cockpit(person) or managed_spaces(person).exists()
        cache.set(_key(person.pk), shown, TIMEOUT)
    return shown


def prepare(sender, request, user, **kwargs):
    person = getattr(user, "person", None)
    if person is not None:
        cache.delete(_key(person.pk))
        navigation_entry(person)


def changed(sender, instance, **kwargs):
    """A role assignment, or an owner's or manager's membership, changed."""
    from bascule.network.models import MANAGING_ROLES, Membership

    if isinstance(instance, Membership) and instance.role not in MANAGING_ROLES:
        return
    cache.delete(_key(instance.person_id))
