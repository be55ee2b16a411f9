"""The interface language: the person's choice, else the browser's, else LANGUAGE_CODE."""

from django.conf import settings
from django.test import Client
from django.urls import reverse


def page_language(response) -> str:
    assert response.status_code == 200
    return response.text.split('<html lang="', 1)[1].split('"', 1)[0]


def test_it_follows_the_browser(client, db):
    assert page_language(client.get(reverse("login"), headers={"accept-language": "fr-FR,fr;q=0.9,en;q=0.5"})) == "fr"
    assert page_language(client.get(reverse("login"), headers={"accept-language": "en-GB"})) == "en"


def test_it_falls_back_to_the_configured_language(client, db):
    assert page_language(client.get(reverse("login"), headers={"accept-language": "de-DE"})) == settings.LANGUAGE_CODE


def test_the_person_choice_wins_over_the_browser(login, alice):
    alice.preferred_language = "en"
    alice.save(update_fields=["preferred_language"])
    response = login(alice).get(reverse("home"), headers={"accept-language": "fr"})
    assert page_language(response) == "en"
    assert response.headers["Content-Language"] == "en"


def test_without_a_choice_the_browser_decides_for_a_person(login, alice):
    assert page_language(login(alice).get(reverse("home"), headers={"accept-language": "fr"})) == "fr"


def test_an_unknown_stored_language_is_ignored(login, alice):
    alice.preferred_language = "de"
    alice.save(update_fields=["preferred_language"])
    assert page_language(login(alice).get(reverse("home"), headers={"accept-language": "fr"})) == "fr"


def test_a_signed_in_person_chooses_a_language(login, alice):
    client = login(alice)
    response = client.post(reverse("language_set"), {"language": "fr", "next": "/people/"})
    assert response.status_code == 302
    assert response["Location"] == "/people/"
    alice.refresh_from_db()
    assert alice.preferred_language == "fr"
    # It follows the person to another browser.
    other = Client()
    other.force_login(alice.user)
    assert page_language(other.get(reverse("home"), headers={"accept-language": "en"})) == "fr"


def test_a_person_goes_back_to_the_browser_language(login, alice):
    alice.preferred_language = "fr"
    alice.save(update_fields=["preferred_language"])
    client = login(alice)
    client.post(reverse("language_set"), {"language": ""})
    alice.refresh_from_db()
    assert alice.preferred_language == ""
    assert page_language(client.get(reverse("home"), headers={"accept-language": "en"})) == "en"


def test_an_anonymous_visitor_gets_a_cookie(client, db):
    response = client.post(reverse("language_set"), {"language": "fr", "next": reverse("login")})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "fr"
    assert cookie["samesite"] == "Lax"
    assert page_language(client.get(reverse("login"), headers={"accept-language": "en"})) == "fr"


def test_an_unknown_language_changes_nothing(login, alice):
    client = login(alice)
    response = client.post(reverse("language_set"), {"language": "xx"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    alice.refresh_from_db()
    assert alice.preferred_language == ""


def test_an_unsafe_next_address_is_ignored(client, db):
    for unsafe in ["https://evil.example.net/", "//evil.example.net/", "javascript:alert(1)", "/\\evil.example.net"]:
        response = client.post(reverse("language_set"), {"language": "en", "next": unsafe})
        assert response.status_code == 302
        assert response["Location"] == "/", unsafe


def test_it_only_accepts_post(client, db):
    assert client.get(reverse("language_set")).status_code == 405


def test_the_language_form_is_on_every_page(client, login, alice):
    assert 'action="/language/"' in client.get(reverse("login")).text
    assert 'action="/language/"' in login(alice).get(reverse("home")).text
