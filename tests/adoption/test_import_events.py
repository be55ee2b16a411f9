"""`bascule import events FILE.csv`: the ledger fed from other platforms."""

from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bascule.adoption.models import DailyActivity, Event, PersonActivity

from .helpers import person

HEADER = "person,occurred_at,kind,source,source_id\n"


@pytest.fixture
def people(db):
    return {
        "alice": person("Alice Martin", external_id="E1"),
        "bob": person("Bob Bernard"),
    }


def run(tmp_path, text, name="events.csv"):
    """Run the command on ``text``; returns (exit status, stdout, stderr, error message)."""
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    out, err = StringIO(), StringIO()
    try:
        call_command("import", "events", str(path), stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue(), str(error)
    return 0, out.getvalue(), err.getvalue(), ""


def snapshot():
    return (
        sorted(Event.objects.values_list("person_id", "occurred_at", "kind", "source", "source_id")),
        sorted(DailyActivity.objects.values_list("person_id", "day", "read", "comment", "participation", "contribution")),
        sorted(PersonActivity.objects.values_list("person_id", "first_active_day", "last_active_day")),
    )


GOOD = (
    HEADER
    + "E1,2026-03-04T08:00:00Z,read,slack,m1\n"
    + "bob.bernard@example.com,2026-03-04T23:30:00+00:00,comment,slack,m2\n"  # 00:30 on 03-05 in Paris
    + "BOB.Bernard@example.com,2026-03-06,comment,,\n"
    + "E1,2026-03-04T10:00:00+01:00,comment,slack,m3\n"
    + "E1,2026-02-01T10:00:00Z,informed,slack,m4\n"
)


def test_it_imports_events_and_their_rollups(tmp_path, people):
    status, out, err, _ = run(tmp_path, GOOD)
    assert status == 0, out
    assert "Events imported: 5" in out
    alice, bob = people["alice"].pk, people["bob"].pk
    assert Event.objects.count() == 5
    assert Event.objects.get(source_id="m2").occurred_at == datetime(2026, 3, 4, 23, 30, tzinfo=UTC)
    assert Event.objects.get(source_id=None).source == "import"
    rollups = {(r.person_id, r.day): r for r in DailyActivity.objects.all()}
    assert rollups[alice, date(2026, 3, 4)].read == 1 and rollups[alice, date(2026, 3, 4)].comment == 1
    assert rollups[alice, date(2026, 3, 4)].participation == 1
    assert rollups[alice, date(2026, 3, 4)].contribution == 1
    assert rollups[alice, date(2026, 2, 1)].informed == 1 and not rollups[alice, date(2026, 2, 1)].is_active
    assert rollups[bob, date(2026, 3, 5)].comment == 1
    assert rollups[bob, date(2026, 3, 6)].comment == 1
    activity = {a.person_id: (a.first_active_day, a.last_active_day) for a in PersonActivity.objects.all()}
    # Being informed is not activity.
    assert activity == {alice: (date(2026, 3, 4), date(2026, 3, 4)), bob: (date(2026, 3, 5), date(2026, 3, 6))}


def test_it_skips_what_is_already_there_so_importing_again_changes_nothing(tmp_path, people):
    run(tmp_path, GOOD)
    before = snapshot()
    status, out, _, _ = run(tmp_path, GOOD)
    assert status == 0
    assert "Already there, skipped: 4" in out
    assert "Events imported: 1" in out  # the line without source_id cannot be recognised
    events, rollups, activity = snapshot()
    assert len(events) == 6
    assert activity == before[2]


def test_it_skips_a_line_repeated_in_the_file(tmp_path, people):
    status, out, _, _ = run(tmp_path, HEADER + "E1,2026-03-04,read,x,1\nE1,2026-03-05,read,x,1\n")
    assert status == 0 and "Already there, skipped: 1" in out
    assert Event.objects.count() == 1


def test_it_accepts_the_three_required_columns_only(tmp_path, people):
    status, out, _, _ = run(tmp_path, "person,occurred_at,kind\nE1,2026-03-04,visit\n")
    assert status == 0 and Event.objects.get().source == "import"


@pytest.mark.parametrize(
    "line, reason",
    [
        ("nobody@example.com,2026-03-04,read,s,1", "Unknown person “nobody@example.com”"),
        (",2026-03-04,read,s,1", "The person is missing"),
        ("E1,2026-03-04,lurk,s,1", "Unknown kind “lurk”"),
        ("E1,04/03/2026,read,s,1", "“04/03/2026” is not a date"),
        ("E1,2026-03-04T10:00:00,read,s,1", "is not a date"),  # no offset: which time zone?
        ("E1,2026-02-30,read,s,1", "is not a date"),
        ("E1,2999-01-01,read,s,1", "is in the future"),
        ("E1,2026-03-04", "Expected 5 columns"),
        ("E1,2026-03-04,read," + "s" * 41 + ",1", "The source is longer than 40 characters"),
    ],
)
def test_it_rejects_a_bad_row_with_its_line_number_and_applies_nothing(tmp_path, people, line, reason):
    text = HEADER + "E1,2026-03-04,read,s,0\n\n" + line + "\nE1,2026-03-05,read,s,9\n"
    status, out, _, message = run(tmp_path, text)
    assert status == 1
    assert "1 row rejected." in message
    assert "Line 4: " in out and reason in out.split("Line 4: ")[1]
    assert "Nothing was applied" in out
    assert snapshot() == ([], [], [])


def test_it_reports_every_rejected_row(tmp_path, people):
    status, out, _, _ = run(tmp_path, HEADER + "x,2026-03-04,read,,\nE1,2026-03-04,read,,\nE1,nope,read,,\n")
    assert status == 1
    assert "Line 2: Unknown person" in out and "Line 4: “nope” is not a date" in out
    assert Event.objects.count() == 0


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "The file is empty."),
        (b"who,when,what\nE1,2026-03-04,read\n", "Line 1 should be the header person,occurred_at,kind,source,source_id."),
        ("person,occurred_at,kind\nE1,2026-03-04,read\n".encode("utf-16"), "UTF-16"),
        (b"person,occurred_at,kind\nE1,2026-03-04,read\n\xff\xfe\xfa,x,y\n", "not UTF-8 text (line 3)"),
        (b"person,occurred_at,kind\nE1,\x00,read\n", "binary data"),
    ],
)
def test_an_unreadable_file_exits_with_status_2_and_changes_nothing(tmp_path, people, content, message):
    status, _, _, error = run(tmp_path, content)
    assert status == 2
    assert message in error
    assert snapshot() == ([], [], [])


def test_a_missing_file_exits_with_status_2(tmp_path, db):
    with pytest.raises(CommandError) as error:
        call_command("import", "events", str(tmp_path / "nope.csv"))
    assert error.value.returncode == 2


def test_a_semicolon_file_with_a_bom_and_windows_line_ends_is_fine(tmp_path, people):
    text = "\ufeffperson;occurred_at;kind\r\nE1;2026-03-04T10:00:00+01:00;post\r\n"
    status, out, _, _ = run(tmp_path, text)
    assert status == 0 and Event.objects.get().kind == "post"


def test_it_shows_progress_for_large_files(tmp_path, people, monkeypatch):
    monkeypatch.setattr("bascule.adoption.importers.BATCH_ROWS", 10)
    monkeypatch.setattr("bascule.adoption.staged_import.STAGED_BATCH_ROWS", 10)
    rows = "".join(f"E1,2026-03-{1 + i % 28:02d}T10:00:00Z,read,s,{i}\n" for i in range(25))
    status, out, err, _ = run(tmp_path, HEADER + rows)
    assert status == 0
    assert "10 rows read…" in err and "20 rows read…" in err
    assert Event.objects.count() == 25
    assert sum(DailyActivity.objects.values_list("read", flat=True)) == 25


def test_a_rejection_after_a_written_batch_still_applies_nothing(tmp_path, people, monkeypatch):
    monkeypatch.setattr("bascule.adoption.importers.BATCH_ROWS", 10)
    monkeypatch.setattr("bascule.adoption.staged_import.STAGED_BATCH_ROWS", 10)
    rows = "".join(f"E1,2026-03-{1 + i % 28:02d}T10:00:00Z,read,s,{i}\n" for i in range(25))
    status, out, _, _ = run(tmp_path, HEADER + rows + "E1,2026-03-04,oops,s,x\n")
    assert status == 1 and "Line 27: Unknown kind" in out
    assert snapshot() == ([], [], [])


def test_the_first_of_a_repeated_source_id_wins_and_one_already_there_is_skipped(tmp_path, people):
    run(tmp_path, HEADER + "E1,2026-03-01,post,x,1\n")
    text = HEADER + "E1,2026-03-04,read,x,2\nE1,2026-03-05,comment,x,2\nE1,2026-03-06,visit,x,1\n"
    status, out, _, _ = run(tmp_path, text)
    assert status == 0 and "Events imported: 1" in out and "Already there, skipped: 2" in out
    assert sorted(Event.objects.values_list("source_id", "kind")) == [("1", "post"), ("2", "read")]
    assert DailyActivity.objects.filter(day=date(2026, 3, 5)).count() == 0


def test_quoted_cells_extra_cells_and_unusual_shapes_are_read_as_on_every_database(tmp_path, people):
    text = (
        HEADER
        + '"E1","2026-03-04T10:00:00+01:00","read","a, b","1"\n'  # quoted, a comma inside
        + "E1,2026-03-04,read,x,2,an extra cell\n"
        + "\u00a0E1\u00a0,2026-W10-3,visit,x,3\n"  # non-breaking spaces; an ISO week date
        + "BOB.BERNARD@EXAMPLE.COM,2026-03-04T10:00:00.5-02:30,READ,x,4\n"
    )
    status, out, _, _ = run(tmp_path, text)
    assert status == 0, out
    alice, bob = people["alice"].pk, people["bob"].pk
    assert sorted(Event.objects.values_list("source", "source_id", "person_id")) == [
        ("a, b", "1", alice), ("x", "2", alice), ("x", "3", alice), ("x", "4", bob)
    ]
    assert Event.objects.get(source_id="3").occurred_at == datetime(2026, 3, 3, 23, 0, tzinfo=UTC)  # Paris midnight
    assert Event.objects.get(source_id="4").occurred_at == datetime(2026, 3, 4, 12, 30, 0, 500000, tzinfo=UTC)


def test_line_numbers_stay_right_after_quoted_cells_over_two_lines(tmp_path, people):
    text = HEADER + 'E1,2026-03-04,read,x,"a\nb"\n\nE1,2026-03-05,nap,x,2\n'
    status, out, _, _ = run(tmp_path, text)
    assert status == 1 and "Line 5: Unknown kind “nap”" in out
    assert snapshot() == ([], [], [])


def empty_ledger_analysed():
    """The large-file path weighs a file against the ledger's size as PostgreSQL's
    statistics tell it (pg_class.reltuples). Statistics outlive a rollback: a test that
    loaded the demo (whose loader runs ANALYZE) and was rolled back leaves them counting
    thousands of events that are gone, on whichever xdist worker ran it. Analysed again,
    the empty ledger counts none, whatever ran before."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE adoption_event")


@pytest.mark.django_db(transaction=True)
def test_a_large_file_rebuilds_the_indexes_it_dropped_or_leaves_them_when_rejected(tmp_path, monkeypatch):
    """PostgreSQL: a file larger than the ledger drops secondary indexes for the import."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the index-rebuilding path is PostgreSQL's")
    empty_ledger_analysed()
    person("Alice Martin", external_id="E1")
    monkeypatch.setattr("bascule.adoption.staged_import.BULK_MIN_ROWS", 5)
    monkeypatch.setattr("bascule.adoption.staged_import.STAGED_BATCH_ROWS", 4)

    def indexes():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid IN "
                "('adoption_event'::regclass, 'adoption_dailyactivity'::regclass) ORDER BY 1"
            )
            found = [row[0] for row in cursor.fetchall()]
            cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = 'adoption_dailyactivity'::regclass "
                           "AND contype = 'f'")
            return found, [row[0] for row in cursor.fetchall()]

    before = indexes()
    rows = "".join(f"E1,2026-03-{1 + i % 28:02d}T10:00:00Z,read,s,{i}\n" for i in range(10))
    status, out, _, _ = run(tmp_path, HEADER + rows + "E1,2026-03-04,oops,s,x\n")
    assert status == 1 and "Line 12: Unknown kind" in out
    assert indexes() == before and snapshot() == ([], [], [])
    status, out, _, _ = run(tmp_path, HEADER + rows)
    assert status == 0 and "Events imported: 10" in out
    assert indexes() == before
    assert sum(DailyActivity.objects.values_list("read", flat=True)) == 10


@pytest.mark.django_db(transaction=True)
def test_a_large_file_appended_unchecked_is_read_again_the_safe_way_when_it_had_duplicates(tmp_path, monkeypatch):
    """PostgreSQL: a file at least twice the ledger is appended without the unique
    (source, source_id) index, built at the end; a repeated row found then makes the
    import start again with the index, with the very result of the safe way."""
    from django.db import connection

    from bascule.adoption import staged_import

    if connection.vendor != "postgresql":
        pytest.skip("the unchecked path is PostgreSQL's")
    empty_ledger_analysed()
    person("Alice Martin", external_id="E1")
    monkeypatch.setattr(staged_import, "BULK_MIN_ROWS", 5)
    monkeypatch.setattr(staged_import, "STAGED_BATCH_ROWS", 4)
    drops = []
    real_start = staged_import.StagedWriter._bulk_start

    def bulk_start(self, cursor, expected):
        real_start(self, cursor, expected)
        drops.append(self.unique is not None)

    monkeypatch.setattr(staged_import.StagedWriter, "_bulk_start", bulk_start)

    def unique_index():
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'adoption_event'::regclass "
                           "AND indisunique AND NOT indisprimary")
            return [row[0] for row in cursor.fetchall()]

    assert unique_index() == ["event_unique_source_id"]
    rows = "".join(f"E1,2026-03-{1 + i % 28:02d}T10:00:00Z,read,s,{i}\n" for i in range(10))
    status, out, _, _ = run(tmp_path, HEADER + rows)
    assert status == 0 and "Events imported: 10" in out
    assert drops == [True] and unique_index() == ["event_unique_source_id"]

    # Twice the ledger again, with a row already there (s,3) and one repeated in the file
    # (t,5, a comment first, then a post on another day: the first wins).
    drops.clear()
    more = "".join(f"E1,2026-04-{1 + i % 28:02d}T10:00:00Z,read,t,{i}\n" for i in range(20) if i != 5)
    text = HEADER + "E1,2026-04-02,comment,t,5\n" + more + "E1,2026-03-30,read,s,3\nE1,2026-04-20,post,t,5\n"
    status, out, _, _ = run(tmp_path, text)
    assert status == 0 and "Events imported: 20" in out and "Already there, skipped: 2" in out, out
    assert drops == [True, False] and unique_index() == ["event_unique_source_id"]
    assert Event.objects.count() == 30 and Event.objects.get(source="t", source_id="5").kind == "comment"
    assert sum(DailyActivity.objects.values_list("read", flat=True)) == 29
    assert sum(DailyActivity.objects.values_list("comment", flat=True)) == 1
    assert not DailyActivity.objects.filter(post__gt=0).exists()


@pytest.mark.django_db(transaction=True)
def test_a_large_file_appended_unchecked_adds_up_a_persons_day_split_between_batches(tmp_path, monkeypatch):
    """PostgreSQL: a large file, appended unchecked with its rollups' foreign key and day
    index dropped, adds each batch's counts of a person's day to what is there (an
    earlier batch, an action), and the constraints are back."""
    from django.db import connection

    from bascule.adoption import staged_import

    from .helpers import record

    if connection.vendor != "postgresql":
        pytest.skip("the unchecked path is PostgreSQL's")
    empty_ledger_analysed()
    alice = person("Alice Martin", external_id="E1")
    record(alice, "visit@2026-03-02")  # a rollup already there for that day
    monkeypatch.setattr(staged_import, "BULK_MIN_ROWS", 5)
    monkeypatch.setattr(staged_import, "STAGED_BATCH_ROWS", 4)

    def constraints():
        with connection.cursor() as cursor:
            cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = 'adoption_dailyactivity'::regclass "
                           "ORDER BY 1")
            return [row[0] for row in cursor.fetchall()]

    before = constraints()
    assert "dailyactivity_person_day" in before
    # Days 1 to 3, over three batches of four rows: every day of alice in two batches.
    rows = "".join(f"E1,2026-03-{1 + i % 3:02d}T10:00:00Z,{'comment' if i == 7 else 'read'},s,{i}\n" for i in range(10))
    status, out, _, _ = run(tmp_path, HEADER + rows)
    assert status == 0 and "Events imported: 10" in out, out
    assert constraints() == before
    days = {day: (read, comment, visit, participation, contribution)
            for day, read, comment, visit, participation, contribution in DailyActivity.objects.values_list(
                "day", "read", "comment", "visit", "participation", "contribution")}
    assert days == {
        date(2026, 3, 1): (4, 0, 0, 4, 0),
        date(2026, 3, 2): (2, 1, 1, 3, 1),
        date(2026, 3, 3): (3, 0, 0, 3, 0),
    }
    assert PersonActivity.objects.get(person=alice).first_active_day == date(2026, 3, 1)


def test_rejections_speak_the_language_of_whoever_imports(tmp_path, people):
    """On PostgreSQL the rows are checked by a reading thread: it speaks the caller's language."""
    from django.utils import translation

    with translation.override("fr"):
        status, out, _, _ = run(tmp_path, HEADER + "E1,2026-03-04,nap,x,1\n")
    assert status == 1 and "Ligne 2 : Type inconnu “nap”" in out, out
    assert snapshot() == ([], [], [])
