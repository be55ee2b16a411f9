"""Shared test people and settings.

alice, bob and carol work at Lyon in Sales; dave is their manager's manager in Paris.
"""

import pytest
from django.contrib.auth.hashers import make_password

from bascule.people.actions import orgunit_get_or_create, person_create
from bascule.people.models import Country, Department, Site

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    # A fast hasher keeps the suite quick; files and cache go to a throwaway folder.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}}
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def build_org():
    france = orgunit_get_or_create(model=Country, name="France")
    return {
        "france": france,
        "lyon": Site.objects.create(name="Lyon", country=france),
        "paris": Site.objects.create(name="Paris", country=france),
        "sales": orgunit_get_or_create(model=Department, name="Sales"),
        "it": orgunit_get_or_create(model=Department, name="IT"),
    }


@pytest.fixture
def org(db):
    return build_org()


def make_person(name, email, **attributes):
    first, _, last = name.partition(" ")
    return person_create(
        email=email,
        display_name=name,
        first_name=first,
        last_name=last,
        password_hash=make_password(PASSWORD),
        **attributes,
    )


@pytest.fixture
def dave(org):
    return build_dave(org)


def build_dave(org):
    return make_person("Dave Durand", "dave@example.com", title="Sales director", department=org["sales"], site=org["paris"], country=org["france"])


@pytest.fixture
def alice(org, dave):
    return build_alice(org, dave)


def build_alice(org, dave):
    return make_person("Alice Martin", "alice@example.com", title="Account manager", department=org["sales"], site=org["lyon"], country=org["france"], manager=dave)


@pytest.fixture
def bob(org, alice):
    return build_bob(org, alice)


def build_bob(org, alice):
    return make_person("Bob Bernard", "bob@example.com", title="Sales assistant", department=org["sales"], site=org["lyon"], country=org["france"], manager=alice)


@pytest.fixture
def carol(org):
    return build_carol(org)


def build_carol(org):
    return make_person("Carol Petit", "carol@example.com", title="Developer", department=org["it"], site=org["paris"], country=org["france"])


@pytest.fixture
def login(client):
    def _login(person):
        client.force_login(person.user)
        return client

    return _login
