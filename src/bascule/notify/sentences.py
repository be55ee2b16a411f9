"""What a notification says, in the language active when it is called: one sentence for
the list, the e-mails and the digests ("Alice Martin mentioned you in *Quality Lyon*",
"Your question *Which CRM?* has 2 new answers").

Callers pass notifications fetched through ``access.visible_notifications`` with their
actor, space and post: nothing here checks who may see what.
"""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Notification, NotificationKind


@dataclass
class NotificationLine:
    """One line of the list or of a digest: the newest notification of a group about the
    same thing (same kind, same post or space, same day), with how many it stands for."""

    notification: Notification
    count: int = 1
    unread: bool = False

    @property
    def actor(self):
        return self.notification.actor

    @property
    def created_at(self) -> datetime:
        return self.notification.created_at

    @property
    def open_url(self) -> str:
        return reverse("notify:open", args=[self.notification.pk])

    def sentence(self) -> SafeString:
        return notification_sentence(self.notification, count=self.count, html=True)

    def text(self) -> str:
        return notification_sentence(self.notification, count=self.count, html=False)


def group_key(notification: Notification) -> tuple:
    """Notifications about the same thing, of the same kind, make one line."""
    if notification.post_id is not None:
        return (notification.kind, "post", notification.post_id)
    if notification.space_id is not None:
        return (notification.kind, "space", notification.space_id)
    return (notification.kind, "notification", notification.pk)


def lines_of(notifications) -> list[NotificationLine]:
    """Group ``notifications`` (newest first) into lines, keeping the order of the newest
    of each group. Call it on the notifications of one day."""
    lines: dict[tuple, NotificationLine] = {}
    for notification in notifications:
        key = group_key(notification)
        line = lines.get(key)
        if line is None:
            lines[key] = NotificationLine(notification, 1, notification.read_at is None)
        else:
            line.count += 1
            line.unread = line.unread or notification.read_at is None
    return list(lines.values())


def place_name(notification: Notification) -> str:
    """What the notification is about, in a few words: the post's title, else the start
    of its text, else the space's name."""
    post = notification.post if notification.post_id is not None else None
    if post is not None:
        if post.title:
            return post.title
        return Truncator(" ".join(post.body.split())).chars(60)
    if notification.space_id is not None:
        return notification.space.name
    return ""


def _templates(kind: str, count: int) -> str:
    """The sentence for ``kind``: %(actor)s is who acted, %(place)s what about."""
    many = count > 1
    if kind == NotificationKind.MENTION:
        if many:
            return ngettext(
                "You were mentioned %(count)s time in %(place)s",
                "You were mentioned %(count)s times in %(place)s",
                count,
            )
        return _("%(actor)s mentioned you in %(place)s")
    if kind == NotificationKind.REPLY:
        if many:
            return ngettext("%(count)s new reply in %(place)s", "%(count)s new replies in %(place)s", count)
        return _("%(actor)s replied in %(place)s")
    if kind == NotificationKind.ANSWER:
        if many:
            return ngettext(
                "Your question %(place)s has %(count)s new answer",
                "Your question %(place)s has %(count)s new answers",
                count,
            )
        return _("%(actor)s answered your question %(place)s")
    if kind == NotificationKind.ACCEPTED:
        return _("%(actor)s accepted your answer to %(place)s")
    if kind == NotificationKind.JOIN_REQUEST:
        if many:
            return ngettext(
                "%(count)s person asks to join %(place)s", "%(count)s people ask to join %(place)s", count
            )
        return _("%(actor)s asks to join %(place)s")
    if kind == NotificationKind.INVITATION:
        return _("%(actor)s invited you to join %(place)s")
    if kind == NotificationKind.REQUEST_APPROVED:
        return _("You are now a member of %(place)s")
    if kind == NotificationKind.OVERDUE_QUESTION:
        return _("The question %(place)s is waiting for an answer")
    if kind == NotificationKind.REQUEST_RECEIVED:
        return _("%(actor)s sent you a request")
    if kind == NotificationKind.REQUEST_UPDATED:
        return _("%(actor)s moved your request on")
    if kind == NotificationKind.REQUEST_REPLY:
        return _("%(actor)s wrote about your request")
    if kind == NotificationKind.REQUEST_FOLLOW_UP:
        return _("%(actor)s wrote about a request you handle")
    if kind == NotificationKind.RECOGNITION:
        return _("%(actor)s thanked you")
    if kind == NotificationKind.CASE_STUDY_REVIEWED:
        return _("%(actor)s reviewed your case study")

    if kind == NotificationKind.AMBASSADOR_NOMINATED:
        return _("%(actor)s nominated you to become an ambassador")
    if kind == NotificationKind.AMBASSADOR_TO_VALIDATE:
        return _("%(actor)s applied to become an ambassador: the application waits for HR")
    if kind == NotificationKind.AMBASSADOR_TO_CONFIRM:
        return _("HR approved %(actor)s as an ambassador: the application waits for your confirmation")
    if kind == NotificationKind.AMBASSADOR_APPROVED_BY_HR:
        return _("%(actor)s approved your ambassador application for HR; your manager confirms next")
    if kind == NotificationKind.AMBASSADOR_REFUSED:
        return _("%(actor)s did not accept your ambassador application")
    if kind == NotificationKind.AMBASSADOR_ACCEPTED:
        return _("%(actor)s confirmed your application: you are now an ambassador")
    return _("Something new in %(place)s")


def notification_sentence(notification: Notification, *, count: int = 1, html: bool = True) -> str:
    """The sentence for ``notification`` (standing for ``count`` of its group), as safe
    HTML with the place in italics, or as plain text for e-mails."""
    actor = notification.actor.display_name if notification.actor_id and notification.actor else _("Someone")
    place = place_name(notification)
    template = _templates(notification.kind, count)
    if not html:
        return template % {"actor": actor, "place": f"“{place}”" if place else "", "count": count}
    values = {
        "actor": format_html("<strong>{}</strong>", actor),
        "place": format_html("<em>{}</em>", place),
        "count": count,
    }
    return mark_safe(escape(template) % values)


def target_url(notification: Notification) -> str:
    """Where opening the notification leads: the post (at the comment), the space's
    requests for a join request, else the space."""
    if notification.post_id is not None:
        url = notification.post.get_absolute_url()
        if notification.comment_id:
            url += f"#comment-{notification.comment_id}"
        return url
    if notification.space_id is not None:
        if notification.kind == NotificationKind.JOIN_REQUEST:
            return reverse("network:members", args=[notification.space.slug])
        return notification.space.get_absolute_url()
    # Requests to referents (bascule.programs): the requester's list, or the inbox.
    if notification.kind in (NotificationKind.REQUEST_UPDATED, NotificationKind.REQUEST_REPLY):
        return reverse("programs:requests")
    if notification.kind in (NotificationKind.REQUEST_RECEIVED, NotificationKind.REQUEST_FOLLOW_UP):
        return reverse("programs:inbox")
    # Initiatives and recognition (bascule.programs): my profile, my initiatives.
    if notification.kind == NotificationKind.RECOGNITION:
        return reverse("people:profile", args=[notification.recipient_id])
    if notification.kind == NotificationKind.CASE_STUDY_REVIEWED:
        return reverse("programs:initiatives")

    # The ambassador program: what waits for my decision, else my applications.
    if notification.kind in (NotificationKind.AMBASSADOR_TO_VALIDATE, NotificationKind.AMBASSADOR_TO_CONFIRM):
        return reverse("programs:ambassador_validations")
    if notification.kind == NotificationKind.AMBASSADOR_ACCEPTED:
        return reverse("programs:ambassador_me")
    if notification.kind in (
        NotificationKind.AMBASSADOR_NOMINATED, NotificationKind.AMBASSADOR_APPROVED_BY_HR, NotificationKind.AMBASSADOR_REFUSED
    ):
        return reverse("programs:ambassadors")
    return reverse("notify:list")
