"""Appending to the ledger and keeping the rollups in step with it.

``event_record`` is called by actions, inside their transaction: the event, the person's
daily rollup and their first/last active day are written together, so that the journey
(which reads rollups only) never disagrees with the ledger. The bulk helpers below are
used by the events import and by the rebuild.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from .models import (
    CATEGORY_COLUMNS,
    KIND_COLUMNS,
    DailyActivity,
    Event,
    EventKind,
    FactsDay,
    PersonActivity,
    kind_category,
)

# Every count column of DailyActivity, in a fixed order for the SQL built below.
COUNT_COLUMNS = CATEGORY_COLUMNS + KIND_COLUMNS
_COLUMN_INDEX = {name: index for index, name in enumerate(COUNT_COLUMNS)}


def organisation_timezone() -> ZoneInfo:
    """The organisation's time zone: days of the cockpit are calendar days there.

    Not Django's *current* time zone, which follows the person looking at a page.
    """
    return ZoneInfo(settings.TIME_ZONE)


def local_day(moment: datetime) -> date:
    """The calendar day of ``moment`` in the organisation's time zone."""
    return moment.astimezone(organisation_timezone()).date()


def event_record(
    *,
    person,
    kind: EventKind,
    about: models.Model | None = None,
    occurred_at: datetime | None = None,
) -> Event:
    """Append one event for ``person`` and add it to their rollups; the caller's
    transaction makes the three writes atomic with the act."""
    event = Event.objects.create(
        person=person,
        kind=kind,
        occurred_at=occurred_at or timezone.now(),
        object_type=about._meta.label_lower if about is not None else "",
        object_id=about.pk if about is not None else None,
    )
    counts = [0] * len(COUNT_COLUMNS)
    counts[_COLUMN_INDEX[str(kind)]] = 1
    category = kind_category(kind)
    if category != "informed":
        counts[_COLUMN_INDEX[category]] = 1
    day = local_day(event.occurred_at)
    rollups_add([(person.pk, day, counts)])
    if category != "informed":
        person_activity_add([(person.pk, day, day)])
    return event


# Kind → (its column's index, its category's column index or None for informed).
_KIND_SLOTS = {
    kind: (_COLUMN_INDEX[kind], None if kind == EventKind.INFORMED else _COLUMN_INDEX[kind_category(kind)])
    for kind in KIND_COLUMNS
}


def counts_row(kind_counts: dict[str, int]) -> list[int]:
    """The COUNT_COLUMNS values for a day's counts by kind (categories summed here)."""
    counts = [0] * len(COUNT_COLUMNS)
    for kind, count in kind_counts.items():
        column, category = _KIND_SLOTS[kind]
        counts[column] += count
        if category is not None:
            counts[category] += count
    return counts


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _date_param(day: date):
    return connection.ops.adapt_datefield_value(day)


def _copy_to_temporary_table(
    cursor, name: str, definition: str, columns: list[str], types: list[str], rows: Iterable
) -> None:
    """PostgreSQL: a temporary table ``name`` holding ``rows``, loaded with a binary COPY
    (no text formatting of dates and numbers on either side)."""
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMPORARY TABLE {name} ({definition})")
    with cursor.cursor.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)


def facts_forget(*, since: date) -> None:
    """The rollups of ``since`` (or of later days) changed: the cockpit facts recorded for
    those days (actions.facts_record) no longer hold, and the cockpit computes them again
    from the rollups. Today's rollups, which the ledger adds to all day, never have any."""
    FactsDay.objects.filter(day__gte=since).delete()


def rollups_upsert_sql(source: str) -> str:
    """SQL adding the counts of ``source`` (a ``SELECT`` or ``VALUES`` giving person_id,
    day and the COUNT_COLUMNS, in that order) to the daily rollups, creating missing rows."""
    table = _quote(DailyActivity._meta.db_table)
    quoted = ", ".join(_quote(c) for c in ("person_id", "day", *COUNT_COLUMNS))
    additions = ", ".join(f"{_quote(c)} = {table}.{_quote(c)} + excluded.{_quote(c)}" for c in COUNT_COLUMNS)
    return f"INSERT INTO {table} ({quoted}) {source} ON CONFLICT (person_id, day) DO UPDATE SET {additions}"


def activity_upsert_sql(source: str) -> str:
    """SQL widening people's first and last active days by those of ``source`` (a
    ``SELECT`` or ``VALUES`` giving person_id, first_active_day, last_active_day)."""
    table = _quote(PersonActivity._meta.db_table)
    least, greatest = ("LEAST", "GREATEST") if connection.vendor == "postgresql" else ("MIN", "MAX")
    return (
        f"INSERT INTO {table} (person_id, first_active_day, last_active_day) {source} "
        f"ON CONFLICT (person_id) DO UPDATE SET "
        f"first_active_day = {least}({table}.first_active_day, excluded.first_active_day), "
        f"last_active_day = {greatest}({table}.last_active_day, excluded.last_active_day)"
    )


def rollups_add(rows: list[tuple[int, date, list[int]]]) -> None:
    """Add counts to daily rollups: ``rows`` of (person id, day, COUNT_COLUMNS values).

    One upsert adds to the row of that person and day, creating it when missing. A
    person and day may appear once in ``rows``. Facts recorded for a day the rows change
    are forgotten.
    """
    if not rows:
        return
    earliest = min(day for _person, day, _counts in rows)
    if earliest < local_day(timezone.now()):
        facts_forget(since=earliest)
    columns = ["person_id", "day", *COUNT_COLUMNS]
    quoted = ", ".join(_quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) > 50:
            # COPY then one set-based upsert: many times faster than a statement per row.
            definition = "person_id bigint, day date, " + ", ".join(f"{_quote(c)} integer" for c in COUNT_COLUMNS)
            _copy_to_temporary_table(
                cursor, "bascule_rollup_delta", definition, [_quote(c) for c in columns],
                ["int8", "date"] + ["int4"] * len(COUNT_COLUMNS),
                ((person, day, *counts) for person, day, counts in rows),
            )
            cursor.execute(rollups_upsert_sql(f"SELECT {quoted} FROM bascule_rollup_delta"))
            cursor.execute("DROP TABLE bascule_rollup_delta")
            return
        sql = rollups_upsert_sql(f"VALUES ({', '.join(['%s'] * len(columns))})")
        params = [(person, _date_param(day), *counts) for person, day, counts in rows]
        if len(params) == 1:
            cursor.execute(sql, params[0])
        else:
            cursor.executemany(sql, params)


def person_activity_add(rows: list[tuple[int, date, date]]) -> None:
    """Widen people's first and last active days: ``rows`` of (person id, first, last),
    one per person."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) > 50:
            _copy_to_temporary_table(
                cursor, "bascule_activity_delta", "person_id bigint, first_active_day date, last_active_day date",
                ["person_id", "first_active_day", "last_active_day"], ["int8", "date", "date"], rows,
            )
            cursor.execute(activity_upsert_sql(
                "SELECT person_id, first_active_day, last_active_day FROM bascule_activity_delta"
            ))
            cursor.execute("DROP TABLE bascule_activity_delta")
            return
        sql = activity_upsert_sql("VALUES (%s, %s, %s)")
        params = [(person, _date_param(first), _date_param(last)) for person, first, last in rows]
        if len(params) == 1:
            cursor.execute(sql, params[0])
        else:
            cursor.executemany(sql, params)


def events_insert(rows: list[tuple[int, datetime, str, str, str | None]]) -> None:
    """Append events in bulk: ``rows`` of (person id, occurred_at (aware), kind, source,
    source_id). COPY on PostgreSQL, one prepared INSERT run for every row on SQLite.

    Not people.importers.insert_rows: that helper converts every value through its model
    field, which is most of the cost for events, whose five values need no conversion
    beyond the timestamp (to UTC text for SQLite, as Django stores it).
    """
    if not rows:
        return
    table = _quote(Event._meta.db_table)
    columns = "person_id, occurred_at, kind, object_type, object_id, source, source_id"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["int8", "timestamptz", "text", "text", "int8", "text", "text"])
                for person, moment, kind, source, source_id in rows:
                    copy.write_row((person, moment, kind, "", None, source, source_id))
            return
        utc = UTC
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, '', NULL, %s, %s)",
            [
                (person, str(moment.astimezone(utc).replace(tzinfo=None)), kind, source, source_id)
                for person, moment, kind, source, source_id in rows
            ],
        )
