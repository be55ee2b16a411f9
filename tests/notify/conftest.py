"""Spaces and posts to be notified about, created through the network's actions.

alice owns *Quality Lyon* (public) and *Board* (private); bob is a member of both; carol
of neither. The notifications the network's actions send while this is set up are
forgotten, so that each test starts with none and sends its own.
"""

import pytest

from bascule.network import actions
from bascule.network.models import JoinPolicy, PostKind, Visibility
from bascule.notify.actions import notification_send
from bascule.notify.models import Notification, NotificationKind


def forget_notifications():
    Notification.objects.all().delete()


@pytest.fixture
def quality(alice, bob):
    space = actions.space_create(actor=alice, name="Quality Lyon")
    actions.space_join(actor=bob, space=space)
    forget_notifications()
    return space


@pytest.fixture
def board(alice, bob):
    space = actions.space_create(
        actor=alice, name="Board", visibility=Visibility.PRIVATE, join_policy=JoinPolicy.INVITE
    )
    actions.space_invite(actor=alice, space=space, person=bob)
    actions.space_invitation_accept(actor=bob, space=space)
    forget_notifications()
    return space


@pytest.fixture
def post(quality, alice):
    return actions.post_create(actor=alice, space=quality, body="Audit checklist for next week")


@pytest.fixture
def secret_post(board, alice):
    return actions.post_create(actor=alice, space=board, title="Merger plans", body="Confidential figures")


@pytest.fixture
def question(quality, bob):
    return actions.post_create(
        actor=bob, space=quality, kind=PostKind.QUESTION, title="Which CRM?", body="Which CRM do we use?"
    )


def mention(*, actor, recipient, post):
    return notification_send(recipient=recipient, kind=NotificationKind.MENTION, actor=actor, space=post.space, post=post)


def answer(*, actor, question):
    return notification_send(
        recipient=question.author, kind=NotificationKind.ANSWER, actor=actor, space=question.space, post=question
    )
