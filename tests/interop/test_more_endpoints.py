"""Follows, shares, pins, comment edits and deletions, invitations, and the flags of capped
counts — through the same door and actions as the pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bascule.adoption.models import Event, EventKind
from bascule.network import actions as network
from bascule.network.models import Comment, Follow, Membership, MembershipStatus, Post, PostKind
from bascule.notify.models import Notification
from bascule.people.actions import tag_get_or_create
from tests.conftest import make_person


def events(person, kind):
    return Event.objects.filter(person=person, kind=kind).count()


@pytest.fixture
def space(alice, bob):
    space = network.space_create(actor=alice, name="Quality Lyon")
    network.space_join(actor=bob, space=space)
    return space


@pytest.fixture
def secret(dave):
    return network.space_create(actor=dave, name="Hush", visibility="secret")


def test_it_follows_and_unfollows_a_colleague_a_space_and_a_tag(alice, bob, carol, api_for, space):
    tag_get_or_create(name="quality")
    api = api_for(bob)
    for path in (f"people/{carol.pk}/follow/", "spaces/quality-lyon/follow/", "tags/quality/follow/"):
        response = api.post(path)
        assert response.status_code == 201, response.content
        assert response.json()["following"] is True
        assert api.post(path).status_code == 201  # following again changes nothing
    assert Follow.objects.filter(follower=bob).count() == 3
    assert events(bob, EventKind.FOLLOW) == 3
    for path in (f"people/{carol.pk}/follow/", "spaces/quality-lyon/follow/", "tags/quality/follow/"):
        assert api.delete(path).status_code == 204
    assert Follow.objects.filter(follower=bob).count() == 0


def test_follow_errors_are_json_and_change_nothing(alice, bob, api_for, secret):
    api = api_for(bob)
    assert api.post(f"people/{bob.pk}/follow/").status_code == 400  # oneself
    for path in ("people/999999/follow/", "spaces/hush/follow/", "tags/never-written/follow/"):
        response = api.post(path)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert Follow.objects.count() == 0 and events(bob, EventKind.FOLLOW) == 0


def test_it_shares_a_post_and_never_reveals_the_original(alice, bob, carol, api_for, space, dave):
    post = network.post_create(actor=alice, space=space, body="Our quality plan")
    response = api_for(bob).post(f"posts/{post.pk}/shares/", {"body": "Worth reading"})
    assert response.status_code == 201, response.content
    share = response.json()
    assert share["space"] is None and share["shared_post"]["id"] == post.pk
    assert events(bob, EventKind.SHARE) == 1
    # carol may not read the original (she may see bob's profile post, not the space's).
    private = network.space_create(actor=alice, name="Board", visibility="private")
    board_post = network.post_create(actor=alice, space=private, body="Board secrets")
    other = api_for(carol)
    assert other.get(f"posts/{share['id']}/").json()["shared_post"] == {"available": True, "id": post.pk, "title": "", "author": {"id": alice.pk, "display_name": alice.display_name}, "space": {"slug": "quality-lyon", "name": "Quality Lyon"}}
    before = Post.objects.count()
    assert other.post(f"posts/{board_post.pk}/shares/", {}).status_code == 404
    assert api_for(bob).post(f"posts/{post.pk}/shares/", {"space": "board"}).status_code == 403  # listed, not a member
    assert api_for(bob).post(f"posts/{post.pk}/shares/", {"space": "nowhere"}).status_code == 400
    assert Post.objects.count() == before


def test_managers_pin_and_unpin(alice, bob, api_for, space):
    post = network.post_create(actor=bob, space=space, body="Pin me")
    assert api_for(bob).post(f"posts/{post.pk}/pin/").status_code == 403
    response = api_for(alice).post(f"posts/{post.pk}/pin/")
    assert response.status_code == 200 and response.json()["pinned"] is True
    response = api_for(alice).delete(f"posts/{post.pk}/pin/")
    assert response.status_code == 200 and response.json()["pinned"] is False


def test_authors_edit_and_delete_their_comments(alice, bob, carol, api_for, space):
    post = network.post_create(actor=alice, space=space, body="Hello")
    comment = network.comment_create(actor=bob, post=post, body="First words")
    path = f"posts/{post.pk}/comments/{comment.pk}/"
    response = api_for(bob).patch(path, {"body": "Better **words**"})
    assert response.status_code == 200 and response.json()["body_html"] == "<p>Better <strong>words</strong></p>"
    assert api_for(bob).patch(path, {"body": "  "}).status_code == 400
    network.space_join(actor=carol, space=space)
    assert api_for(carol).patch(path, {"body": "Not mine"}).status_code == 403
    assert api_for(carol).delete(path).status_code == 403
    assert Comment.objects.get(pk=comment.pk).body == "Better **words**"
    assert api_for(bob).delete(path).status_code == 204
    assert Comment.objects.get(pk=comment.pk).deleted_at is not None
    assert api_for(bob).delete(path).status_code == 404
    assert api_for(bob).patch(f"posts/{post.pk}/comments/999999/", {"body": "x"}).status_code == 404


def test_managers_invite_by_id_or_email(alice, bob, carol, dave, api_for):
    network.space_create(actor=alice, name="Board", visibility="secret")
    api = api_for(alice)
    response = api.post("spaces/board/invitations/", {"email": carol.user.email})
    assert response.status_code == 201, response.content
    assert response.json()["membership"] == {"status": "invited", "role": "member"}
    assert Notification.objects.filter(recipient=carol, kind="invitation").count() == 1
    assert api.post("spaces/board/invitations/", {"person_id": carol.pk}).status_code == 400  # already invited
    assert api.post("spaces/board/invitations/", {"person_id": bob.pk}).status_code == 201
    assert api.post("spaces/board/invitations/", {"email": "nobody@example.com"}).status_code == 400
    assert api.post("spaces/board/invitations/", {}).status_code == 400
    # An invited person sees the space but does not invite; an outsider does not see it.
    assert api_for(carol).post("spaces/board/invitations/", {"person_id": dave.pk}).status_code == 403
    assert api_for(dave).post("spaces/board/invitations/", {"person_id": dave.pk}).status_code == 404
    assert Membership.objects.filter(space__slug="board", status=MembershipStatus.INVITED).count() == 2
    assert events(alice, EventKind.INVITE) == 2


def test_the_unread_count_says_when_it_is_capped(alice, bob, api_for, space, settings, monkeypatch):
    from bascule.notify import queries as notify_queries

    monkeypatch.setattr(notify_queries, "UNREAD_COUNT_LIMIT", 2)
    post = network.post_create(actor=alice, space=space, body="Hello")
    api = api_for(alice)
    network.comment_create(actor=bob, post=post, body="One")
    answer = api.get("notifications/").json()
    assert answer["unread_count"] == 1 and answer["unread_count_more"] is False
    for n in range(3):
        network.comment_create(actor=bob, post=post, body=f"More {n}")
    answer = api.get("notifications/").json()
    assert answer["unread_count"] == 2 and answer["unread_count_more"] is True


def test_search_says_which_counts_are_capped(alice, api_for, space, monkeypatch):
    from bascule.search import queries as search_queries

    monkeypatch.setattr(search_queries, "RESULT_LIMIT", 2)
    for n in range(3):
        network.post_create(actor=alice, space=space, body=f"Calibration report {n}")
    answer = api_for(alice).get("search/", {"q": "calibration"}).json()
    assert answer["more"] == ["post"] and answer["capped"] is True
    assert answer["counts"]["post"] == 2


def test_the_new_lists_and_writes_do_not_grow_in_queries(alice, bob, api_for, space):
    """Comment threads with hidden and deleted comments: queries constant."""
    post = network.post_create(actor=alice, space=space, kind=PostKind.QUESTION, body="Hello?")

    def add(count):
        for n in range(count):
            person = make_person(f"P {n} {Comment.objects.count()}", f"p{Comment.objects.count()}@example.com")
            network.space_join(actor=person, space=space)
            comment = network.comment_create(actor=person, post=post, body=f"Answer {n}")
            network.comment_create(actor=alice, post=post, body="Thanks", parent=comment)

    api = api_for(bob)
    api.get(f"posts/{post.pk}/comments/")
    add(3)
    with CaptureQueriesContext(connection) as few:
        api.get(f"posts/{post.pk}/comments/", {"limit": 100})
    add(20)
    with CaptureQueriesContext(connection) as many:
        response = api.get(f"posts/{post.pk}/comments/", {"limit": 100})
    assert len(response.json()["results"]) == 23
    assert len(many) == len(few)
