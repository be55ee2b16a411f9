"""Personal API tokens: created once, stored hashed, revoked, and the settings page and
command that make them."""

import datetime
import hashlib
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from bascule.interop import actions
from bascule.interop.models import ApiToken

from .conftest import Api


def test_it_returns_the_token_once_and_keeps_only_its_hash(alice):
    created = actions.token_create(actor=alice, name="  Reporting   script ")
    token = created.token
    stored = ApiToken.objects.get()
    assert token.startswith("bsc_") and len(token) >= 4 + 43
    assert stored.name == "Reporting script"
    assert stored.prefix == token[:12]
    assert stored.secret_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {value for value in vars(stored).values() if isinstance(value, str)}


def test_it_gives_each_token_a_different_secret(alice):
    assert actions.token_create(actor=alice, name="a").token != actions.token_create(actor=alice, name="b").token


def test_it_wants_a_name(alice):
    with pytest.raises(ValidationError):
        actions.token_create(actor=alice, name="   ")
    with pytest.raises(ValidationError):
        actions.token_create(actor=alice, name="x" * 101)


def test_it_refuses_a_token_to_a_departed_person(alice):
    from bascule.people.actions import person_depart

    person_depart(person=alice, on=datetime.date(2026, 1, 1))
    alice.refresh_from_db()
    with pytest.raises(PermissionDenied):
        actions.token_create(actor=alice, name="x")


def test_only_its_owner_revokes_a_token(alice, bob):
    created = actions.token_create(actor=alice, name="x")
    with pytest.raises(PermissionDenied):
        actions.token_revoke(actor=bob, api_token=created.api_token)
    actions.token_revoke(actor=alice, api_token=created.api_token)
    assert ApiToken.objects.get().revoked_at is not None


def test_it_writes_last_used_at_most_once_a_minute(alice, django_assert_num_queries):
    api_token = actions.token_create(actor=alice, name="x").api_token
    now = timezone.now()
    assert actions.token_touch(api_token=api_token, now=now)
    with django_assert_num_queries(0):
        assert not actions.token_touch(api_token=api_token, now=now + datetime.timedelta(seconds=30))
    assert actions.token_touch(api_token=api_token, now=now + datetime.timedelta(seconds=61))


def test_a_request_marks_the_token_used(alice):
    created = actions.token_create(actor=alice, name="x")
    assert Api(created.token).get("spaces/").status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


# ---------------------------------------------------------------------------------------
# The settings page
# ---------------------------------------------------------------------------------------


def test_it_creates_a_token_on_the_settings_page_and_shows_it_once(login, alice):
    client = login(alice)
    response = client.post("/settings/tokens/", {"name": "My script"})
    assert response.status_code == 200
    token = response.context["created"].token
    assert token in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    page = client.get("/settings/tokens/").content.decode()
    assert "My script" in page and token[:12] in page and token not in page
    assert Api(token).get("spaces/").status_code == 200


def test_the_settings_page_explains_a_missing_name(login, alice):
    response = login(alice).post("/settings/tokens/", {"name": ""})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_it_revokes_a_token_on_the_settings_page(login, alice):
    created = actions.token_create(actor=alice, name="Old script")
    response = login(alice).post(f"/settings/tokens/{created.api_token.pk}/revoke/", follow=True)
    assert response.status_code == 200
    assert "revoked" in response.content.decode()
    assert Api(created.token).get("spaces/").status_code == 401


def test_nobody_revokes_someone_elses_token_on_the_page(login, alice, bob):
    created = actions.token_create(actor=alice, name="x")
    assert login(bob).post(f"/settings/tokens/{created.api_token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_the_person_menu_links_to_the_tokens_page(login, alice):
    assert 'href="/settings/tokens/"' in login(alice).get("/").content.decode()


# ---------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------


def test_the_command_creates_a_token_and_prints_it(alice):
    out, err = StringIO(), StringIO()
    call_command("token", "create", "ALICE@example.com", "--name", "Import job", stdout=out, stderr=err)
    token = out.getvalue().strip()
    assert ApiToken.objects.get().name == "Import job"
    assert Api(token).get("people/").status_code == 200


def test_the_command_revokes_a_token_by_its_first_characters(alice):
    created = actions.token_create(actor=alice, name="x")
    call_command("token", "revoke", "alice@example.com", created.token[:12], stdout=StringIO())
    assert ApiToken.objects.get().revoked_at is not None


def test_the_command_says_when_nobody_has_the_address(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="nobody@example.com"):
        call_command("token", "create", "nobody@example.com", stdout=StringIO())
