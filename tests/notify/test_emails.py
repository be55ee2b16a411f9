"""E-mail at once for mentions and answers, sent by the worker, checked again when sent."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation

from bascule.network import actions
from bascule.notify.actions import notification_preference_set, notification_send
from bascule.notify.models import Notification, NotificationKind
from bascule.people.actions import person_depart, person_language_set
from tests.notify.conftest import answer, mention

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker():
    call_command("worker", batch=True, verbosity=0)


def test_it_emails_a_mention_at_once_through_the_worker(alice, bob, post, settings):
    settings.SITE_URL = "https://rse.example.com"
    notification = mention(actor=alice, recipient=bob, post=post)
    assert mail.outbox == []  # queued, not sent by the act
    run_worker()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bob@example.com"]
    assert message.subject == "Alice Martin mentioned you in “Audit checklist for next week”"
    assert f"https://rse.example.com/notifications/{notification.pk}/open" in message.body
    html = message.alternatives[0][0]
    assert "<strong>Alice Martin</strong> mentioned you in <em>Audit checklist for next week</em>" in html
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_it_emails_an_answer_to_my_question(alice, bob, question):
    answer(actor=alice, question=question)
    run_worker()
    assert [m.subject for m in mail.outbox] == ["Alice Martin answered your question “Which CRM?”"]


def test_it_never_sends_the_same_notification_twice(alice, bob, post):
    from bascule.notify.tasks import notification_email_send

    notification = mention(actor=alice, recipient=bob, post=post)
    notification_email_send.enqueue(notification.pk)  # a second worker, a retry…
    run_worker()
    run_worker()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "kind", [NotificationKind.REPLY, NotificationKind.ACCEPTED, NotificationKind.JOIN_REQUEST, NotificationKind.INVITATION]
)
def test_other_kinds_wait_for_the_digest(alice, bob, post, kind):
    notification_send(recipient=bob, kind=kind, actor=alice, space=post.space, post=post)
    run_worker()
    assert mail.outbox == []


def test_it_honours_the_preferences(alice, bob, post, question):
    notification_preference_set(actor=bob, digest_frequency="weekly", email_mentions=False, email_answers=True)
    notification = mention(actor=alice, recipient=bob, post=post)
    answer(actor=alice, question=question)
    run_worker()
    assert [m.subject for m in mail.outbox] == ["Alice Martin answered your question “Which CRM?”"]
    notification.refresh_from_db()
    assert notification.emailed_at is None  # left for the digest


def test_it_does_not_email_what_was_read_meanwhile(login, alice, bob, post):
    notification = mention(actor=alice, recipient=bob, post=post)
    login(bob).get(f"/notifications/{notification.pk}/open")
    run_worker()
    assert mail.outbox == []


def test_it_does_not_email_what_the_recipient_may_no_longer_see(alice, bob, board, secret_post):
    mention(actor=alice, recipient=bob, post=secret_post)
    actions.space_leave(actor=bob, space=board)
    run_worker()
    assert mail.outbox == []


def test_it_does_not_email_someone_who_departed_meanwhile(alice, bob, post):
    mention(actor=alice, recipient=bob, post=post)
    person_depart(person=bob, on=datetime.date(2026, 1, 1))
    run_worker()
    assert mail.outbox == []


def test_nothing_is_sent_for_an_act_rolled_back(alice, bob, post):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        mention(actor=alice, recipient=bob, post=post)
        raise RuntimeError
    run_worker()
    assert mail.outbox == []


def test_it_writes_in_the_recipients_language(alice, bob, post):
    person_language_set(person=bob, language="fr")
    mention(actor=alice, recipient=bob, post=post)
    run_worker()
    message = mail.outbox[0]
    assert message.extra_headers["Content-Language"] == "fr"
    assert '<html lang="fr">' in message.alternatives[0][0]
    with translation.override("fr"):
        french = translation.gettext("%(actor)s mentioned you in %(place)s")
    if french == "%(actor)s mentioned you in %(place)s":
        pytest.skip("the French catalogue does not have the notification sentences yet")
    assert message.subject == french % {"actor": "Alice Martin", "place": "“Audit checklist for next week”"}


def test_the_organisations_language_when_the_person_chose_none(alice, bob, post, settings):
    settings.LANGUAGE_CODE = "fr"
    mention(actor=alice, recipient=bob, post=post)
    with translation.override("en"):
        run_worker()
    assert mail.outbox[0].extra_headers["Content-Language"] == "fr"


def test_the_link_opens_the_post(client, alice, bob, post, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    mention(actor=alice, recipient=bob, post=post)
    run_worker()
    path = re.search(r"http://127\.0\.0\.1:8000(/notifications/\d+/open)", mail.outbox[0].body).group(1)
    client.force_login(bob.user)
    assert client.get(path)["Location"] == post.get_absolute_url()
    assert Notification.objects.get(recipient=bob).read_at is not None
