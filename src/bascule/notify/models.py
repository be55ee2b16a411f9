"""Notifications: what a person is told about, in the app, by e-mail and in digests."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NotificationKind(models.TextChoices):
    MENTION = "mention", _("Mention")
    REPLY = "reply", pgettext_lazy("noun", "Reply")
    ANSWER = "answer", _("Answer to my question")
    ACCEPTED = "accepted", _("Accepted answer")
    JOIN_REQUEST = "join_request", _("Request to join")
    INVITATION = "invitation", _("Invitation")
    REQUEST_APPROVED = "request_approved", _("Request approved")
    OVERDUE_QUESTION = "overdue_question", _("Question waiting for an answer")
    REQUEST_RECEIVED = "request_received", _("Request to handle")
    REQUEST_UPDATED = "request_updated", _("My request moved on")
    REQUEST_REPLY = "request_reply", _("Reply to my request")
    REQUEST_FOLLOW_UP = "request_follow_up", _("Message on a request I handle")
    RECOGNITION = "recognition", _("Thanks from a colleague")
    CASE_STUDY_REVIEWED = "case_study_reviewed", _("My case study was reviewed")

    # The ambassador program (bascule.programs).
    AMBASSADOR_NOMINATED = "ambassador_nominated", _("Nominated as an ambassador")
    AMBASSADOR_TO_VALIDATE = "ambassador_to_validate", _("Ambassador application to validate")
    AMBASSADOR_TO_CONFIRM = "ambassador_to_confirm", _("Ambassador application to confirm")
    AMBASSADOR_APPROVED_BY_HR = "ambassador_approved_by_hr", _("My ambassador application approved by HR")
    AMBASSADOR_REFUSED = "ambassador_refused", _("My ambassador application not accepted")
    AMBASSADOR_ACCEPTED = "ambassador_accepted", _("I am an ambassador")


class Notification(models.Model):
    """One thing to tell ``recipient``. What it is about (space, post, comment) is checked
    again through access.py each time it is shown or sent: someone who lost access to a
    space stops seeing its notifications."""

    recipient = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    space = models.ForeignKey("network.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("network.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # A comment or answer, when the notification is about one (no foreign key: comments
    # live in the network app and may arrive later than this model).
    comment_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Set once the notification went out by e-mail, alone or in a digest: never twice.
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(fields=["recipient", "read_at"]),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


# Kinds e-mailed at once (when the person's preferences allow it); the others wait for the
# digest. Quiet by default (UI.md): only what someone is waiting for interrupts.
IMMEDIATE_KINDS = frozenset({NotificationKind.MENTION, NotificationKind.ANSWER})


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("Every week")
    NEVER = "never", _("Never")


class NotificationPreference(models.Model):
    """How a person wants to hear about their notifications. One row per person, created
    the first time they save their preferences or receive a digest; a person without a
    row has the defaults below."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="notification_preference"
    )
    digest_frequency = models.CharField(
        _("digest by e-mail"), max_length=10, choices=DigestFrequency.choices, default=DigestFrequency.WEEKLY
    )
    email_mentions = models.BooleanField(_("e-mail me at once when someone mentions me"), default=True)
    email_answers = models.BooleanField(_("e-mail me at once when someone answers my question"), default=True)
    # When the last digest went out (or was due with nothing to say): the next one is due
    # once a digest time has passed since.
    last_digest_at = models.DateTimeField(_("last digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.person_id}: {self.digest_frequency}"

    def emails_at_once(self, kind: str) -> bool:
        """Whether a notification of ``kind`` is e-mailed as soon as it happens."""
        if kind == NotificationKind.MENTION:
            return self.email_mentions
        if kind == NotificationKind.ANSWER:
            return self.email_answers
        return False


class PeriodicRun(models.Model):
    """When a periodic task was last enqueued. Workers claim a period with a conditional
    UPDATE on this row, so that however many workers run, the task is enqueued at most
    once per period (no broker, no cron needed in the embedded mode)."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} @ {self.last_run_at}"
