"""The platform charter: accepted at first login and again when a new version is
published, before any page (not the API, the login and language pages, the transparency
page or the charter itself).

No query on ordinary pages: the number of the version in force is kept in the cache
(set when a version is published and at each login), and the number a person accepted
in their session (set at login, and when they accept). Only when the cache knows of a
newer version than the session does the middleware look in the database, once.
"""

from urllib.parse import quote

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import get_language

from .models import CharterAcceptance, CharterVersion

LATEST_KEY = "programs:charter:latest"
SESSION_KEY = "charter_accepted"
# Paths a person reaches without having accepted the charter in force.
EXEMPT_PREFIXES = (
    "/charter/", "/login/", "/logout/", "/language/", "/password/", "/static/", "/api/", "/admin/",
    "/transparency/", "/media/",
)


def charter_latest() -> CharterVersion | None:
    """The version in force, or None before the first is published."""
    return CharterVersion.objects.select_related("published_by").order_by("-number").first()


def charter_versions() -> list[CharterVersion]:
    return list(CharterVersion.objects.select_related("published_by").order_by("-number"))


def charter_accepted_number(person) -> int:
    """The highest version ``person`` accepted (0: none)."""
    number = (
        CharterAcceptance.objects.filter(person=person)
        .order_by("-version__number")
        .values_list("version__number", flat=True)
        .first()
    )
    return number or 0


def charter_text(version: CharterVersion) -> tuple[str, str]:
    """(text, what changed) of ``version`` in the current language."""
    if (get_language() or "en").startswith("fr"):
        return version.text_fr or version.text_en, version.changes_fr or version.changes_en
    return version.text_en or version.text_fr, version.changes_en or version.changes_fr


def charter_latest_remember(number: int) -> None:
    """Tell every process which version is in force (the cache is shared)."""
    cache.set(LATEST_KEY, number, None)


def charter_login_check(sender, request, user, **kwargs) -> None:
    """At login: remember the version in force and the one this person accepted."""
    person = getattr(user, "person", None)
    if person is None or request is None or not hasattr(request, "session"):
        return
    latest = CharterVersion.objects.order_by("-number").values_list("number", flat=True).first() or 0
    charter_latest_remember(latest)
    request.session[SESSION_KEY] = charter_accepted_number(person) if latest else 0


def charter_due(request) -> bool:
    """Whether the signed-in person must accept a newer charter first."""
    latest = cache.get(LATEST_KEY)
    if not latest or request.session.get(SESSION_KEY, 0) >= latest:
        return False
    accepted = charter_accepted_number(request.person)
    request.session[SESSION_KEY] = accepted
    return accepted < latest


class CharterMiddleware:
    """Send a signed-in person to the charter while they have not accepted the version
    in force. An htmx request is told to load the charter page instead (HX-Redirect)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        person = getattr(request, "person", None)
        if person is not None and not request.path.startswith(EXEMPT_PREFIXES) and charter_due(request):
            url = f"{reverse('accompaniment:charter')}?next={quote(request.get_full_path())}"
            if request.headers.get("HX-Request") == "true":
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return HttpResponseRedirect(url)
        return self.get_response(request)
