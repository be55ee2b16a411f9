"""Digests: when each person's is due, and sending it.

Digests go out at a fixed time in the organisation's time zone — every day at
DIGEST_HOUR, or on Mondays at DIGEST_HOUR — rather than "24 hours after the last one", so
that they arrive at a calm, predictable moment (UI.md: quiet by default). A digest is due
when the last one went out before the most recent digest time. Periodic work only has to
call ``digest_send_due`` now and then (hourly): calling it more often sends nothing twice.
"""

import logging
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from bascule.access import visible_notifications
from bascule.people.models import Person

from . import actions
from .emails import digest_email
from .models import DigestFrequency, Notification, NotificationPreference
from .queries import notification_preference_for
from .sentences import lines_of

logger = logging.getLogger(__name__)

DIGEST_HOUR = 7
PERIODS = {DigestFrequency.DAILY: timedelta(days=1), DigestFrequency.WEEKLY: timedelta(days=7)}


def digest_time(frequency: str, now: datetime) -> datetime:
    """The most recent digest time at or before ``now`` for ``frequency``: today (or
    yesterday) at DIGEST_HOUR; for weekly digests, the Monday of that."""
    local = timezone.localtime(now)
    at = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if at > local:
        at -= timedelta(days=1)
    if frequency == DigestFrequency.WEEKLY:
        at -= timedelta(days=at.weekday())
    return at


def digest_is_due(preference: NotificationPreference, now: datetime) -> bool:
    """Whether the person of ``preference`` should get a digest now."""
    if preference.digest_frequency == DigestFrequency.NEVER:
        return False
    last = preference.last_digest_at
    return last is None or last < digest_time(preference.digest_frequency, now)


def people_with_a_digest_due(now: datetime) -> list[int]:
    """The ids of people still with us whose digest is due and who have unread
    notifications not e-mailed yet (whether they may still see them is checked when the
    digest is written)."""
    pending = Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True, emailed_at__isnull=True)
    people = (
        Person.objects.filter(departed_on__isnull=True)
        .filter(Exists(pending))
        .select_related("notification_preference")
        .order_by("pk")
    )
    return [person.pk for person in people.iterator(chunk_size=2000) if digest_is_due(notification_preference_for(person), now)]


def digest_deliver(person_id: int, now: datetime | None = None) -> bool:
    """Send ``person_id``'s digest if it is due: the notifications they may still see,
    unread and never e-mailed, since their last digest. Returns whether an e-mail went
    out. Nothing to say, no e-mail — the period counts as done all the same."""
    now = now or timezone.now()
    person = Person.objects.filter(pk=person_id, departed_on__isnull=True).select_related("user").first()
    if person is None:
        return False
    preference = notification_preference_for(person)
    if not digest_is_due(preference, now):
        return False
    frequency = preference.digest_frequency
    before = actions.digest_claim(person=person, due_since=digest_time(frequency, now), now=now)
    if before is None:
        return False  # another worker sends it, or the person chose "never" meanwhile
    pending = visible_notifications(person).filter(
        read_at__isnull=True, emailed_at__isnull=True, created_at__lte=now
    )
    if before.last_digest_at is None:
        # A first digest covers one period, not the whole history.
        pending = pending.filter(created_at__gt=now - PERIODS[frequency])
    ids = list(pending.values_list("pk", flat=True))
    if not ids:
        return False
    claimed = actions.notifications_email_claim(recipient=person, notification_ids=ids, now=now)
    if not claimed:
        return False
    notifications = list(
        Notification.objects.filter(pk__in=claimed)
        .select_related("actor", "space", "post", "post__space")
        .order_by("-created_at", "-pk")
    )
    try:
        digest_email(person, lines_of(notifications), frequency=frequency, total=len(notifications)).send()
    except Exception:
        actions.notifications_email_release(notification_ids=claimed, claimed_at=now)
        raise
    return True
