"""Follows, the home feed (cursor pages, unread marks, empty state), profile feeds, and
the read and visit events."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bascule.adoption.models import Event
from bascule.network import actions, feed
from bascule.network.models import Follow, PostKind, Visibility
from bascule.people.actions import tag_get_or_create


@pytest.fixture
def space(alice, bob):
    space = actions.space_create(actor=alice, name="Atlas")
    actions.space_join(actor=bob, space=space)
    return space


def events(person, kind):
    return Event.objects.filter(person=person, kind=kind).count()


def home_texts(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def test_it_follows_and_records_follow_once(alice, bob, space):
    actions.follow(actor=alice, person=bob)
    actions.follow(actor=alice, person=bob)
    actions.follow(actor=alice, tag=tag_get_or_create(name="budget"))
    assert Follow.objects.filter(follower=alice).count() == 2
    assert events(alice, "follow") == 2
    actions.unfollow(actor=alice, person=bob)
    assert Follow.objects.filter(follower=alice).count() == 1


def test_it_refuses_to_follow_oneself_or_an_unreadable_space(alice, carol):
    from django.core.exceptions import PermissionDenied, ValidationError

    private = actions.space_create(actor=alice, name="Club", visibility=Visibility.PRIVATE)
    with pytest.raises(ValidationError):
        actions.follow(actor=alice, person=alice)
    with pytest.raises(PermissionDenied):
        actions.follow(actor=carol, space=private)


def test_it_fills_the_home_feed_from_spaces_people_tags_and_announcements(alice, bob, carol, dave, space, login):
    other = actions.space_create(actor=carol, name="Elsewhere")
    news = actions.space_create(actor=dave, name="News")
    actions.post_create(actor=alice, space=space, body="In my space")
    actions.post_create(actor=carol, space=other, body="Carol elsewhere")
    actions.post_create(actor=dave, space=other, body="Not for bob") if False else None
    actions.post_create(actor=carol, space=None, body="Carol on her profile")
    actions.post_create(actor=dave, space=news, kind=PostKind.ANNOUNCEMENT, body="Company announcement")
    actions.space_join(actor=alice, space=other)
    actions.post_create(actor=alice, space=other, body="Tagged #budget")
    actions.post_create(actor=alice, space=other, body="Untagged elsewhere")
    actions.follow(actor=bob, person=carol)
    actions.follow(actor=bob, tag=tag_get_or_create(name="budget"))
    texts = [p.body for p in feed.home_posts(bob).order_by("-created_at")]
    assert texts == ["Tagged #budget", "Company announcement", "Carol on her profile", "Carol elsewhere", "In my space"]


def test_it_keeps_private_announcements_out_of_outsiders_feeds(alice, carol):
    private = actions.space_create(actor=alice, name="Board", visibility=Visibility.PRIVATE)
    actions.post_create(actor=alice, space=private, kind=PostKind.ANNOUNCEMENT, body="Board only")
    assert not feed.home_posts(carol).exists()


def test_it_pages_with_a_cursor_and_htmx(alice, bob, space, login):
    for n in range(25):
        actions.post_create(actor=alice, space=space, body=f"Post number {n}")
    client = login(bob)
    first = home_texts(client)
    assert "Post number 24" in first.text and "Post number 4" not in first.text
    cursor = first.context["feed"].next_cursor
    assert f"?cursor={cursor}" in first.text  # a plain link: works without JavaScript
    second = client.get(reverse("home"), {"cursor": cursor}, HTTP_HX_REQUEST="true")
    assert "Post number 4" in second.text and "Post number 0" in second.text and "Post number 5<" not in second.text
    assert "Post number 24" not in second.text and "<html" not in second.text
    assert client.get(reverse("home"), {"cursor": "garbage"}).status_code == 200


def test_it_marks_posts_new_since_my_last_visit(alice, bob, space, login):
    actions.post_create(actor=alice, space=space, body="Old news")
    client = login(bob)
    page = home_texts(client)
    assert not any(p.unread for p in page.context["feed"].posts)  # first visit: nothing marked
    actions.post_create(actor=alice, space=space, body="Fresh news")
    page = home_texts(client)
    assert [p.body for p in page.context["feed"].posts if p.unread] == ["Fresh news"]
    page = home_texts(client)
    assert not any(p.unread for p in page.context["feed"].posts)


def test_it_teaches_on_an_empty_feed(alice, bob, carol, login):
    actions.space_create(actor=carol, name="Open to all", purpose="Everyone welcome")
    page = home_texts(login(alice))
    assert "Your feed is empty for now" in page.text
    assert "Open to all" in page.text
    assert "Bob Bernard" in page.text  # bob works in Lyon, like alice


def _fill(space, author, n):
    for i in range(n):
        post = actions.post_create(actor=author, space=space, body=f"Post {i} #topic")
        actions.comment_create(actor=author, post=post, body="A comment")
        actions.reaction_toggle(actor=author, post=post, kind="like")
        actions.post_share(actor=author, post=post, space=None, body="Shared")


@pytest.mark.parametrize("page", ["home", "tag", "profile"])
def test_it_reads_every_feed_in_constant_queries(alice, bob, space, login, page, django_assert_max_num_queries):
    client = login(bob)
    actions.follow(actor=bob, person=alice)
    url = {
        "home": reverse("home"),
        "tag": reverse("feed:tag", args=["topic"]),
        "profile": reverse("feed:profile", args=[alice.pk]),
    }[page]
    _fill(space, alice, 3)
    client.get(url)  # the day's visit is recorded once
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _fill(space, alice, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["feed"].next_cursor
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url, {"cursor": response.context["feed"].next_cursor})


def test_it_shows_a_profile_feed_without_unreadable_posts(alice, carol, login):
    private = actions.space_create(actor=alice, name="Board", visibility=Visibility.PRIVATE)
    actions.post_create(actor=alice, space=private, body="Board words")
    actions.post_create(actor=alice, space=None, body="Profile words")
    page = login(carol).get(reverse("feed:profile", args=[alice.pk]))
    assert "Profile words" in page.text and "Board words" not in page.text and "Board" not in page.text


def test_it_posts_on_my_profile(alice, login):
    client = login(alice)
    response = client.post(reverse("feed:profile_post_create"), {"kind": "discussion", "body": "Hello all"})
    assert response.status_code == 302
    assert "Hello all" in client.get(response["Location"]).text


def test_it_follows_from_the_pages(alice, bob, login):
    client = login(bob)
    response = client.post(reverse("feed:follow"), {"what": "person", "id": alice.pk, "on": "1", "next": "/people/"})
    assert response.status_code == 302 and response["Location"] == "/people/"
    assert Follow.objects.filter(follower=bob, person=alice).exists()
    client.post(reverse("feed:follow"), {"what": "person", "id": alice.pk, "on": "0", "next": "https://evil.example/"})
    assert not Follow.objects.exists()
    assert client.post(reverse("feed:follow"), {"what": "nope", "id": "1"}).status_code == 404


def test_it_records_a_read_once_per_person_post_and_day(alice, bob, space, login, django_assert_max_num_queries):
    post = actions.post_create(actor=alice, space=space, body="Read me")
    assert actions.post_read(actor=bob, post=post) is True
    assert actions.post_read(actor=bob, post=post) is False
    with django_assert_max_num_queries(1):  # one indexed lookup
        actions.post_read(actor=bob, post=post)
    tomorrow = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    assert actions.post_read(actor=bob, post=post, now=tomorrow) is True
    assert events(bob, "read") == 2
    login(bob).get(post.get_absolute_url())
    assert events(bob, "read") == 2


def test_it_records_a_visit_once_a_day_without_the_database(bob, login, django_assert_num_queries):
    assert actions.visit_record(actor=bob) is True
    with django_assert_num_queries(0):
        assert actions.visit_record(actor=bob) is False
    from django.core.cache import cache

    cache.clear()
    assert actions.visit_record(actor=bob) is False  # the unique key still holds
    assert events(bob, "visit") == 1
