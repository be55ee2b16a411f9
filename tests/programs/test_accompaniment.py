"""Accompaniment through real HTTP: my journey and my data, the transparency page, the
playbooks, the mode, the queue, looks and actions, opting out, and the nudges.

People: alice and bob (Sales, Lyon; alice's manager is dave), carol (IT, Paris), dave
(Sales, Paris), ada the administrator; amy is the ambassador of the site of Lyon and
hector the HR validator of everyone.
"""

import datetime
import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from bascule.adoption.actions import stage_changes_record
from bascule.adoption.models import Event, EventKind, Stage, StageChange
from bascule.network import actions as network_actions
from bascule.network.models import Visibility
from bascule.people.actions import person_language_set
from bascule.programs import accompaniment_queries as accompaniment
from bascule.programs import actions
from bascule.programs.models import (
    AccompanimentAction,
    AccompanimentModeChange,
    JourneyLook,
    Nudge,
    Playbook,
    RoleKind,
)
from bascule.programs.queries import today
from bascule.programs.tasks import nudges_send_due
from tests.adoption.helpers import record
from tests.conftest import make_person

pytestmark = pytest.mark.django_db

WHY = "Pilot at Lyon agreed with the works council on 2026-01-12."


def days_ago(count: int) -> str:
    return (today() - datetime.timedelta(days=count)).isoformat()


@pytest.fixture
def amy(org, ada):
    amy = make_person("Amy Roux", "amy@example.com", department=org["it"], site=org["lyon"])
    actions.role_assign(actor=ada, person=amy, kind=RoleKind.AMBASSADOR, scope={"site": [org["lyon"].pk]})
    return amy


@pytest.fixture
def hector(org, ada):
    hector = make_person("Hector Blanc", "hector@example.com", department=org["it"], site=org["paris"])
    actions.role_assign(actor=ada, person=hector, kind=RoleKind.HR_VALIDATOR)
    return hector


@pytest.fixture
def mode_on(ada):
    return actions.accompaniment_mode_set(actor=ada, enabled=True, justification=WHY)


@pytest.fixture
def lyon(org, alice, bob, carol):
    """At Lyon: bob is new (discovery), alice silent (disappointment), stan stuck in
    participation for eleven weeks, nina in participation for two weeks only. carol (Paris)
    is silent too, outside Lyon."""
    stan = make_person("Stan Leroy", "stan@example.com", department=org["sales"], site=org["lyon"])
    nina = make_person("Nina Faure", "nina@example.com", department=org["sales"], site=org["lyon"])
    record(bob, f"visit@{days_ago(3)}", f"read@{days_ago(2)}")
    record(alice, f"read@{days_ago(80)}", f"comment@{days_ago(79)}")
    record(carol, f"read@{days_ago(80)}")
    for day in (120, 100, 80, 60, 40, 20, 5):
        record(stan, f"read@{days_ago(day)}")
    record(nina, f"read@{days_ago(60)}", f"read@{days_ago(5)}")
    # The nightly stage history, on a few of the nights that matter.
    for day in (120, 80, 70, 50, 20, 14, 1):
        stage_changes_record(day=today() - datetime.timedelta(days=day))
    StageChange.objects.filter(person=nina).delete()
    StageChange.objects.create(person=nina, day=today() - datetime.timedelta(days=14), stage=Stage.PARTICIPATION)
    return {"alice": alice, "bob": bob, "carol": carol, "stan": stan, "nina": nina}


class TestMyJourney:
    def test_it_shows_my_stage_why_my_history_activity_and_what_to_try_next(self, login, lyon, alice):
        page = login(alice).get(reverse("accompaniment:journey")).text
        assert "Disappointment" in page
        assert "No activity in the last 28 days" in page
        assert "You have not used the network lately" in page
        assert "Things have moved since your last visit" in page  # the playbook's suggestion
        assert "My stage history" in page and "Discovery" in page
        assert "Download everything (JSON)" in page
        assert "Nobody has looked at your journey." in page

    def test_it_speaks_french(self, login, lyon, bob):
        person_language_set(person=bob, language="fr")
        page = login(bob).get(reverse("accompaniment:journey")).text
        with translation.override("fr"):
            assert translation.gettext("My journey") in page
            assert str(Stage.DISCOVERY.label).capitalize() in page or translation.gettext("discovery").capitalize() in page

    def test_the_user_menu_leads_to_it(self, login, alice):
        assert reverse("accompaniment:journey") in login(alice).get(reverse("home")).text

    def test_an_operator_without_a_profile_gets_404(self, client, db):
        from bascule.people.models import User

        operator = User.objects.create_superuser(email="root@example.com", password="x")
        client.force_login(operator)
        assert client.get(reverse("accompaniment:journey")).status_code == 404

    def test_it_asks_for_a_login(self, client, db):
        response = client.get(reverse("accompaniment:journey"))
        assert response.status_code == 302 and "/login/" in response["Location"]


class TestMyData:
    def test_the_download_holds_my_records_and_nobody_elses(self, login, lyon, alice, bob, amy, mode_on):
        space = network_actions.space_create(actor=alice, name="Alice's corner")
        network_actions.post_create(actor=alice, space=space, title="Hello", body="Mine")
        network_actions.space_join(actor=bob, space=space)
        network_actions.post_create(actor=bob, space=space, title="Bob's", body="Not hers")
        actions.journey_look_record(actor=amy, person=alice)
        actions.accompany_log(actor=amy, person=alice, kind="conversation", note="Coffee on Tuesday")
        # What the cockpit counted of her yesterday (the daily task's facts) is hers too.
        from datetime import timedelta

        from bascule.adoption.actions import facts_record
        from bascule.adoption.ledger import local_day
        from django.utils import timezone

        yesterday = local_day(timezone.now()) - timedelta(days=1)
        facts_record(day=yesterday)
        response = login(alice).get(reverse("accompaniment:download"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        assert "attachment" in response["Content-Disposition"]
        data = json.loads(response.content)
        assert data["profile"]["email"] == "alice@example.com"
        assert data["profile"]["manager"] == "Dave Durand"
        assert [post["title"] for post in data["posts"]] == ["Hello"]
        assert len(data["adoption"]["events"]) == Event.objects.filter(person=alice).count()
        assert {s["stage"] for s in data["adoption"]["stage_history"]} >= {"discovery", "disappointment"}
        assert [(f["day"], f["stage"]) for f in data["adoption"]["cockpit_facts"]] == [
            (yesterday.isoformat(), data["adoption"]["stage_history"][-1]["stage"])
        ]
        assert data["accompaniment"]["journey_looks"][0]["who"] == "Amy Roux"
        assert data["accompaniment"]["actions_about_me"][0]["note"] == "Coffee on Tuesday"
        assert data["notification_settings"]["digest_frequency"] == "weekly"
        text = response.content.decode()
        assert "bob@example.com" not in text and "Not hers" not in text

    def test_the_events_as_csv(self, login, lyon, bob):
        response = login(bob).get(reverse("accompaniment:download") + "?format=csv")
        lines = response.content.decode().splitlines()
        assert lines[0] == "occurred_at,kind,about,source"
        assert len(lines) == 1 + Event.objects.filter(person=bob).count()
        assert all(line.split(",")[0].endswith("Z") for line in lines[1:])

    def test_a_bad_format_is_refused(self, login, alice):
        assert login(alice).get(reverse("accompaniment:download") + "?format=xml").status_code == 400


class TestTransparency:
    def test_every_employee_reads_what_is_measured_who_sees_what_and_for_how_long(self, login, carol, settings):
        settings.BASCULE_EVENT_RETENTION_DAYS = 90
        page = login(carol).get(reverse("accompaniment:transparency")).text
        assert "Never measured: time spent" in page
        assert "groups of at least 5 people" in page
        assert "deleted after 90 days" in page
        assert "Nobody but you sees your stage." in page

    def test_it_shows_the_mode_its_justification_and_its_history(self, login, carol, ada, mode_on):
        page = login(carol).get(reverse("accompaniment:transparency")).text
        assert WHY in page and "Ada Lovel" in page
        actions.accompaniment_mode_set(actor=ada, enabled=False, justification="End of the pilot, as planned in January.")
        page = login(carol).get(reverse("accompaniment:transparency")).text
        assert "End of the pilot" in page and WHY in page


class TestMode:
    def test_it_is_off_by_default(self, db):
        assert not accompaniment.mode_is_on()

    def test_only_an_administrator_switches_it_with_a_justification(self, login, ada, alice):
        response = login(alice).post(reverse("accompaniment:mode"), {"enabled": "on", "justification": WHY})
        assert response.status_code == 403
        response = login(ada).post(reverse("accompaniment:mode"), {"enabled": "on", "justification": "because"})
        assert response.status_code == 400 and "at least 20 characters" in response.text
        assert not AccompanimentModeChange.objects.exists()
        response = login(ada).post(reverse("accompaniment:mode"), {"enabled": "on", "justification": WHY})
        assert response.status_code == 302
        assert accompaniment.mode_is_on()
        change = AccompanimentModeChange.objects.get()
        assert change.actor == ada and change.justification == WHY

    def test_switching_to_the_same_state_changes_nothing(self, login, ada, mode_on):
        response = login(ada).post(reverse("accompaniment:mode"), {"enabled": "on", "justification": WHY})
        assert response.status_code == 400 and "already on" in response.text
        assert AccompanimentModeChange.objects.count() == 1


class TestQueue:
    def test_an_ambassador_sees_the_new_the_stuck_and_the_silent_of_their_site(self, login, lyon, amy, mode_on):
        page = login(amy).get(reverse("accompaniment:home"))
        assert page.status_code == 200
        entries = {entry.person.display_name: entry.reason for entry in accompaniment.queue(amy)}
        assert entries == {"Bob Bernard": "new", "Alice Martin": "silent", "Stan Leroy": "stuck"}
        text = page.text
        assert "Bob Bernard" in text and "Stan Leroy" in text and "Alice Martin" in text
        assert "Carol Petit" not in text  # Paris
        assert "Nina Faure" not in text  # participation for two weeks only
        assert "Welcome them" in text  # the playbook's action for discovery

    def test_no_queue_and_no_stage_while_the_mode_is_off(self, login, lyon, amy, bob):
        page = login(amy).get(reverse("accompaniment:home")).text
        assert "The accompaniment mode is off" in page and "Bob Bernard" not in page
        assert accompaniment.queue(amy) == []
        assert login(amy).get(reverse("accompaniment:person", args=[bob.pk])).status_code == 404
        assert not JourneyLook.objects.exists()

    def test_a_referent_gets_the_queue_of_their_scope(self, login, lyon, org, ada, mode_on):
        rita = make_person("Rita Moreau", "rita@example.com", department=org["sales"], site=org["paris"])
        actions.role_assign(actor=ada, person=rita, kind=RoleKind.REFERENT, scope={"site": [org["paris"].pk]})
        assert [e.person.display_name for e in accompaniment.queue(rita)] == ["Carol Petit"]

    def test_managers_hr_and_colleagues_see_no_stage(self, login, lyon, alice, bob, dave, hector, mode_on):
        for viewer in (dave, hector, bob):
            assert login(viewer).get(reverse("accompaniment:home")).status_code == 403
            response = login(viewer).get(reverse("accompaniment:person", args=[alice.pk]))
            assert response.status_code == 404
            assert login(viewer).post(reverse("accompaniment:accompany", args=[alice.pk]), {"kind": "message"}).status_code == 404
        assert not JourneyLook.objects.exists() and not AccompanimentAction.objects.exists()
        # Alice's profile, as her manager sees it, tells nothing of her stage.
        profile = login(dave).get(alice.get_absolute_url()).text
        assert "Disappointment" not in profile and "disappointment" not in profile

    def test_an_administrator_without_an_accompanying_role_sees_no_queue(self, login, lyon, ada, alice, mode_on):
        page = login(ada).get(reverse("accompaniment:home")).text
        assert "Accompaniment mode" in page and "My queue" not in page
        assert login(ada).get(reverse("accompaniment:person", args=[alice.pk])).status_code == 404

    def test_people_who_opted_out_are_never_in_the_queue(self, login, lyon, amy, alice, mode_on):
        response = login(alice).post(reverse("accompaniment:settings"), {"nudges": "on"})
        assert response.status_code == 302
        assert accompaniment.preference_for(alice).opted_out
        assert "Alice Martin" not in login(amy).get(reverse("accompaniment:home")).text
        assert login(amy).get(reverse("accompaniment:person", args=[alice.pk])).status_code == 404
        assert "You chose not to be accompanied" in login(alice).get(reverse("accompaniment:journey")).text

    def test_the_queue_costs_the_same_queries_for_more_people(self, login, org, lyon, amy, mode_on, django_assert_num_queries):
        client = login(amy)
        client.get(reverse("accompaniment:home"))

        def queries_of_the_page():
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse("accompaniment:home")).status_code == 200
            return len(captured)

        before = queries_of_the_page()
        for number in range(6):
            newcomer = make_person(f"New Comer{number}", f"new{number}@example.com", site=org["lyon"])
            StageChange.objects.create(person=newcomer, day=today() - datetime.timedelta(days=1), stage=Stage.DISCOVERY)
        assert len(accompaniment.queue(amy)) == 9
        assert queries_of_the_page() == before


class TestLooksAndActions:
    def test_opening_a_journey_is_logged_and_the_person_sees_who_and_when(self, login, lyon, amy, bob, mode_on):
        page = login(amy).get(reverse("accompaniment:person", args=[bob.pk]))
        assert page.status_code == 200
        assert "Discovery" in page.text and "Welcome them" in page.text
        assert "Hello Bob" not in page.text and "Welcome, Bob!" in page.text  # the message template, filled in
        look = JourneyLook.objects.get()
        assert (look.person, look.viewer, look.role_kind) == (bob, amy, RoleKind.AMBASSADOR)
        mine = login(bob).get(reverse("accompaniment:journey")).text
        assert "Amy Roux" in mine and "ambassador" in mine

    def test_logging_an_action_records_the_accompany_event(self, login, lyon, amy, bob, mode_on):
        response = login(amy).post(
            reverse("accompaniment:accompany", args=[bob.pk]), {"kind": "conversation", "note": "Showed the Lyon space"}
        )
        assert response.status_code == 302
        action = AccompanimentAction.objects.get()
        assert (action.person, action.accompanier, action.kind, action.stage) == (bob, amy, "conversation", "discovery")
        event = Event.objects.get(person=amy, kind=EventKind.ACCOMPANY)
        assert (event.object_type, event.object_id) == ("programs.accompanimentaction", action.pk)
        mine = login(bob).get(reverse("accompaniment:journey")).text
        assert "Showed the Lyon space" in mine

    def test_a_bad_action_is_refused_and_changes_nothing(self, login, lyon, amy, bob, mode_on):
        response = login(amy).post(reverse("accompaniment:accompany", args=[bob.pk]), {"kind": "spy", "note": ""})
        assert response.status_code == 400
        assert not AccompanimentAction.objects.exists()
        assert not Event.objects.filter(kind=EventKind.ACCOMPANY).exists()

    def test_someone_outside_the_scope_cannot_be_opened(self, login, lyon, amy, carol, mode_on):
        assert login(amy).get(reverse("accompaniment:person", args=[carol.pk])).status_code == 404
        assert not JourneyLook.objects.exists()


class TestPlaybooks:
    def test_defaults_exist_for_every_stage_in_both_languages(self, db):
        for language in ("en", "fr"):
            with translation.override(language):
                books = accompaniment.playbooks()
                assert set(books) == set(Stage.values)
                assert all(book.suggestion and book.message and book.action for book in books.values())
        with translation.override("fr"):
            assert "Bienvenue" in accompaniment.playbooks()[Stage.DISCOVERY].message

    def test_an_edit_is_read_at_once_though_the_rows_are_cached(self, ada, django_assert_num_queries, django_capture_on_commit_callbacks):
        accompaniment.playbooks()
        with django_assert_num_queries(0):
            assert accompaniment.playbooks()["discovery"].edited is False
        with django_capture_on_commit_callbacks(execute=True):
            actions.playbook_edit(actor=ada, stage="discovery", suggestion_en="Say hello in Welcome.")
        assert accompaniment.playbooks()["discovery"].suggestion == "Say hello in Welcome."

    def test_an_administrator_edits_a_playbook_in_both_languages(self, login, ada, alice):
        data = {
            "participation-suggestion_en": "Answer one question this week.",
            "participation-suggestion_fr": "Répondez à une question cette semaine.",
            "participation-resource_url": "/questions/",
            "participation-resource_label_en": "Open questions",
        }
        response = login(ada).post(reverse("accompaniment:playbook_edit", args=["participation"]), data)
        assert response.status_code == 302
        row = Playbook.objects.get(stage="participation")
        assert row.updated_by == ada and row.suggestion_fr.startswith("Répondez")
        with translation.override("fr"):
            book = accompaniment.playbooks()["participation"]
            assert book.suggestion.startswith("Répondez") and book.resource_label == "Open questions"
        with translation.override("en"):
            assert accompaniment.playbooks()["participation"].suggestion == "Answer one question this week."
        page = login(alice).get(reverse("accompaniment:playbooks")).text
        assert "Answer one question this week." in page
        assert 'class="role-describe"' not in page  # no edit form for alice

    def test_non_administrators_cannot_edit(self, login, alice):
        response = login(alice).post(
            reverse("accompaniment:playbook_edit", args=["participation"]), {"participation-suggestion_en": "x"}
        )
        assert response.status_code == 403
        assert not Playbook.objects.exists()

    def test_a_dangerous_link_or_a_secret_space_is_refused(self, login, ada, alice):
        response = login(ada).post(
            reverse("accompaniment:playbook_edit", args=["discovery"]), {"discovery-resource_url": "javascript:alert(1)"}
        )
        assert response.status_code == 302
        assert not Playbook.objects.exists()
        secret = network_actions.space_create(actor=alice, name="Board", visibility=Visibility.SECRET)
        response = login(ada).post(reverse("accompaniment:playbook_edit", args=["discovery"]), {"discovery-space": secret.pk})
        assert response.status_code == 302
        assert not Playbook.objects.exists()

    def test_an_unknown_stage_is_404(self, login, ada):
        assert login(ada).post(reverse("accompaniment:playbook_edit", args=["nirvana"]), {}).status_code == 404


class TestNudges:
    @pytest.fixture(autouse=True)
    def _send(self, django_capture_on_commit_callbacks):
        # The e-mail leaves once the nudge is recorded (on commit).
        def send():
            with django_capture_on_commit_callbacks(execute=True):
                return nudges_send_due.call()

        self.send = send

    def test_at_most_one_every_fourteen_days(self, lyon, bob, alice, settings):
        settings.BASCULE_NUDGE_INTERVAL_DAYS = 14
        sent = self.send()
        nudged = set(Nudge.objects.values_list("person__display_name", flat=True))
        assert {"Bob Bernard", "Alice Martin", "Stan Leroy", "Nina Faure", "Carol Petit"} == nudged
        assert sent == len(mail.outbox) == 5
        message = next(m for m in mail.outbox if m.to == ["bob@example.com"])
        assert "Welcome, Bob!" in message.body and "/journey/settings/" in message.body
        assert self.send() == 0 and len(mail.outbox) == 5
        # Fourteen days later, again.
        Nudge.objects.update(sent_at=Nudge.objects.first().sent_at - datetime.timedelta(days=14, minutes=1))
        assert self.send() == 5

    def test_people_who_turned_them_off_get_none(self, login, lyon, bob):
        login(bob).post(reverse("accompaniment:settings"), {"accompanied": "on"})
        assert accompaniment.preference_for(bob).nudges_off
        self.send()
        assert not Nudge.objects.filter(person=bob).exists()
        assert all(m.to != ["bob@example.com"] for m in mail.outbox)

    def test_in_the_persons_language_and_shown_on_their_journey(self, login, lyon, bob):
        person_language_set(person=bob, language="fr")
        self.send()
        message = next(m for m in mail.outbox if m.to == ["bob@example.com"])
        assert message.extra_headers["Content-Language"] == "fr" and "Bienvenue" in message.body
        assert Nudge.objects.get(person=bob).subject in login(bob).get(reverse("accompaniment:journey")).text

    def test_nobody_in_the_information_stage_is_nudged(self, org):
        quiet = make_person("Quiet Person", "quiet@example.com", site=org["lyon"])
        stage_changes_record(day=today() - datetime.timedelta(days=1))
        assert StageChange.objects.get(person=quiet).stage == Stage.INFORMATION
        assert self.send() == 0


def test_my_journey_costs_the_same_queries_with_more_history_and_looks(login, lyon, amy, bob, mode_on):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(bob)
    client.get(reverse("accompaniment:journey"))

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("accompaniment:journey")).status_code == 200
        return len(captured)

    before = count()
    for number in range(5):
        actions.journey_look_record(actor=amy, person=bob)
        actions.accompany_log(actor=amy, person=bob, kind="message", note=f"Note {number}")
        StageChange.objects.create(person=bob, day=today() - datetime.timedelta(days=200 + number), stage=Stage.INFORMATION)
    assert count() == before


def test_my_home_page_shows_my_stage_and_one_suggestion(login, lyon, bob):
    page = login(bob).get(reverse("home")).text
    assert 'class="card journey-card"' in page
    assert "Discovery" in page and "Complete your profile, join two spaces" in page
    assert reverse("accompaniment:journey") in page


def test_the_edit_form_starts_from_the_default_words(login, ada):
    page = login(ada).get(reverse("accompaniment:playbooks")).text
    assert "Bienvenue, {name}" in page and "Welcome, {name}" in page


def test_the_transparency_page_counts_the_accompaniers_and_links_to_governance(login, amy, carol):
    page = login(carol).get(reverse("accompaniment:transparency")).text
    assert "1 person holds one of these roles today" in page
    assert reverse("programs:governance") in page
    assert "which features they used) is kept 35 days, then deleted." in page


def test_someone_who_has_not_started_yet_gets_a_calm_page(login, org):
    newcomer = make_person(
        "Lea Future", "lea@example.com", site=org["lyon"], start_date=today() + datetime.timedelta(days=10)
    )
    page = login(newcomer).get(reverse("accompaniment:journey"))
    assert page.status_code == 200
    assert "Your journey starts on your first day with us." in page.text
    assert 'class="card journey-card"' not in login(newcomer).get(reverse("home")).text
