"""Notifications: what a person is told about, in the app, by e-mail and in digests."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    MENTION = "mention", _("Mention")
    REPLY = "reply", _("Reply")
    ANSWER = "answer", _("Answer to my question")
    ACCEPTED = "accepted", _("Accepted answer")
    JOIN_REQUEST = "join_request", _("Request to join")
    INVITATION = "invitation", _("Invitation")
    REQUEST_APPROVED = "request_approved", _("Request approved")
    OVERDUE_QUESTION = "overdue_question", _("Question waiting for an answer")


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
