"""Moderation: what people report, what moderators hid, and the audit log of every act.

Who moderates what is decided in ``bascule/access.py`` (``may_moderate``): the managers
and owners of a space moderate it; platform moderators (the ``moderate_everything``
permission, granted in the admin) moderate every space and profile posts. Writes go
through ``actions.py``.

Reports and hidden content always name their post; a comment's rows name its post too,
so that "which space" is one join and "is this post hidden" is an index lookup.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

REPORT_NOTE_MAX_LENGTH = 500


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    HARASSMENT = "harassment", _("Harassment or insults")
    CONFIDENTIAL = "confidential", _("Confidential information")
    OFF_TOPIC = "off_topic", _("Off-topic for this space")
    OTHER = "other", _("Something else")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a moderator")
    RESOLVED = "resolved", _("Handled")
    DISMISSED = "dismissed", _("Dismissed")


class Report(models.Model):
    """A person tells the moderators that a post or a comment (``comment`` set) breaks
    the rules. One open report per person and item."""

    reporter = models.ForeignKey(
        "people.Person", verbose_name=_("reported by"), on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey("network.Post", verbose_name=_("post"), on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(
        "network.Comment", verbose_name=_("comment"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    note = models.TextField(_("note"), max_length=REPORT_NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("reported"), default=timezone.now, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    resolved_by = models.ForeignKey(
        "people.Person", verbose_name=_("handled by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        permissions = [("moderate_everything", _("Moderate every space (platform moderator)"))]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "post"],
                condition=Q(status="open", comment__isnull=True),
                name="report_open_unique_post",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(status="open", comment__isnull=False),
                name="report_open_unique_comment",
            ),
        ]
        indexes = [models.Index(fields=["status", "post"]), models.Index(fields=["post", "comment"])]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.get_status_display()})"

    @property
    def target(self):
        return self.comment if self.comment_id else self.post


class HiddenContent(models.Model):
    """A post, or a comment (``comment`` set), that a moderator hid. While the row exists
    the content is gone for everyone but its author and the space's managers; restoring
    deletes the row (the audit log keeps the history)."""

    post = models.ForeignKey("network.Post", verbose_name=_("post"), on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(
        "network.Comment", verbose_name=_("comment"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    hidden_at = models.DateTimeField(_("hidden"), default=timezone.now)
    hidden_by = models.ForeignKey(
        "people.Person", verbose_name=_("hidden by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)

    class Meta:
        verbose_name = _("hidden content")
        verbose_name_plural = _("hidden content")
        constraints = [
            models.UniqueConstraint(fields=["post"], condition=Q(comment__isnull=True), name="hidden_unique_post"),
            models.UniqueConstraint(fields=["comment"], condition=Q(comment__isnull=False), name="hidden_unique_comment"),
        ]

    def __str__(self):
        return f"{_('Hidden')} {self.comment_id or self.post_id}"


class ModerationAct(models.TextChoices):
    REPORT = "report", _("Reported")
    HIDE = "hide", _("Hidden")
    RESTORE = "restore", _("Restored")
    DISMISS = "dismiss", _("Reports dismissed")
    RESOLVE = "resolve", _("Reports marked as handled")


class TargetType(models.TextChoices):
    POST = "post", pgettext_lazy("noun", "Post")
    COMMENT = "comment", pgettext_lazy("noun", "Comment")


class ModerationLog(models.Model):
    """The audit log: one row per moderation act, appended in the act's transaction and
    never changed. Targets are ids, not foreign keys, so that a row outlives what it is
    about; ``space`` is kept (empty for a profile post) to show each moderator the acts
    of the spaces they moderate."""

    actor = models.ForeignKey(
        "people.Person", verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    act = models.CharField(_("act"), max_length=20, choices=ModerationAct.choices)
    target_type = models.CharField(_("about"), max_length=20, choices=TargetType.choices)
    target_id = models.BigIntegerField(_("id"))
    post_id = models.BigIntegerField(_("post id"))
    space = models.ForeignKey(
        "network.Space", verbose_name=_("space"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices, blank=True)
    note = models.TextField(_("note"), max_length=REPORT_NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["space", "-created_at"]), models.Index(fields=["-created_at"])]

    def __str__(self):
        return f"{self.get_act_display()} {self.target_type} {self.target_id}"
