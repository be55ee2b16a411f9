"""`bascule adoption …`: fixed formats that other tools rely on."""

import csv
import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from bascule.adoption.privacy import analytics_id
from bascule.people.models import Department, Site

from .helpers import at, person, record

T = "2026-03-31"
STAGES = ["information", "discovery", "participation", "contribution", "promotion", "disappointment"]


def run(*args) -> str:
    out = StringIO()
    call_command("adoption", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def organisation(db, settings):
    settings.BASCULE_EVENT_RETENTION_DAYS = 0
    sales = Department.objects.create(name="Sales")
    it = Department.objects.create(name="IT")
    hr = Department.objects.create(name="HR")
    lyon = Site.objects.create(name="Lyon")
    people = []
    # Sales: 12 people, 6 contributors. IT: 8 people, 1 contributor. HR: 2 people.
    for index in range(12):
        p = person(f"Sales {index}", department=sales, site=lyon, start_date=date(2020, 1, 1))
        record(p, "visit@2026-01-05", *(["comment@2026-03-20", "post@2026-03-21"] if index < 6 else ["read@2026-03-20"]))
        people.append(p)
    for index in range(8):
        p = person(f"IT {index}", department=it, start_date=date(2025, 6, 1))
        if index == 0:
            record(p, "visit@2026-01-05", "comment@2026-03-20", "post@2026-03-21", "share@2026-03-22", "mention@2026-03-23")
        elif index < 4:
            record(p, "visit@2026-03-25")
        people.append(p)
    for index in range(2):
        people.append(person(f"HR {index}", department=hr))
    # Someone who left is in no export of the stages.
    gone = person("Gone Away", department=sales, departed_on=date(2026, 3, 1))
    record(gone, "visit@2026-01-05")
    return people


def test_events_exports_pseudonymous_ids_and_utc_times(organisation):
    first = organisation[0]
    rows = list(csv.reader(StringIO(run("events", "--since", "2026-03-20", "--until", "2026-03-20", "--format", "csv"))))
    assert rows[0] == ["person", "occurred_at", "kind"]
    assert [analytics_id(first.pk), "2026-03-20T11:00:00Z", "comment"] in rows
    assert {row[1][:10] for row in rows[1:]} == {"2026-03-20"}
    assert all(len(row[0]) == 16 for row in rows[1:])
    everything = run("events")
    assert everything.count("\n") == 1 + 12 * 2 + 6 + 5 + 3 + 1


def test_events_days_are_the_organisation_days(organisation):
    record(organisation[0], ("visit", at("2026-03-26", 0)))  # 23:00 UTC on the 25th
    rows = run("events", "--since", "2026-03-26", "--until", "2026-03-26").splitlines()
    assert rows[1:] == [f"{analytics_id(organisation[0].pk)},2026-03-25T23:00:00Z,visit"]


def test_stages_lists_the_population_with_the_same_ids(organisation):
    rows = list(csv.reader(StringIO(run("stages", "--as-of", T, "--format", "csv"))))
    assert rows[0] == ["person", "stage"]
    stages = dict(rows[1:])
    assert len(stages) == 22
    assert stages[analytics_id(organisation[0].pk)] == "contribution"
    assert stages[analytics_id(organisation[12].pk)] == "promotion"
    assert stages[analytics_id(organisation[-1].pk)] == "information"
    assert [row[0] for row in rows[1:]] == sorted(row[0] for row in rows[1:])


def test_the_report_gives_the_organisation_within_k(organisation):
    report = json.loads(run("report", "--as-of", T, "--format", "json"))
    assert list(report) == ["as_of", "window_days", "min_group_size", "population", "stages", "tipping_point"]
    assert report["as_of"] == T and report["window_days"] == 28 and report["min_group_size"] == 5
    assert report["population"] == 22
    assert list(report["stages"]) == STAGES
    # 6 in contribution, 1 in promotion (hidden, and contribution with it); 7 contributors of 22.
    assert report["stages"]["promotion"] is None and report["stages"]["contribution"] is None
    assert report["stages"]["participation"] == 6
    assert report["tipping_point"] == round(7 / 22, 4)
    shown = [v for v in report["stages"].values() if v is not None]
    assert all(v >= 5 for v in shown)


def test_the_report_by_segment_withholds_small_groups(organisation):
    report = json.loads(run("report", "--as-of", T, "--by", "department", "--format", "json"))
    segments = {s["segment"]: s for s in report["segments"]}
    assert set(segments) == {"Sales", "IT", "HR"}
    assert list(segments["Sales"]) == ["segment", "population", "stages", "tipping_point"]
    assert segments["HR"] == {"segment": "HR", "population": None, "stages": dict.fromkeys(STAGES), "tipping_point": None}
    # HR's 2 people would be the organisation's 22 minus Sales' 12 and IT's 8: another population goes.
    assert segments["IT"]["population"] is None or segments["Sales"]["population"] is None or report["population"] is None
    for group in [report, *report["segments"]]:
        for value in [group["population"], *group["stages"].values()]:
            assert value is None or value >= 5


def test_the_report_withholds_everything_below_k(db, settings):
    settings.BASCULE_EVENT_RETENTION_DAYS = 0
    for index in range(4):
        record(person(f"Few {index}"), "comment@2026-03-20", "comment@2026-03-21")
    report = json.loads(run("report", "--as-of", T))
    assert report["population"] is None and report["tipping_point"] is None
    assert set(report["stages"].values()) == {None}


def test_the_report_as_csv_and_table(organisation):
    rows = list(csv.reader(StringIO(run("report", "--as-of", T, "--by", "site", "--format", "csv"))))
    assert rows[0] == ["segment", "population", *STAGES, "tipping_point"]
    assert rows[1][0] == "*" and rows[1][1] == "22"
    assert [row[0] for row in rows[2:]] == ["Lyon", ""]
    report = json.loads(run("report", "--as-of", T, "--by", "tenure_band"))
    assert [s["segment"] for s in report["segments"]] == ["0-1", "5-10", ""]
    table = run("report", "--as-of", T, "--by", "tenure", "--format", "table")
    assert "whole organisation" in table and "—" in table and "contribution" in table


def test_the_report_refuses_an_unknown_field(organisation):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("adoption", "report", "--by", "shoe_size")
