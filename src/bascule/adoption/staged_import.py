"""The events import on PostgreSQL: the file staged with COPY, checked and applied in SQL.

Python reads the file in blocks of whole lines, checks the encoding, prefixes each line
with its line number and hands the text to ``COPY … (FORMAT csv)`` into a temporary
staging table, without splitting it into cells. The server then does the rest set by set,
one batch of about a million rows at a time:

- one ``CREATE TABLE … AS SELECT`` resolves people (hash joins on external id and
  e-mail), kinds, sources and timestamps. Only the common shapes are parsed in SQL
  (``YYYY-MM-DD``, ``YYYY-MM-DDTHH:MM[:SS[.ffffff]]`` with ``Z`` or an offset), behind a
  pattern that only lets through values PostgreSQL and Python both read the same way;
- the rows SQL could not settle (unknown person or kind, another date shape, a future
  date, an over-long source) go back to Python, through the very same check as SQLite's
  path (``importers.row_check``): either Python reads them after all (a week date, unusual
  white space) and they are corrected in the staging table, or they are rejected with
  their line numbers — so both databases accept and reject exactly the same rows;
- while nothing has been rejected, one ``INSERT … SELECT … ORDER BY line ON CONFLICT
  (source, source_id) DO NOTHING`` appends the batch (the first occurrence of a
  (source, source_id) in the file wins, one already in the ledger is skipped), its
  ``RETURNING`` feeds one ``GROUP BY`` into the day's counts, and two upserts add them to
  the daily rollups and to each person's first and last active days.

A block with a double quote (quoted cells, perhaps spanning lines) and a block that
``COPY`` refuses (a row with too few or too many cells, stray white space) go through the
csv module instead, like SQLite's path, which reports short rows with their line numbers.
Everything runs in the caller's transaction: the file applies whole or not at all.
"""

import csv
import itertools
import sys
from datetime import datetime, timedelta

import psycopg
from django.db import DataError, IntegrityError, connection
from django.utils.translation import gettext as _

from bascule.people.importers import ImportFileError
from bascule.people.models import Person

from .ledger import COUNT_COLUMNS, facts_forget, organisation_timezone
from .models import (
    CONTRIBUTION_KINDS,
    PARTICIPATION_KINDS,
    PROMOTION_KINDS,
    DailyActivity,
    Event,
    EventKind,
    PersonActivity,
)

# Rows staged before they are checked and applied together.
STAGED_BATCH_ROWS = 1_000_000
# From this many rows, when the ledger holds fewer, indexes are built again after the
# import rather than updated row by row.
BULK_MIN_ROWS = 1_000_000
# A file at least this many times as large as the ledger (a first load, say) is appended
# without the unique (source, source_id) index at all, which is built at the end: a
# duplicate then makes the import start again the safe way (``DuplicatesFound``).
UNCHECKED_RATIO = 2
BLOCK_BYTES = 8 << 20

RAW, CHECKED, DELTA = "bascule_import_raw", "bascule_import_checked", "bascule_import_delta"
PEOPLE, FIXES = "bascule_import_people", "bascule_import_fixes"

# Python's str.strip() removes every character for which str.isspace() is true; btrim
# is given the same set so that SQL and Python see the same cell.
_WHITE_SPACE = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
# Shapes of occurred_at read in SQL (others go to Python): every value matching these is
# read identically by datetime.fromisoformat and by PostgreSQL. The day of the month is
# checked against the month's length separately.
_DAY = r"[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_TIMESTAMP = _DAY + r"[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?(Z|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)"


def _days_ok(value: str) -> str:
    """SQL: the day of the month of ``value`` (YYYY-MM-DD…) exists."""
    year = f"substr({value}, 1, 4)::int"
    return (
        f"substr({value}, 9, 2) <= CASE substr({value}, 6, 2) "
        f"WHEN '02' THEN CASE WHEN mod({year}, 4) = 0 AND (mod({year}, 100) <> 0 OR mod({year}, 400) = 0) "
        "THEN '29' ELSE '28' END "
        "WHEN '04' THEN '30' WHEN '06' THEN '30' WHEN '09' THEN '30' WHEN '11' THEN '30' ELSE '31' END"
    )


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


class DuplicatesFound(Exception):
    """An import appended without the unique (source, source_id) index found, building
    it at the end, a row already in the ledger or earlier in the file: the caller rolls
    the import back and runs it again with ``unchecked=False``, which skips them."""


def import_staged(blocks, report, progress, now: datetime, size: int | None = None, *, unchecked: bool = False) -> None:
    """Import the events of ``blocks`` (importers._text_blocks) into ``report``; called
    inside the import's transaction. ``size``: the file's size in bytes, when known.

    ``unchecked``: a large file (``UNCHECKED_RATIO`` times the ledger) may be appended
    without looking for rows already there, the unique index being built at the end;
    raises DuplicatesFound when it cannot be (the caller then starts again without)."""
    from . import importers

    zone = organisation_timezone()
    latest = now + timedelta(days=1)

    # The header: the first line that is not blank.
    number = 0  # line number of the last line taken
    lines: list[str] = []
    first_line = ""
    for block in blocks:
        lines = block.split("\n")
        if lines[-1] == "":
            lines.pop()
        while lines:
            first_line = lines.pop(0)
            number += 1
            if first_line.strip():
                break
        else:
            continue
        break
    if not first_line.strip():
        raise ImportFileError(_("The file is empty."))
    first_line = first_line.rstrip("\r")
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        header = [name.strip().lower() for name in next(csv.reader([first_line], delimiter=delimiter))]
    except csv.Error as error:
        raise ImportFileError(
            _("The file is not a valid CSV file (line %(line)d: %(error)s).") % {"line": number, "error": error}
        ) from None
    columns = importers.REQUIRED_COLUMNS + importers.OPTIONAL_COLUMNS
    if any(name not in header for name in importers.REQUIRED_COLUMNS):
        raise ImportFileError(
            _("Line %(line)d should be the header %(header)s.") % {"line": number, "header": ",".join(columns)}
        )
    index = {name: header.index(name) for name in columns if name in header}
    loader = _Loader(report, progress, header, index, delimiter, zone, latest, unchecked)
    expected = None
    if size and lines:
        # Rows to expect, from the length of the first lines.
        sample = lines[:10_000]
        expected = size * len(sample) // max(1, sum(len(line) + 1 for line in sample))
    loader.prepare(expected)
    try:
        loader.feed(lines, number + 1, rest=itertools.chain(blocks))
    except csv.Error as error:
        raise ImportFileError(
            _("The file is not a valid CSV file (line %(line)d: %(error)s).") % {"line": loader.line, "error": error}
        ) from None
    loader.apply()
    loader.finish()
    report.rejected.sort()  # short rows are rejected while staging, the others after


class _Loader:
    """Stages rows in RAW and applies them batch by batch."""

    def __init__(self, report, progress, header, index, delimiter, zone, latest, unchecked=False):
        self.report, self.progress = report, progress
        self.unchecked_allowed = unchecked
        self.unique: tuple[str, str] | None = None  # (name, definition) of the unique index dropped
        self.header, self.index, self.delimiter = header, index, delimiter
        self.zone, self.latest = zone, latest
        self.width = max(index.values()) + 1
        self.cells = len(header)
        self.staged = 0
        self.line = 0  # the last line read, for csv errors
        self.people = None  # importers._PersonBook, loaded when Python has to check rows
        self.dropped: list[tuple[str, str]] = []  # (name, definition) of indexes to build again

    # Setting up -------------------------------------------------------------------------

    def prepare(self, expected: int | None) -> None:
        with connection.cursor() as cursor:
            if expected and expected >= BULK_MIN_ROWS:
                self._bulk_start(cursor, expected)
            # Only for this transaction: a commit that does not wait for the disk (a crash
            # right after it loses the import, never half of it), memory to sort and hash
            # a batch, no JIT compilation of the few large statements.
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL jit = off")
            cells = ", ".join(f"c{i} text" for i in range(self.cells))
            for table in (RAW, CHECKED, DELTA, PEOPLE, FIXES):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(f"CREATE TEMPORARY TABLE {RAW} (line bigint, {cells}) ON COMMIT DROP")
            counts = ", ".join(f"{_q(c)} integer" for c in COUNT_COLUMNS)
            cursor.execute(
                f"CREATE TEMPORARY TABLE {DELTA} (person_id bigint, day date, events integer, {counts}) ON COMMIT DROP"
            )
            # People by external id, then by e-mail in lower case (importers._PersonBook):
            # one join finds a person by either; a value that is neither (an e-mail
            # address in capitals, say) is looked up by Python's second opinion.
            keys = {}
            for pk, external_id, email in Person.objects.values_list("pk", "external_id", "user__email"):
                keys[email.lower()] = pk
            for pk, external_id in Person.objects.exclude(external_id="").values_list("pk", "external_id"):
                if external_id:
                    keys[external_id] = pk
            cursor.execute(f"CREATE TEMPORARY TABLE {PEOPLE} (key text PRIMARY KEY, person_id bigint) ON COMMIT DROP")
            with cursor.cursor.copy(f"COPY {PEOPLE} (key, person_id) FROM STDIN") as copy:
                for row in keys.items():
                    copy.write_row(row)
            cursor.execute(f"ANALYZE {PEOPLE}")

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
        if self.unchecked_allowed and expected >= UNCHECKED_RATIO * present:
            # Appended as it comes: no probe of the unique index per row (most of the
            # database's time per event); the index is built at the end, in one sort.
            cursor.execute(
                "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE i.indrelid = %s::regclass AND i.indisunique AND NOT i.indisprimary",
                [event],
            )
            self.unique = cursor.fetchone()
            if self.unique is not None:
                cursor.execute(f"DROP INDEX {_q(self.unique[0])}")
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

    def finish(self) -> None:
        """Build again the indexes and constraints dropped for a large file, once it
        applied."""
        if not (self.dropped or self.unique) or self.report.rejected_count:
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

    # Reading ----------------------------------------------------------------------------

    def feed(self, lines: list[str], first: int, rest) -> None:
        """Stage ``lines`` (numbered from ``first``) and then the blocks of ``rest``."""
        blocks = itertools.chain(["\n".join(lines) + "\n"] if lines else [], rest)
        for block in blocks:
            if '"' in block:
                # Quoted cells (perhaps over several lines): the csv module, from here on.
                self._feed_csv(itertools.chain([block], blocks), first)
                return
            if "\r" in block:
                block = block.replace("\r\n", "\n")
            lines = block.split("\n")
            if lines[-1] == "":
                lines.pop()
            position = 0
            while position < len(lines):
                room = max(1, self._batch_rows() - self.staged)
                piece = lines[position : position + room]
                self._stage_text(piece, first + position)
                position += len(piece)
                if self.staged >= self._batch_rows():
                    self.apply()
            first += len(lines)

    def _batch_rows(self) -> int:
        return STAGED_BATCH_ROWS

    def _stage_text(self, lines: list[str], first: int) -> None:
        """COPY ``lines`` as they are, each prefixed with its number; the csv module's
        way when COPY refuses them."""
        template = "%d" + self.delimiter + "%s"
        items = [template % (number, line) for number, line in zip(itertools.count(first), lines) if line]
        if not items:
            return
        self.line = first + len(lines) - 1
        delimiter = "E'\\t'" if self.delimiter == "\t" else f"'{self.delimiter}'"
        savepoint = connection.savepoint()
        try:
            with connection.cursor() as cursor:
                with cursor.cursor.copy(
                    f"COPY {RAW} FROM STDIN (FORMAT csv, DELIMITER {delimiter}, QUOTE '\"')"
                ) as copy:
                    copy.write("\n".join(items))
                    copy.write("\n")
        except (psycopg.errors.DataError, DataError):
            connection.savepoint_rollback(savepoint)
            self._stage_rows(self._csv_rows(iter(line + "\n" for line in lines), first))
            return
        connection.savepoint_commit(savepoint)
        self.report.rows += len(items)
        self.staged += len(items)

    def _csv_rows(self, lines, first: int):
        """(line number, cells) of the rows of ``lines`` read with the csv module; short
        rows rejected as SQLite's path does."""
        reader = csv.reader(lines, delimiter=self.delimiter)
        line = first - 1
        for cells in reader:
            start, line = line + 1, first - 1 + reader.line_num
            self.line = line
            if len(cells) < self.width:
                if not any(cell.strip() for cell in cells):
                    continue
                self.report.rows += 1
                self.report.reject(start, _("Expected %(count)d columns.") % {"count": len(self.header)})
                continue
            self.report.rows += 1
            yield start, cells

    def _feed_csv(self, blocks, first: int) -> None:
        lines = (line for block in blocks for line in _lines_of(block))
        rows = []
        for row in self._csv_rows(lines, first):
            rows.append(row)
            if len(rows) >= max(1, self._batch_rows() - self.staged):
                self._stage_rows(rows)
                rows = []
                if self.staged >= self._batch_rows():
                    self.apply()
        self._stage_rows(rows)

    def _stage_rows(self, rows) -> None:
        """COPY rows already split into cells."""
        count = 0
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {RAW} FROM STDIN") as copy:
                for start, cells in rows:
                    cells = (cells + [""] * self.cells)[: self.cells]
                    copy.write_row((start, *cells))
                    count += 1
        self.staged += count

    # Checking and writing ---------------------------------------------------------------

    def apply(self) -> None:
        """Check the staged rows and, while nothing was rejected, write them."""
        if not self.staged:
            return
        report = self.report
        with connection.cursor() as cursor:
            self._check(cursor)
            self._second_opinion(cursor)
            if not report.rejected_count:
                self._write(cursor)
            cursor.execute(f"TRUNCATE {RAW}")
            cursor.execute(f"DROP TABLE {CHECKED}")
        self.staged = 0
        if self.progress:
            self.progress(report.rows)

    def _cell(self, name: str) -> str:
        at = self.index.get(name)
        return f"r.c{at}" if at is not None else "NULL"

    def _check(self, cursor) -> None:
        """CHECKED: each staged row with its person, moment, kind, source and source id,
        NULL where SQL could not settle it.

        First without checking the length of the month (a 31st of April makes the cast
        fail): a file without such a date, the usual case, is read in one pass."""
        savepoint = connection.savepoint()
        try:
            self._check_sql(cursor, strict=False)
        except (psycopg.errors.DataError, DataError):
            connection.savepoint_rollback(savepoint)
            self._check_sql(cursor, strict=True)
        else:
            connection.savepoint_commit(savepoint)

    def _check_sql(self, cursor, *, strict: bool) -> None:
        from .importers import DEFAULT_SOURCE

        kinds = ", ".join(f"'{kind}'" for kind in EventKind.values)
        # Person, moment and kind: spaces trimmed here, any other white space left to
        # Python's second opinion. Source and source id are keys: trimmed as Python does.
        valid_day = f" AND {_days_ok('v.moment')}" if strict else ""
        cursor.execute(
            f"""
            CREATE TEMPORARY TABLE {CHECKED} ON COMMIT DROP AS
            SELECT r.line, people.person_id,
                   CASE WHEN v.moment ~ %(moment)s{valid_day} THEN
                        CASE WHEN length(v.moment) = 10 THEN v.moment::date::timestamp AT TIME ZONE %(zone)s
                             ELSE v.moment::timestamptz END
                   END AS occurred_at,
                   CASE WHEN v.kind IN ({kinds}) THEN v.kind END AS kind,
                   COALESCE(NULLIF(btrim({self._cell("source")}, %(ws)s), ''), %(default_source)s) AS source,
                   NULLIF(btrim({self._cell("source_id")}, %(ws)s), '') AS source_id
            FROM {RAW} r
            CROSS JOIN LATERAL (SELECT btrim(r.c{self.index["occurred_at"]}) AS moment,
                                       lower(btrim(r.c{self.index["kind"]})) AS kind) v
            LEFT JOIN {PEOPLE} people ON people.key = btrim(r.c{self.index["person"]})
            """,
            {
                "ws": _WHITE_SPACE,
                "moment": f"^({_TIMESTAMP}|{_DAY})$",
                "zone": str(self.zone),
                "default_source": DEFAULT_SOURCE,
            },
        )

    def _second_opinion(self, cursor) -> None:
        """Rows SQL could not settle, checked by Python: corrected, or rejected."""
        from .importers import _SOURCE_ID_MAX, _SOURCE_MAX, _PersonBook, row_check

        cursor.execute(
            f"""
            SELECT line FROM {CHECKED} c
            WHERE c.person_id IS NULL OR c.occurred_at IS NULL OR c.kind IS NULL OR c.occurred_at > %s
               OR length(c.source) > %s OR length(c.source_id) > %s
            """,
            [self.latest, _SOURCE_MAX, _SOURCE_ID_MAX],
        )
        lines = [line for (line,) in cursor.fetchall()]
        if not lines:
            return
        cursor.execute(
            f"""
            SELECT r.line, r.c{self.index["person"]}, r.c{self.index["occurred_at"]}, r.c{self.index["kind"]},
                   {self._cell("source")}, {self._cell("source_id")}
            FROM {RAW} r WHERE r.line = ANY(%s) ORDER BY r.line
            """,
            [lines],
        )
        unsettled = cursor.fetchall()
        if not unsettled:
            return
        if self.people is None:
            self.people = _PersonBook()
        fixes = []
        for line, *cells in unsettled:
            checked = row_check(self.people, self.zone, self.latest, *(cell or "" for cell in cells))
            if isinstance(checked, str):
                self.report.reject(line, checked)
            else:
                person, moment, kind, source, source_id = checked
                fixes.append((line, person, moment, kind, source, source_id or None))
        if fixes and not self.report.rejected_count:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {FIXES} (line bigint, person_id bigint, occurred_at timestamptz, "
                "kind text, source text, source_id text) ON COMMIT DROP"
            )
            with cursor.cursor.copy(f"COPY {FIXES} FROM STDIN") as copy:
                for row in fixes:
                    copy.write_row(row)
            cursor.execute(
                f"UPDATE {CHECKED} c SET person_id = f.person_id, occurred_at = f.occurred_at, kind = f.kind, "
                f"source = f.source, source_id = f.source_id FROM {FIXES} f WHERE c.line = f.line"
            )
            cursor.execute(f"DROP TABLE {FIXES}")

    def _write(self, cursor) -> None:
        """Append the checked rows not already there, and add them to the rollups."""
        event = _q(Event._meta.db_table)

        def sum_of(kinds) -> str:
            return f"COALESCE(sum(n) FILTER (WHERE kind IN ({', '.join(repr(str(k)) for k in sorted(kinds))})), 0)"

        counts = []
        for column in COUNT_COLUMNS:
            if column == "participation":
                counts.append(sum_of(PARTICIPATION_KINDS))
            elif column == "contribution":
                counts.append(sum_of(CONTRIBUTION_KINDS))
            elif column == "promotion":
                counts.append(sum_of(PROMOTION_KINDS))
            else:
                counts.append(f"COALESCE(sum(n) FILTER (WHERE kind = '{column}'), 0)")
        quoted = ", ".join(_q(c) for c in COUNT_COLUMNS)
        # Counted by person, day and kind first (one cheap hash), then spread into the
        # columns over these fewer rows.
        # Without the unique index (``unchecked``), nothing to skip: the rows go in as
        # staged, in the order of the file.
        conflict = "" if self.unique else "ON CONFLICT (source, source_id) WHERE source_id IS NOT NULL DO NOTHING"
        order = "" if self.unique else "ORDER BY line"
        cursor.execute(
            f"""
            WITH inserted AS (
                INSERT INTO {event} (person_id, occurred_at, kind, object_type, object_id, source, source_id)
                SELECT person_id, occurred_at, kind, '', NULL, source, source_id FROM {CHECKED} {order}
                {conflict}
                RETURNING person_id, occurred_at, kind
            ), by_kind AS (
                SELECT person_id, (occurred_at AT TIME ZONE %s)::date AS day, kind, count(*) AS n
                FROM inserted GROUP BY 1, 2, 3
            )
            INSERT INTO {DELTA} (person_id, day, events, {quoted})
            SELECT person_id, day, sum(n), {", ".join(counts)}
            FROM by_kind GROUP BY 1, 2
            """,
            [str(self.zone)],
        )
        cursor.execute(f"SELECT count(*) FROM {CHECKED}")
        valid = cursor.fetchone()[0]
        cursor.execute(f"SELECT COALESCE(sum(events), 0) FROM {DELTA}")
        imported = cursor.fetchone()[0]
        self.report.imported += imported
        self.report.skipped += valid - imported
        if imported:
            cursor.execute(f"SELECT min(day) FROM {DELTA}")
            facts_forget(since=cursor.fetchone()[0])
            rollups = _q(DailyActivity._meta.db_table)
            additions = ", ".join(f"{_q(c)} = {rollups}.{_q(c)} + excluded.{_q(c)}" for c in COUNT_COLUMNS)
            cursor.execute(
                f"INSERT INTO {rollups} (person_id, day, {quoted}) SELECT person_id, day, {quoted} FROM {DELTA} "
                f"ORDER BY person_id, day ON CONFLICT (person_id, day) DO UPDATE SET {additions}"
            )
            activity = _q(PersonActivity._meta.db_table)
            cursor.execute(
                f"""
                INSERT INTO {activity} (person_id, first_active_day, last_active_day)
                SELECT person_id, min(day), max(day) FROM {DELTA}
                WHERE participation + contribution + promotion > 0 GROUP BY person_id
                ON CONFLICT (person_id) DO UPDATE SET
                    first_active_day = LEAST({activity}.first_active_day, excluded.first_active_day),
                    last_active_day = GREATEST({activity}.last_active_day, excluded.last_active_day)
                """
            )
        cursor.execute(f"TRUNCATE {DELTA}")


def _lines_of(block: str):
    parts = block.split("\n")
    last = parts.pop()
    for part in parts:
        yield part + "\n"
    if last:
        yield last
