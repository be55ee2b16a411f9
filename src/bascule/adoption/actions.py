"""Every write of the adoption app beyond appending events: rebuilding the rollups,
recording stage changes, and the retention purge."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from .journey import JourneyRules, journey_stages
from .ledger import COUNT_COLUMNS, local_day, organisation_timezone, person_activity_add
from .models import (
    CONTRIBUTION_KINDS,
    PARTICIPATION_KINDS,
    PROMOTION_KINDS,
    DailyActivity,
    Event,
    PersonActivity,
    StageChange,
)


def _day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` in the organisation's time zone."""
    return datetime.combine(day, time(), tzinfo=organisation_timezone())


@dataclass
class RebuildReport:
    events: int
    rollups: int
    people: int
    from_day: date | None


@transaction.atomic
def rollups_rebuild() -> RebuildReport:
    """Recompute the daily rollups and first/last active days from the events.

    Rollups of days whose events the retention purge removed cannot be recomputed: they
    are left alone, and a first active day older than the oldest rollup is kept.
    """
    oldest = Event.objects.aggregate(oldest=Min("occurred_at"))["oldest"]
    quote = connection.ops.quote_name
    rollups = quote(DailyActivity._meta.db_table)
    activity = quote(PersonActivity._meta.db_table)
    events_count = 0
    if oldest is not None:
        from_day = local_day(oldest)
        DailyActivity.objects.filter(day__gte=from_day).delete()
        day_sql, day_params = connection.ops.datetime_cast_date_sql("occurred_at", (), settings.TIME_ZONE)

        def count_of(kinds) -> str:
            listed = ", ".join(f"'{kind}'" for kind in sorted(kinds))
            return f"SUM(CASE WHEN kind IN ({listed}) THEN 1 ELSE 0 END)"

        categories = {
            "participation": PARTICIPATION_KINDS,
            "contribution": CONTRIBUTION_KINDS,
            "promotion": PROMOTION_KINDS,
        }
        sums = [count_of(categories.get(column, {column})) for column in COUNT_COLUMNS]
        columns = ", ".join(quote(c) for c in ("person_id", "day", *COUNT_COLUMNS))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {rollups} ({columns}) "
                f"SELECT person_id, {day_sql}, {', '.join(sums)} "
                f"FROM {quote(Event._meta.db_table)} GROUP BY 1, 2",
                [*day_params],
            )
        events_count = Event.objects.count()
    else:
        from_day = None

    oldest_rollup = DailyActivity.objects.aggregate(oldest=Min("day"))["oldest"]
    # What only the summary remembers: activity before the oldest rollup left.
    kept = [
        (person_id, first, last)
        for person_id, first, last in PersonActivity.objects.values_list(
            "person_id", "first_active_day", "last_active_day"
        )
        if oldest_rollup is None or first < oldest_rollup
    ]
    PersonActivity.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {activity} (person_id, first_active_day, last_active_day) "
            f"SELECT person_id, MIN(day), MAX(day) FROM {rollups} "
            f"WHERE participation + contribution + promotion > 0 GROUP BY person_id"
        )
    person_activity_add(kept)
    return RebuildReport(
        events=events_count,
        rollups=DailyActivity.objects.count(),
        people=PersonActivity.objects.count(),
        from_day=from_day,
    )


@dataclass
class PurgeReport:
    events: int
    rollups: int
    before: date | None


@transaction.atomic
def events_purge(*, today: date | None = None) -> PurgeReport:
    """Delete raw events and per-person daily rollups older than the retention period
    (BASCULE_EVENT_RETENTION_DAYS; 0 keeps everything). First and last active days and
    the stage history are kept.

    The limit falls on a day boundary in the organisation's time zone, so that every
    remaining rollup still has all its events and a rebuild gives the same rollups.
    """
    days = settings.BASCULE_EVENT_RETENTION_DAYS
    if days <= 0:
        return PurgeReport(events=0, rollups=0, before=None)
    today = today or local_day(timezone.now())
    before = today - timedelta(days=days)
    events, _ = Event.objects.filter(occurred_at__lt=_day_start(before)).delete()
    rollups, _ = DailyActivity.objects.filter(day__lt=before).delete()
    return PurgeReport(events=events, rollups=rollups, before=before)


@dataclass
class StageChangesReport:
    day: date
    population: int
    changes: int


@transaction.atomic
def stage_changes_record(*, day: date, rules: JourneyRules | None = None) -> StageChangesReport:
    """Record, for ``day``, the people whose stage differs from their last recorded one.

    Run day after day (the daily task does); running it again for a day replaces what
    it recorded for that day, so a late import can be taken into account.
    """
    stages = journey_stages(day, rules=rules)
    table = connection.ops.quote_name(StageChange._meta.db_table)
    previous: dict[int, str] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.person_id, s.stage FROM {table} s JOIN ("
            f"SELECT person_id, MAX(day) AS day FROM {table} WHERE day < %s GROUP BY person_id"
            f") m ON m.person_id = s.person_id AND m.day = s.day",
            [connection.ops.adapt_datefield_value(day)],
        )
        previous.update(cursor.fetchall())
    StageChange.objects.filter(day=day).delete()
    changes = [
        StageChange(person_id=person_id, day=day, stage=stage.stage, previous_stage=previous.get(person_id, ""))
        for person_id, stage in stages.items()
        if previous.get(person_id) != stage.stage
    ]
    StageChange.objects.bulk_create(changes, batch_size=2000)
    return StageChangesReport(day=day, population=len(stages), changes=len(changes))
