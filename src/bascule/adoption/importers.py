"""Import of activity events from a CSV file: ``bascule import events FILE.csv``.

Header ``person,occurred_at,kind,source,source_id`` (``source`` and ``source_id`` may be
left out). ``person`` is an external id or an e-mail address; ``occurred_at`` an ISO 8601
timestamp with an offset or ``Z``, or a date (that day, in the organisation's time zone);
``kind`` one of the ledger's kinds. A row whose (source, source_id) is already in the
ledger, or earlier in the file, is skipped: importing a file twice changes nothing.

The file is read as a stream, in batches, inside one transaction: each batch is checked
by Python (the same rules on both databases) and, while no row has been rejected,
written (SQLite: multi-row INSERT and set-based upserts; PostgreSQL: staged_import, with a
thread reading the next batch while the server writes). Once a row is rejected nothing
more is written, the rest of the file is still checked so that every mistake is
reported with its line number, and the transaction is rolled back: the file applies
whole or not at all.
"""

import codecs
import csv
import io
import itertools
import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import BinaryIO

from django.db import connection, transaction
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from bascule.people.importers import ImportFileError
from bascule.people.models import Person

from .ledger import counts_row, events_insert, organisation_timezone, person_activity_add, rollups_add
from .models import Event, EventKind

REQUIRED_COLUMNS = ("person", "occurred_at", "kind")
OPTIONAL_COLUMNS = ("source", "source_id")
DEFAULT_SOURCE = "import"
BATCH_ROWS = 50_000
# Rejected rows listed one by one; beyond this only their number is given.
MAX_LISTED_REJECTIONS = 1000
_KINDS = {kind: kind for kind in EventKind.values}
_SOURCE_MAX = Event._meta.get_field("source").max_length
_SOURCE_ID_MAX = Event._meta.get_field("source_id").max_length


class _Rejected(Exception):
    """Raised to roll the transaction back once every row has been checked."""


@dataclass
class EventsImportReport:
    """What an events import did; shown by the command."""

    rows: int = 0
    imported: int = 0
    skipped: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    rejected_count: int = 0
    applied: bool = False

    def reject(self, line: int, reason: str) -> None:
        self.rejected_count += 1
        if len(self.rejected) < MAX_LISTED_REJECTIONS:
            self.rejected.append((line, reason))

    def summary(self) -> str:
        if self.rejected_count:
            return ngettext(
                "Nothing was applied: %(count)d row was rejected. Fix it and import the file again.",
                "Nothing was applied: %(count)d rows were rejected. Fix them and import the file again.",
                self.rejected_count,
            ) % {"count": self.rejected_count}
        return _("Import applied.")

    def lines(self) -> list[str]:
        """The report as lines of text, rejected rows last with their line numbers."""
        lines = [
            self.summary(),
            _("Rows read: %(count)d") % {"count": self.rows},
            _("Events imported: %(count)d") % {"count": self.imported if self.applied else 0},
            _("Already there, skipped: %(count)d") % {"count": self.skipped},
            _("Rejected: %(count)d") % {"count": self.rejected_count},
        ]
        lines += [_("Line %(line)d: %(reason)s") % {"line": line, "reason": reason} for line, reason in self.rejected]
        if self.rejected_count > len(self.rejected):
            more = self.rejected_count - len(self.rejected)
            lines.append(ngettext("… and %(count)d more row.", "… and %(count)d more rows.", more) % {"count": more})
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())


def _text_lines(stream: BinaryIO):
    """The file's text lines, checked for encoding as they are read."""
    chunk = stream.read(1 << 20)
    if chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(_("The file is in UTF-16. Save it as “CSV UTF-8” and import it again."))
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    lines_before = 0  # newlines in the bytes decoded so far
    pending = ""
    while True:
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            line = lines_before + chunk.count(b"\n", 0, max(error.start, 0)) + 1
            raise ImportFileError(
                _("The file is not UTF-8 text (line %(line)d). Save it as “CSV UTF-8” and import it again.")
                % {"line": line}
            ) from None
        if "\x00" in text:
            raise ImportFileError(_("The file contains binary data: it is not a CSV file."))
        if not chunk:
            break
        lines_before += chunk.count(b"\n")
        parts = (pending + text).split("\n")
        pending = parts.pop()
        for part in parts:
            yield part + "\n"
        chunk = stream.read(1 << 20)
    if pending:
        yield pending


def _parse_moment(value: str, zone) -> datetime | None:
    """An aware datetime for an ISO 8601 timestamp with offset, or a date (midnight in
    ``zone``); None when it is neither."""
    value = value.strip()
    if len(value) == 10:
        try:
            return datetime.combine(date.fromisoformat(value), time(), tzinfo=zone)
        except ValueError:
            return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment


class _PersonBook:
    """People by external id and by e-mail, loaded once."""

    def __init__(self):
        self.by_external_id: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        for pk, external_id, email in Person.objects.values_list("pk", "external_id", "user__email"):
            if external_id:
                self.by_external_id[external_id] = pk
            self.by_email[email.lower()] = pk

    def find(self, value: str) -> int | None:
        value = value.strip()
        pk = self.by_external_id.get(value)
        if pk is None:
            pk = self.by_email.get(value.lower())
        return pk


def _already_there(source: str, source_ids: list[str]) -> set[str]:
    """The ``source_ids`` of ``source`` already in the ledger."""
    found: set[str] = set()
    table = connection.ops.quote_name(Event._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT source_id FROM {table} WHERE source = %s AND source_id = ANY(%s)", [source, source_ids]
            )
            found.update(row[0] for row in cursor.fetchall())
            return found
        step = 10_000
        for start in range(0, len(source_ids), step):
            chunk = source_ids[start : start + step]
            cursor.execute(
                f"SELECT source_id FROM {table} WHERE source = %s AND source_id IN ({', '.join(['%s'] * len(chunk))})",
                [source, *chunk],
            )
            found.update(row[0] for row in cursor.fetchall())
    return found


class _Batch:
    """Checked rows waiting to be written."""

    def __init__(self):
        # (line, person id, occurred_at, day, kind, source, source_id)
        self.rows: list[tuple] = []
        self.keys: dict[str, list[int]] = {}  # source → indexes of rows with a source_id
        self.skipped = 0  # rows repeating a (source, source_id) of the batch
        self.rows_read = 0  # rows of the file read up to the end of a full batch (0: the last one)

    def __len__(self):
        return len(self.rows)


def events_import(
    *,
    stream: BinaryIO,
    progress: Callable[[int], None] | None = None,
    now: datetime | None = None,
) -> EventsImportReport:
    """Import events from a CSV file opened in binary mode; the whole file applies, or
    nothing. Raises ImportFileError when the file cannot be read at all. ``progress``,
    when given, is called with the number of rows read after each batch of a large file."""
    report = EventsImportReport()
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                _import_postgresql(stream, report, progress, now or timezone.now())
            else:
                _import(stream, report, progress, now or timezone.now())
            if report.rejected_count:
                raise _Rejected
            report.applied = True
    except _Rejected:
        pass
    return report


def _expected_rows(stream) -> int | None:
    """The rows a seekable file should hold, from its size and the length of its first
    lines (None when it cannot be told)."""
    try:
        start = stream.tell()
        size = os.fstat(stream.fileno()).st_size - start
        sample = stream.read(1 << 20)
        stream.seek(start)
    except (AttributeError, OSError, io.UnsupportedOperation):
        return None
    lines = sample.count(b"\n")
    return size * lines // len(sample) if lines else None


def _import_postgresql(stream, report, progress, now) -> None:
    """The same reading and checking, each batch written by the server set by set
    (staged_import). A large file may be appended without looking for rows already
    there; when it had some after all, it is read again the safe way."""
    from .staged_import import DuplicatesFound, StagedWriter

    expected = _expected_rows(stream)
    start = stream.tell() if expected is not None else None

    def attempt(unchecked: bool) -> None:
        writer = StagedWriter(expected=expected, unchecked=unchecked)
        _import(stream, report, progress, now, writer=writer)
        writer.finish(report)

    try:
        with transaction.atomic():
            attempt(unchecked=start is not None)
    except DuplicatesFound:
        stream.seek(start)
        report.__init__()
        attempt(unchecked=False)


def _import(stream, report, progress, now, writer=None) -> None:
    """Read and check the file, writing it batch by batch: with ``_flush`` (SQLite), or
    with ``writer`` (staged_import.StagedWriter, PostgreSQL), in which case a thread reads
    and checks the next batch while the database writes one."""
    people = _PersonBook()  # read here: the reading thread must not touch the database
    batches = _checked_batches(stream, report, now, writer.batch_rows if writer is not None else BATCH_ROWS, people)
    if writer is not None:
        batches = _ahead(batches)
    for batch in batches:
        report.skipped += batch.skipped
        if writer is None:
            _flush(batch, report)
        elif batch.rows and not report.rejected_count:
            writer.write(batch.rows, report)
        if progress and batch.rows_read:
            progress(batch.rows_read)


def _checked_batches(stream, report, now, batch_rows: int, people: "_PersonBook"):
    """The file's rows, checked (``row_check``), in batches of ``batch_rows``; rows read
    and rejected are counted in ``report`` as they come. A (source, source_id) repeated in
    a batch is skipped there (counted in the batch), the first occurrence kept."""
    zone = organisation_timezone()
    latest = now + timedelta(days=1)
    lines = _text_lines(stream)
    blank = 0
    first_line = ""
    for first_line in lines:
        if first_line.strip():
            break
        blank += 1
    if not first_line.strip():
        raise ImportFileError(_("The file is empty."))
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(itertools.chain([first_line], lines), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except csv.Error as error:
        raise ImportFileError(
            _("The file is not a valid CSV file (line %(line)d: %(error)s).") % {"line": blank + 1, "error": error}
        ) from None
    header_line = blank + reader.line_num
    if any(name not in header for name in REQUIRED_COLUMNS):
        raise ImportFileError(
            _("Line %(line)d should be the header %(header)s.")
            % {"line": header_line, "header": ",".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}
        )
    index = {name: header.index(name) for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS if name in header}
    person_at, moment_at, kind_at = index["person"], index["occurred_at"], index["kind"]
    source_at, source_id_at = index.get("source"), index.get("source_id")
    width = max(index.values()) + 1

    batch = _Batch()
    seen_in_batch: set[tuple[str, str]] = set()
    line = header_line
    try:
        for cells in reader:
            start, line = line + 1, blank + reader.line_num
            if len(cells) < width:
                if not any(cell.strip() for cell in cells):
                    continue
                report.rows += 1
                report.reject(start, _("Expected %(count)d columns.") % {"count": len(header)})
                continue
            report.rows += 1
            checked = row_check(
                people, zone, latest, cells[person_at], cells[moment_at], cells[kind_at],
                cells[source_at] if source_at is not None else "",
                cells[source_id_at] if source_id_at is not None else "",
            )
            if isinstance(checked, str):
                report.reject(start, checked)
                continue
            person, moment, kind, source, source_id = checked
            if source_id:
                key = (source, source_id)
                if key in seen_in_batch:
                    batch.skipped += 1
                    continue
                seen_in_batch.add(key)
                batch.keys.setdefault(source, []).append(len(batch.rows))
            batch.rows.append((start, person, moment, moment.astimezone(zone).date(), kind, source, source_id or None))
            if len(batch) >= batch_rows:
                batch.rows_read = report.rows
                yield batch
                batch, seen_in_batch = _Batch(), set()
    except csv.Error as error:
        raise ImportFileError(
            _("The file is not a valid CSV file (line %(line)d: %(error)s).") % {"line": line + 1, "error": error}
        ) from None
    yield batch


def _ahead(batches):
    """The items of the generator ``batches``, produced by a thread one item ahead: the
    file is read and checked (Python, one core) while the database writes the batch
    before (the server, the other core). The thread touches no database connection; it
    speaks the caller's language (rejection messages), and an error it meets is raised
    here."""
    items: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()
    end = object()
    language = translation.get_language()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                items.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        if language:
            translation.activate(language)
        else:
            translation.deactivate_all()
        try:
            for batch in batches:
                if not put((batch, None)):
                    return
            put((end, None))
        except BaseException as error:  # raised again by the consumer
            put((end, error))

    thread = threading.Thread(target=produce, name="bascule-import-reader", daemon=True)
    thread.start()
    try:
        while True:
            item, error = items.get()
            if item is end:
                if error is not None:
                    raise error
                return
            yield item
    finally:
        stop.set()
        thread.join()


def row_check(people: "_PersonBook", zone, latest: datetime, person_text: str, moment_text: str, kind_text: str,
              source_text: str, source_id_text: str) -> tuple | str:
    """(person id, occurred_at, kind, source, source_id) for one row's cells, or the reason
    it is rejected: the rules of the import, shared by both databases' paths."""
    person = people.find(person_text)
    moment = _parse_moment(moment_text, zone)
    kind = _KINDS.get(kind_text.strip().lower())
    source = source_text.strip() or DEFAULT_SOURCE
    source_id = source_id_text.strip()
    if person is None or moment is None or kind is None or moment > latest or (
        len(source) > _SOURCE_MAX or len(source_id) > _SOURCE_ID_MAX
    ):
        return _reason(person_text, person, moment_text, moment, latest, kind_text, kind, source, source_id)
    return person, moment, kind, source, source_id


def _reason(person_text, person, moment_text, moment, latest, kind_text, kind, source, source_id) -> str:
    if person is None:
        if not person_text.strip():
            return _("The person is missing.")
        return _("Unknown person “%(person)s” (neither an external id nor an e-mail address of someone here).") % {
            "person": person_text.strip()
        }
    if moment is None:
        return _(
            "“%(value)s” is not a date: use ISO 8601 with an offset or Z (2026-03-31T09:30:00+02:00) or a date (2026-03-31)."
        ) % {"value": moment_text.strip()}
    if moment > latest:
        return _("“%(value)s” is in the future.") % {"value": moment_text.strip()}
    if kind is None:
        return _("Unknown kind “%(kind)s”. The kinds are: %(kinds)s.") % {
            "kind": kind_text.strip(),
            "kinds": ", ".join(EventKind.values),
        }
    if len(source) > _SOURCE_MAX:
        return _("The source is longer than %(count)d characters.") % {"count": _SOURCE_MAX}
    return _("The source id is longer than %(count)d characters.") % {"count": _SOURCE_ID_MAX}


def _flush(batch: _Batch, report: EventsImportReport) -> None:
    """Write a batch of checked rows, unless a row of the file was rejected."""
    if not batch.rows or report.rejected_count:
        return
    skip: set[int] = set()
    for source, indexes in batch.keys.items():
        present = _already_there(source, [batch.rows[i][6] for i in indexes])
        if present:
            skip.update(i for i in indexes if batch.rows[i][6] in present)
    report.skipped += len(skip)
    rows = [row for i, row in enumerate(batch.rows) if i not in skip] if skip else batch.rows
    events_insert([(person, moment, kind, source, source_id) for _line, person, moment, _day, kind, source, source_id in rows])
    report.imported += len(rows)

    by_day: dict[tuple[int, date], dict[str, int]] = {}
    active: dict[int, list[date]] = {}
    for _line, person, _moment, day, kind, _source, _source_id in rows:
        counts = by_day.setdefault((person, day), {})
        counts[kind] = counts.get(kind, 0) + 1
        if kind != EventKind.INFORMED:
            span = active.get(person)
            if span is None:
                active[person] = [day, day]
            elif day < span[0]:
                span[0] = day
            elif day > span[1]:
                span[1] = day
    rollups_add([(person, day, counts_row(counts)) for (person, day), counts in by_day.items()])
    person_activity_add([(person, first, last) for person, (first, last) in active.items()])


class EventsImport:
    """``bascule import events FILE.csv`` (registered in the import command's SUBCOMMANDS)."""

    name = "events"
    help = gettext_lazy("Append activity events from a CSV file (person,occurred_at,kind,source,source_id).")

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "file",
            help=gettext_lazy(
                "CSV file, UTF-8, with the header person,occurred_at,kind,source,source_id "
                "(source and source_id may be left out)."
            ),
        )

    def handle(self, command, options: dict) -> None:
        from importlib import import_module

        from django.core.management.base import CommandError

        # "import" is a keyword: the command's module is reached by name.
        command_module = import_module("bascule.people.management.commands.import")
        EXIT_BAD_FILE, EXIT_REJECTED = command_module.EXIT_BAD_FILE, command_module.EXIT_REJECTED

        path = options["file"]
        try:
            stream = open(path, "rb")  # noqa: SIM115 (closed below)
        except OSError:
            command_module.read_file_bytes(path)  # raises the command's error for that path, with exit status 2
            raise

        def progress(rows: int) -> None:
            command.stderr.write(_("%(count)s rows read…") % {"count": f"{rows:,}"})

        try:
            report = events_import(stream=stream, progress=progress)
        except ImportFileError as error:
            raise CommandError(str(error), returncode=EXIT_BAD_FILE) from None
        finally:
            stream.close()
        for line in report.lines():
            command.stdout.write(line)
        if report.rejected_count:
            count = report.rejected_count
            message = ngettext("%(count)d row rejected.", "%(count)d rows rejected.", count) % {"count": count}
            raise CommandError(message, returncode=EXIT_REJECTED)
