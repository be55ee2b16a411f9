"""`bascule demo`: a deterministic fictitious organisation, and its demo login."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from bascule.demo.organisation import (
    DEMO_LOGIN_EMAIL,
    DEMO_OPERATOR_EMAIL,
    DEMO_PASSWORD,
    organisation_build,
)
from bascule.people.models import LegalEntity, Person, Site, User
from tests.conftest import built_once_per_module

PEOPLE = 60


def demo(**options) -> str:
    # The organisation only: the network's activity has its own tests (test_activity.py).
    output = StringIO()
    call_command("demo", people=PEOPLE, seed=1, months=0, stdout=output, **options)
    return output.getvalue()


# The tests that read the organisation share one, built once for the module (tests/conftest.py).
globals().update(built_once_per_module("loaded", demo))


def summary(organisation):
    return [(p.display_name, p.email, p.title, p.site, p.manager) for p in organisation.people]


def test_it_builds_the_same_organisation_from_the_same_seed():
    today = date(2026, 3, 31)
    first = organisation_build(people=300, seed=7, today=today)
    again = organisation_build(people=300, seed=7, today=today)
    other = organisation_build(people=300, seed=8, today=today)
    assert summary(first) == summary(again)
    assert summary(first) != summary(other)
    assert len({p.email for p in first.people}) == 300


def test_it_writes_what_it_builds(loaded):
    built = organisation_build(people=PEOPLE, seed=1, today=timezone.localdate())
    stored = list(Person.objects.order_by("pk").values_list("display_name", "user__email", "manager__user__email"))
    emails = {p.index: p.email for p in built.people}
    expected = [(p.display_name, p.email, emails.get(p.manager)) for p in built.people]
    assert stored == expected


def test_it_prints_the_demo_login(loaded):
    assert loaded.strip() == (
        f"Demo ready: {PEOPLE} people. Log in at http://127.0.0.1:8000/ as {DEMO_LOGIN_EMAIL} "
        f"with password {DEMO_PASSWORD} (operator: {DEMO_OPERATOR_EMAIL})"
    )


def test_it_has_one_root_and_no_cycle(loaded):
    managers = dict(Person.objects.values_list("pk", "manager_id"))
    roots = [pk for pk, manager in managers.items() if manager is None]
    assert len(roots) == 1
    for pk in managers:
        seen, current = set(), pk
        while current is not None:
            assert current not in seen, f"cycle through person {current}"
            seen.add(current)
            current = managers[current]
        assert len(seen) <= 6


def test_it_spreads_people_over_countries_and_sites(loaded):
    countries = set(Person.objects.values_list("country__name", flat=True))
    assert "France" in countries and len(countries) >= 3
    assert not Site.objects.filter(country__isnull=True).exists()
    assert LegalEntity.objects.filter(country__isnull=False).count() >= 4
    assert not Person.objects.filter(site__isnull=True).exists()
    for person in Person.objects.select_related("site", "country"):
        assert person.site.country_id == person.country_id


def test_it_gives_people_languages_and_skills(loaded):
    assert not Person.objects.filter(languages__isnull=True).exists()
    assert not Person.objects.filter(skills__isnull=True).exists()
    camille = Person.objects.get(user__email=DEMO_LOGIN_EMAIL)
    assert camille.title == "Responsable communication interne"
    assert (camille.site.name, camille.department.name) == ("Lyon", "Communication")
    assert "communication interne" in camille.search_text


def test_the_demo_login_works(loaded, client):
    response = client.post("/login/", {"username": DEMO_LOGIN_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/people/", {"q": "martin"}).status_code == 200


def test_the_operator_is_a_superuser_with_a_person(loaded):
    operator = User.objects.get(email=DEMO_OPERATOR_EMAIL)
    assert operator.is_staff and operator.is_superuser and operator.person.pk


def test_departed_people_are_inactive(loaded):
    today = timezone.localdate()
    departed = Person.objects.filter(departed_on__isnull=False).select_related("user")
    assert departed.exists()
    assert all(p.departed_on < today and not p.user.is_active for p in departed)
    assert not Person.objects.filter(departed_on__isnull=True, user__is_active=False).exists()


def test_it_keeps_data_with_if_empty(loaded):
    before = list(Person.objects.order_by("pk").values_list("pk", "user__email"))
    output = demo(if_empty=True)
    assert DEMO_LOGIN_EMAIL in output
    assert list(Person.objects.order_by("pk").values_list("pk", "user__email")) == before


def test_it_refuses_a_database_with_people(loaded):
    with pytest.raises(CommandError, match="fresh database") as error:
        demo()
    assert error.value.returncode == 2
    assert Person.objects.count() == PEOPLE
