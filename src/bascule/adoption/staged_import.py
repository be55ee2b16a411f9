"""The events import on PostgreSQL: rows checked by Python, written by the server set by set.

``importers._import`` reads the file and checks every row with ``importers.row_check``,
the very check of SQLite's path (so both databases accept and reject the same rows, with
the same line numbers), and hands the checked rows over in batches. For each batch:

- the rows are copied into a temporary table with a binary ``COPY`` (no text formatting
  of numbers and dates on either side);
- while nothing has been rejected, one ``INSERT … SELECT … ON CONFLICT (source,
  source_id) DO NOTHING`` appends them (a row already in the ledger is skipped; one
  repeated in the batch was skipped by Python, the first occurrence wins), its
  ``RETURNING`` is counted by person and day into the day's counts, and two upserts add
  them to the daily rollups and to each person's first and last active days.

A file larger than the ledger is loaded in bulk (``_bulk_start``): the secondary indexes
of events and rollups, and the rollups' foreign key, are dropped first and built again at
the end; a file at least ``UNCHECKED_RATIO`` times the ledger is appended without the
unique (source, source_id) index either, which is built at the end as the check that
nothing was already there (``DuplicatesFound`` otherwise: the caller starts again).
Everything runs in the caller's transaction: the file applies whole or not at all.
"""

from django.db import IntegrityError, connection

from .ledger import COUNT_COLUMNS, activity_upsert_sql, facts_forget, organisation_timezone, rollups_upsert_sql
from .models import CATEGORY_KINDS, DailyActivity, Event

# Checked rows written together.
STAGED_BATCH_ROWS = 500_000
# From this many rows, when the ledger holds fewer, indexes are built again after the
# import rather than updated row by row.
BULK_MIN_ROWS = 1_000_000
# A file at least this many times as large as the ledger (a first load, say) is appended
# without the unique (source, source_id) index at all, which is built at the end: a
# duplicate then makes the import start again the safe way (``DuplicatesFound``).
UNCHECKED_RATIO = 2

CHECKED, DELTA = "bascule_import_checked", "bascule_import_delta"


class DuplicatesFound(Exception):
    """An import appended without the unique (source, source_id) index found, building
    it at the end, a row already in the ledger or earlier in the file: the caller rolls
    the import back and runs it again with ``unchecked=False``, which skips them."""


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


class StagedWriter:
    """Writes the checked rows of ``importers._import`` on PostgreSQL, batch by batch.

    ``expected``: the rows the file should hold (from its size), when known: a large
    file is loaded in bulk. ``unchecked``: such a file may be appended without looking
    for rows already there (see the module's docstring)."""

    def __init__(self, *, expected: int | None, unchecked: bool):
        self.unchecked_allowed = unchecked
        self.unique: tuple[str, str] | None = None  # (name, definition) of the unique index dropped
        self.dropped: list[tuple[str, str]] = []  # (name, definition) of indexes to build again
        with connection.cursor() as cursor:
            # Only for this transaction: a commit that does not wait for the disk (a crash
            # right after it loses the import, never half of it), memory to sort and hash
            # a batch, no JIT compilation of the few large statements.
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL jit = off")
            if expected and expected >= BULK_MIN_ROWS:
                self._bulk_start(cursor, expected)
            for table in (CHECKED, DELTA):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {CHECKED} (line bigint, person_id bigint, occurred_at timestamptz, day date, "
                "kind text, source text, source_id text) ON COMMIT DROP"
            )
            counts = ", ".join(f"{_q(c)} integer" for c in COUNT_COLUMNS)
            cursor.execute(
                f"CREATE TEMPORARY TABLE {DELTA} (person_id bigint, day date, events integer, {counts}) ON COMMIT DROP"
            )

    @property
    def batch_rows(self) -> int:
        return STAGED_BATCH_ROWS

    def _bulk_start(self, cursor, expected: int) -> None:
        """A file at least as large as the ledger: the secondary indexes of the events are
        dropped now and built again at the end, in one sort each, instead of being updated
        row by row (most of the time of a large import). Dropping them locks the table
        until the import commits: actions wait for it (documented in architecture.md)."""
        event, rollups = Event._meta.db_table, DailyActivity._meta.db_table
        cursor.execute("SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass", [event])
        present = cursor.fetchone()[0]
        if expected < present:
            return
        # The daily rollups likewise: their index on the day, and their foreign key to
        # people, checked row by row at commit otherwise, added again (checked in one
        # join) at the end. The unique indexes stay: they find what is already there.
        cursor.execute(
            """
            SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid IN (%s::regclass, %s::regclass) AND NOT i.indisunique AND NOT i.indisprimary
            """,
            [event, rollups],
        )
        self.dropped = cursor.fetchall()
        for name, _definition in self.dropped:
            cursor.execute(f"DROP INDEX {_q(name)}")
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
            [rollups],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {_q(rollups)} DROP CONSTRAINT {_q(name)}")
            self.dropped.append((name, f"ALTER TABLE {_q(rollups)} ADD CONSTRAINT {_q(name)} {definition}"))
        if self.unchecked_allowed and expected >= UNCHECKED_RATIO * present:
            # Appended as it comes: no probe of the unique index per row (a third of the
            # database's time per event); the index is built at the end, in one sort.
            cursor.execute(
                "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE i.indrelid = %s::regclass AND i.indisunique AND NOT i.indisprimary",
                [event],
            )
            self.unique = cursor.fetchone()
            if self.unique is not None:
                cursor.execute(f"DROP INDEX {_q(self.unique[0])}")

    def finish(self, report) -> None:
        """Build again the indexes and constraints dropped for a large file, once it
        applied; the unique index first, as the check that no row was there twice."""
        if not (self.dropped or self.unique) or report.rejected_count:
            return  # a rejected file rolls back, and the drop with it
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            if self.unique is not None:
                savepoint = connection.savepoint()
                try:
                    cursor.execute(self.unique[1])
                except IntegrityError:
                    connection.savepoint_rollback(savepoint)
                    raise DuplicatesFound from None
                connection.savepoint_commit(savepoint)
            for _name, definition in self.dropped:
                cursor.execute(definition)

    def write(self, rows: list[tuple], report) -> None:
        """Append a batch of checked rows (line, person id, occurred_at, day, kind,
        source, source_id) not already there, and add them to the rollups."""
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {CHECKED} FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["int8", "int8", "timestamptz", "date", "text", "text", "text"])
                for row in rows:
                    copy.write_row(row)
            self._write(cursor, report, valid=len(rows))
            cursor.execute(f"TRUNCATE {CHECKED}")

    def _write(self, cursor, report, *, valid: int) -> None:
        event = _q(Event._meta.db_table)
        kinds = [column for column in COUNT_COLUMNS if column not in CATEGORY_KINDS]

        categories = {column: " + ".join(f"k_{kind}" for kind in sorted(kinds)) for column, kinds in CATEGORY_KINDS.items()}
        quoted = ", ".join(_q(c) for c in COUNT_COLUMNS)
        # Counted per person and day in one pass: a count per kind, then the categories
        # added from them (count's state is one integer; the sums of two levels of
        # grouping spilled to disk).
        counted = (
            "SELECT person_id, day, events, "
            + ", ".join(categories.get(column, f"k_{column}") for column in COUNT_COLUMNS)
            + " FROM (SELECT person_id, day, count(*) AS events, "
            + ", ".join(f"count(*) FILTER (WHERE kind = '{kind}') AS k_{kind}" for kind in kinds)
            + " FROM {source} GROUP BY 1, 2) counted"
        )
        append = (
            f"INSERT INTO {event} (person_id, occurred_at, kind, object_type, object_id, source, source_id) "
            f"SELECT person_id, occurred_at, kind, '', NULL, source, source_id FROM {CHECKED}"
        )
        if self.unique is not None:
            # Without the unique index nothing is skipped: every row goes in as staged,
            # and the day's counts come from the staged rows.
            cursor.execute(append)
            cursor.execute(f"INSERT INTO {DELTA} (person_id, day, events, {quoted}) {counted.format(source=CHECKED)}")
        else:
            cursor.execute(
                f"""
                WITH inserted AS (
                    {append}
                    ON CONFLICT (source, source_id) WHERE source_id IS NOT NULL DO NOTHING
                    RETURNING person_id, occurred_at, kind
                ), days AS (
                    SELECT person_id, (occurred_at AT TIME ZONE %s)::date AS day, kind FROM inserted
                )
                INSERT INTO {DELTA} (person_id, day, events, {quoted}) {counted.format(source="days")}
                """,
                [str(organisation_timezone())],
            )
        cursor.execute(f"SELECT COALESCE(sum(events), 0), min(day) FROM {DELTA}")
        imported, earliest = cursor.fetchone()
        report.imported += imported
        report.skipped += valid - imported  # already in the ledger
        if imported:
            facts_forget(since=earliest)
            cursor.execute(rollups_upsert_sql(f"SELECT person_id, day, {quoted} FROM {DELTA} ORDER BY person_id, day"))
            cursor.execute(activity_upsert_sql(
                f"SELECT person_id, min(day), max(day) FROM {DELTA} "
                "WHERE participation + contribution + promotion > 0 GROUP BY person_id"
            ))
        cursor.execute(f"TRUNCATE {DELTA}")
