"""The issue's acceptance test: the stage Bascule gives each person equals an independent
computation of the DESIGN.md rules from the exported events, for any day."""

import csv
import hashlib
import hmac
import random
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command

from bascule.adoption.models import EventKind

from .helpers import person

START = date(2026, 5, 1)
DAYS = 120
CONTRIBUTION = {"post", "comment", "answer"}
PROMOTION = {"share", "invite", "mention", "recognize", "accompany"}


def pseudonym(person_id: int) -> str:
    key = settings.BASCULE_ANALYTICS_KEY.encode()
    return hmac.new(key, str(person_id).encode(), hashlib.sha256).hexdigest()[:16]


def stages_by_hand(events_csv: str, population: set[str], day: date) -> dict[str, str]:
    """DESIGN.md, written out plainly over the exported events."""
    zone = ZoneInfo(settings.TIME_ZONE)
    window_start = day - timedelta(days=27)
    active_days: dict[str, set[date]] = {}
    contributions: dict[str, int] = {}
    promotions: dict[str, int] = {}
    for row in csv.DictReader(StringIO(events_csv)):
        assert row["occurred_at"].endswith("Z")
        local = datetime.fromisoformat(row["occurred_at"]).astimezone(zone).date()
        who, kind = row["person"], row["kind"]
        if kind == "informed" or local > day:
            continue
        active_days.setdefault(who, set()).add(local)
        if local >= window_start:
            contributions[who] = contributions.get(who, 0) + (kind in CONTRIBUTION)
            promotions[who] = promotions.get(who, 0) + (kind in PROMOTION)
    stages = {}
    for who in population:
        days = active_days.get(who, set())
        in_window = [d for d in days if d >= window_start]
        if not days:
            stages[who] = "information"
        elif not in_window:
            stages[who] = "disappointment"
        elif contributions.get(who, 0) >= 2 and promotions.get(who, 0) >= 2:
            stages[who] = "promotion"
        elif contributions.get(who, 0) >= 2:
            stages[who] = "contribution"
        elif min(days) >= window_start:
            stages[who] = "discovery"
        else:
            stages[who] = "participation"
    return stages


@pytest.fixture
def random_organisation(db, tmp_path, settings):
    settings.BASCULE_EVENT_RETENTION_DAYS = 0
    rng = random.Random(20260331)
    kinds = list(EventKind.values)
    weights = [3 if k in ("visit", "read") else 1 for k in kinds]
    people = []
    for index in range(50):
        attributes = {"external_id": f"P{index}"}
        if index % 7 == 0:
            attributes["start_date"] = START + timedelta(days=rng.randrange(DAYS))
        if index % 11 == 0:
            attributes["departed_on"] = START + timedelta(days=rng.randrange(DAYS))
        people.append(person(f"Person {index}", **attributes))
    lines = ["person,occurred_at,kind,source,source_id"]
    for p in people:
        # Some people barely act, some stop, some start late.
        rate = rng.choice([0, 0.02, 0.1, 0.3, 0.6])
        first, last = sorted(rng.randrange(DAYS) for _ in range(2))
        for offset in range(first, last + 1):
            if rng.random() < rate:
                for _ in range(rng.randint(1, 3)):
                    moment = datetime.combine(START + timedelta(days=offset), datetime.min.time()) + timedelta(
                        minutes=rng.randrange(24 * 60)
                    )
                    # Written in UTC, some of them near midnight in Paris.
                    text = moment.isoformat() + rng.choice(["Z", "+02:00", "-05:00"])
                    lines.append(f"{p.external_id},{text},{rng.choices(kinds, weights)[0]},gen,{len(lines)}")
    path = tmp_path / "events.csv"
    path.write_text("\n".join(lines) + "\n")
    call_command("import", "events", str(path), stdout=StringIO(), stderr=StringIO())
    return people


def test_stages_equal_an_independent_computation_from_the_exported_events(random_organisation):
    out = StringIO()
    call_command("adoption", "events", "--format", "csv", stdout=out)
    exported = out.getvalue()
    assert exported.count("\n") > 500
    for day in [START + timedelta(days=offset) for offset in (0, 10, 27, 28, 45, 60, 90, 119, 140)]:
        population = {
            pseudonym(p.pk)
            for p in random_organisation
            if (p.departed_on is None or p.departed_on > day) and (p.start_date is None or p.start_date <= day)
        }
        out = StringIO()
        call_command("adoption", "stages", "--as-of", day.isoformat(), "--format", "csv", stdout=out)
        rows = list(csv.reader(StringIO(out.getvalue())))
        assert rows[0] == ["person", "stage"]
        bascule = dict(rows[1:])
        assert len(bascule) == len(rows) - 1
        assert bascule == stages_by_hand(exported, population, day), day
