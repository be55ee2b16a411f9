"""The operators' administration of people and the HR import page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bascule.people.admin import PersonAdmin
from bascule.people.models import Person

IMPORT_URL = "/admin/people/person/import/"


@pytest.fixture
def operator(dave):
    dave.user.is_staff = True
    dave.user.is_superuser = True
    dave.user.save(update_fields=["is_staff", "is_superuser"])
    return dave


def upload(client, content: bytes, **options):
    data = {"file": SimpleUploadedFile("people.csv", content, content_type="text/csv")}
    data.update({name: "on" for name, value in options.items() if value})
    return client.post(IMPORT_URL, data)


def test_it_lists_people_and_links_to_the_import(login, operator, alice, bob, carol):
    response = login(operator).get(reverse("admin:people_person_changelist"))
    assert response.status_code == 200
    assert IMPORT_URL.encode() in response.content
    assert b"Alice Martin" in response.content


@pytest.mark.parametrize(
    "url",
    [
        "/admin/people/user/",
        "/admin/people/user/add/",
        "/admin/people/person/?q=alice",
        "/admin/autocomplete/?app_label=people&model_name=person&field_name=manager&term=ali",
        "/admin/people/country/",
        "/admin/people/site/",
        "/admin/people/legalentity/",
        "/admin/people/businessunit/",
        "/admin/people/department/",
        "/admin/people/language/",
        "/admin/people/tag/",
    ],
)
def test_it_shows_every_admin_page(login, operator, alice, url):
    assert login(operator).get(url).status_code == 200


def test_it_shows_the_change_forms(login, operator, alice):
    client = login(operator)
    assert client.get(reverse("admin:people_person_change", args=[alice.pk])).status_code == 200
    assert client.get(reverse("admin:people_user_change", args=[alice.user_id])).status_code == 200


def test_it_keeps_search_text_when_an_operator_edits_a_person(login, operator, alice):
    client = login(operator)
    url = reverse("admin:people_person_change", args=[alice.pk])
    response = client.post(
        url,
        {
            "user": alice.user_id,
            "display_name": "Alice Moreau",
            "first_name": "Alice",
            "last_name": "Moreau",
            "title": "Account manager",
            "manager": alice.manager_id,
        },
    )
    assert response.status_code == 302, response.content
    alice.refresh_from_db()
    assert "moreau" in alice.search_text


def test_it_refuses_the_import_page_to_non_operators(login, alice, client):
    assert client.get(IMPORT_URL).status_code == 302  # anonymous: to the login page
    response = login(alice).get(IMPORT_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_it_refuses_the_import_to_operators_without_permission(login, alice):
    alice.user.is_staff = True
    alice.user.save(update_fields=["is_staff"])
    assert login(alice).get(IMPORT_URL).status_code == 403


def test_it_imports_and_shows_the_report(login, operator):
    client = login(operator)
    assert client.get(IMPORT_URL).status_code == 200
    response = upload(client, b"email,first_name,last_name\nnew@example.com,Nina,Roy\n")
    assert response.status_code == 200
    assert b"Import applied." in response.content
    assert Person.objects.filter(user__email="new@example.com", display_name="Nina Roy").exists()


def test_it_shows_rejected_lines_and_dry_runs(login, operator):
    client = login(operator)
    response = upload(client, b"email\nok@example.com\nnot-an-email\n", dry_run=True, deactivate_missing=True)
    assert response.status_code == 200
    assert b"rejected-lines" in response.content
    assert "bad e-mail address “not-an-email”".encode() in response.content
    assert b"Dry run" in response.content
    assert not Person.objects.filter(user__email="ok@example.com").exists()


def test_it_reports_an_unreadable_file(login, operator):
    response = upload(login(operator), "Prénom\n".encode("latin-1"))
    assert response.status_code == 400
    assert b"not UTF-8" in response.content


def test_it_refuses_an_oversize_file(login, operator, monkeypatch):
    monkeypatch.setattr(PersonAdmin, "import_max_bytes", 100)
    response = upload(login(operator), b"email\n" + b"someone@example.com\n" * 10)
    assert response.status_code == 400
    assert b"the limit here is 100" in response.content
    assert not Person.objects.filter(user__email="someone@example.com").exists()
