"""One person's own journey and everything the adoption app records about them.

Read by "My journey" (shown to the person only), by the accompaniment queue's journey
page (accompaniers of the person's scope, in accompaniment mode, logged) and by the
personal data download. Reads rollups, the per-person summary and the stage history for
the journey; the raw events only for the person's own download.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Min, Sum
from django.utils.translation import gettext_lazy as _

from .journey import JourneyRules, JourneyStage, journey_stage_for
from .models import (
    CATEGORY_COLUMNS,
    KIND_COLUMNS,
    DailyActivity,
    Event,
    EventKind,
    PersonActivity,
    PersonFacts,
    Stage,
    StageChange,
)
from .queries import utc_text

# What each stage means, in plain words for the person (DESIGN.md's journey).
STAGE_MEANINGS = {
    Stage.INFORMATION: _(
        "You have been told about the network but have not used it yet. Nothing is expected of you: "
        "have a look when you are ready."
    ),
    Stage.DISCOVERY: _(
        "You started using the network recently. This is the time to find the spaces and colleagues "
        "that matter for your work."
    ),
    Stage.PARTICIPATION: _(
        "You come regularly: you read, react, follow or join. The next step, when you feel like it, "
        "is to share something yourself."
    ),
    Stage.CONTRIBUTION: _(
        "You share what you know: you post, comment or answer questions. Colleagues benefit from it."
    ),
    Stage.PROMOTION: _(
        "You contribute and you bring others along: you share, invite, mention or recognise colleagues. "
        "You help the network live."
    ),
    Stage.DISAPPOINTMENT: _(
        "You have not used the network lately. It happens: if something was missing or did not work "
        "for you, your referent would like to know."
    ),
}

# Stages in the order of the journey, for the page's little map.
STAGE_ORDER = (
    Stage.INFORMATION,
    Stage.DISCOVERY,
    Stage.PARTICIPATION,
    Stage.CONTRIBUTION,
    Stage.PROMOTION,
    Stage.DISAPPOINTMENT,
)


@dataclass
class ActivitySummary:
    """A person's activity from their daily rollups: the journey's window, and every day
    still kept (the retention period)."""

    window_days: int
    window_by_kind: dict[str, int]
    window_active_days: int
    kept_by_category: dict[str, int]
    kept_active_days: int
    kept_since: date | None
    first_active_day: date | None
    last_active_day: date | None

    @property
    def window_items(self) -> list[tuple[str, int]]:
        """(kind label, count) of the window, in the vocabulary's order, zeros left out."""
        return [(EventKind(kind).label, count) for kind, count in self.window_by_kind.items() if count]


@dataclass
class PersonalJourney:
    stage: JourneyStage | None
    meaning: str
    history: list[StageChange] = field(default_factory=list)
    activity: ActivitySummary | None = None


def activity_summary(person, day: date, rules: JourneyRules | None = None) -> ActivitySummary:
    """Counts by kind in the window ending on ``day`` and by category over the rollups
    still kept; two queries on the person's rollups plus one for the summary."""
    rules = rules or JourneyRules.from_settings()
    start = rules.window_start(day)
    mine = DailyActivity.objects.filter(person_id=person.pk, day__lte=day)
    window = mine.filter(day__gte=start).aggregate(**{kind: Sum(kind) for kind in KIND_COLUMNS + CATEGORY_COLUMNS})
    window_active = (
        mine.filter(day__gte=start).exclude(participation=0, contribution=0, promotion=0).count()
    )
    kept = mine.aggregate(**{column: Sum(column) for column in CATEGORY_COLUMNS}, since=Min("day"))
    kept_active = mine.exclude(participation=0, contribution=0, promotion=0).count()
    summary = PersonActivity.objects.filter(person_id=person.pk).first()
    return ActivitySummary(
        window_days=rules.window_days,
        window_by_kind={kind: window[kind] or 0 for kind in KIND_COLUMNS if kind != EventKind.INFORMED},
        window_active_days=window_active,
        kept_by_category={column: kept[column] or 0 for column in CATEGORY_COLUMNS},
        kept_active_days=kept_active,
        kept_since=kept["since"],
        first_active_day=summary.first_active_day if summary and summary.first_active_day <= day else None,
        last_active_day=summary.last_active_day if summary else None,
    )


def stage_history(person) -> list[StageChange]:
    """The person's stage changes, newest first."""
    return list(StageChange.objects.filter(person_id=person.pk).order_by("-day"))


def personal_journey(person, day: date, rules: JourneyRules | None = None) -> PersonalJourney:
    """``person``'s stage on ``day`` with its facts and meaning, their stage history and
    their activity summary. For the person themself, or for an accompanier the caller
    has checked (and logged)."""
    rules = rules or JourneyRules.from_settings()
    stage = journey_stage_for(person, day, rules=rules)
    meaning = str(STAGE_MEANINGS[stage.stage]) if stage else ""
    return PersonalJourney(
        stage=stage, meaning=meaning, history=stage_history(person), activity=activity_summary(person, day, rules)
    )


def adoption_records(person) -> dict:
    """Everything the adoption app keeps about ``person``, for their own download: the
    ledger's events still kept, the daily rollups, first and last active days, the
    stage history, and what the cockpit counted of them on recent days (``PersonFacts``).
    UTF-8, ISO 8601 timestamps in UTC (DESIGN.md's exports)."""
    from .metrics import FEATURE_KINDS

    summary = PersonActivity.objects.filter(person_id=person.pk).first()
    events = Event.objects.filter(person_id=person.pk).order_by("occurred_at", "pk")
    rollups = DailyActivity.objects.filter(person_id=person.pk).order_by("day")
    return {
        "events": [
            {
                "occurred_at": utc_text(event.occurred_at),
                "kind": event.kind,
                "about": f"{event.object_type}:{event.object_id}" if event.object_type else None,
                "source": event.source,
            }
            for event in events.iterator(chunk_size=2000)
        ],
        "daily_activity": [
            {"day": row.day.isoformat(), **{kind: getattr(row, kind) for kind in KIND_COLUMNS if getattr(row, kind)}}
            for row in rollups.iterator(chunk_size=2000)
        ],
        "first_active_day": summary.first_active_day.isoformat() if summary else None,
        "last_active_day": summary.last_active_day.isoformat() if summary else None,
        "stage_history": [
            {"day": change.day.isoformat(), "stage": change.stage, "previous_stage": change.previous_stage or None}
            for change in StageChange.objects.filter(person_id=person.pk).order_by("day")
        ],
        "cockpit_facts": [
            {
                "day": facts.day.isoformat(),
                "stage": facts.stage,
                "active_in_window": facts.reach,
                "active_on_the_day": facts.today,
                "interacted_in_window": facts.interactive,
                "active_in_the_last_twelve_months": facts.active_year,
                "new_contributor": facts.new,
                "contributed_in_window": facts.contributed,
                "kinds_used_in_window": [kind for i, kind in enumerate(FEATURE_KINDS) if facts.kinds & (1 << i)],
                "disappointment_depth": facts.depth or None,
            }
            for facts in PersonFacts.objects.filter(person_id=person.pk).order_by("day")
        ],
    }


def retention_since(day: date, retention_days: int) -> date | None:
    """The oldest day whose events are still kept on ``day`` (None: kept for ever)."""
    return day - timedelta(days=retention_days) if retention_days > 0 else None
