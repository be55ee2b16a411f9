"""Notifications sent by the network's own actions reach people the same way."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from bascule.network import actions
from bascule.notify.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_answer_is_listed_and_emailed_with_its_text(login, alice, bob, question):
    comment = actions.comment_create(actor=alice, post=question, body="We use the *blue* one")
    page = login(bob).get(reverse("notify:list")).text
    assert "<strong>Alice Martin</strong> answered your question <em>Which CRM?</em>" in page
    call_command("worker", batch=True, verbosity=0)
    assert len(mail.outbox) == 1
    assert "We use the *blue* one" in mail.outbox[0].body
    notification = Notification.objects.get(recipient=bob)
    response = login(bob).get(reverse("notify:open", args=[notification.pk]))
    assert response["Location"] == f"{question.get_absolute_url()}#comment-{comment.pk}"


def test_a_deleted_answer_is_neither_listed_nor_emailed(login, alice, bob, question):
    comment = actions.comment_create(actor=alice, post=question, body="We use the blue one")
    actions.comment_delete(actor=alice, comment=comment)
    call_command("worker", batch=True, verbosity=0)
    assert mail.outbox == []
    page = login(bob).get(reverse("notify:list")).text
    assert "answered your question" not in page and "unread notification" not in page


def test_the_author_answering_their_own_question_is_not_notified(alice, bob, question):
    actions.comment_create(actor=bob, post=question, body="Found it myself")
    assert not Notification.objects.filter(recipient=bob).exists()
