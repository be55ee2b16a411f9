"""THE authorization module: who may see or do what (DESIGN.md, "one door").

Every surface — pages, feeds, search, API, notifications, e-mails, exports, counts —
asks here. Functions named ``visible_*`` return the querysets of what a person may see;
``may_*`` answer one question; ``access_*`` fetch one object and raise ``Http404`` when the
person may not see it, so that what cannot be seen does not even exist for them.
"""

from django.db.models import QuerySet
from django.http import Http404

from bascule.people.models import Person


def visible_people(viewer: Person | None) -> QuerySet[Person]:
    """The people ``viewer`` may find in the directory: everyone with an account, for
    any signed-in person; nobody for an anonymous visitor."""
    if viewer is None:
        return Person.objects.none()
    return Person.objects.all()


def access_person(viewer: Person | None, person_id: int) -> Person:
    """The person ``person_id`` if ``viewer`` may see their profile, else 404."""
    try:
        return visible_people(viewer).get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may_edit_profile(viewer: Person | None, person: Person) -> bool:
    """People edit their own profile; HR attributes come from the HR import."""
    return viewer is not None and viewer.pk == person.pk and not person.is_departed
