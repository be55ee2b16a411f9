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

    # No foreign key constraint in the database: checking it for every appended row was a
    # third of the bulk import's time on PostgreSQL. Rows are only written by the ledger
    # and the import, which resolve people first, and Django still deletes a person's
    # events with the person (the cascade is Django's, not the database's).
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        # The index on (person, occurred_at) serves lookups by person: a second index on
        # person alone only slowed every append down.
        db_index=False,
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


PARTICIPATION_KINDS = frozenset(
    {
        EventKind.VISIT,
        EventKind.READ,
        EventKind.REACT,
        EventKind.FOLLOW,
        EventKind.JOIN,
        EventKind.VOTE,
        EventKind.SEARCH,
        EventKind.ATTEND,
        EventKind.LEARN,
        EventKind.PROFILE_UPDATE,
    }
)


def kind_category(kind: str) -> str:
    """"informed", "participation", "contribution" or "promotion" for an event kind."""
    if kind in CONTRIBUTION_KINDS:
        return "contribution"
    if kind in PROMOTION_KINDS:
        return "promotion"
    if kind == EventKind.INFORMED:
        return "informed"
    return "participation"


# The columns of DailyActivity holding counts: one per kind (its value names the column),
# then the activity categories. One integer column per kind rather than a JSON document:
# the journey and feature usage sum them with plain SQL over millions of rows, and the
# ledger adds to them with one upsert.
KIND_COLUMNS = tuple(EventKind.values)
CATEGORY_COLUMNS = ("participation", "contribution", "promotion")
# Each category column counts the events of these kinds.
CATEGORY_KINDS = {
    "participation": PARTICIPATION_KINDS,
    "contribution": CONTRIBUTION_KINDS,
    "promotion": PROMOTION_KINDS,
}


def _count_field(verbose_name):
    return models.PositiveIntegerField(verbose_name, default=0)


class DailyActivity(models.Model):
    """What one person did on one day (a calendar day in TIME_ZONE), as counts.

    Kept up to date by the ledger in the same transaction as each event, in bulk by the
    events import, and rebuilt from the events by ``bascule adoption rebuild``. The
    journey, segments and metrics read these rows, never the raw events.
    """

    # No index of its own: the unique (person, day) constraint's index serves it.
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField(_("day"))
    # Categories (informed is both a kind and a category: its column below).
    participation = _count_field(_("participation events"))
    contribution = _count_field(_("contribution events"))
    promotion = _count_field(_("promotion events"))
    # One column per kind, named after it.
    informed = _count_field(EventKind.INFORMED.label)
    visit = _count_field(EventKind.VISIT.label)
    read = _count_field(EventKind.READ.label)
    react = _count_field(EventKind.REACT.label)
    follow = _count_field(EventKind.FOLLOW.label)
    join = _count_field(EventKind.JOIN.label)
    vote = _count_field(EventKind.VOTE.label)
    search = _count_field(EventKind.SEARCH.label)
    attend = _count_field(EventKind.ATTEND.label)
    learn = _count_field(EventKind.LEARN.label)
    profile_update = _count_field(EventKind.PROFILE_UPDATE.label)
    post = _count_field(EventKind.POST.label)
    comment = _count_field(EventKind.COMMENT.label)
    answer = _count_field(EventKind.ANSWER.label)
    share = _count_field(EventKind.SHARE.label)
    invite = _count_field(EventKind.INVITE.label)
    mention = _count_field(EventKind.MENTION.label)
    recognize = _count_field(EventKind.RECOGNIZE.label)
    accompany = _count_field(EventKind.ACCOMPANY.label)

    class Meta:
        verbose_name = _("daily activity")
        verbose_name_plural = _("daily activities")
        constraints = [models.UniqueConstraint(fields=["person", "day"], name="dailyactivity_person_day")]
        # The journey of everyone for a day scans a window of days. The cockpit's "new
        # contributors" look, for the contributors of the previous window, for an earlier
        # contribution: the few days with one, per person (a tenth of the rows or less).
        indexes = [
            models.Index(fields=["day"]),
            models.Index(fields=["person", "day"], condition=models.Q(contribution__gt=0), name="dailyactivity_contributions"),
        ]

    def __str__(self):
        return f"{self.person_id} {self.day}"

    @property
    def is_active(self) -> bool:
        return self.participation + self.contribution + self.promotion > 0


class PersonActivity(models.Model):
    """Each person's first and last active day: survives the retention purge of events
    and rollups, so that "discovery" and the history stay right after the purge."""

    person = models.OneToOneField(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    first_active_day = models.DateField(_("first active day"))
    last_active_day = models.DateField(_("last active day"))

    class Meta:
        verbose_name = _("person activity")
        verbose_name_plural = _("people activity")

    def __str__(self):
        return f"{self.person_id} {self.first_active_day}…{self.last_active_day}"


class Stage(models.TextChoices):
    """The journey stages of DESIGN.md, in funnel order."""

    INFORMATION = "information", _("information")
    DISCOVERY = "discovery", _("discovery")
    PARTICIPATION = "participation", _("participation")
    CONTRIBUTION = "contribution", _("contribution")
    PROMOTION = "promotion", _("promotion")
    DISAPPOINTMENT = "disappointment", _("disappointment")


class StageChange(models.Model):
    """A person entered ``stage`` on ``day`` (coming from ``previous_stage``, empty for the
    first stage recorded). Kept after the retention purge: it is the stage history."""

    # No index of its own: the unique (person, day) constraint's index serves it.
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField(_("day"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    previous_stage = models.CharField(_("previous stage"), max_length=20, choices=Stage.choices, blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["person", "day"]
        constraints = [models.UniqueConstraint(fields=["person", "day"], name="stagechange_person_day")]
        indexes = [models.Index(fields=["day"])]

    def __str__(self):
        return f"{self.person_id} {self.day} {self.previous_stage}→{self.stage}"


# Days of recorded cockpit facts kept (the last five weeks open at once; an older day is
# computed from the rollups, as long as the retention period keeps them).
FACTS_KEPT_DAYS = 35


class FactsDay(models.Model):
    """The cockpit facts of every person were recorded for ``day`` (``PersonFacts``) with
    the rules of ``signature``; the cockpit reads them instead of summing the window's
    rollups. Forgotten (deleted) as soon as the rollups of that day or an earlier one
    change: a late import, a rebuild."""

    day = models.DateField(_("day"), primary_key=True)
    signature = models.CharField(_("rules"), max_length=400)
    population = models.PositiveIntegerField(_("population"))
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("day of recorded facts")
        verbose_name_plural = _("days of recorded facts")

    def __str__(self):
        return f"{self.day} ({self.population})"


class PersonFacts(models.Model):
    """What the cockpit counts of one person on one day, decided from the rollups by the
    daily task (``facts_record``): never shown individually, kept a few weeks. A person of
    the population without a row had no activity at all (stage information)."""

    # No index of its own: the unique (day, person) constraint's index serves it.
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField(_("day"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    reach = models.BooleanField(_("active in the window"))
    today = models.BooleanField(_("active on the day"))
    interactive = models.BooleanField(_("interacted in the window"))
    active_year = models.BooleanField(_("active in the last twelve months"))
    new = models.BooleanField(_("new contributor"))
    contributed = models.BooleanField(_("contributed in the window"))
    kinds = models.PositiveIntegerField(_("kinds used in the window"))  # bit i: metrics.FEATURE_KINDS[i]
    depth = models.CharField(_("disappointment depth"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("person's facts")
        verbose_name_plural = _("people's facts")
        constraints = [models.UniqueConstraint(fields=["day", "person"], name="personfacts_day_person")]

    def __str__(self):
        return f"{self.person_id} {self.day} {self.stage}"
