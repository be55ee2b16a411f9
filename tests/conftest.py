"""Shared test people and settings.

alice, bob and carol work at Lyon in Sales; dave is their manager's manager in Paris.
"""

import copy

import pytest
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings

from bascule.people.actions import orgunit_get_or_create, person_create
from bascule.people.models import Country, Department, Site

PASSWORD = "correct horse battery"


def fast_and_isolated(folder):
    """The settings of every test: a fast hasher keeps the suite quick; files and cache go
    to a throwaway ``folder``."""
    return {
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "MEDIA_ROOT": folder / "media",
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(folder)}},
        "STORAGES": {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    for name, value in fast_and_isolated(tmp_path).items():
        setattr(settings, name, value)


def built_once_per_module(name, build):
    """Fixtures for a test module whose tests all start from the same data: ``build()``
    runs once for the module (once on each xdist worker that runs some of its tests),
    inside a transaction rolled back after its last test, and each test runs in a
    savepoint of it (as Django's ``setUpTestData``). Each test gets its own deep copy of
    what ``build`` returned, so changing an object in memory does not reach the next test.

    Use in a module: ``globals().update(built_once_per_module("town", build_town))`` gives
    it a ``town`` fixture. One per module: the data built once is the fixture ``_built_once``.
    """

    @pytest.fixture(scope="module", name="_built_once")
    def _built_once(django_db_setup, django_db_blocker, tmp_path_factory):
        # Built before the tests' own settings apply: the same ones, in a folder of its own.
        isolated = override_settings(**fast_and_isolated(tmp_path_factory.mktemp(name)))
        with django_db_blocker.unblock(), isolated, transaction.atomic():
            built = build()
            yield built
            transaction.set_rollback(True)

    @pytest.fixture(name=name)
    def _each_test(_built_once, db):
        return copy.deepcopy(_built_once)

    return {"_built_once": _built_once, name: _each_test}


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
