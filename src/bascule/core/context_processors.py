from django.conf import settings


def bascule(request):
    return {
        "organisation_name": settings.ORGANISATION_NAME,
        "person": getattr(request, "person", None),
    }
