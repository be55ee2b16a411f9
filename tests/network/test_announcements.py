"""Scheduled announcements and read confirmations.

Time passes in these tests by moving a post's ``publish_at`` (and ``created_at``, as the
action sets them together) into the past, or by passing ``now``: no clock library."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from bascule import access
from bascule.adoption.models import Event, EventKind
from bascule.network import actions
from bascule.network.models import Membership, Post, PostKind, ReadConfirmation, Role
from bascule.notify.models import Notification, NotificationKind
from bascule.search.models import SearchDocument


@pytest.fixture
def space(dave, alice, bob, carol):
    space = actions.space_create(actor=dave, name="News of Atlas")
    for person in (alice, bob, carol):
        actions.space_join(actor=person, space=space)
    # alice manages the space with dave; bob and carol are members.
    Membership.objects.filter(space=space, person=alice).update(role=Role.MANAGER)
    return space


def _schedule(dave, space, *, hours=2, **extra):
    return actions.post_create(
        actor=dave, space=space, kind=PostKind.ANNOUNCEMENT, title="New badge readers",
        body=extra.pop("body", "The new badge readers arrive on Monday"),
        publish_at=timezone.now() + datetime.timedelta(hours=hours), **extra,
    )


def _time_passes(post):
    past = timezone.now() - datetime.timedelta(minutes=1)
    Post.objects.filter(pk=post.pk).update(publish_at=past, created_at=past)
    post.refresh_from_db()


def test_it_hides_a_scheduled_announcement_until_its_time(space, dave, alice, bob, login):
    post = _schedule(dave, space)
    assert post.is_scheduled and post.created_at == post.publish_at
    assert not access.visible_posts(bob).filter(pk=post.pk).exists()
    assert access.visible_posts(bob, now=post.publish_at).filter(pk=post.pk).exists()
    for insider in (dave, alice):
        assert access.visible_posts(insider).filter(pk=post.pk).exists()
    client = login(bob)
    assert client.get(post.get_absolute_url()).status_code == 404
    assert "New badge readers" not in client.get(space.get_absolute_url()).text
    assert "New badge readers" not in client.get(reverse("home")).text
    manager_page = login(alice).get(space.get_absolute_url()).text
    assert "New badge readers" in manager_page and "Scheduled for" in manager_page
    _time_passes(post)
    client = login(bob)
    assert client.get(post.get_absolute_url()).status_code == 200
    assert "New badge readers" in client.get(reverse("home")).text
    assert "Scheduled for" not in client.get(space.get_absolute_url()).text


def test_it_keeps_a_scheduled_announcement_out_of_search_until_published(space, dave, bob):
    post = _schedule(dave, space)
    assert not SearchDocument.objects.filter(kind="post", object_id=post.pk).exists()
    _time_passes(post)
    assert actions.announcements_publish() == 1
    assert access.visible_search_documents(bob).filter(kind="post", object_id=post.pk).exists()


def test_it_tells_the_people_mentioned_when_it_comes_out_and_only_once(space, dave, bob, carol):
    post = _schedule(dave, space, body="Thanks @bob and @carol for the tests")
    assert not Notification.objects.filter(kind=NotificationKind.MENTION).exists()
    assert actions.announcements_publish() == 0  # not yet
    _time_passes(post)
    assert actions.announcements_publish() == 1
    assert actions.announcements_publish() == 0  # claimed: never twice
    told = Notification.objects.filter(kind=NotificationKind.MENTION, post=post)
    assert sorted(told.values_list("recipient__display_name", flat=True)) == ["Bob Bernard", "Carol Petit"]


def test_it_does_not_count_the_notification_of_a_scheduled_post(space, dave, bob):
    post = _schedule(dave, space, body="Hello @bob")
    actions.comment_create(actor=dave, post=post, body="Details to come")
    assert not access.visible_notifications(bob).exists()
    assert not SearchDocument.objects.filter(kind="comment", post_id=post.pk).exists()


def test_it_schedules_announcements_only_and_within_a_year(space, dave):
    later = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        actions.post_create(actor=dave, space=space, kind=PostKind.DISCUSSION, body="x", publish_at=later)
    assert "Only announcements can be scheduled." in str(error.value)
    with pytest.raises(ValidationError):
        actions.post_create(actor=dave, space=space, kind=PostKind.ANNOUNCEMENT, body="x", publish_at=later + datetime.timedelta(days=400))
    with pytest.raises(ValidationError):
        actions.post_create(actor=dave, space=space, kind=PostKind.DISCUSSION, body="x", requires_confirmation=True)
    past = actions.post_create(actor=dave, space=space, kind=PostKind.ANNOUNCEMENT, body="x", publish_at=timezone.now() - datetime.timedelta(hours=1))
    assert past.publish_at is None and not past.is_scheduled


def test_it_schedules_from_the_composer(space, dave, bob, login):
    page = login(dave).get(space.get_absolute_url()).text
    assert 'name="publish_at"' in page and 'name="requires_confirmation"' in page
    assert 'name="publish_at"' not in login(bob).get(space.get_absolute_url()).text
    moment = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = login(dave).post(
        reverse("network:post_create", args=[space.slug]),
        {"kind": "announcement", "title": "Later", "body": "Soon", "publish_at": moment, "requires_confirmation": "on"},
    )
    post = Post.objects.get(title="Later")
    assert response.status_code == 302 and post.is_scheduled and post.requires_confirmation


def test_it_records_a_read_confirmation_once(space, dave, bob, login):
    post = actions.post_create(actor=dave, space=space, kind=PostKind.ANNOUNCEMENT, title="Safety", body="Read me", requires_confirmation=True)
    client = login(bob)
    page = client.get(post.get_absolute_url()).text
    assert "I have read it" in page and "members confirmed" not in page
    reads_before = Event.objects.filter(person=bob, kind=EventKind.READ).count()
    assert client.post(reverse("feed:confirm", args=[post.pk])).status_code == 302
    assert client.post(reverse("feed:confirm", args=[post.pk])).status_code == 302
    assert ReadConfirmation.objects.filter(post=post, person=bob).count() == 1
    # Opening the page already recorded today's read: confirming adds none.
    assert Event.objects.filter(person=bob, kind=EventKind.READ).count() == reads_before
    assert "You confirmed you read it" in client.get(post.get_absolute_url()).text


def test_it_refuses_a_confirmation_nobody_asked_for(space, dave, bob, login):
    post = actions.post_create(actor=dave, space=space, kind=PostKind.ANNOUNCEMENT, body="FYI")
    assert login(bob).post(reverse("feed:confirm", args=[post.pk])).status_code == 403
    scheduled = _schedule(dave, space, requires_confirmation=True)
    assert login(bob).post(reverse("feed:confirm", args=[scheduled.pk])).status_code == 404


def test_it_shows_who_confirmed_to_the_author_and_managers_only(space, dave, alice, bob, carol, login):
    post = actions.post_create(actor=dave, space=space, kind=PostKind.ANNOUNCEMENT, title="Safety", body="Read me", requires_confirmation=True)
    actions.announcement_confirm(actor=bob, post=post)
    url = reverse("feed:confirmations", args=[post.pk])
    for insider in (dave, alice):
        client = login(insider)
        assert "1 of 3 members confirmed" in client.get(post.get_absolute_url()).text
        page = client.get(url)
        assert page.status_code == 200
        confirmations = page.context["confirmations"]
        assert [c.person for c in confirmations.confirmed] == [bob]
        assert set(confirmations.waiting) == {alice, carol}
    client = login(carol)
    assert client.get(url).status_code == 403
    assert "members confirmed" not in client.get(post.get_absolute_url()).text


def test_it_hides_confirmations_of_a_space_one_may_not_read(dave, carol, login):
    from bascule.network.models import Visibility

    secret = actions.space_create(actor=dave, name="Board", visibility=Visibility.SECRET)
    post = actions.post_create(actor=dave, space=secret, kind=PostKind.ANNOUNCEMENT, body="Hush", requires_confirmation=True)
    client = login(carol)
    assert client.get(reverse("feed:confirmations", args=[post.pk])).status_code == 404
    assert client.post(reverse("feed:confirm", args=[post.pk])).status_code == 404
