"""Every write to notifications, notification preferences and periodic runs.

E-mails and digests *claim* what they send with a conditional UPDATE (… WHERE emailed_at
IS NULL): however many workers run, a notification is in at most one e-mail.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bascule.core.versions import version_bump
from bascule.people.models import Person

from .models import (
    IMMEDIATE_KINDS,
    DigestFrequency,
    Notification,
    NotificationKind,
    NotificationPreference,
    PeriodicRun,
)


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

    Nothing is sent to the actor themself or to a departed person. Mentions and answers
    are e-mailed at once by a background task scheduled on commit (which checks the
    person's preferences and access again when it runs); everything else waits for the
    digest.
    """
    if recipient.departed_on is not None or (actor is not None and actor.pk == recipient.pk):
        return None
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, actor=actor, space=space, post=post, comment_id=comment_id
    )
    unread_counts_forget(person_id=recipient.pk)
    if kind in IMMEDIATE_KINDS:
        transaction.on_commit(lambda: _schedule_email(notification.pk))
    return notification


def _schedule_email(notification_id: int) -> None:
    from .tasks import notification_email_send

    notification_email_send.enqueue(notification_id)


def _siblings(notification: Notification) -> Q:
    """The recipient's notifications about the same thing as ``notification``: opening
    one shows them all (the post with its answers, the space's requests)."""
    if notification.post_id is not None:
        return Q(post_id=notification.post_id)
    if notification.space_id is not None:
        return Q(space_id=notification.space_id, post__isnull=True, kind=notification.kind)
    return Q(pk=notification.pk)


def notification_open(*, actor: Person, notification: Notification) -> None:
    """``actor`` opens one of their notifications: it is read, with the unread ones about
    the same thing. The caller checked that they may still see it."""
    if notification.recipient_id != actor.pk:
        return
    Notification.objects.filter(recipient=actor, read_at__isnull=True).filter(_siblings(notification)).update(
        read_at=timezone.now()
    )
    unread_counts_forget(person_id=actor.pk)


def notifications_mark_all_read(*, actor: Person) -> int:
    """Mark every notification of ``actor`` read; returns how many were unread."""
    unread_counts_forget(person_id=actor.pk)
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


def unread_counts_forget(*, person_id: int | None = None) -> None:
    """The header's unread counts (``queries.unread_count``) are counted again: the count
    of ``person_id``, whose notifications changed, or everyone's, when a post or comment
    a notification may be about was deleted, hidden or restored. At once, for what this
    transaction reads next, and again once it commits: another request may have counted
    in between, before the change was visible to it."""
    key = unread_version_key(person_id)
    version_bump(key)
    transaction.on_commit(lambda: version_bump(key))


def unread_version_key(person_id: int | None) -> str:
    return f"notify:unread-version:{person_id}" if person_id is not None else "notify:unread-version"


@transaction.atomic
def notification_preference_set(
    *, actor: Person, digest_frequency: str, email_mentions: bool, email_answers: bool
) -> NotificationPreference:
    """``actor`` chooses how often they get a digest, and what is e-mailed at once."""
    if digest_frequency not in DigestFrequency.values:
        raise ValidationError({"digest_frequency": _("Choose how often you want a digest.")})
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(person=actor)
    preference.digest_frequency = digest_frequency
    preference.email_mentions = bool(email_mentions)
    preference.email_answers = bool(email_answers)
    preference.save(update_fields=["digest_frequency", "email_mentions", "email_answers"])
    return preference


def notification_email_claim(*, notification: Notification, now: datetime) -> bool:
    """Claim ``notification`` for an e-mail of its own: True for the one caller that sets
    its ``emailed_at``; False if it was e-mailed (or read) meanwhile."""
    claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True, read_at__isnull=True).update(
        emailed_at=now
    )
    return claimed == 1


def notifications_email_claim(*, recipient: Person, notification_ids: list[int], now: datetime) -> list[int]:
    """Claim the unread, not yet e-mailed notifications among ``notification_ids`` for one
    digest; returns the ids this caller claimed."""
    Notification.objects.filter(
        recipient=recipient, pk__in=notification_ids, emailed_at__isnull=True, read_at__isnull=True
    ).update(emailed_at=now)
    return list(
        Notification.objects.filter(recipient=recipient, pk__in=notification_ids, emailed_at=now).values_list(
            "pk", flat=True
        )
    )


def notifications_email_release(*, notification_ids: list[int], claimed_at: datetime) -> None:
    """Give back notifications whose e-mail could not be sent, for a later digest."""
    Notification.objects.filter(pk__in=notification_ids, emailed_at=claimed_at).update(emailed_at=None)


def digest_claim(*, person: Person, due_since: datetime, now: datetime) -> NotificationPreference | None:
    """Claim ``person``'s digest for the period that began at ``due_since``: returns their
    preferences as they were before (``last_digest_at`` tells since when to report) to the
    one caller that moves ``last_digest_at`` to ``now``; None if another worker did, or if
    no digest is wanted. Creates the preferences row with the defaults if needed."""
    preference, _created = NotificationPreference.objects.get_or_create(person=person)
    if preference.digest_frequency == DigestFrequency.NEVER:
        return None
    claimed = (
        NotificationPreference.objects.filter(pk=preference.pk)
        .filter(Q(last_digest_at__isnull=True) | Q(last_digest_at__lt=due_since))
        .update(last_digest_at=now)
    )
    return preference if claimed == 1 else None


def periodic_run_claim(*, name: str, every: timedelta, now: datetime) -> bool:
    """Claim the periodic task ``name`` for the period ending at ``now``: True for the one
    caller that finds its last run at least ``every`` ago and moves it to ``now``."""
    run, created = PeriodicRun.objects.get_or_create(name=name, defaults={"last_run_at": now})
    if created:
        return True
    claimed = PeriodicRun.objects.filter(pk=run.pk, last_run_at__lte=now - every).update(last_run_at=now)
    return claimed == 1
