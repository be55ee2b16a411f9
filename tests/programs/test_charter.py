"""The platform charter: versioned, in both languages, accepted at first login and again
when a new version is published; never in the way of the API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bascule.people.actions import person_language_set
from bascule.programs import actions
from bascule.programs.models import CharterAcceptance, CharterVersion

pytestmark = pytest.mark.django_db

RULES_EN = "Be kind.\n\nNo confidential data in public spaces."
RULES_FR = "Soyez bienveillants.\n\nPas de données confidentielles dans les espaces publics."


def publish(ada, suffix="", capture=None):
    return actions.charter_publish(actor=ada, text_en=RULES_EN + suffix, text_fr=RULES_FR + suffix)


@pytest.fixture
def charter(ada, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return publish(ada)


def test_without_a_charter_nobody_is_stopped(login, alice):
    assert login(alice).get(reverse("home")).status_code == 200


def test_it_is_accepted_at_first_login(client, login, charter, alice):
    response = login(alice).get(reverse("feed:questions"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accompaniment:charter") + "?next=/questions/"
    page = login(alice).get(response["Location"]).text
    assert "No confidential data in public spaces." in page and "I accept the charter" in page
    response = client.post(reverse("accompaniment:charter_accept"), {"version": charter.number, "next": "/questions/"})
    assert response.status_code == 302 and response["Location"] == "/questions/"
    assert CharterAcceptance.objects.get(person=alice).version == charter
    assert client.get(reverse("feed:questions")).status_code == 200


def test_it_speaks_the_persons_language(login, charter, alice):
    person_language_set(person=alice, language="fr")
    page = login(alice).get(reverse("accompaniment:charter")).text
    assert "Soyez bienveillants." in page and "Be kind." not in page


def test_a_new_version_is_accepted_again_even_in_an_open_session(
    client, login, ada, charter, alice, django_capture_on_commit_callbacks
):
    actions.charter_accept(actor=alice, version=charter)
    client = login(alice)
    assert client.get(reverse("home")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        second = publish(ada, " Version two.")
    assert second.number == 2
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accompaniment:charter"))
    client.post(reverse("accompaniment:charter_accept"), {"version": 2})
    assert client.get(reverse("home")).status_code == 200
    assert list(CharterAcceptance.objects.filter(person=alice).values_list("version__number", flat=True).order_by("pk")) == [1, 2]


def test_an_old_version_cannot_be_accepted(ada, charter, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(ada, " v2")
    with pytest.raises(ValidationError):
        actions.charter_accept(actor=alice, version=charter)
    assert not CharterAcceptance.objects.exists()


def test_the_api_transparency_and_logout_are_not_in_the_way(login, charter, alice):
    client = login(alice)
    assert client.get(reverse("accompaniment:transparency")).status_code == 200
    assert client.get("/api/v1/openapi.json").status_code != 302


def test_htmx_requests_are_told_to_load_the_charter(login, charter, alice):
    response = login(alice).get(reverse("people:directory"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accompaniment:charter"))


def test_a_foreign_next_is_ignored(client, login, charter, alice):
    login(alice)
    response = client.post(reverse("accompaniment:charter_accept"), {"version": charter.number, "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_only_administrators_publish_in_both_languages(login, ada, alice):
    with pytest.raises(PermissionDenied):
        actions.charter_publish(actor=alice, text_en=RULES_EN, text_fr=RULES_FR)
    with pytest.raises(ValidationError):
        actions.charter_publish(actor=ada, text_en=RULES_EN, text_fr="")
    assert login(alice).get(reverse("accompaniment:charter_admin")).status_code == 403
    response = login(ada).post(reverse("accompaniment:charter_admin"), {"text_en": RULES_EN, "text_fr": ""})
    assert response.status_code == 400
    assert not CharterVersion.objects.exists()
    response = login(ada).post(reverse("accompaniment:charter_admin"), {"text_en": RULES_EN, "text_fr": RULES_FR})
    assert response.status_code == 302
    assert CharterVersion.objects.get().published_by == ada


def test_a_bad_version_number_changes_nothing(login, charter, alice):
    response = login(alice).post(reverse("accompaniment:charter_accept"), {"version": "abc"})
    assert response.status_code == 302
    assert not CharterAcceptance.objects.exists()
