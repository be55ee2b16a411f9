"""Every write of the adoption app beyond appending events: rebuilding the rollups,
recording stage changes and the cockpit's facts, and the retention purge."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from .journey import JourneyRules, journey_stages
from .ledger import COUNT_COLUMNS, local_day, organisation_timezone, person_activity_add
from .models import (
    CATEGORY_KINDS,
    DailyActivity,
    Event,
    FACTS_KEPT_DAYS,
    FactsDay,
    PersonActivity,
    PersonFacts,
    Stage,
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
    FactsDay.objects.all().delete()  # decided from the rollups rebuilt here
    if oldest is not None:
        from_day = local_day(oldest)
        DailyActivity.objects.filter(day__gte=from_day).delete()
        day_sql, day_params = connection.ops.datetime_cast_date_sql("occurred_at", (), settings.TIME_ZONE)

        def count_of(kinds) -> str:
            listed = ", ".join(f"'{kind}'" for kind in sorted(kinds))
            return f"SUM(CASE WHEN kind IN ({listed}) THEN 1 ELSE 0 END)"

        sums = [count_of(CATEGORY_KINDS.get(column, {column})) for column in COUNT_COLUMNS]
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
    (BASCULE_EVENT_RETENTION_DAYS; 0 keeps everything), and the cockpit's recorded facts
    older than FACTS_KEPT_DAYS. First and last active days and the stage history are
    kept.

    The limit falls on a day boundary in the organisation's time zone, so that every
    remaining rollup still has all its events and a rebuild gives the same rollups.
    """
    days = settings.BASCULE_EVENT_RETENTION_DAYS
    today = today or local_day(timezone.now())
    facts_purge(today=today)
    if days <= 0:
        return PurgeReport(events=0, rollups=0, before=None)
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


@dataclass
class FactsReport:
    day: date
    population: int
    recorded: int


@transaction.atomic
def facts_record(*, day: date, rules: JourneyRules | None = None) -> FactsReport:
    """Record, for a complete ``day``, what the cockpit counts of each person (stage,
    reach, interactions, kinds used, new contributor, disappointment depth), decided by
    the same SQL as the cockpit's own counting, so that the cockpit of that day reads one
    row per person instead of summing a month of rollups. People without any activity
    get no row. Running it again for a day replaces what it recorded."""
    from .metrics import Audience, _people_sql, facts_signature, population_count

    if day >= local_day(timezone.now()):
        raise ValueError("Facts are recorded for complete days only.")
    rules = rules or JourneyRules.from_settings()
    FactsDay.objects.filter(day=day).delete()
    PersonFacts.objects.filter(day=day).delete()
    quote = connection.ops.quote_name
    people_sql, params = _people_sql(day, rules, Audience(kind="organisation", label=""))
    columns = ("person_id", "day", "stage", "reach", "today", "interactive", "active_year", "new", "contributed",
               "kinds", "depth")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(PersonFacts._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
            f"{people_sql} SELECT f.id, %s, f.stage, f.reach = 1, f.today = 1, f.interactive = 1, "
            f"f.active_year = 1, f.new = 1, f.contributed = 1, f.kinds, f.depth FROM f "
            f"WHERE NOT (f.stage = %s AND f.reach = 0 AND f.active_year = 0 AND f.new = 0 AND f.depth = '')",
            [*params, connection.ops.adapt_datefield_value(day), Stage.INFORMATION],
        )
        recorded = cursor.rowcount
        if connection.vendor == "postgresql":
            # A day's worth of new rows: the planner should know them before tonight's
            # autovacuum does (it would hash them as a few hundred).
            cursor.execute(f"ANALYZE {quote(PersonFacts._meta.db_table)}")
    population = population_count(day)
    FactsDay.objects.create(
        day=day, signature=facts_signature(rules), population=population, recorded_at=timezone.now()
    )
    return FactsReport(day=day, population=population, recorded=recorded)


def facts_purge(*, today: date) -> None:
    """Delete recorded facts older than FACTS_KEPT_DAYS, and those of forgotten days
    (whose FactsDay is gone)."""
    FactsDay.objects.filter(day__lt=today - timedelta(days=FACTS_KEPT_DAYS)).delete()
    PersonFacts.objects.exclude(day__in=FactsDay.objects.values("day")).delete()
