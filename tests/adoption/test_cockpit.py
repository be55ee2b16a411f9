"""The adoption cockpit: metrics on a small organisation whose figures are worked out by
hand below, privacy on every surface, and who may see it.

The organisation on T = 2026-03-31 (window 03-04 … 03-31), k = 5:

| people | site | what they did | stage |
|---|---|---|---|
| L1–L3 | Lyon | visit 01-10 and 03-05, comments 03-10 and 03-20 | contribution |
| L4–L5 | Lyon | visit 01-10 and 03-05, posts 03-10 and 03-12, shares 03-15 and 03-16 | promotion |
| L6–L8 | Lyon | visit 01-10, read 03-31 | participation |
| P1–P5 | Paris | visit 01-10, read 03-31 | participation |
| P6–P10 | Paris | read 01-05 and 01-20 | disappointment |
| P11–P15 | Paris | informed 03-01 only | information |

Population 23; contributors 5 → tipping point 5/23 = 21.7 %. Active in the window (reach):
L1–L8 and P1–P5 = 13 → 13/23. Interactive (commented or posted): L1–L5 = 5 → 5/23. Active
on the day: L6–L8 and P1–P5 = 8 → DAU/MAU 8/13. Active at least once in 12 months: the 13
and P6–P10 = 18 → health 13/18. Feature usage among the 13: read 8 (61.5 %), visit 5
(38.5 %), react 0 (0 %, published: it describes no one), comment 3 (< k, withheld).
"""

from datetime import date

import pytest
from django.urls import reverse

from bascule.adoption import metrics
from bascule.adoption.actions import stage_changes_record
from bascule.adoption.models import Stage
from bascule.adoption.privacy import determined_entries
from bascule.network.actions import space_create
from bascule.programs.models import RoleAssignment, RoleKind, RoleScope
from tests.conftest import build_org, built_once_per_module

from .helpers import person, record

T = date(2026, 3, 31)
K = 5


def build_town():
    """The organisation of the table above: its units, and its people by name."""
    org = build_org()
    people = {}
    for n in range(1, 9):
        people[f"L{n}"] = person(f"Lyon {n}", site=org["lyon"], department=org["sales"], country=org["france"])
    for n in range(1, 16):
        people[f"P{n}"] = person(f"Paris {n}", site=org["paris"], department=org["it"], country=org["france"])
    for n in (1, 2, 3):
        record(people[f"L{n}"], "visit@2026-01-10", "visit@2026-03-05", "comment@2026-03-10", "comment@2026-03-20")
    for n in (4, 5):
        record(people[f"L{n}"], "visit@2026-01-10", "visit@2026-03-05", "post@2026-03-10", "post@2026-03-12",
               "share@2026-03-15", "share@2026-03-16")
    for n in (6, 7, 8):
        record(people[f"L{n}"], "visit@2026-01-10", "read@2026-03-31")
    for n in range(1, 6):
        record(people[f"P{n}"], "visit@2026-01-10", "read@2026-03-31")
    for n in range(6, 11):
        record(people[f"P{n}"], "read@2026-01-05", "read@2026-01-20")
    for n in range(11, 16):
        record(people[f"P{n}"], "informed@2026-03-01")
    return {"org": org, "people": people}


# Every test here starts from the same organisation, built once for the module (tests/conftest.py).
globals().update(built_once_per_module("town_and_org", build_town))


@pytest.fixture
def town(town_and_org, settings):
    settings.BASCULE_MIN_GROUP_SIZE = K
    return town_and_org["people"]


@pytest.fixture
def org(town_and_org):
    return town_and_org["org"]


def org_cockpit():
    return metrics.cockpit_build(day=T, audience=metrics.Audience(kind="organisation", label="org"))


def test_the_whole_organisation_matches_the_figures_worked_out_by_hand(town):
    whole = org_cockpit().whole
    assert whole.population == 23
    assert whole.get(Stage.PARTICIPATION) == 8
    assert whole.get(Stage.DISAPPOINTMENT) == 5
    # 3 in contribution and 2 in promotion: each below k, hidden; their sum is published.
    assert whole.get(Stage.CONTRIBUTION) is None and whole.get(Stage.PROMOTION) is None
    assert whole.get(Stage.DISCOVERY) is None  # zero people: below k as well
    # … but 23 − 8 − 5 − 5 (contributors) − information would give discovery's 0 away:
    # information (5, the smallest of the line, before disappointment) is hidden too.
    assert whole.get(Stage.INFORMATION) is None
    assert whole.contributors == 5
    assert whole.tipping_point == round(5 / 23, 4)
    assert whole.tipping_status == "above"  # 21.7 % is past the 10–15 % band
    assert whole.reach == round(13 / 23, 4)
    assert whole.interactive == round(5 / 23, 4)
    assert whole.dau_mau == round(8 / 13, 4)
    assert whole.health == round(13 / 18, 4)
    features = {row["kind"]: row for row in whole.features()}
    assert features["read"]["share"] == round(8 / 13, 4) and features["read"]["count"] == 8
    assert features["visit"]["share"] == round(5 / 13, 4)
    assert features["react"]["count"] == 0 and features["react"]["share"] == 0
    assert features["comment"]["count"] is None  # 3 people: withheld


def test_the_tipping_point_is_judged_against_the_band():
    def status(contributors, population):
        values = dict.fromkeys(metrics.BLOCK_NAMES)
        values.update(contributors=contributors, population=population)
        return metrics.GroupMetrics(name="", values=values).tipping_status

    assert status(9, 100) == "below"
    assert status(10, 100) == "band" and status(15, 100) == "band"
    assert status(16, 100) == "above"
    assert status(None, 100) == ""


def published_are_safe(groups, names):
    """No published count between 1 and k − 1 (zeros only for features nobody used)."""
    for group in groups:
        for name in names:
            value = group.get(name)
            if value is None:
                continue
            if value == 0:
                assert name.startswith("used_"), (group.name, name)
            else:
                assert value >= K, (group.name, name, value)


def test_segment_tables_publish_no_small_cell_and_nothing_recoverable(town):
    cockpit = org_cockpit()
    for field in ("site", "department", "country", "tenure", "language"):
        table = cockpit.table(field)
        published_are_safe([cockpit.whole, *table], metrics.CORE)
        # Recompute what an adversary knows: the whole's values and the table's, linked
        # by the block's additions and the partition. Nothing hidden may be determined.
        blocks = [cockpit.whole, *table]
        width = len(metrics.CORE)
        at = {name: j for j, name in enumerate(metrics.CORE)}
        lines = [[b * width + at[n] for n in line] for b in range(len(blocks)) for line in metrics.BLOCK_LINES
                 if all(n in at for n in line)]
        if metrics._partition(field):
            lines += [[b * width + j for b in range(1, len(blocks))] + [j] for j in range(width)]
        hidden = [b * width + j for b, g in enumerate(blocks) for j, n in enumerate(metrics.CORE) if g.get(n) is None]
        assert not determined_entries(hidden, lines), field


def test_two_sites_that_would_give_each_other_away_are_withheld_and_their_drill_down_shows_nothing(town):
    """Lyon: 5 contributors out of 8, so 3 people who are not; Paris: none out of 15. Any
    published count of either would let the other's small groups be recomputed from the
    organisation's figures: both are withheld whole, and so is any breakdown of them."""
    cockpit = org_cockpit()
    sites = {group.name: group for group in cockpit.table("site")}
    assert set(sites) == {"Lyon", "Paris"}
    for group in sites.values():
        assert all(value is None for value in group.values.values()), group.name
    assert cockpit.drill("site", "Lyon", "department") == []


def test_a_segment_with_enough_people_on_both_sides_is_shown(town, org):
    # Ten more people in Lyon, all participating: Lyon has 5 contributors and 13 others;
    # P1–P5 comment twice: Paris has 5 contributors and 10 others.
    for n in range(10):
        someone = person(f"Lyon extra {n}", site=org["lyon"], department=org["sales"], country=org["france"])
        record(someone, "visit@2026-01-10", "read@2026-03-30")
    for n in range(1, 6):
        record(town[f"P{n}"], "comment@2026-03-20", "comment@2026-03-21")
    cockpit = org_cockpit()
    lyon, paris = cockpit.segment("site", "Lyon"), cockpit.segment("site", "Paris")
    assert lyon.population == 18 and lyon.contributors == 5 and lyon.tipping_point == round(5 / 18, 4)
    assert paris.population == 15 and paris.contributors == 5 and paris.tipping_point == round(5 / 15, 4)
    # Not its 13 in participation: with 5 contributors, the other stages would add up to
    # zero, giving away that Lyon has nobody in information, discovery or disappointment.
    assert lyon.get(Stage.PARTICIPATION) is None


def test_the_trend_reads_the_stage_history(town):
    stage_changes_record(day=date(2026, 3, 24))
    points = metrics.stage_trend(day=T, audience=metrics.Audience(kind="organisation", label=""), cockpit=org_cockpit())
    assert [p["day"] for p in points][-2:] == [date(2026, 3, 24), T]
    assert points[0]["group"] is None  # before the history began
    week_before = points[-2]["group"]
    # On 03-24: L6–L8 and P1–P5 were active on 01-10 only … in the window? No: their window
    # 02-25 … 03-24 has L1–L5's events only, so the 8 are in disappointment with P6–P10.
    assert week_before.population == 23
    assert week_before.get(Stage.DISAPPOINTMENT) == 13
    assert week_before.contributors == 5


# ---------------------------------------------------------------------------------------
# Pages, CSV, access
# ---------------------------------------------------------------------------------------


@pytest.fixture
def analyst(town, org):
    lead = person("Ada Lead", site=org["paris"], department=org["it"], country=org["france"])
    RoleAssignment.objects.create(person=lead, kind=RoleKind.ANALYTICS_VIEWER, starts_on=date(2026, 1, 1))
    return lead


PAGES = ("overview", "segments", "questions", "spaces", "features")


def test_an_analytics_viewer_sees_every_page(analyst, login):
    client = login(analyst)
    for page in PAGES:
        response = client.get(reverse(f"adoption:{page}"), {"day": T.isoformat()})
        assert response.status_code == 200, page
        assert "Adoption cockpit" in response.text
    overview = client.get(reverse("adoption:overview"), {"day": T.isoformat()}).text
    assert "20.8 %" in overview  # 5 contributors out of 24 (the analyst is counted too)
    assert 'id="cockpit-overview-data"' in overview and "<script>" not in overview


def test_the_cockpit_speaks_french(analyst, login):
    analyst.user.language = "fr"
    client = login(analyst)
    response = client.get(reverse("adoption:overview"), {"day": T.isoformat()}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Point de bascule" in response.text


def test_people_without_the_role_are_refused(town, login):
    client = login(town["L6"])
    for page in PAGES:
        assert client.get(reverse(f"adoption:{page}")).status_code == 403
    assert "Cockpit" not in client.get("/").text


def test_bad_input_is_a_clear_400(analyst, login):
    client = login(analyst)
    assert client.get(reverse("adoption:overview"), {"day": "yesterday"}).status_code == 400
    assert client.get(reverse("adoption:overview"), {"day": "2999-01-01"}).status_code == 400
    assert client.get(reverse("adoption:segments"), {"field": "shoe_size"}).status_code == 400
    assert client.get(reverse("adoption:overview"), {"field": "site", "value": "Atlantis"}).status_code == 400


def csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    return [line.split(",") for line in lines]


def test_csv_downloads_hold_the_published_values_only(analyst, login):
    client = login(analyst)
    rows = csv_rows(client.get(reverse("adoption:overview"), {"day": T.isoformat(), "download": "stages"}))
    assert rows[0] == ["stage", "people", "share"]
    counts = {row[0]: row[1] for row in rows[1:]}
    assert counts == {"information": "6", "discovery": "", "participation": "8", "contribution": "",
                      "promotion": "", "disappointment": ""}
    rows = csv_rows(client.get(reverse("adoption:segments"), {"day": T.isoformat(), "field": "site", "download": "heatmap"}))
    assert rows[0][:2] == ["segment", "population"]
    assert rows[0][2] == "tipping_point"
    for row in rows[1:]:
        for cell in [row[1], *row[3:]]:
            assert cell == "" or int(cell) >= K


def test_a_narrow_filter_shows_nothing_on_the_page_and_in_the_csv(analyst, login, org):
    small = person("Solo Person", site=org["lyon"], department=org["it"], country=org["france"])
    record(small, "read@2026-03-31")
    client = login(analyst)
    # IT has 15 + 1 + the analyst; the IT people of Lyon are one: nothing is shown.
    response = client.get(reverse("adoption:segments"),
                          {"day": T.isoformat(), "field": "site", "drill": "Lyon", "by": "department"})
    assert response.status_code == 200
    rows = csv_rows(client.get(reverse("adoption:segments"), {"day": T.isoformat(), "field": "site", "drill": "Lyon",
                                                             "by": "department", "download": "heatmap"}))
    for row in rows[1:]:
        assert all(cell == "" for cell in row[1:]), row


def test_a_space_manager_sees_their_own_space_only(town, login):
    owner = town["L1"]
    space = space_create(actor=owner, name="Atlas", kind="community", visibility="public")
    other = space_create(actor=town["P1"], name="Other", kind="community", visibility="public")
    client = login(owner)
    assert client.get(reverse("adoption:space_overview", args=[space.slug])).status_code == 200
    assert client.get(reverse("adoption:space_overview", args=[other.slug])).status_code == 403
    # The organisation's cockpit is not theirs: the door lists the spaces they manage.
    door = client.get(reverse("adoption:overview"))
    assert door.status_code == 200 and "Atlas" in door.text and "Other" not in door.text
    assert client.get(reverse("adoption:segments")).status_code == 403
    spaces = client.get(reverse("adoption:space_spaces", args=[space.slug])).text
    assert "Atlas" in spaces and "Other" not in spaces


def test_a_scoped_viewer_sees_the_people_of_their_scope(town, org, login):
    lead = person("Scoped Lead", site=org["lyon"], department=org["sales"], country=org["france"])
    assignment = RoleAssignment.objects.create(person=lead, kind=RoleKind.ANALYTICS_VIEWER, starts_on=date(2026, 1, 1))
    RoleScope.objects.create(assignment=assignment, field="site", value=org["lyon"].pk)
    audience = metrics.viewer_audience(lead)
    assert audience.kind == "scope" and audience.people == {p.pk for k, p in town.items() if k[0] == "L"} | {lead.pk}


def test_the_cockpit_pages_cost_the_same_number_of_queries_whatever_the_people(analyst, login, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(analyst)

    def counts():
        result = {}
        for page in PAGES:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(f"adoption:{page}"), {"day": T.isoformat(), "field": "site", "value": "Lyon"}).status_code == 200
            result[page] = len(queries)
        return result

    counts()  # the navigation entries are cached after the first page
    before = counts()
    for n in range(12):
        someone = person(f"More {n}", site=org["lyon"], department=org["it"], country=org["france"])
        record(someone, "read@2026-03-30", "comment@2026-03-30", "comment@2026-03-29")
    assert counts() == before


def test_questions_figures_worked_out_by_hand(analyst, town):
    """Six questions asked on 03-10 at 9:00 by six people, due 48 hours later: answered by
    someone else after 2 h, 4 h and 30 h (within the delay), 60 h (late); one answered
    by its asker only, one not at all. Within the delay 3/6; median of 2, 4, 30, 60 h =
    17 h; without an answer 2; overdue on 03-31: the same 2."""
    from datetime import timedelta

    from bascule import access
    from bascule.network.actions import comment_create, post_create, space_join
    from bascule.network.models import Comment, Post, PostKind

    from .helpers import at

    space = space_create(actor=town["L1"], name="Questions", kind="community", visibility="public")
    asked = at("2026-03-10", 9)
    delays = [2, 4, 30, 60, "self", None]
    for n, delay in enumerate(delays, start=1):
        asker = town[f"P{n}"]
        space_join(actor=asker, space=space, accept_rules=True)
        question = post_create(actor=asker, space=space, kind=PostKind.QUESTION, title=f"Question {n}", body="Who knows?")
        Post.objects.filter(pk=question.pk).update(created_at=asked, due_at=asked + timedelta(hours=48))
        if delay is None:
            continue
        answerer = asker if delay == "self" else town["L2"]
        comment = comment_create(actor=answerer, post=question, body="Me.")
        Comment.objects.filter(pk=comment.pk).update(created_at=asked + timedelta(hours=1 if delay == "self" else delay))
    result = metrics.questions_metrics(day=T, posts=access.visible_posts(analyst), window_days=28)
    assert result["shown"] and result["questions"] == 6
    assert result["within_delay"] == 0.5
    assert result["median_hours"] == 17.0
    assert result["unanswered"] == 2 and result["overdue"] == 2
    # Five askers or fewer: nothing is shown.
    Post.objects.filter(author=town["P6"]).delete()
    Post.objects.filter(author=town["P5"]).delete()
    result = metrics.questions_metrics(day=T, posts=access.visible_posts(analyst), window_days=28)
    assert not result["shown"] and result["questions"] is None and result["median_hours"] is None


def test_spaces_are_dormant_after_thirty_days_without_a_post(analyst, town):
    from bascule import access
    from bascule.network.actions import post_create
    from bascule.network.models import Post

    from .helpers import at

    lively = space_create(actor=town["L1"], name="Lively", kind="community", visibility="public")
    quiet = space_create(actor=town["L2"], name="Quiet", kind="community", visibility="public")
    secret = space_create(actor=town["L3"], name="Hidden away", kind="community", visibility="secret")
    for space, day in ((lively, "2026-03-20"), (quiet, "2026-02-20")):
        post = post_create(actor=town["L1"] if space == lively else town["L2"], space=space, body="Hello")
        Post.objects.filter(pk=post.pk).update(created_at=at(day))
    from bascule.network.models import Space

    Space.objects.filter(pk__in=[lively.pk, quiet.pk, secret.pk]).update(created_at=at("2026-01-01"))
    rows = {row["name"]: row for row in metrics.spaces_metrics(day=T, spaces=access.visible_spaces(analyst))}
    assert "Hidden away" not in rows  # a secret space does not exist for the viewer
    assert rows["Lively"]["dormant"] is False and rows["Lively"]["recent"] == 1
    assert rows["Quiet"]["dormant"] is True and rows["Quiet"]["recent"] == 0
    assert rows["Lively"]["members"] is None  # one member: below k


def test_the_command_line_report_withholds_the_same_way(town):
    import json
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("adoption", "report", "--as-of", T.isoformat(), "--by", "site", "--format", "json", stdout=out)
    report = json.loads(out.getvalue())
    values = [report["population"], *report["stages"].values()]
    for segment in report["segments"]:
        values += [segment["population"], *segment["stages"].values()]
    assert all(value is None or value >= K for value in values)
