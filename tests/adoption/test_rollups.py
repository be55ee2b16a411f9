"""Rollups kept by the ledger equal rollups rebuilt from the events; the retention purge."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from bascule.adoption.actions import events_purge, rollups_rebuild, stage_changes_record
from bascule.adoption.journey import journey_stage_for
from bascule.adoption.ledger import COUNT_COLUMNS
from bascule.adoption.models import DailyActivity, Event, PersonActivity, Stage, StageChange

from .helpers import at, person, record


def rollups():
    return sorted(DailyActivity.objects.values_list("person_id", "day", *COUNT_COLUMNS))


def summaries():
    return sorted(PersonActivity.objects.values_list("person_id", "first_active_day", "last_active_day"))


@pytest.fixture
def activity(db):
    alice, bob = person("Alice Martin"), person("Bob Bernard")
    record(alice, "informed@2026-01-02", "visit@2026-01-03", "read@2026-01-03", "post@2026-01-03", "share@2026-02-01")
    record(bob, "informed@2026-01-02")
    # Late at night in Paris, still the same day; early in the morning UTC, the next day in Paris.
    record(bob, ("comment", at("2026-01-10", 23)), ("comment", at("2026-01-11", 0)), "mention@2026-01-11")
    return alice, bob


def test_the_ledger_keeps_rollups_equal_to_a_rebuild(activity):
    alice, bob = activity
    incremental, incremental_summaries = rollups(), summaries()
    assert len(incremental) == 6
    comments = {(row[0], row[1]): row[2 + COUNT_COLUMNS.index("comment")] for row in incremental}
    assert comments[bob.pk, date(2026, 1, 10)] == comments[bob.pk, date(2026, 1, 11)] == 1
    assert incremental_summaries == [
        (alice.pk, date(2026, 1, 3), date(2026, 2, 1)),
        (bob.pk, date(2026, 1, 10), date(2026, 1, 11)),
    ]
    DailyActivity.objects.all().delete()
    PersonActivity.objects.all().delete()
    out = StringIO()
    call_command("adoption", "rebuild", stdout=out)
    assert "Rollups rebuilt from 9 events" in out.getvalue()
    assert rollups() == incremental
    assert summaries() == incremental_summaries


def test_a_rebuild_repairs_wrong_rollups(activity):
    expected = rollups()
    DailyActivity.objects.update(read=7, participation=9)
    rollups_rebuild()
    assert rollups() == expected


def test_the_purge_keeps_first_active_days_and_stage_history(activity, settings):
    alice, bob = activity
    settings.BASCULE_EVENT_RETENTION_DAYS = 30
    stage_changes_record(day=date(2026, 1, 20))
    result = events_purge(today=date(2026, 2, 15))  # keeps 2026-01-16 onwards
    assert result.before == date(2026, 1, 16)
    assert list(Event.objects.values_list("kind", flat=True)) == ["share"]
    assert [r[1] for r in rollups()] == [date(2026, 2, 1)]
    assert summaries() == [(alice.pk, date(2026, 1, 3), date(2026, 2, 1)), (bob.pk, date(2026, 1, 10), date(2026, 1, 11))]
    assert StageChange.objects.count() == 2
    # After the purge the journey still knows that Bob has been active: disappointment, not information.
    assert journey_stage_for(bob, date(2026, 2, 15)).stage == Stage.DISAPPOINTMENT
    # And a rebuild cannot recompute what was purged, so it keeps it.
    rollups_rebuild()
    assert summaries() == [(alice.pk, date(2026, 1, 3), date(2026, 2, 1)), (bob.pk, date(2026, 1, 10), date(2026, 1, 11))]
    assert [r[1] for r in rollups()] == [date(2026, 2, 1)]


def test_a_retention_of_zero_keeps_everything(activity, settings):
    settings.BASCULE_EVENT_RETENTION_DAYS = 0
    assert events_purge(today=date(2030, 1, 1)).events == 0
    assert Event.objects.count() == 9
    out = StringIO()
    call_command("adoption", "purge", stdout=out)
    assert "everything is kept" in out.getvalue()


def test_stage_changes_record_transitions_once(activity):
    alice, bob = activity
    out = StringIO()
    call_command("adoption", "journey", "--since", "2026-01-01", "--as-of", "2026-03-15", stdout=out)
    history = list(StageChange.objects.filter(person=bob).values_list("day", "previous_stage", "stage"))
    assert history == [
        (date(2026, 1, 1), "", Stage.INFORMATION),
        (date(2026, 1, 10), Stage.INFORMATION, Stage.DISCOVERY),
        (date(2026, 1, 11), Stage.DISCOVERY, Stage.CONTRIBUTION),
        # The comment of 01-10 leaves the 28-day window on 02-07, the last activity on 02-08.
        (date(2026, 2, 7), Stage.CONTRIBUTION, Stage.PARTICIPATION),
        (date(2026, 2, 8), Stage.PARTICIPATION, Stage.DISAPPOINTMENT),
    ]
    # Again for a day already recorded: nothing new.
    call_command("adoption", "journey", "--as-of", "2026-02-08", stdout=out)
    assert StageChange.objects.filter(person=bob).count() == 5


def test_recording_an_event_costs_a_few_queries(db, django_assert_num_queries):
    from django.utils import timezone

    carol = person("Carol Petit")
    # What every action pays: the event, the day's rollup, the person's active days.
    with django_assert_num_queries(3):
        record(carol, ("read", timezone.now()))
    with django_assert_num_queries(2):
        record(carol, ("informed", timezone.now()))
    # An event of an earlier day also forgets the cockpit facts recorded since then.
    with django_assert_num_queries(4):
        record(carol, "read@2026-03-01")


def test_a_person_erased_takes_their_events_and_rollups_along(activity):
    alice, bob = activity
    alice.user.delete()
    assert set(Event.objects.values_list("person_id", flat=True)) == {bob.pk}
    assert set(DailyActivity.objects.values_list("person_id", flat=True)) == {bob.pk}
    assert set(PersonActivity.objects.values_list("person_id", flat=True)) == {bob.pk}
