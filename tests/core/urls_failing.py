"""Bascule's URLs plus pages that fail, for the error-page tests."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from bascule.urls import handler400, handler403, handler404, handler500, urlpatterns as bascule_urlpatterns  # noqa: F401


@login_not_required
def broken(request):
    raise ZeroDivisionError("a secret detail of the failure")


@login_not_required
def forbidden(request):
    raise PermissionDenied


@login_not_required
def suspicious(request):
    raise SuspiciousOperation("tampered")


urlpatterns = [
    path("broken/", broken),
    path("forbidden/", forbidden),
    path("suspicious/", suspicious),
    *bascule_urlpatterns,
]
