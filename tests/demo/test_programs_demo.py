"""`bascule demo`: the governance frame of the demo organisation — a referent per country,
requests to them in every status, one overdue, and the demo login handling her country's."""

from html import escape
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bascule.demo.organisation import DEMO_LOGIN_EMAIL
from bascule.people.models import Country, Person
from bascule.programs.models import OPEN_STATUSES, Request, RequestStatus, RoleAssignment, RoleKind
from tests.conftest import built_once_per_module


def build_demo():
    call_command("demo", people=120, seed=1, months=1, stdout=StringIO())


# Every test here reads the same demo, loaded once for the module (tests/conftest.py).
globals().update(built_once_per_module("loaded", build_demo))


def test_every_country_has_a_referent(loaded):
    referents = RoleAssignment.objects.filter(kind=RoleKind.REFERENT)
    assert referents.count() == Country.objects.count()
    camille = Person.objects.get(user__email=DEMO_LOGIN_EMAIL)
    assert referents.filter(person=camille).exists()


def test_requests_are_in_every_status_and_reach_the_demo_login(loaded, client):
    assert set(Request.objects.values_list("status", flat=True)) == set(RequestStatus.values)
    camille = Person.objects.get(user__email=DEMO_LOGIN_EMAIL)
    client.force_login(camille.user)
    inbox = client.get(reverse("programs:inbox"))
    assert inbox.status_code == 200
    for request in Request.objects.exclude(status=RequestStatus.DONE):
        assert escape(request.title) in inbox.text
    # The oldest new request is past its expected answer, and the inbox shows it first.
    overdue = Request.objects.get(status__in=OPEN_STATUSES, due_at__lt=timezone.now())
    titles = [escape(r.title) for r in Request.objects.filter(status__in=OPEN_STATUSES)]
    assert inbox.text.index(escape(overdue.title)) == min(inbox.text.index(title) for title in titles)
