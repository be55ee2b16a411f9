"""The cockpit's counts are made by the database (``metrics.counts_by_segment``): on a
varied organisation they equal the counts of each person's facts computed one by one
(``people_facts`` then ``block_counts``), for the whole group, every segment field,
drill-downs, scopes and spaces, on several days."""

import random
from datetime import date, timedelta

import pytest

from bascule.adoption import metrics
from bascule.adoption.journey import JourneyRules
from bascule.network.actions import space_create, space_join
from bascule.network.models import Space
from bascule.people.models import BusinessUnit, Language, Person
from bascule.people.actions import orgunit_get_or_create
from tests.conftest import build_org, built_once_per_module

from .helpers import person, record

DAYS = (date(2026, 3, 31), date(2026, 2, 14), date(2025, 12, 1), date(2028, 2, 29))
KINDS = ("visit", "read", "react", "comment", "post", "answer", "share", "mention", "search", "informed", "learn")


def build_varied():
    """About sixty people with every kind of attribute and history, drawn with a fixed seed."""
    org = build_org()
    rng = random.Random(4)
    french = Language.objects.create(code="fr", name="French")
    english = Language.objects.create(code="en", name="English")
    # Two languages with one name: a person speaking both counts twice under that name.
    american = Language.objects.create(code="en-us", name="English")
    units = [orgunit_get_or_create(model=BusinessUnit, name=name) for name in ("Retail", "Industry")]
    starts = [None, date(2024, 2, 29), date(2025, 3, 1), date(2023, 3, 31), date(2016, 3, 31), date(2010, 1, 1),
              date(2026, 3, 15), date(2026, 4, 10), date(2027, 2, 28), date(2018, 2, 28)]
    people = []
    for n in range(60):
        attributes = {
            "site": rng.choice([org["lyon"], org["paris"], None]),
            "department": rng.choice([org["sales"], org["it"], None]),
            "country": rng.choice([org["france"], None]),
            "business_unit": rng.choice([*units, None]),
            "start_date": rng.choice(starts),
            "languages": rng.choice([[], [french], [english], [french, english], [english, american]]),
        }
        if n % 13 == 0:
            attributes["departed_on"] = rng.choice([date(2026, 3, 1), date(2026, 5, 1)])
        people.append(person(f"Person {n}", **attributes))
    first = date(2025, 1, 1)
    for who in people:
        habit = rng.choice(["never", "reader", "contributor", "promoter", "silent", "new"])
        if habit == "never":
            if rng.random() < 0.5:
                record(who, f"informed@{first + timedelta(days=rng.randrange(400))}")
            continue
        begin, end = {
            "silent": (0, rng.randrange(30, 400)),
            "new": (rng.randrange(380, 450), 460),
        }.get(habit, (rng.randrange(0, 300), 460))
        for _ in range(rng.randrange(2, 14)):
            day = first + timedelta(days=rng.randrange(begin, end))
            kinds = {"reader": KINDS[:3] + ("search",), "contributor": KINDS[:6], "promoter": KINDS}.get(habit, KINDS)
            record(who, f"{rng.choice(kinds)}@{day}")
    # Edges on T = 2026-03-31 (window from 03-04, previous window from 02-04): a first
    # contribution on the previous window's first day; one 366 days before it (not new);
    # silences after exactly 6, 27, 90 and 364 days of activity.
    edges = [
        ("comment@2026-02-04", "comment@2026-03-10"),
        ("post@2025-02-03", "comment@2026-02-10", "answer@2026-03-30"),
        ("visit@2026-02-20", "read@2026-02-26"),
        ("visit@2026-01-30", "read@2026-02-26"),
        ("visit@2025-11-28", "read@2026-02-26"),
        ("visit@2025-02-28", "read@2026-02-27"),
        ("visit@2025-02-28", "read@2026-03-03"),
    ]
    for n, events in enumerate(edges):
        record(person(f"Edge {n}", site=org["paris"]), *events)
    spaces = [space_create(actor=people[i], name=name, kind="community", visibility="public")
              for i, name in ((1, "Atlas"), (2, "Boreal"))]
    for who in people[3:40]:
        if rng.random() < 0.6 and not who.is_departed:
            space_join(actor=who, space=rng.choice(spaces), accept_rules=True)
    return {"org": org, "people": people, "spaces": {space.pk: space.name for space in spaces}}


# Every test here starts from the same people, built once for the module (tests/conftest.py).
globals().update(built_once_per_module("varied", build_varied))


@pytest.fixture
def org(varied):
    return varied["org"]


def reference(day, audience, field_name=None, within=None):
    """The counts worked out person by person, as the cockpit did before counting in SQL."""
    facts = metrics.people_facts(day, rules=JourneyRules.from_settings(), people=audience.people)
    if within is not None:
        members = metrics._segment_values(within[0], facts, day, audience)
        facts = {pid: fact for pid, fact in facts.items() if within[1] in members[pid]}
    if field_name is None:
        return {None: metrics.block_counts(list(facts.values()))}
    groups = {}
    for pid, values in metrics._segment_values(field_name, facts, day, audience).items():
        for value in values:
            groups.setdefault(value, []).append(facts[pid])
    return {name: metrics.block_counts(group) for name, group in groups.items()}


def counted(day, audience, field_name=None, within=None):
    return metrics.counts_by_segment(day=day, rules=JourneyRules.from_settings(), audience=audience,
                                     field_name=field_name, within=within)


@pytest.mark.parametrize("day", DAYS)
def test_the_database_counts_what_each_persons_facts_add_up_to(varied, day):
    audience = metrics.Audience(kind="organisation", label="", spaces=varied["spaces"])
    whole = counted(day, audience)
    assert whole == reference(day, audience)
    if day == DAYS[0]:
        # The dataset is varied enough to mean something: several stages, new contributors, depths.
        block = dict(zip(metrics.BLOCK_NAMES, whole[None]))
        assert sum(1 for stage in metrics.STAGES if block[stage]) >= 4
        assert block["new"] and block["year_not_month"]
        assert sum(1 for name in metrics.BLOCK_NAMES if name.startswith("depth_") and block[name]) >= 2
    for field_name in metrics.COCKPIT_FIELDS:
        by_segment = counted(day, audience, field_name)
        assert by_segment == reference(day, audience, field_name), field_name
        for value in list(by_segment)[:3]:
            for by in ("site", "language", "tenure", "space"):
                if by != field_name:
                    within = (field_name, value)
                    assert counted(day, audience, by, within) == reference(day, audience, by, within), (within, by)


def test_a_scope_and_a_space_are_counted_from_their_own_people(varied, org):
    day = DAYS[0]
    members = Person.objects.filter(site=org["lyon"]).values("pk")
    scope = metrics.Audience(kind="scope", label="", people=set(members.values_list("pk", flat=True)),
                             members=members, spaces=varied["spaces"])
    listed = metrics.Audience(kind="scope", label="", people=scope.people, spaces=varied["spaces"])
    space = metrics.space_audience(Space.objects.get(name="Atlas"))
    for audience in (scope, listed, space):
        assert audience.people
        for field_name in (None, "department", "tenure", "language"):
            assert counted(day, audience, field_name) == reference(day, audience, field_name), field_name
    assert counted(day, metrics.Audience(kind="scope", label="", people=set())) == {None: [0] * metrics.WIDTH}


def test_the_weekly_trend_counts_each_persons_last_recorded_stage(varied, org):
    from django.db.models import OuterRef, Q, Subquery

    from bascule.adoption.actions import stage_changes_record
    from bascule.adoption.models import StageChange

    day = DAYS[0]
    for offset in range(0, 70, 3):
        stage_changes_record(day=day - timedelta(days=offset))
    members = Person.objects.filter(department=org["it"]).values("pk")
    audiences = [
        metrics.Audience(kind="organisation", label=""),
        metrics.Audience(kind="scope", label="", people=set(members.values_list("pk", flat=True)), members=members),
    ]
    for audience in audiences:
        points = metrics._stage_counts_on(metrics.trend_days(day), audience)
        for point in metrics.trend_days(day):
            latest = StageChange.objects.filter(person=OuterRef("person"), day__lte=point).order_by("-day").values("day")[:1]
            rows = (
                StageChange.objects.filter(day__lte=point, day=Subquery(latest))
                .filter(Q(person__departed_on__isnull=True) | Q(person__departed_on__gt=point))
                .filter(Q(person__start_date__isnull=True) | Q(person__start_date__lte=point))
            )
            expected = {}
            for person_id, stage in rows.values_list("person_id", "stage"):
                if audience.people is None or person_id in audience.people:
                    expected[stage] = expected.get(stage, 0) + 1
            assert points.get(point, {}) == expected, point
        assert sum(points[day].values()) > 10 if audience.people is None else points[day]


def test_a_cockpit_read_with_a_segment_table_publishes_the_same_figures(varied, settings):
    settings.BASCULE_MIN_GROUP_SIZE = 5
    audience = metrics.Audience(kind="organisation", label="", spaces=varied["spaces"])
    plain = metrics.cockpit_build(day=DAYS[0], audience=audience)
    for field_name in metrics.COCKPIT_FIELDS:
        read_with = metrics.cockpit_build(day=DAYS[0], audience=audience, field_name=field_name)
        assert read_with.whole.counts == plain.whole.counts and read_with.whole.values == plain.whole.values
        assert [(g.name, g.values) for g in read_with.table(field_name)] == [(g.name, g.values) for g in plain.table(field_name)]


# ---------------------------------------------------------------------------------------
# Facts recorded by the daily task (actions.facts_record): read instead of the rollups
# ---------------------------------------------------------------------------------------

PAST_DAYS = [day for day in DAYS if day < date.today()]


def test_recorded_facts_give_the_same_counts_as_the_rollups(varied, org):
    from bascule.adoption.actions import facts_record
    from bascule.adoption.models import FactsDay, PersonFacts

    audience = metrics.Audience(kind="organisation", label="", spaces=varied["spaces"])
    members = Person.objects.filter(site=org["lyon"]).values("pk")
    scope = metrics.Audience(kind="scope", label="", people=set(members.values_list("pk", flat=True)),
                             members=members, spaces=varied["spaces"])
    for day in PAST_DAYS:
        live = {field_name: counted(day, audience, field_name) for field_name in (None, *metrics.COCKPIT_FIELDS)}
        live_scope = counted(day, scope, "department")
        live_within = counted(day, audience, "language", ("site", "Lyon"))
        report = facts_record(day=day)
        assert metrics.facts_recorded(day, JourneyRules.from_settings())
        # One row per person with any activity; the rest of the population has none.
        assert 0 < report.recorded == PersonFacts.objects.filter(day=day).count() < report.population
        population = dict(zip(metrics.BLOCK_NAMES, live[None][None]))["population"]
        assert FactsDay.objects.get(day=day).population == report.population == population
        for field_name, counts in live.items():
            assert counted(day, audience, field_name) == counts, field_name
        assert counted(day, scope, "department") == live_scope
        assert counted(day, audience, "language", ("site", "Lyon")) == live_within
    # Recording a day again replaces its facts.
    again = facts_record(day=PAST_DAYS[0])
    assert PersonFacts.objects.filter(day=PAST_DAYS[0]).count() == again.recorded


def test_recorded_facts_are_read_only_while_they_hold(varied, settings, tmp_path):
    from django.core.management import call_command

    from bascule.adoption.actions import facts_record, rollups_rebuild
    from bascule.adoption.models import FactsDay, PersonFacts

    day = PAST_DAYS[0]
    audience = metrics.Audience(kind="organisation", label="", spaces=varied["spaces"])
    rules = JourneyRules.from_settings()

    # Under other rules, the facts recorded under the settings' rules are not read.
    facts_record(day=day)
    other = JourneyRules(window_days=rules.window_days, contribution_threshold=1, promotion_threshold=1)
    assert not metrics.facts_recorded(day, other)
    assert metrics.counts_by_segment(day=day, rules=other, audience=audience) == {
        None: reference_with(other, day, audience)
    }

    # An event of that day (or of an earlier one) forgets them: the counts follow it.
    somebody = varied["people"][5]
    record(somebody, f"post@{day - timedelta(days=3)}", f"comment@{day - timedelta(days=2)}")
    assert not metrics.facts_recorded(day, rules)
    assert counted(day, audience) == reference(day, audience)
    # An event of a later day leaves them.
    facts_record(day=day)
    record(somebody, f"read@{day + timedelta(days=1)}")
    assert metrics.facts_recorded(day, rules)

    # So does an import of events of earlier days, and a rebuild.
    path = tmp_path / "events.csv"
    path.write_text(f"person,occurred_at,kind\n{somebody.user.email},{day - timedelta(days=1)},answer\n")
    call_command("import", "events", str(path), stdout=tmp_path.joinpath("out").open("w"))
    assert not metrics.facts_recorded(day, rules)
    assert counted(day, audience) == reference(day, audience)
    facts_record(day=day)
    rollups_rebuild()
    assert not FactsDay.objects.exists()
    # The forgotten rows go with the next purge.
    assert PersonFacts.objects.exists()
    from bascule.adoption.actions import facts_purge

    facts_purge(today=day + timedelta(days=1))
    assert not PersonFacts.objects.exists()


def reference_with(rules, day, audience):
    facts = metrics.people_facts(day, rules=rules, people=audience.people)
    return metrics.block_counts(list(facts.values()))


def test_facts_are_recorded_for_complete_days_only(db):
    from bascule.adoption.actions import facts_record

    with pytest.raises(ValueError):
        facts_record(day=date.today())
