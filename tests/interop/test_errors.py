"""How the API refuses: always JSON, the right status, a clear message; never HTML, a
redirect to the login page, a CSRF page or a traceback."""

import datetime

import pytest
from django.test import Client

from bascule.interop import actions
from bascule.interop.api import core
from bascule.people.actions import person_depart

from .conftest import Api


def error_of(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    return error


# ---------------------------------------------------------------------------------------
# Authentication
# ---------------------------------------------------------------------------------------


def test_it_wants_a_token(db):
    response = Api(None).get("spaces/")
    error_of(response, 401, "unauthorized")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer nope", "Basic YWxpY2U6eA==", "Bearer ", "bsc_alone"])
def test_it_refuses_an_invalid_token(db, header):
    response = Client().get("/api/v1/spaces/", headers={"Authorization": header})
    error_of(response, 401, "unauthorized")
    assert "WWW-Authenticate" in response


def test_it_refuses_a_revoked_token(alice):
    created = actions.token_create(actor=alice, name="x")
    actions.token_revoke(actor=alice, api_token=created.api_token)
    assert "revoked" in error_of(Api(created.token).get("spaces/"), 401, "unauthorized")["message"]


def test_it_refuses_the_token_of_a_departed_person(alice):
    token = actions.token_create(actor=alice, name="x").token
    person_depart(person=alice, on=datetime.date(2026, 1, 1))
    error_of(Api(token).get("spaces/"), 401, "unauthorized")


def test_a_session_is_not_enough(login, alice):
    # Only a token authenticates: a browser session could be ridden by another site.
    response = login(alice).get("/api/v1/spaces/")
    error_of(response, 401, "unauthorized")


def test_it_needs_no_csrf_token(alice, bob):
    from bascule.network import actions as network

    space = network.space_create(actor=alice, name="Open")
    client = Client(enforce_csrf_checks=True)
    token = actions.token_create(actor=bob, name="x").token
    response = client.post(
        f"/api/v1/spaces/{space.slug}/join/", "{}", content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.content


def test_it_answers_in_the_language_of_the_request(db):
    response = Client().get("/api/v1/spaces/", headers={"Accept-Language": "fr"})
    assert response.status_code == 401
    assert response["Content-Language"] == "fr"


# ---------------------------------------------------------------------------------------
# Rate limit
# ---------------------------------------------------------------------------------------


def test_it_limits_the_requests_of_a_token(settings, alice, bob, api_for):
    settings.BASCULE_API_RATE_LIMIT = 3
    api = api_for(alice)
    responses = [api.get("spaces/") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert responses[0]["X-RateLimit-Limit"] == "3"
    assert responses[2]["X-RateLimit-Remaining"] == "0"
    error_of(responses[3], 429, "rate_limited")
    assert 1 <= int(responses[3]["Retry-After"]) <= 60
    # Another token has its own allowance.
    assert api_for(bob).get("spaces/").status_code == 200


def test_no_limit_when_set_to_zero(settings, alice, api_for):
    settings.BASCULE_API_RATE_LIMIT = 0
    api = api_for(alice)
    assert all(api.get("spaces/").status_code == 200 for _ in range(5))


# ---------------------------------------------------------------------------------------
# Bad requests
# ---------------------------------------------------------------------------------------


@pytest.fixture
def open_space(alice):
    from bascule.network import actions as network

    return network.space_create(actor=alice, name="Open")


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"text"', b"\xff\xfe"])
def test_it_refuses_malformed_json_and_changes_nothing(alice, api_for, open_space, body):
    from bascule.network.models import Post

    error_of(api_for(alice).post("posts/", body), 400, "malformed_json")
    assert not Post.objects.exists()


def test_it_names_the_fields_in_error(alice, api_for, open_space):
    error = error_of(api_for(alice).post("posts/", {"space": open_space.slug, "body": 12, "colour": "red"}), 400, "invalid")
    assert set(error["fields"]) == {"body", "colour"}


def test_it_passes_on_the_validation_messages_of_the_actions(alice, api_for, open_space):
    error = error_of(api_for(alice).post("posts/", {"space": open_space.slug, "body": "   "}), 400, "invalid")
    assert error["fields"]["body"] == ["Write something before posting."]
    error = error_of(api_for(alice).post("posts/", {"space": open_space.slug, "body": "x" * 20_001}), 400, "invalid")
    assert "20,000" in error["fields"]["body"][0]


def test_it_refuses_an_oversized_body(alice, api_for, open_space):
    from bascule.network.models import Post

    body = {"space": open_space.slug, "body": "x" * (core.MAX_BODY_BYTES + 1)}
    error_of(api_for(alice).post("posts/", body), 413, "too_large")
    assert not Post.objects.exists()


def test_it_says_which_methods_an_address_accepts(alice, api_for):
    response = api_for(alice).delete("spaces/")
    error_of(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"
    response = api_for(alice).post("posts/1/")
    assert response["Allow"] == "DELETE, GET, PATCH"


def test_unknown_ids_and_addresses_are_json_404(alice, api_for):
    api = api_for(alice)
    for path in ["posts/999/", "spaces/nowhere/", "people/999/", "posts/999/comments/", "nothing/here/", "spaces"]:
        error_of(api.get(path), 404, "not_found")


def test_a_missing_slash_is_explained(alice, api_for):
    message = error_of(api_for(alice).get("spaces"), 404, "not_found")["message"]
    assert "/api/v1/spaces/" in message


def test_an_unknown_comment_is_a_field_error(alice, api_for, open_space):
    from bascule.network import actions as network

    post = network.post_create(actor=alice, space=open_space, body="Hello")
    error = error_of(api_for(alice).post(f"posts/{post.pk}/comments/", {"body": "Hi", "parent_id": 999}), 400, "invalid")
    assert "parent_id" in error["fields"]


def test_an_invalid_cursor_is_a_400(alice, api_for):
    for cursor in ["!!!", "e30", "eyJrIjoxfQ"]:
        error_of(api_for(alice).get("spaces/", {"cursor": cursor}), 400, "invalid_cursor")
    error_of(api_for(alice).get("spaces/", {"limit": "1000"}), 400, "invalid")


def test_an_unexpected_failure_is_a_json_500(alice, api_for, monkeypatch):
    from bascule.network import queries

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(queries, "space_directory", broken)
    error = error_of(api_for(alice).get("spaces/"), 500, "server_error")
    assert "boom" not in error["message"]
