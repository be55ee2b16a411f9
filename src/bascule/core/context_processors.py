from functools import cache

from django.conf import settings

from bascule.notify.queries import unread_count


def bascule(request):
    person = getattr(request, "person", None)
    return {
        "organisation_name": settings.ORGANISATION_NAME,
        "person": person,
        # Counted only when a template shows it, once per page (one query).
        "notification_unread_count": cache(lambda: unread_count(person)),
    }
