"""The e-mails of notifications: one at once for a mention or an answer, and digests.

Each is written in the recipient's language (their preferred language, else the
organisation's) and links to ``settings.SITE_URL`` — never to the host of a request.
The callers fetched the notifications through ``access.visible_notifications``.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bascule.network.models import Comment
from bascule.people.models import Person

from .models import DigestFrequency, Notification
from .sentences import NotificationLine, notification_sentence, place_name

# A digest lists at most this many lines, then links to the page with the rest.
DIGEST_MAX_LINES = 30


def language_of(person: Person) -> str:
    """The language ``person`` reads their e-mails in."""
    if person.preferred_language in dict(settings.LANGUAGES):
        return person.preferred_language
    return settings.LANGUAGE_CODE


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _message(person: Person, *, subject: str, template: str, context: dict, language: str) -> EmailMultiAlternatives:
    context = {
        **context,
        "person": person,
        "language": language,
        "organisation_name": settings.ORGANISATION_NAME,
        "notifications_url": absolute(reverse("notify:list")),
        "preferences_url": absolute(reverse("notify:preferences")),
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"notify/email/{template}.txt", context),
        to=[person.user.email],
        headers={"Content-Language": language},
    )
    message.attach_alternative(render_to_string(f"notify/email/{template}.html", context), "text/html")
    return message


def notification_email(notification: Notification) -> EmailMultiAlternatives:
    """The e-mail telling ``notification.recipient`` about one mention or answer."""
    person = notification.recipient
    language = language_of(person)
    with translation.override(language):
        context = {
            "sentence": notification_sentence(notification, html=True),
            "text": notification_sentence(notification, html=False),
            "excerpt": _excerpt(notification),
            "open_url": absolute(reverse("notify:open", args=[notification.pk])),
        }
        return _message(
            person,
            subject=notification_sentence(notification, html=False),
            template="notification",
            context=context,
            language=language,
        )


def _excerpt(notification: Notification) -> str:
    """A few words of what was written: the comment, else the post's text under its title.
    The caller checked that the recipient may read both."""
    if notification.comment_id is not None:
        body = Comment.objects.filter(pk=notification.comment_id).values_list("body", flat=True).first()
        if body:
            return Truncator(" ".join(body.split())).chars(280)
    post = notification.post if notification.post_id is not None else None
    if post is None or not post.title:
        return ""  # the sentence already quotes the start of an untitled post
    return Truncator(" ".join(post.body.split())).chars(280)


def digest_email(person: Person, lines: list[NotificationLine], *, frequency: str, total: int) -> EmailMultiAlternatives:
    """The digest for ``person``: ``lines`` (at most DIGEST_MAX_LINES shown) standing for
    ``total`` notifications."""
    language = language_of(person)
    with translation.override(language):
        if frequency == DigestFrequency.DAILY:
            subject = ngettext(
                "Your daily digest: %(count)s new notification",
                "Your daily digest: %(count)s new notifications",
                total,
            ) % {"count": total}
        else:
            subject = ngettext(
                "Your weekly digest: %(count)s new notification",
                "Your weekly digest: %(count)s new notifications",
                total,
            ) % {"count": total}
        shown = lines[:DIGEST_MAX_LINES]
        context = {
            "lines": [
                {
                    "sentence": line.sentence(),
                    "text": line.text(),
                    "url": absolute(line.open_url),
                    "place": place_name(line.notification),
                }
                for line in shown
            ],
            "more": len(lines) - len(shown),
            "intro": _("Here is what happened for you on %(organisation)s.") % {"organisation": settings.ORGANISATION_NAME},
        }
        return _message(person, subject=subject, template="digest", context=context, language=language)
