"""Error pages: ours, in the person's language, never a traceback."""

import pytest
from django.test import Client, override_settings

from .test_accounts import assert_safe_page


def template_names(response) -> list[str]:
    return [t.name for t in response.templates]


def test_unknown_page_uses_our_template(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "core/error.html" in template_names(response)
    assert '<html lang="en">' in response.text
    assert "Page not found" in response.text


def test_unknown_page_speaks_the_browser_language(client, db):
    response = client.get("/no/such/page/", headers={"accept-language": "fr-FR,fr;q=0.9"})
    assert response.status_code == 404
    assert "core/error.html" in template_names(response)
    assert '<html lang="fr">' in response.text
    assert response.headers["Content-Language"] == "fr"


def test_unknown_page_for_a_signed_in_person(login, alice):
    response = login(alice).get("/no/such/page/")
    assert response.status_code == 404
    assert "core/error.html" in template_names(response)
    assert "Alice Martin" in response.text  # the usual top bar, so the person can go on
    assert_safe_page(response)


def test_a_disallowed_host_gets_our_400_page(client, db):
    response = client.get("/login/", headers={"host": "evil.example.net"})
    assert response.status_code == 400
    assert "core/error.html" in template_names(response)


@pytest.fixture
def failing_site(db, settings):
    settings.ROOT_URLCONF = "tests.core.urls_failing"
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def test_a_failure_shows_our_500_page_without_traceback(failing_site, caplog):
    response = failing_site.get("/broken/")
    assert response.status_code == 500
    assert "core/error_500.html" in template_names(response)
    assert "Something went wrong" in response.text
    for leak in ("Traceback", "ZeroDivisionError", "a secret detail", "settings"):
        assert leak not in response.text
    assert response.headers["Content-Security-Policy"]
    # The failure is logged for the operators.
    assert any("a secret detail" in str(record.exc_info) for record in caplog.records)


def test_permission_denied_uses_our_template(failing_site):
    response = failing_site.get("/forbidden/")
    assert response.status_code == 403
    assert "core/error.html" in template_names(response)
    assert "Not allowed" in response.text


def test_a_suspicious_request_gets_our_400_page(failing_site):
    response = failing_site.get("/suspicious/")
    assert response.status_code == 400
    assert "core/error.html" in template_names(response)
    assert "tampered" not in response.text


@override_settings(DEBUG=False)
def test_error_pages_never_show_debug_information(client, db):
    response = client.get("/people/not-a-number/")
    assert response.status_code == 404
    assert "URLconf" not in response.text  # Django's debug 404 lists the URL patterns
    response = client.get("/static/../../etc/passwd")
    assert response.status_code == 404
    assert "root:" not in response.text
