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
