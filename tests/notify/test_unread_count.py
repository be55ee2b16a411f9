"""The header's unread count is kept in the cache, and counted again as soon as anything
it depends on changes: the person's notifications, what they may read, and the posts and
comments the notifications are about."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bascule.moderation.actions import content_hide, content_restore
from bascule.network import actions
from bascule.notify.actions import notification_open, notifications_mark_all_read
from bascule.notify.queries import unread_count
from tests.notify.conftest import answer, mention


def counted(person) -> tuple[int, int]:
    """The count, and how many queries of notifications it took."""
    with CaptureQueriesContext(connection) as queries:
        count = unread_count(person)
    return count, sum("notify_notification" in q["sql"] for q in queries.captured_queries)


def test_it_is_counted_once_then_read_from_the_cache(alice, bob, post):
    mention(actor=alice, recipient=bob, post=post)
    assert counted(bob) == (1, 1)
    assert counted(bob) == (1, 0)


def test_it_counts_again_when_the_person_is_notified_or_reads(alice, bob, carol, post, question):
    mention(actor=alice, recipient=bob, post=post)
    assert counted(bob) == (1, 1)
    answer(actor=carol, question=question)
    assert counted(bob) == (2, 1)
    notification_open(actor=bob, notification=bob.notifications.get(post=post))
    assert counted(bob) == (1, 1)
    notifications_mark_all_read(actor=bob)
    assert counted(bob) == (0, 1)


def test_it_counts_again_when_a_post_or_comment_is_deleted(alice, bob, post, question):
    mention(actor=alice, recipient=bob, post=post)
    comment = actions.comment_create(actor=alice, post=question, body="The one in the wiki.")  # Bob asked
    assert counted(bob)[0] == 2
    actions.post_delete(actor=alice, post=post)
    assert counted(bob) == (1, 1)
    actions.comment_delete(actor=alice, comment=comment)
    assert counted(bob) == (0, 1)


def test_it_counts_again_when_a_moderator_hides_or_restores(alice, bob, carol, post):
    mention(actor=carol, recipient=bob, post=post)
    assert counted(bob)[0] == 1
    content_hide(actor=alice, post=post, reason="spam")
    assert counted(bob) == (0, 1)
    content_restore(actor=alice, post=post)
    assert counted(bob) == (1, 1)


def test_it_counts_nothing_of_a_space_the_person_left_from_the_next_page_on(login, alice, bob, board, secret_post):
    mention(actor=alice, recipient=bob, post=secret_post)
    client = login(bob)
    assert "1 unread notification" in client.get(reverse("home")).text
    actions.space_leave(actor=bob, space=board)
    page = client.get(reverse("home")).text
    assert "unread notification" not in page
    assert counted(bob) == (0, 0)
