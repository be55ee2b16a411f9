"""Digests: daily or weekly (default), only what was not e-mailed, read or hidden, never
twice; periodic work in the worker."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from bascule.network import actions
from bascule.notify.actions import notification_preference_set, notification_send, periodic_run_claim
from bascule.notify.digests import digest_deliver, digest_is_due, digest_time, people_with_a_digest_due
from bascule.notify.models import DigestFrequency, Notification, NotificationKind, NotificationPreference, PeriodicRun
from bascule.notify.periodic import PERIODIC_TASKS, periodic_enqueue_due
from bascule.people.actions import person_depart, person_language_set
from tests.notify.conftest import answer, mention

PARIS = ZoneInfo("Europe/Paris")
# A Wednesday afternoon.
WEDNESDAY = datetime.datetime(2026, 3, 18, 15, 0, tzinfo=PARIS)


def reply(*, actor, recipient, post):
    return notification_send(recipient=recipient, kind=NotificationKind.REPLY, actor=actor, space=post.space, post=post)


def test_digests_go_out_at_seven_daily_and_on_mondays_weekly(settings):
    settings.TIME_ZONE = "Europe/Paris"
    assert digest_time(DigestFrequency.DAILY, WEDNESDAY) == datetime.datetime(2026, 3, 18, 7, 0, tzinfo=PARIS)
    early = WEDNESDAY.replace(hour=6)
    assert digest_time(DigestFrequency.DAILY, early) == datetime.datetime(2026, 3, 17, 7, 0, tzinfo=PARIS)
    assert digest_time(DigestFrequency.WEEKLY, WEDNESDAY) == datetime.datetime(2026, 3, 16, 7, 0, tzinfo=PARIS)
    monday_early = datetime.datetime(2026, 3, 16, 6, 0, tzinfo=PARIS)
    assert digest_time(DigestFrequency.WEEKLY, monday_early) == datetime.datetime(2026, 3, 9, 7, 0, tzinfo=PARIS)


def test_a_digest_is_due_once_per_period():
    preference = NotificationPreference(digest_frequency=DigestFrequency.WEEKLY)
    assert digest_is_due(preference, WEDNESDAY)  # never had one
    preference.last_digest_at = WEDNESDAY - datetime.timedelta(days=1)  # Tuesday
    assert not digest_is_due(preference, WEDNESDAY)
    assert digest_is_due(preference, WEDNESDAY + datetime.timedelta(days=5))  # next Monday
    preference.digest_frequency = DigestFrequency.DAILY
    assert digest_is_due(preference, WEDNESDAY)
    preference.digest_frequency = DigestFrequency.NEVER
    assert not digest_is_due(preference, WEDNESDAY)


def test_it_sends_a_weekly_digest_by_default_and_never_repeats_it(alice, bob, carol, post, question):
    reply(actor=alice, recipient=bob, post=post)
    answer(actor=alice, question=question)
    answer(actor=carol, question=question)
    Notification.objects.update(emailed_at=None)  # as if the answers were not e-mailed at once
    now = timezone.now()
    assert people_with_a_digest_due(now) == [bob.pk]
    assert digest_deliver(bob.pk, now)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bob@example.com"]
    assert message.subject == "Your weekly digest: 3 new notifications"
    assert "Alice Martin replied in “Audit checklist for next week”" in message.body
    assert "Your question “Which CRM?” has 2 new answers" in message.body
    assert NotificationPreference.objects.get(person=bob).digest_frequency == DigestFrequency.WEEKLY
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()

    # Again, in the same week, even with something new: nothing before next Monday.
    reply(actor=carol, recipient=bob, post=post)
    assert not digest_deliver(bob.pk, now + datetime.timedelta(minutes=5))
    assert len(mail.outbox) == 1
    # Next week, only what is new.
    assert digest_deliver(bob.pk, now + datetime.timedelta(days=7))
    assert len(mail.outbox) == 2
    assert "Carol Petit replied" in mail.outbox[1].body
    assert "Alice Martin" not in mail.outbox[1].body


def test_a_daily_digest_comes_every_day(alice, bob, post):
    notification_preference_set(actor=bob, digest_frequency="daily", email_mentions=True, email_answers=True)
    reply(actor=alice, recipient=bob, post=post)
    now = timezone.now()
    assert digest_deliver(bob.pk, now)
    assert mail.outbox[0].subject == "Your daily digest: 1 new notification"
    reply(actor=alice, recipient=bob, post=post)
    assert not digest_deliver(bob.pk, now + datetime.timedelta(minutes=1))
    assert digest_deliver(bob.pk, now + datetime.timedelta(days=1))
    assert len(mail.outbox) == 2


def test_never_means_no_digest(alice, bob, post):
    notification_preference_set(actor=bob, digest_frequency="never", email_mentions=True, email_answers=True)
    reply(actor=alice, recipient=bob, post=post)
    assert people_with_a_digest_due(timezone.now()) == []
    assert not digest_deliver(bob.pk)
    assert mail.outbox == []


def test_a_digest_leaves_out_what_was_read_or_emailed(login, alice, bob, carol, post, question):
    read = reply(actor=alice, recipient=bob, post=post)
    login(bob).get(f"/notifications/{read.pk}/open")
    emailed = answer(actor=alice, question=question)
    Notification.objects.filter(pk=emailed.pk).update(emailed_at=timezone.now())
    assert not digest_deliver(bob.pk)  # nothing to say, no e-mail
    assert mail.outbox == []


def test_a_digest_says_nothing_of_a_space_one_may_no_longer_read(alice, bob, board, secret_post, post):
    reply(actor=alice, recipient=bob, post=secret_post)
    reply(actor=alice, recipient=bob, post=post)
    actions.space_leave(actor=bob, space=board)
    assert digest_deliver(bob.pk)
    body = mail.outbox[0].body + mail.outbox[0].alternatives[0][0]
    assert "Merger" not in body and "Board" not in body and "Confidential" not in body
    assert mail.outbox[0].subject == "Your weekly digest: 1 new notification"


def test_a_digest_with_only_hidden_things_is_not_sent(alice, bob, board, secret_post):
    reply(actor=alice, recipient=bob, post=secret_post)
    actions.space_leave(actor=bob, space=board)
    assert not digest_deliver(bob.pk)
    assert mail.outbox == []


def test_departed_people_get_no_digest(alice, bob, post):
    reply(actor=alice, recipient=bob, post=post)
    person_depart(person=bob, on=datetime.date(2026, 1, 1))
    assert people_with_a_digest_due(timezone.now()) == []
    assert not digest_deliver(bob.pk)


def test_a_first_digest_covers_one_period_not_the_whole_history(alice, bob, post):
    old = reply(actor=alice, recipient=bob, post=post)
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    assert not digest_deliver(bob.pk)


def test_a_digest_is_in_the_recipients_language(alice, bob, post):
    person_language_set(person=bob, language="fr")
    reply(actor=alice, recipient=bob, post=post)
    digest_deliver(bob.pk)
    assert mail.outbox[0].extra_headers["Content-Language"] == "fr"


# Through the worker, as in production.


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_digests_and_a_second_run_sends_nothing(alice, bob, post, question):
    reply(actor=alice, recipient=bob, post=post)
    mention(actor=alice, recipient=bob, post=question)
    call_command("worker", batch=True, periodic=True, verbosity=0)
    # The mention at once, then the reply in the digest: never the same thing twice.
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == ["Alice Martin mentioned you in “Which CRM?”", "Your weekly digest: 1 new notification"]
    assert "mentioned you" not in next(m for m in mail.outbox if "digest" in m.subject).body
    call_command("worker", batch=True, periodic=True, verbosity=0)
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_the_notify_digests_command_queues_the_digests(alice, bob, post):
    reply(actor=alice, recipient=bob, post=post)
    out = StringIO()
    call_command("notify", "digests", stdout=out)
    assert "queued" in out.getvalue()
    assert mail.outbox == []
    call_command("worker", batch=True, verbosity=0)
    assert len(mail.outbox) == 1
    call_command("notify", "digests", stdout=out)
    call_command("worker", batch=True, verbosity=0)
    assert len(mail.outbox) == 1


def test_a_periodic_task_is_claimed_once_per_period(db):
    now = timezone.now()
    every = datetime.timedelta(hours=1)
    assert periodic_run_claim(name="x", every=every, now=now)
    assert not periodic_run_claim(name="x", every=every, now=now + datetime.timedelta(minutes=59))
    assert periodic_run_claim(name="x", every=every, now=now + every)
    assert PeriodicRun.objects.get(name="x").last_run_at == now + every


def test_the_worker_enqueues_periodic_tasks_once_per_period(db):
    # Each periodic task once per its own period: the hourly digest, the announcements
    # published every minute.
    now = timezone.now()
    assert sorted(periodic_enqueue_due(now)) == sorted(PERIODIC_TASKS)
    assert periodic_enqueue_due(now + datetime.timedelta(seconds=30)) == []
    assert periodic_enqueue_due(now + datetime.timedelta(minutes=1)) == ["network.announcements_publish_due"]
    assert "notify.digest_send_due" in periodic_enqueue_due(now + datetime.timedelta(hours=1))
