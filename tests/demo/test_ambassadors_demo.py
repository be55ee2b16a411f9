"""`bascule demo`: the ambassador program of the demo organisation — an HR validator, a
closed and an open campaign, ambassadors on some sites and gaps on others."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from bascule.demo.organisation import DEMO_LOGIN_EMAIL
from bascule.people.models import Person
from bascule.programs import ambassadors_queries as aq
from bascule.programs import queries
from bascule.programs.models import Application, ApplicationStatus, RoleAssignment, RoleKind
from tests.conftest import built_once_per_module


def build_demo():
    call_command("demo", people=120, seed=1, months=1, stdout=StringIO())


# Every test here reads the same demo, loaded once for the module (tests/conftest.py).
globals().update(built_once_per_module("loaded", build_demo))


def test_it_tells_the_story_of_two_campaigns(loaded):
    groups = aq.campaigns()
    assert len(groups["closed"]) == 1 and len(groups["open"]) == 1
    assert RoleAssignment.objects.filter(kind=RoleKind.HR_VALIDATOR).count() == 1
    hr = RoleAssignment.objects.get(kind=RoleKind.HR_VALIDATOR).person
    assert aq.waiting_for(hr).as_hr  # the open campaign's applications wait for the HR validator
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {ApplicationStatus.ACCEPTED, ApplicationStatus.AWAITING_HR, ApplicationStatus.REFUSED_BY_HR} <= statuses


def test_some_sites_have_ambassadors_and_others_gaps(loaded, client):
    rows = aq.coverage()
    assert any(row.ambassadors for row in rows) and any(row.gap for row in rows)
    camille = Person.objects.get(user__email=DEMO_LOGIN_EMAIL)
    assert aq.is_ambassador(camille)
    client.force_login(camille.user)
    page = client.get(reverse("programs:ambassador_coverage")).text
    assert camille.display_name in page
    program = aq.program()
    assert program.ambassadors_space.name == "Ambassadeurs"
    assert queries.today()
