"""The permission matrix of search: a space × each relation (tests/network/conftest.py).
Nothing of a space a person may not see leaks through search: no title, excerpt, author,
count or existence — through the query and through the page."""

import pytest
from django.urls import reverse

from bascule.network import actions
from bascule.search.models import DocumentKind
from bascule.search.queries import Filters, search

from tests.network.conftest import shared_world

from .conftest import indexed

# (the space is found: name and purpose; its posts are found)
EXPECTED = {
    "public": {
        "member": (True, True), "invited": (True, True), "former": (True, True), "outsider": (True, True),
        "in_audience": (True, True), "departed": (False, False), "anonymous": (False, False),
    },
    "private": {
        "member": (True, True), "invited": (True, False), "former": (True, False), "outsider": (True, False),
        "in_audience": (True, False), "departed": (False, False), "anonymous": (False, False),
    },
    "secret": {
        "member": (True, True), "invited": (True, False), "former": (False, False), "outsider": (False, False),
        "in_audience": (False, False), "departed": (False, False), "anonymous": (False, False),
    },
    "lyon_public": {
        "member": (True, True), "invited": (True, True), "former": (True, True), "outsider": (False, False),
        "in_audience": (True, True), "departed": (False, False), "anonymous": (False, False),
    },
    "lyon_private": {
        "member": (True, True), "invited": (True, False), "former": (True, False), "outsider": (False, False),
        "in_audience": (True, False), "departed": (False, False), "anonymous": (False, False),
    },
}
RELATIONS = list(EXPECTED["public"])


def index_world(world):
    for key in world["spaces"]:
        indexed(world["spaces"][key], world["posts"][key])


# Every test here reads the same indexed world, built once for the module (see shared_world).
globals().update(shared_world(extend=index_world))


@pytest.fixture
def indexed_world(world):
    return world


def expected_for(world, relation):
    spaces = {world["spaces"][key].pk for key, row in EXPECTED.items() if row[relation][0]}
    posts = {world["posts"][key].pk for key, row in EXPECTED.items() if row[relation][1]}
    return spaces, posts


@pytest.mark.parametrize("relation", RELATIONS)
def test_it_finds_only_what_each_relation_may_see(indexed_world, relation):
    person = indexed_world["people"][relation]
    spaces, posts = expected_for(indexed_world, relation)
    # "space" and "purpose" match every space; "secret words" and "title" every post.
    results = search(person, text="space purpose")
    assert {r.document.object_id for r in results.results if r.kind == DocumentKind.SPACE} == spaces
    assert results.counts.get(DocumentKind.SPACE, 0) == len(spaces) == results.total
    results = search(person, text="secret words title")
    assert {r.document.object_id for r in results.results} == posts
    assert results.counts == ({DocumentKind.POST: len(posts)} if posts else {})
    assert results.total == len(posts)


@pytest.mark.parametrize("relation", RELATIONS)
def test_filters_do_not_open_a_way_in(indexed_world, relation):
    """Filtering by a space one may not see finds nothing, and counts nothing."""
    person = indexed_world["people"][relation]
    for key, row in EXPECTED.items():
        space, post = indexed_world["spaces"][key], indexed_world["posts"][key]
        visible, readable = row[relation]
        results = search(person, text="", filters=Filters(space=space.pk))
        expected = {(DocumentKind.SPACE, space.pk)} if visible else set()
        expected |= {(DocumentKind.POST, post.pk)} if readable else set()
        assert {(r.kind, r.document.object_id) for r in results.results} == expected
        assert results.total == len(expected)
        results = search(person, text="secret words", filters=Filters(space=space.pk, kind=DocumentKind.POST))
        assert results.total == int(readable) and results.counts == ({DocumentKind.POST: 1} if readable else {})
        results = search(person, text="title", filters=Filters(author=post.author_id))
        assert (post.pk in {r.document.object_id for r in results.results}) is readable


def _page_text(client, text):
    response = client.get(reverse("search:search"), {"q": text})
    assert response.status_code == 200
    return response, response.text.replace("<mark>", "").replace("</mark>", "")


@pytest.mark.parametrize("relation", [r for r in RELATIONS if r not in {"anonymous", "departed"}])
def test_the_page_shows_no_trace_of_what_one_may_not_see(indexed_world, client, relation):
    person = indexed_world["people"][relation]
    client.force_login(person.user)
    spaces, posts = expected_for(indexed_world, relation)
    response, page = _page_text(client, "space purpose")
    for key, row in EXPECTED.items():
        assert (f"Space {key}" in page) is row[relation][0]
        assert (f"Purpose of {key}" in page) is row[relation][0]
    assert response.context["results"].total == len(spaces)
    response, page = _page_text(client, "secret words")
    for key, row in EXPECTED.items():
        assert (f"Title {key}" in page) is row[relation][1]
        assert (f"Secret words of {key}" in page) is row[relation][1]
    assert response.context["results"].total == len(posts)
    shown = f"{len(posts)} results" if len(posts) != 1 else "1 result"
    assert shown in page


def test_a_departed_person_finds_nothing(indexed_world):
    erin = indexed_world["people"]["departed"]
    for text in ("space purpose", "secret words", "alice"):
        assert search(erin, text=text).total == 0


def test_anonymous_visitors_are_sent_to_log_in(indexed_world, client):
    response = client.get(reverse("search:search"), {"q": "secret"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_secret_space_is_not_found_at_all(indexed_world):
    carol = indexed_world["people"]["outsider"]
    secret = indexed_world["spaces"]["secret"]
    for text in ("Space secret", "Purpose of secret", "Secret words of secret", "Title secret"):
        results = search(carol, text=text)
        assert all(r.document.space_id != secret.pk for r in results.results)
    results = search(carol, text="", filters=Filters(space=secret.pk))
    assert results.total == 0 and results.counts == {}


def test_leaving_a_private_space_hides_its_posts_again(indexed_world):
    alice = indexed_world["people"]["member"]
    private = indexed_world["spaces"]["private"]
    post = indexed_world["posts"]["private"]
    assert post.pk in [r.document.object_id for r in search(alice, text="secret words").results]
    actions.space_leave(actor=alice, space=private)
    assert post.pk not in [r.document.object_id for r in search(alice, text="secret words").results]


def test_comments_follow_their_post(indexed_world):
    if not hasattr(actions, "comment_create"):
        pytest.skip("comments come with the network's next step")
    alice, carol = indexed_world["people"]["member"], indexed_world["people"]["outsider"]
    public, private = indexed_world["posts"]["public"], indexed_world["posts"]["private"]
    on_public = indexed(actions.comment_create(actor=alice, post=public, body="Commentaire limpide"))
    on_private = indexed(actions.comment_create(actor=alice, post=private, body="Commentaire confidentiel"))
    assert [r.document.object_id for r in search(alice, text="commentaire", filters=Filters(kind=DocumentKind.COMMENT)).results] != []
    found_by_carol = search(carol, text="commentaire")
    assert [(r.kind, r.document.object_id) for r in found_by_carol.results] == [(DocumentKind.COMMENT, on_public.pk)]
    assert found_by_carol.total == 1
    assert on_private.pk in [r.document.object_id for r in search(alice, text="confidentiel").results]
    deleted = actions.comment_delete(actor=alice, comment=on_private)
    from bascule.search.index import index_remove

    index_remove(deleted)
    assert search(alice, text="confidentiel").total == 0
