"""Every list endpoint answers in a number of SQL queries that does not grow with the
number of items (3 items, then 30)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bascule.network import actions as network
from bascule.people.actions import tag_get_or_create  # noqa: F401  (tags come with posts)
from tests.conftest import make_person


def queries_of(api, path, params=None):
    api.get(path, params or {})  # warm: the token's last use is written at most once a minute
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path, params or {})
    assert response.status_code == 200, response.content
    return len(captured), response.json()


@pytest.fixture
def grow(org, alice, bob):
    space = network.space_create(actor=alice, name="Big")
    network.space_join(actor=bob, space=space)
    counter = {"n": 0}

    def _grow(count):
        for _ in range(count):
            n = counter["n"] = counter["n"] + 1
            network.space_create(actor=alice, name=f"Space {n:03}")
            person = make_person(f"Person {n:03}", f"person{n:03}@example.com", department=org["sales"], site=org["lyon"])
            post = network.post_create(actor=bob, space=space, body=f"Post {n} about #topic{n} for @alice")
            network.comment_create(actor=person, post=post, body=f"Comment {n}")
            network.reaction_toggle(actor=person, post=post, kind="like")
            network.post_share(actor=person, post=post, space=None, body="Shared")
        return space

    return _grow


ENDPOINTS = [
    ("spaces/", {"limit": 100}),
    ("spaces/big/posts/", {"limit": 100}),
    ("feed/", {"limit": 100}),
    ("people/", {"limit": 100}),
    ("notifications/", {"limit": 100}),
    ("search/", {"q": "post"}),
]


@pytest.mark.parametrize("path,params", ENDPOINTS)
def test_list_endpoints_answer_in_constant_queries(grow, alice, api_for, path, params):
    api = api_for(alice)
    grow(3)
    few, answer = queries_of(api, path, params)
    assert len(answer["results"]) >= 3
    grow(27)
    many, answer = queries_of(api, path, params)
    assert len(answer["results"]) >= 20
    assert many == few, f"{path}: {few} queries for 3 items, {many} for 30"


def test_comment_threads_answer_in_constant_queries(org, alice, bob, api_for):
    space = network.space_create(actor=alice, name="Big")
    post = network.post_create(actor=alice, space=space, body="Hello")

    def add(count):
        for n in range(count):
            comment = network.comment_create(actor=bob, post=post, body=f"Comment {n}")
            network.comment_create(actor=alice, post=post, body="Reply", parent=comment)
            network.reaction_toggle(actor=alice, post=post, comment=comment, kind="like")

    api = api_for(alice)
    add(3)
    few, _ = queries_of(api, f"posts/{post.pk}/comments/", {"limit": 100})
    add(27)
    many, answer = queries_of(api, f"posts/{post.pk}/comments/", {"limit": 100})
    assert len(answer["results"]) == 30 and many == few


def test_the_spaces_list_is_one_query_after_authentication(org, alice, api_for):
    for n in range(5):
        network.space_create(actor=alice, name=f"Space {n}")
    api = api_for(alice)
    api.get("spaces/")  # the first request marks the token used (one UPDATE a minute)
    count, _ = queries_of(api, "spaces/")
    # The token (with its person and user), then the page.
    assert count == 2
