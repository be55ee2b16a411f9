"""The notification list, the bell in the header, opening and marking read, settings."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bascule.network import actions
from bascule.network.models import Visibility
from bascule.notify.actions import notification_send
from bascule.notify.models import DigestFrequency, Notification, NotificationKind, NotificationPreference
from bascule.people.actions import person_depart
from tests.notify.conftest import answer, mention


def test_it_lists_a_mention_with_a_sentence_and_a_link(login, alice, bob, post):
    mention(actor=alice, recipient=bob, post=post)
    page = login(bob).get(reverse("notify:list"))
    assert page.status_code == 200
    assert "<strong>Alice Martin</strong> mentioned you in <em>Audit checklist for next week</em>" in page.text
    assert "Today" in page.text
    assert "is-unread" in page.text
    notification = Notification.objects.get(recipient=bob)
    assert reverse("notify:open", args=[notification.pk]) in page.text
    assert 'aria-label="Alice Martin"' in page.text  # the actor's avatar


def test_it_names_the_space_when_the_post_has_no_title(login, alice, bob, quality):
    notification_send(recipient=bob, kind=NotificationKind.INVITATION, actor=alice, space=quality)
    page = login(bob).get(reverse("notify:list"))
    assert "<strong>Alice Martin</strong> invited you to join <em>Quality Lyon</em>" in page.text


def test_it_groups_answers_to_one_question(login, alice, bob, carol, question):
    answer(actor=alice, question=question)
    answer(actor=carol, question=question)
    page = login(bob).get(reverse("notify:list"))
    assert "Your question <em>Which CRM?</em> has 2 new answers" in page.text
    assert "1 unread notification" not in page.text
    assert "2 unread notifications" in page.text


def test_it_groups_by_day_newest_first(login, alice, bob, post, question):
    old = mention(actor=alice, recipient=bob, post=post)
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
    answer(actor=alice, question=question)
    page = login(bob).get(reverse("notify:list")).text
    assert page.index("Today") < page.index("Which CRM?") < page.index("Audit checklist")
    assert "Yesterday" not in page


def test_the_header_counts_unread_notifications(login, alice, bob, post):
    client = login(bob)
    assert "unread notification" not in client.get(reverse("home")).text
    mention(actor=alice, recipient=bob, post=post)
    page = client.get(reverse("home")).text
    assert "1 unread notification" in page
    assert '<span class="bell-count" aria-hidden="true">1</span>' in page


def test_the_header_says_99_plus_beyond_99(login, alice, bob, post):
    for _ in range(101):
        mention(actor=alice, recipient=bob, post=post)
    page = login(bob).get(reverse("home")).text
    assert ">99+</span>" in page


def test_the_header_count_costs_one_query_and_none_while_nothing_changed(login, alice, bob, post):
    client = login(bob)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as unchanged:
        client.get(reverse("home"))
    mention(actor=alice, recipient=bob, post=post)
    with CaptureQueriesContext(connection) as with_one:
        page = client.get(reverse("home"))
    assert "1 unread notification" in page.text
    assert sum("notify_notification" in q["sql"] for q in unchanged.captured_queries) == 0
    assert sum("notify_notification" in q["sql"] for q in with_one.captured_queries) == 1
    assert len(with_one) == len(unchanged) + 1


def test_opening_marks_read_and_goes_to_the_post(login, alice, bob, post):
    notification = mention(actor=alice, recipient=bob, post=post)
    client = login(bob)
    response = client.get(reverse("notify:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "unread notification" not in client.get(reverse("home")).text


def test_opening_a_group_marks_the_whole_group_read(login, alice, carol, bob, question):
    answer(actor=alice, question=question)
    newest = answer(actor=carol, question=question)
    login(bob).get(reverse("notify:open", args=[newest.pk]))
    assert not Notification.objects.filter(recipient=bob, read_at__isnull=True).exists()


def test_opening_a_join_request_goes_to_the_members_page(login, alice, carol, quality):
    notification = notification_send(recipient=alice, kind=NotificationKind.JOIN_REQUEST, actor=carol, space=quality)
    response = login(alice).get(reverse("notify:open", args=[notification.pk]))
    assert response["Location"] == reverse("network:members", args=[quality.slug])


def test_nobody_opens_someone_elses_notification(login, alice, bob, carol, post):
    notification = mention(actor=alice, recipient=bob, post=post)
    assert login(carol).get(reverse("notify:open", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_it_marks_all_read(login, alice, bob, post, question):
    mention(actor=alice, recipient=bob, post=post)
    answer(actor=alice, question=question)
    client = login(bob)
    assert client.get(reverse("notify:read_all")).status_code == 405
    response = client.post(reverse("notify:read_all"), follow=True)
    assert "All your notifications are marked as read." in response.text
    assert "is-unread" not in response.text
    assert not Notification.objects.filter(recipient=bob, read_at__isnull=True).exists()


def test_an_empty_list_says_what_the_page_is_for(login, bob):
    page = login(bob).get(reverse("notify:list")).text
    assert "Nothing new for you yet" in page
    assert "Mark all as read" not in page


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_costs_the_same_number_of_queries(login, alice, bob, carol, quality, django_assert_num_queries, count):
    posts = [actions.post_create(actor=alice, space=quality, title=f"Post {i}", body="Hello") for i in range(count)]
    for i, post in enumerate(posts):
        notification_send(recipient=bob, kind=NotificationKind.MENTION, actor=alice if i % 2 else carol, space=quality, post=post)
    client = login(bob)
    client.get(reverse("notify:list"))
    # session + user (with the person), the spaces Bob may read (access.space_ids, once per request),
    # the page's count and rows (the header's unread count is kept since the first view)
    with django_assert_num_queries(5):
        page = client.get(reverse("notify:list"))
    assert page.text.count('class="notification ') == count


def test_the_list_is_paginated(login, alice, bob, post):
    for _ in range(35):
        mention(actor=alice, recipient=bob, post=post)
    Notification.objects.filter(recipient=bob).update(post=None)  # not grouped: one line each
    client = login(bob)
    assert "Page 1 of 2" in client.get(reverse("notify:list")).text
    assert "Page 2 of 2" in client.get(reverse("notify:list") + "?page=2").text


# Access lost: not listed, not counted, not opened.


def test_it_hides_notifications_of_a_private_space_after_leaving_it(login, alice, bob, board, secret_post):
    notification = mention(actor=alice, recipient=bob, post=secret_post)
    client = login(bob)
    assert "Merger plans" in client.get(reverse("notify:list")).text
    actions.space_leave(actor=bob, space=board)
    page = client.get(reverse("notify:list")).text
    assert "Merger plans" not in page and "Board" not in page
    assert "unread notification" not in page
    opened = client.get(reverse("notify:open", args=[notification.pk]))
    assert opened.status_code == 404
    assert "No longer available" in opened.text
    assert "Merger plans" not in opened.text and "Board" not in opened.text
    notification.refresh_from_db()
    assert notification.read_at is None


def test_it_hides_notifications_about_a_deleted_post(login, alice, bob, post):
    mention(actor=alice, recipient=bob, post=post)
    actions.post_delete(actor=alice, post=post)
    page = login(bob).get(reverse("notify:list")).text
    assert "Audit checklist" not in page
    assert "unread notification" not in page


def test_a_notification_about_a_space_one_may_not_read_is_hidden(login, alice, carol, board):
    # carol is not a member of the private space: nothing about it reaches her.
    notification_send(recipient=carol, kind=NotificationKind.REQUEST_APPROVED, actor=alice, space=board)
    page = login(carol).get(reverse("notify:list")).text
    assert "Board" not in page and "unread notification" not in page


def test_an_invitation_to_a_secret_space_shows_while_it_stands(login, alice, carol):
    secret = actions.space_create(actor=alice, name="Atlas", visibility=Visibility.SECRET)
    actions.space_invite(actor=alice, space=secret, person=carol)
    Notification.objects.all().delete()
    notification_send(recipient=carol, kind=NotificationKind.INVITATION, actor=alice, space=secret)
    client = login(carol)
    assert "invited you to join <em>Atlas</em>" in client.get(reverse("notify:list")).text
    actions.space_leave(actor=carol, space=secret)  # declines
    page = client.get(reverse("notify:list")).text
    assert "Atlas" not in page and "unread notification" not in page


# Who is notified.


def test_the_actor_is_never_notified_of_their_own_act(alice, post):
    assert mention(actor=alice, recipient=alice, post=post) is None
    assert not Notification.objects.filter(recipient=alice).exists()


def test_departed_people_are_never_notified(alice, bob, post):
    person_depart(person=bob, on=datetime.date(2026, 1, 1))
    bob.refresh_from_db()
    assert mention(actor=alice, recipient=bob, post=post) is None
    assert not Notification.objects.filter(recipient=bob).exists()


def test_a_person_who_departs_sees_nothing_any_more(alice, bob, post):
    from bascule.access import visible_notifications

    mention(actor=alice, recipient=bob, post=post)
    person_depart(person=bob, on=datetime.date(2026, 1, 1))
    bob.refresh_from_db()
    assert not visible_notifications(bob).exists()


# Settings.


def test_the_settings_page_shows_the_defaults(login, bob):
    page = login(bob).get(reverse("notify:preferences"))
    assert page.status_code == 200
    assert re.search(r'value="weekly"[^>]*checked', page.text)
    assert re.search(r'name="email_mentions"[^>]*checked', page.text)
    assert not NotificationPreference.objects.exists()  # nothing written by looking


def test_the_person_menu_links_to_the_settings(login, bob):
    assert reverse("notify:preferences") in login(bob).get(reverse("home")).text


def test_it_saves_preferences(login, bob):
    client = login(bob)
    response = client.post(reverse("notify:preferences"), {"digest_frequency": "daily", "email_answers": "on"}, follow=True)
    assert "Your notification settings are saved." in response.text
    preference = NotificationPreference.objects.get(person=bob)
    assert preference.digest_frequency == DigestFrequency.DAILY
    assert preference.email_answers and not preference.email_mentions


def test_it_refuses_an_unknown_frequency(login, bob):
    response = login(bob).post(reverse("notify:preferences"), {"digest_frequency": "hourly"})
    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("notify:list"))
    assert response.status_code == 302 and "/login/" in response["Location"]
