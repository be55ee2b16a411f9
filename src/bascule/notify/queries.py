"""Reads about notifications, for pages, e-mails and digests. Everything starts from
``access.visible_notifications``: what a person may no longer see is neither listed,
counted nor sent."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone

from bascule.access import space_ids, visible_notifications
from bascule.people.models import Person

from .actions import unread_version_key
from .models import Notification, NotificationPreference
from .sentences import NotificationLine, lines_of

NOTIFICATIONS_PER_PAGE = 30
# The badge says "99+" beyond this: counting further costs time and tells nothing more.
UNREAD_COUNT_LIMIT = 99
# How long the header's count is kept at most. It is counted again at once when the
# person's notifications change, when what they may read changes, or when a post or
# comment is deleted, hidden or restored (``actions.unread_counts_forget``).
UNREAD_COUNT_SECONDS = 120


def notifications_for(person: Person) -> QuerySet[Notification]:
    """``person``'s visible notifications, newest first, with what their sentences show."""
    return (
        visible_notifications(person)
        .select_related("actor", "space", "post", "post__space")
        .order_by("-created_at", "-pk")
    )


def unread_count(person: Person | None) -> int:
    """How many visible notifications ``person`` has not read, up to UNREAD_COUNT_LIMIT + 1.

    The header shows it on every page, and counting through ``visible_notifications``
    (the rule of every post a notification is about) was a fifth of a page's time. The
    count is kept in the shared cache with what it was counted under: the versions of the
    person's notifications and of deletions and moderation, read before counting, and the
    spaces the person may know, read and manage (``access.space_ids``, asked once per
    request anyway). Any of them changed, it is counted again — so leaving a space, or
    being removed from it, changes the count at once."""
    if person is None:
        return 0
    mine, everyone = unread_version_key(person.pk), unread_version_key(None)
    key = f"notify:unread-count:{person.pk}"
    got = cache.get_many([key, mine, everyone])
    under = (got.get(mine), got.get(everyone), space_ids(person))
    cached = got.get(key)
    if cached is not None and cached[0] == under:
        return cached[1]
    count = visible_notifications(person).filter(read_at__isnull=True)[: UNREAD_COUNT_LIMIT + 1].count()
    cache.set(key, (under, count), UNREAD_COUNT_SECONDS)
    return count


@dataclass
class Day:
    day: date
    lines: list[NotificationLine]


def notification_page(person: Person, page_number) -> tuple[Page, list[Day]]:
    """One page of ``person``'s notifications grouped by day (organisation's time zone),
    each day's notifications about the same thing on one line. Two queries whatever the
    number of notifications: the count and the page."""
    page = Paginator(notifications_for(person), NOTIFICATIONS_PER_PAGE).get_page(page_number)
    by_day: dict[date, list[Notification]] = {}
    for notification in page.object_list:
        by_day.setdefault(timezone.localdate(notification.created_at), []).append(notification)
    return page, [Day(day, lines_of(notifications)) for day, notifications in by_day.items()]


def day_label_today() -> tuple[date, date]:
    """Today and yesterday in the organisation's time zone, to label days."""
    today = timezone.localdate()
    return today, today - timedelta(days=1)


def notification_preference_for(person: Person) -> NotificationPreference:
    """``person``'s preferences, or unsaved defaults when they never chose."""
    try:
        return person.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(person=person)


def notification_of(person: Person, notification_id: int) -> Notification | None:
    """``person``'s own notification ``notification_id`` (visible or not), else None."""
    return (
        Notification.objects.filter(recipient=person, pk=notification_id)
        .select_related("actor", "space", "post", "post__space")
        .first()
    )


def is_visible(person: Person, notification: Notification) -> bool:
    """Whether ``person`` may still see ``notification`` (one query)."""
    return visible_notifications(person).filter(pk=notification.pk).exists()
