"""Background work of notifications: thin tasks that load by id and call the code that
does the work (STYLE.md). Run by ``bascule worker``."""

from django.tasks import task
from django.utils import timezone

from bascule.access import visible_notifications

from . import actions
from .digests import digest_deliver, people_with_a_digest_due
from .emails import notification_email
from .models import Notification
from .queries import notification_preference_for


@task
def notification_email_send(notification_id: int) -> None:
    """E-mail one mention or answer at once — if the recipient still wants it, may still
    see it, has not read it yet, and nobody e-mailed it already."""
    notification = (
        Notification.objects.filter(pk=notification_id, emailed_at__isnull=True, read_at__isnull=True)
        .select_related("recipient", "recipient__user", "actor", "space", "post", "post__space")
        .first()
    )
    if notification is None:
        return
    if not notification_preference_for(notification.recipient).emails_at_once(notification.kind):
        return  # it waits for the digest
    if not visible_notifications(notification.recipient).filter(pk=notification.pk).exists():
        return
    now = timezone.now()
    if not actions.notification_email_claim(notification=notification, now=now):
        return
    try:
        notification_email(notification).send()
    except Exception:
        actions.notifications_email_release(notification_ids=[notification.pk], claimed_at=now)
        raise


@task
def digest_send_due() -> int:
    """Queue the digest of every person whose digest is due; returns how many."""
    people = people_with_a_digest_due(timezone.now())
    for person_id in people:
        digest_send.enqueue(person_id)
    return len(people)


@task
def digest_send(person_id: int) -> bool:
    """Send one person's digest if it is still due (a second call sends nothing)."""
    return digest_deliver(person_id)
