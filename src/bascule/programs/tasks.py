"""Background work of the programs: the nudges. Run by ``bascule worker`` once a day
(notify/periodic.py)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bascule.notify.emails import absolute, language_of

from . import accompaniment_queries as accompaniment
from .actions import nudge_record


def nudge_email(person, subject: str, body: str, language: str) -> EmailMessage:
    return EmailMessage(subject=subject, body=body, to=[person.user.email], headers={"Content-Language": language})


def nudge_text(person, stage: str) -> tuple[str, str, str]:
    """(language, subject, body) of ``person``'s nudge for ``stage``, in their language."""
    language = language_of(person)
    with translation.override(language):
        playbook = accompaniment.playbooks()[stage]
        subject = _("A suggestion for you on %(organisation)s") % {"organisation": settings.ORGANISATION_NAME}
        lines = [accompaniment.message_text(playbook, person), "", playbook.suggestion]
        if playbook.resource_url and playbook.resource_label:
            url = playbook.resource_url if playbook.resource_url.startswith("http") else absolute(playbook.resource_url)
            lines += ["", f"{playbook.resource_label}: {url}"]
        lines += [
            "",
            _("Your journey, and everything Bascule records about you: %(url)s") % {"url": absolute(reverse("accompaniment:journey"))},
            _("You receive at most one suggestion every %(days)d days. To receive none, change your settings: %(url)s")
            % {"days": settings.BASCULE_NUDGE_INTERVAL_DAYS, "url": absolute(reverse("accompaniment:settings"))},
        ]
    return language, subject, "\n".join(lines)


@task
def nudges_send_due() -> int:
    """Nudge every person who is due one (``people_to_nudge``) with the message of their
    recorded stage's playbook; returns how many were sent. Each nudge is recorded first
    (under a lock, at most one per person per interval) and e-mailed once recorded."""
    sent = 0
    now = timezone.now()
    for person in accompaniment.people_to_nudge(now).iterator(chunk_size=500):
        language, subject, body = nudge_text(person, person.stage)
        with transaction.atomic():
            nudge = nudge_record(person=person, stage=person.stage, subject=subject, body=body, now=now)
            if nudge is None:
                continue
            message = nudge_email(person, subject, body, language)
            transaction.on_commit(message.send)
        sent += 1
    return sent
