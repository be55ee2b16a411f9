"""Accounts through real HTTP: log in with an e-mail address, lock-out, log out, reset."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from bascule.people.actions import person_create, person_depart

from ..conftest import PASSWORD


def log_in(client, email, password=PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_it_logs_in_with_email_and_password(client, alice):
    response = log_in(client, "alice@example.com")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["person"] == alice


def test_it_ignores_the_case_of_the_email(client, alice):
    response = log_in(client, "  ALICE@Example.com ")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == alice.user.pk


def test_it_stores_passwords_with_django_hashing(db):
    person = person_create(email="erin@example.com", display_name="Erin", password="a long enough secret")
    assert person.user.password.startswith("md5$")  # the test hasher; production uses Django's default
    assert person.user.check_password("a long enough secret")


def test_wrong_password_says_so_without_logging_in(client, alice):
    response = log_in(client, "alice@example.com", "wrong password")
    assert response.status_code == 200
    assert "This e-mail address and password do not match" in response.text
    assert "_auth_user_id" not in client.session


def test_unknown_address_gets_the_same_message(client, alice):
    response = log_in(client, "nobody@example.com", "wrong password")
    assert "This e-mail address and password do not match" in response.text


def test_a_departed_person_cannot_log_in(client, alice):
    person_depart(person=alice, on=alice.created_at.date())
    response = log_in(client, "alice@example.com")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_it_locks_an_address_after_five_failures(client, alice, settings):
    settings.LOGIN_LOCKOUT_SECONDS = 15 * 60
    for _ in range(5):
        log_in(client, "alice@example.com", "wrong password")
    # Even the right password is refused now, with a message that says for how long.
    response = log_in(client, "ALICE@example.com")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Too many failed attempts for this address" in response.text
    assert "15 minutes" in response.text
    # Another address is not affected.
    assert log_in(Client(), "dave@example.com").status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, alice):
    for _ in range(4):
        log_in(client, "alice@example.com", "wrong password")
    assert log_in(client, "alice@example.com").status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        log_in(client, "alice@example.com", "wrong password")
    assert log_in(client, "alice@example.com").status_code == 302


def test_it_logs_out_by_post_only(client, alice):
    client.force_login(alice.user)
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_pages_need_a_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


# Password reset: the e-mail goes through the task queue, sent by the worker.


def reset_link(message) -> str:
    match = re.search(r"http://127\.0\.0\.1:8000(/password/reset/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def request_reset(client, email):
    response = client.post(reverse("password_reset"), {"email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    return client.get(response["Location"])


@pytest.mark.django_db(transaction=True)
def test_it_resets_a_password_by_email(client, alice, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    # Locked out first: the reset must lift the lock.
    for _ in range(5):
        log_in(client, "alice@example.com", "wrong password")

    page = request_reset(client, "Alice@Example.com")
    assert "Check your e-mail" in page.text
    assert mail.outbox == []  # queued, not sent by the web request
    call_command("worker", batch=True, verbosity=0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert "Choose a new password" in message.subject

    link = reset_link(message)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert "new_password1" in form_page.text
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new secret 42", "new_password2": "a brand new secret 42"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")

    assert log_in(client, "alice@example.com", PASSWORD).status_code == 200
    assert log_in(client, "alice@example.com", "a brand new secret 42").status_code == 302
    # The link works once.
    assert "This link has expired" in Client().get(link, follow=True).text


@pytest.mark.django_db(transaction=True)
def test_the_reset_link_ignores_a_forged_host(client, alice, settings):
    settings.SITE_URL = "https://rse.example.com"
    settings.ALLOWED_HOSTS = ["rse.example.com", "evil.example.net"]
    client.post(reverse("password_reset"), {"email": "alice@example.com"}, headers={"host": "evil.example.net"})
    call_command("worker", batch=True, verbosity=0)
    assert "https://rse.example.com/password/reset/" in mail.outbox[0].body
    assert "evil" not in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_a_person_without_a_password_yet_can_choose_one(client, db):
    # People created by the HR import have no usable password until they reset it.
    person_create(email="frank@example.com", display_name="Frank")
    request_reset(client, "frank@example.com")
    call_command("worker", batch=True, verbosity=0)
    assert len(mail.outbox) == 1


def same_page(response) -> str:
    """The page without what changes on every response (nonce, masked CSRF token)."""
    return re.sub(r'(nonce|name="csrfmiddlewaretoken" value)="[^"]+"', "", response.text)


@pytest.mark.django_db(transaction=True)
def test_an_unknown_address_gets_the_same_page_and_no_email(client, alice):
    known = request_reset(client, "alice@example.com")
    unknown = request_reset(client, "nobody@example.com")
    assert unknown.status_code == known.status_code == 200
    assert same_page(unknown) == same_page(known)
    call_command("worker", batch=True, verbosity=0)
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


def test_a_bad_reset_link_is_refused(client, alice):
    response = client.get("/password/reset/MQ/not-a-token/", follow=True)
    assert response.status_code == 200
    assert "This link has expired or was already used" in response.text


def test_new_password_must_be_strong(client, alice, django_capture_on_commit_callbacks):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(alice.user.pk))
    token = default_token_generator.make_token(alice.user)
    page = client.get(f"/password/reset/{uid}/{token}/", follow=True)
    response = client.post(page.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert "This password is too short" in response.text
    alice.user.refresh_from_db()
    assert alice.user.check_password(PASSWORD)


# CSRF.


def test_a_post_without_csrf_token_is_refused_with_our_page(alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 403
    assert "core/error.html" in [t.name for t in response.templates]
    assert "This form has expired" in response.text
    assert "_auth_user_id" not in client.session


def test_a_post_with_the_csrf_token_is_accepted(alice):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("login"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = client.post(reverse("login"), {"username": "alice@example.com", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302


# Content Security Policy and markup hygiene on every page.

INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


def assert_safe_page(response):
    policy = response.headers.get("Content-Security-Policy", "")
    assert policy, "no Content-Security-Policy header"
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in policy.split(";") if d.strip())
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"]).group(1)
    assert directives["frame-ancestors"] == "'none'"
    html = response.content.decode()
    assert not INLINE_HANDLER.findall(html), INLINE_HANDLER.findall(html)
    assert not INLINE_STYLE.findall(html)
    for tag in SCRIPT_TAG.findall(html):
        assert f'nonce="{nonce}"' in tag, tag


def test_anonymous_pages_are_protected(client, db):
    for url in [reverse("login"), reverse("password_reset"), reverse("password_reset_done"), "/admin/login/", "/nowhere/"]:
        response = client.get(url)
        assert response.status_code in {200, 404}, url
        assert_safe_page(response)


def test_signed_in_pages_are_protected(login, alice, bob, settings):
    client = login(alice)
    alice.user.is_staff = alice.user.is_superuser = True
    alice.user.save()
    for url in [
        reverse("home"),
        reverse("people:directory"),
        reverse("people:directory") + "?q=bob",
        reverse("people:profile", args=[bob.pk]),
        reverse("people:profile", args=[alice.pk]),
        reverse("people:profile_edit"),
        "/admin/",
        "/people/999999/",
    ]:
        response = client.get(url)
        assert response.status_code in {200, 404}, url
        assert_safe_page(response)


def test_each_response_has_its_own_nonce(client, db):
    first = client.get(reverse("login")).headers["Content-Security-Policy"]
    second = client.get(reverse("login")).headers["Content-Security-Policy"]
    assert first != second
