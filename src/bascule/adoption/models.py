"""The activity ledger: what people do, as append-only events (DESIGN.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    # Not activity: the person was told about the platform.
    INFORMED = "informed", _("informed")
    # Participation.
    VISIT = "visit", _("visit")
    READ = "read", _("read")
    REACT = "react", _("react")
    FOLLOW = "follow", _("follow")
    JOIN = "join", _("join")
    VOTE = "vote", _("vote")
    SEARCH = "search", _("search")
    ATTEND = "attend", _("attend")
    LEARN = "learn", _("learn")
    PROFILE_UPDATE = "profile_update", _("profile update")
    # Contribution.
    POST = "post", _("post")
    COMMENT = "comment", _("comment")
    ANSWER = "answer", _("answer")
    # Promotion.
    SHARE = "share", _("share")
    INVITE = "invite", _("invite")
    MENTION = "mention", _("mention")
    RECOGNIZE = "recognize", _("recognize")
    ACCOMPANY = "accompany", _("accompany")


CONTRIBUTION_KINDS = frozenset({EventKind.POST, EventKind.COMMENT, EventKind.ANSWER})
PROMOTION_KINDS = frozenset(
    {EventKind.SHARE, EventKind.INVITE, EventKind.MENTION, EventKind.RECOGNIZE, EventKind.ACCOMPANY}
)


class Event(models.Model):
    """One thing a person did (or was told), appended in the same transaction as the act."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    # What the act was about, as "app.model" and primary key, when it was about something.
    object_type = models.CharField(_("object type"), max_length=40, blank=True)
    object_id = models.BigIntegerField(_("object id"), null=True, blank=True)
    # Where the event comes from: "bascule" for our own actions, or an importer's name.
    source = models.CharField(_("source"), max_length=40, default="bascule")
    source_id = models.CharField(_("source id"), max_length=200, null=True, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["person", "occurred_at"]), models.Index(fields=["occurred_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=models.Q(source_id__isnull=False),
                name="event_unique_source_id",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.occurred_at:%Y-%m-%d %H:%M}"
