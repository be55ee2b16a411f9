"""The journey rules of DESIGN.md, on its worked examples (T = 2026-03-31)."""

from datetime import date

import pytest
from django.utils import translation

from bascule.adoption.journey import JourneyRules, journey_stage_for, journey_stages, stage_decide
from bascule.adoption.models import Stage

from .helpers import person, record

T = date(2026, 3, 31)


@pytest.fixture
def examples(db):
    people = {letter: person(f"Person {letter}") for letter in "ABCDEFGH"}
    record(people["A"], "informed@2026-03-10")
    record(people["B"], "read@2026-01-05", "read@2026-01-20", "read@2026-02-05", "read@2026-02-20")
    record(people["C"], "visit@2026-03-20", "read@2026-03-21", "read@2026-03-24", "read@2026-03-30")
    record(
        people["D"],
        "visit@2026-01-08",
        "read@2026-02-10",
        "comment@2026-03-10",
        *(f"read@2026-03-{day:02d}" for day in (5, 12, 19, 26, 31)),
    )
    record(
        people["E"],
        "visit@2026-01-15",
        "post@2026-03-06",
        "answer@2026-03-18",
        "mention@2026-03-18",
        "mention@2026-03-29",
    )
    record(people["F"], "visit@2025-10-01", "read@2026-02-01", "comment@2026-03-04", "comment@2026-03-04")
    record(people["G"], "visit@2025-09-12", "comment@2026-03-03", "comment@2026-03-03", "read@2026-03-31")
    record(people["H"], "visit@2026-03-25", "post@2026-03-26", "post@2026-03-28")
    return people


EXPECTED = {
    "A": Stage.INFORMATION,
    "B": Stage.DISAPPOINTMENT,
    "C": Stage.DISCOVERY,
    "D": Stage.PARTICIPATION,
    "E": Stage.PROMOTION,
    "F": Stage.CONTRIBUTION,
    "G": Stage.PARTICIPATION,
    "H": Stage.CONTRIBUTION,
}


@pytest.mark.parametrize("letter", sorted(EXPECTED))
def test_it_gives_the_stage_of_each_worked_example(examples, letter):
    assert journey_stage_for(examples[letter], T).stage == EXPECTED[letter]


def test_it_gives_everyone_the_same_stages_in_a_handful_of_queries(examples, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        stages = journey_stages(T)
    assert {letter: stages[p.pk].stage for letter, p in examples.items()} == EXPECTED


def test_it_says_which_facts_decided(examples):
    with translation.override("en"):
        e = journey_stage_for(examples["E"], T)
        assert e.sentence() == "1 post, 1 answer and 2 mentions in the last 28 days."
        assert e.facts["by_kind"] == {"post": 1, "answer": 1, "mention": 2}
        assert (e.contributions, e.promotions) == (2, 2)
        assert journey_stage_for(examples["F"], T).sentence() == "2 comments in the last 28 days."
        b = journey_stage_for(examples["B"], T)
        assert b.last_active_day == date(2026, 2, 20)
        assert "last active on" in b.sentence()
        assert journey_stage_for(examples["C"], T).facts["first_active_day"] == "2026-03-20"
        assert journey_stage_for(examples["D"], T).sentence() == "Active on 6 days in the last 28 days."
        assert journey_stage_for(examples["A"], T).sentence() == "No activity yet."


def test_the_population_leaves_out_people_not_started_or_departed(examples):
    newcomer = person("New Comer", start_date=date(2026, 4, 1))
    leaver = person("Left Already", departed_on=date(2026, 3, 31))
    stayer = person("Leaves Tomorrow", departed_on=date(2026, 4, 1), start_date=date(2026, 3, 31))
    stages = journey_stages(T)
    assert newcomer.pk not in stages and leaver.pk not in stages
    assert stages[stayer.pk].stage == Stage.INFORMATION
    assert journey_stage_for(newcomer, T) is None


def test_the_day_is_a_calendar_day_in_the_organisation_time_zone(db):
    from datetime import datetime, timezone

    night_owl = person("Night Owl")
    # 23:30 UTC on March 3rd is already March 4th in Paris: inside the window.
    record(night_owl, ("visit", datetime(2025, 12, 1, 12, tzinfo=timezone.utc)))
    record(night_owl, *[("comment", datetime(2026, 3, 3, 23, 30, tzinfo=timezone.utc))] * 2)
    assert journey_stage_for(night_owl, T).stage == Stage.CONTRIBUTION


def test_the_window_and_thresholds_are_settings(examples, settings):
    settings.BASCULE_JOURNEY_WINDOW_DAYS = 29  # now G's comments on 03-03 count
    settings.BASCULE_CONTRIBUTION_THRESHOLD = 2
    assert journey_stage_for(examples["G"], T).stage == Stage.CONTRIBUTION
    settings.BASCULE_JOURNEY_WINDOW_DAYS = 28
    settings.BASCULE_PROMOTION_THRESHOLD = 3
    assert journey_stage_for(examples["E"], T).stage == Stage.CONTRIBUTION


def test_the_rules_apply_in_order():
    rules = JourneyRules(window_days=28, contribution_threshold=2, promotion_threshold=2)
    decide = lambda **facts: stage_decide(day=T, rules=rules, **{"active_days": 0, "contributions": 0, "promotions": 0, **facts})  # noqa: E731
    assert decide(first_active_day=None) == Stage.INFORMATION
    assert decide(first_active_day=date(2026, 4, 2), active_days=0) == Stage.INFORMATION
    assert decide(first_active_day=date(2026, 1, 1)) == Stage.DISAPPOINTMENT
    assert decide(first_active_day=date(2026, 3, 4), active_days=1) == Stage.DISCOVERY
    assert decide(first_active_day=date(2026, 3, 3), active_days=1) == Stage.PARTICIPATION
    assert decide(first_active_day=date(2026, 3, 30), active_days=1, contributions=2) == Stage.CONTRIBUTION
    assert decide(first_active_day=date(2026, 3, 30), active_days=1, contributions=2, promotions=2) == Stage.PROMOTION
    assert decide(first_active_day=date(2026, 1, 1), active_days=1, contributions=1, promotions=5) == Stage.PARTICIPATION
