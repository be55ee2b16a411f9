"""Every write to notifications."""

from django.db import transaction

from bascule.people.models import Person

from .models import Notification, NotificationKind


def notification_send(
    *,
    recipient: Person,
    kind: NotificationKind | str,
    actor: Person | None = None,
    space=None,
    post=None,
    comment_id: int | None = None,
) -> Notification | None:
    """Tell ``recipient`` about something, inside the caller's transaction.

    Nothing is sent to the actor themself or to a departed person. E-mail (at once for
    mentions and answers, else in the digest) is scheduled on commit.
    """
    if recipient.departed_on is not None or (actor is not None and actor.pk == recipient.pk):
        return None
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, actor=actor, space=space, post=post, comment_id=comment_id
    )
    transaction.on_commit(lambda: _schedule_email(notification.pk))
    return notification


def _schedule_email(notification_id: int) -> None:
    """Placeholder for the e-mail path; the notify app's tasks replace it."""
