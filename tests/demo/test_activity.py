"""`bascule demo`: months of network activity shaped like a real network, its ledger, its
rollups and what waits for the demo login. The demo is loaded once for the module."""

from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from bascule.adoption.journey import journey_stages
from bascule.adoption.models import CONTRIBUTION_KINDS, DailyActivity, Event, PersonActivity
from bascule.demo.activity import activity_build
from bascule.demo.organisation import DEMO_LOGIN_EMAIL, organisation_build
from bascule.demo.phrases import SUBJECTS
from bascule.network import markdown
from bascule.network.actions import _written
from bascule.network.models import (
    Comment,
    Membership,
    Mention,
    Post,
    PostTag,
    Reaction,
    Space,
    SpaceAudience,
    SpaceKind,
    Visibility,
)
from bascule.notify.models import Notification, NotificationKind
from bascule.people.models import Person
from bascule.search.models import SearchDocument
from tests.conftest import built_once_per_module

PEOPLE = 60
MONTHS = 6


def build_demo():
    call_command("demo", people=PEOPLE, seed=1, months=MONTHS, stdout=StringIO())


# Every test here reads the same demo, loaded once for the module (tests/conftest.py).
globals().update(built_once_per_module("loaded", build_demo))


def test_every_kind_and_visibility_of_space_has_activity(loaded):
    for kind in SpaceKind.values:
        assert Post.objects.filter(space__kind=kind).exists(), kind
    for visibility in Visibility.values:
        assert Space.objects.filter(visibility=visibility).exists(), visibility
    assert Post.objects.filter(space__kind=SpaceKind.EDITORIAL, kind="announcement").exists()
    assert SpaceAudience.objects.filter(field="site").exists()
    assert SpaceAudience.objects.filter(field="department").exists()
    archived = Space.objects.get(archived_at__isnull=False)
    assert not archived.posts.filter(created_at__gt=archived.archived_at).exists()


def test_secret_spaces_have_members_and_roles_vary(loaded):
    for space in Space.objects.filter(visibility=Visibility.SECRET):
        assert space.memberships.filter(status="active").count() >= 2
        assert space.memberships.filter(status="active", role="owner").exists()
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {"owner", "manager", "editor", "member"}
    statuses = set(Membership.objects.values_list("status", flat=True))
    assert {"active", "requested", "invited"} <= statuses


def test_the_ledger_has_every_main_kind_with_past_timestamps(loaded):
    now = timezone.now()
    start = now - timedelta(days=MONTHS * 31 + 1)
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {"informed", "post", "comment", "answer", "react", "share", "mention", "join", "read", "visit",
            "search", "follow", "invite"} <= kinds
    assert not Event.objects.filter(Q(occurred_at__lt=start) | Q(occurred_at__gt=now)).exists()
    months = {e.astimezone().strftime("%Y-%m") for e in Event.objects.values_list("occurred_at", flat=True)}
    assert len(months) >= MONTHS
    # Every post and comment is in the ledger, about itself, at its own time.
    post = Post.objects.filter(shared_post__isnull=True).order_by("pk")[10]
    assert Event.objects.filter(kind="post", object_type="network.post", object_id=post.pk, occurred_at=post.created_at).exists()
    answers = Comment.objects.filter(post__kind="question", parent__isnull=True).exclude(author=F("post__author"))
    assert Event.objects.filter(kind="answer").count() == answers.count()


def test_rollups_are_built_from_the_ledger(loaded):
    assert DailyActivity.objects.exists()
    events = Event.objects.exclude(kind="informed").count()
    totals = DailyActivity.objects.values_list("participation", "contribution", "promotion")
    assert sum(sum(row) for row in totals) == events
    assert PersonActivity.objects.count() == Event.objects.exclude(kind="informed").values("person").distinct().count()


def test_most_people_read_and_few_post(loaded):
    today = timezone.localdate()
    population = Person.objects.filter(departed_on__isnull=True).count()
    since = timezone.now() - timedelta(days=28)
    posted = Post.objects.filter(created_at__gte=since).values("author").distinct().count()
    assert 0 < posted / population < 0.35
    contributors = Event.objects.filter(kind__in=CONTRIBUTION_KINDS).values("person").distinct().count()
    readers = Event.objects.filter(kind="read").values("person").distinct().count()
    assert readers > contributors
    assert contributors / population < 0.5
    stages = Counter(stage.stage for stage in journey_stages(today).values())
    assert stages["participation"] + stages["disappointment"] > stages.total() / 2
    tipping = (stages["contribution"] + stages["promotion"]) / stages.total()
    assert 0 < tipping < 0.35


def test_questions_are_answered_late_or_never_and_some_answers_are_accepted(loaded):
    questions = Post.objects.filter(kind="question").annotate(
        answers=Count("comments", filter=Q(comments__parent__isnull=True) & ~Q(comments__author=F("author")))
    )
    assert questions.filter(answers=0).exists()
    assert questions.filter(answers__gt=0).exists()
    assert Post.objects.filter(accepted_comment__isnull=False).exists()
    for comment in Comment.objects.filter(post__kind="question").select_related("post")[:50]:
        assert comment.created_at > comment.post.created_at


def test_texts_are_rendered_by_the_network_with_mentions_and_tags(loaded):
    assert Mention.objects.exists() and PostTag.objects.exists() and Reaction.objects.exists()
    assert Post.objects.filter(shared_post__isnull=False).exists()
    mentioned = Post.objects.filter(mentions__comment__isnull=True).first()
    for item in [mentioned, *Post.objects.filter(post_tags__isnull=False)[:5], *Comment.objects.all()[:20]]:
        html, _people, _tags = _written(item.body)
        assert item.body_html == html
    assert "lorem" not in " ".join(Post.objects.values_list("body", flat=True)).lower()
    # Texts in the language of each space: French and English, and a site's own language.
    bodies = " ".join(Post.objects.values_list("body", flat=True)).lower()
    written_in = {
        language for language, themes in SUBJECTS.items()
        if any(subject.lower() in bodies for subjects in themes.values() for subject in subjects if subject != "Bascule")
    }
    assert {"fr", "en"} < written_in
    assert SearchDocument.objects.filter(kind="post").count() == Post.objects.count()


def test_the_demo_login_has_unread_notifications(loaded):
    camille = Person.objects.get(user__email=DEMO_LOGIN_EMAIL)
    unread = Notification.objects.filter(recipient=camille, read_at__isnull=True)
    kinds = set(unread.values_list("kind", flat=True))
    assert {NotificationKind.MENTION, NotificationKind.ANSWER} <= kinds
    owned = Membership.objects.filter(person=camille, role="owner", status="active").count()
    assert owned >= 2
    assert Post.objects.filter(author=camille).count() >= 10


def test_the_demo_login_sees_her_notifications(loaded, client):
    # The login itself is tested with the organisation (test_demo.py).
    client.force_login(Person.objects.get(user__email=DEMO_LOGIN_EMAIL).user)
    assert client.get("/").status_code == 200
    page = client.get("/notifications/")
    assert page.status_code == 200


def test_the_demo_login_leads_an_initiative_with_a_published_case_study(loaded, client):
    from bascule.programs.models import CaseStudy, Initiative

    camille = Person.objects.get(user__email=DEMO_LOGIN_EMAIL)
    initiative = Initiative.objects.get(lead=camille)
    assert CaseStudy.objects.get(initiative=initiative).status == "published"
    client.force_login(camille.user)
    page = client.get(initiative.get_absolute_url()).text
    assert "Blockers log" in page and page.count("✔") == 5
    assert "45 %" in client.get("/case-studies/?tag=agences").text


def test_the_same_seed_gives_the_same_activity():
    today = timezone.localdate()
    organisation = organisation_build(people=PEOPLE, seed=3, today=today)

    def summary(activity):
        return (
            len(activity.posts), len(activity.comments), len(activity.reactions), len(activity.events),
            [p.paragraphs for p in activity.posts[:50]], [e[:3] for e in activity.events[:200]],
        )

    first = activity_build(organisation, seed=3, months=3)
    again = activity_build(organisation, seed=3, months=3)
    other = activity_build(organisation, seed=4, months=3)
    assert summary(first) == summary(again)
    assert summary(first) != summary(other)


def test_the_scale_options_change_the_volume():
    organisation = organisation_build(people=PEOPLE, seed=1, today=timezone.localdate())
    activity = activity_build(organisation, seed=1, months=2, spaces=40, posts_and_comments=3000)
    assert len(activity.spaces) == 40
    assert 2000 < len(activity.posts) + len(activity.comments) < 4500


def test_markdown_of_paragraphs_joins_like_the_whole_body():
    body = ["## Titre\n\n- un\n- deux", "Merci **à tous**", "#bascule #merci"]
    joined = "\n".join(markdown.render(p, link_tags=True) for p in body)
    assert joined == markdown.render("\n\n".join(body), link_tags=True)


def test_the_adoption_lead_reads_the_cockpit_and_most_people_participate_or_are_disappointed(loaded, client):
    from bascule.adoption.metrics import Audience, cockpit_build
    from bascule.adoption.models import Stage, StageChange
    from bascule.demo.organisation import DEMO_LOGIN_EMAIL

    camille = Person.objects.get(user__email=DEMO_LOGIN_EMAIL)
    client.force_login(camille.user)
    assert client.get("/cockpit/").status_code == 200
    # Twelve weeks of stage history, week by week, for the trend.
    assert StageChange.objects.values("day").distinct().count() == 12
    day = StageChange.objects.order_by("-day").values_list("day", flat=True).first()
    cockpit = cockpit_build(day=day, audience=Audience(kind="organisation", label=""))
    counts = {stage: sum(1 for f in cockpit.facts.values() if f.stage == stage) for stage in Stage.values}
    population = len(cockpit.facts)
    assert counts[Stage.PARTICIPATION] + counts[Stage.DISAPPOINTMENT] > population / 2
    assert counts[Stage.CONTRIBUTION] + counts[Stage.PROMOTION] < population / 4
