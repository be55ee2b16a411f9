"""Initiatives, case studies and recognition through real HTTP.

Alice (Sales, Lyon) leads an initiative; rita is the referent of Sales at Lyon; carol (IT,
Paris) is outside rita's scope; cora is a community manager of Sales.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bascule.adoption.models import Event, EventKind
from bascule.network import actions as network_actions
from bascule.network.models import PostKind, Space, Visibility
from bascule.notify.models import Notification, NotificationKind
from bascule.programs import actions
from bascule.programs import initiatives_queries as iq
from bascule.programs.models import (
    CaseStudy,
    CaseStudyStatus,
    Initiative,
    InitiativeBlocker,
    Recognition,
    RoleKind,
)
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def cora(org, ada):
    cora = make_person("Cora Leroy", "cora@example.com", department=org["sales"], site=org["paris"])
    actions.role_assign(actor=ada, person=cora, kind=RoleKind.COMMUNITY_MANAGER, scope={"department": [org["sales"].pk]})
    return cora


def launch(lead, title="Zéro papier en agence", **kwargs):
    return actions.initiative_launch(actor=lead, title=title, purpose=kwargs.pop("purpose", "Moins de papier"), **kwargs)


def complete_case_study(lead, initiative, contact, tags="Logistique, Agences"):
    return actions.case_study_save(
        actor=lead, initiative=initiative, title="Zéro papier : le retour", context="Des agences noyées sous le papier.",
        actions_taken="Un espace projet, des questions chaque semaine.", results="40 % de papier en moins.",
        lessons="Commencer petit.", contact=contact, tags=tags,
    )


class TestLaunch:
    def test_a_lead_launches_with_a_new_project_space_and_the_checklist_ticks_from_facts(self, login, alice, bob, carol, dave):
        client = login(alice)
        response = client.post(
            reverse("programs:initiative_launch"),
            {"title": "Zéro papier", "purpose": "Moins de papier", "rules": "", "visibility": "public"},
        )
        initiative = Initiative.objects.get()
        assert response.status_code == 302 and response.url == initiative.get_absolute_url()
        assert initiative.space.kind == "project" and initiative.lead == alice
        assert Event.objects.filter(person=alice, kind=EventKind.JOIN).count() == 1

        done = {item.key: item.done for item in iq.checklist(iq.initiative_for(alice, initiative.pk))}
        assert done == {"purpose": True, "rules": False, "seed": False, "invited": False, "question": False}

        space = initiative.space
        network_actions.post_create(actor=alice, space=space, kind=PostKind.QUESTION, title="Par où commencer ?", body="Idées ?")
        for person in (bob, carol, dave):
            network_actions.space_invite(actor=alice, space=space, person=person)
        done = {item.key: item.done for item in iq.checklist(iq.initiative_for(alice, initiative.pk))}
        assert done == {"purpose": True, "rules": False, "seed": True, "invited": True, "question": True}
        page = client.get(initiative.get_absolute_url()).text
        assert "Launch checklist" in page and "Write the few rules" in page

    def test_linking_a_space_one_does_not_own_is_refused_and_changes_nothing(self, login, alice, bob):
        space = network_actions.space_create(actor=bob, name="Atelier de Bob")
        response = login(alice).post(
            reverse("programs:initiative_launch"), {"title": "Vol", "space": space.pk, "visibility": "public"}
        )
        assert response.status_code == 400
        assert Initiative.objects.count() == 0

    def test_linking_an_owned_space_and_an_empty_title(self, login, alice):
        space = network_actions.space_create(actor=alice, name="Mon atelier", purpose="Un atelier")
        client = login(alice)
        response = client.post(reverse("programs:initiative_launch"), {"title": "  ", "space": space.pk, "visibility": "public"})
        assert response.status_code == 400 and Initiative.objects.count() == 0
        response = client.post(reverse("programs:initiative_launch"), {"title": "Atelier", "space": space.pk, "visibility": "public"})
        assert response.status_code == 302 and Initiative.objects.get().space == space
        assert Space.objects.count() == 1


class TestWhoSees:
    def test_referents_of_the_scope_see_the_blockers_nobody_else_does(self, login, alice, rita, paul, cora, carol, ada):
        initiative = launch(alice)
        actions.blocker_add(actor=alice, initiative=initiative, text="Mon manager ne libère pas de temps.")
        url = initiative.get_absolute_url()
        assert "Mon manager" in login(rita).get(url).text
        # A community manager of the scope and an administrator see the initiative, not its blockers.
        for person in (cora, ada):
            page = login(person).get(url)
            assert page.status_code == 200 and "Mon manager" not in page.text and "Blockers log" not in page.text
        # Outside the scope: the initiative does not exist for them.
        for person in (paul, carol):
            assert login(person).get(url).status_code == 404

    def test_a_referent_resolves_and_an_outsider_cannot_add(self, login, alice, rita, cora):
        initiative = launch(alice)
        blocker = actions.blocker_add(actor=alice, initiative=initiative, text="Pas de budget.")
        response = login(rita).post(reverse("programs:blocker_resolve", args=[initiative.pk, blocker.pk]))
        assert response.status_code == 302
        blocker.refresh_from_db()
        assert blocker.status == "resolved" and blocker.resolved_by == rita
        response = login(cora).post(reverse("programs:blocker_add", args=[initiative.pk]), {"text": "Intrusion"})
        assert response.status_code == 403 and "referents" in response.text
        assert InitiativeBlocker.objects.count() == 1

    def test_an_empty_or_too_long_blocker_is_refused(self, login, alice):
        initiative = launch(alice)
        client = login(alice)
        for text in ("   ", "x" * 1001):
            assert client.post(reverse("programs:blocker_add", args=[initiative.pk]), {"text": text}).status_code == 400
        assert InitiativeBlocker.objects.count() == 0

    def test_a_secret_initiative_stays_unknown_to_a_referent_who_is_not_a_member(self, login, alice, rita):
        initiative = launch(alice, title="Projet discret", visibility=Visibility.SECRET)
        assert login(rita).get(initiative.get_absolute_url()).status_code == 404
        assert "Projet discret" not in login(rita).get(reverse("programs:initiatives")).text
        assert login(alice).get(initiative.get_absolute_url()).status_code == 200

    def test_content_facts_of_a_private_space_are_hidden_from_non_members(self, alice, rita):
        initiative = launch(alice, visibility=Visibility.PRIVATE)
        network_actions.post_create(actor=alice, space=initiative.space, kind=PostKind.QUESTION, title="Q ?", body="?")
        items = {item.key: item.done for item in iq.checklist(iq.initiative_for(rita, initiative.pk))}
        assert items["purpose"] is True and items["seed"] is None and items["question"] is None

    def test_the_list_costs_the_same_number_of_queries_whatever_the_number_of_initiatives(self, login, org, alice, bob, rita):
        client = login(rita)
        launch(alice, title="Un")
        client.get(reverse("programs:initiatives"))
        with CaptureQueriesContext(connection) as one:
            assert client.get(reverse("programs:initiatives")).status_code == 200
        for i in range(4):
            lead = make_person(f"Lead {i}", f"lead{i}@example.com", department=org["sales"], site=org["lyon"])
            launch(lead, title=f"Initiative {i}")
        client.get(reverse("programs:initiatives"))  # new spaces to know: the header counts again, once
        with CaptureQueriesContext(connection) as many:
            page = client.get(reverse("programs:initiatives")).text
        assert "Initiative 3" in page
        assert len(many) == len(one)

    def test_the_list_shows_open_blockers_to_referents_not_to_community_managers(self, login, alice, rita, cora):
        initiative = launch(alice)
        actions.blocker_add(actor=alice, initiative=initiative, text="Pas de budget.")
        assert "1 open blocker" in login(rita).get(reverse("programs:initiatives")).text
        page = login(cora).get(reverse("programs:initiatives")).text
        assert "Zéro papier en agence" in page and "open blocker" not in page


class TestCaseStudies:
    def test_draft_submit_review_publish_and_find_it_in_the_library(self, login, alice, bob, cora, carol):
        initiative = launch(alice)
        client = login(alice)
        response = client.post(
            reverse("programs:case_study_edit", args=[initiative.pk]),
            {"title": "Zéro papier : le retour", "context": "Des agences noyées.", "actions_taken": "Un espace.",
             "results": "40 % de papier en moins.", "lessons": "Commencer petit.", "contact": bob.pk,
             "tags": "Logistique, Agences", "submit": "1"},
        )
        case_study = CaseStudy.objects.get()
        assert response.status_code == 302 and case_study.status == CaseStudyStatus.SUBMITTED
        # Not published yet: carol does not see it.
        assert login(carol).get(case_study.get_absolute_url()).status_code == 404
        page = login(cora).get(reverse("programs:initiatives")).text
        assert "Case studies to review" in page and "Zéro papier : le retour" in page
        response = login(cora).post(reverse("programs:case_study_review", args=[case_study.pk]), {"decision": "approve", "note": "Bravo"})
        assert response.status_code == 302
        case_study.refresh_from_db()
        assert case_study.status == CaseStudyStatus.PUBLISHED and case_study.reviewed_by == cora
        assert Event.objects.filter(person=alice, kind=EventKind.POST, object_type="programs.casestudy").count() == 1
        assert Notification.objects.filter(recipient=alice, kind=NotificationKind.CASE_STUDY_REVIEWED).exists()

        library = login(carol)
        assert "Zéro papier" in library.get(reverse("programs:case_studies"), {"q": "ZERO PAPIER"}).text
        assert "Zéro papier" in library.get(reverse("programs:case_studies"), {"tag": "logistique"}).text
        assert "Zéro papier" not in library.get(reverse("programs:case_studies"), {"tag": "finance"}).text
        assert "Zéro papier" not in library.get(reverse("programs:case_studies"), {"q": "tracteur"}).text
        assert library.get(case_study.get_absolute_url()).status_code == 200

    def test_submitting_an_incomplete_case_study_is_refused(self, login, alice):
        initiative = launch(alice)
        response = login(alice).post(
            reverse("programs:case_study_edit", args=[initiative.pk]), {"title": "Brouillon", "context": "Un début", "submit": "1"}
        )
        assert response.status_code == 400 and "Before submitting, complete" in response.text
        assert CaseStudy.objects.get().status == CaseStudyStatus.DRAFT

    def test_reviewing_without_the_role_or_outside_the_scope_is_refused(self, login, org, ada, alice, bob, rita, carol):
        initiative = launch(alice)
        case_study = actions.case_study_submit(actor=alice, case_study=complete_case_study(alice, initiative, bob))
        it_manager = make_person("Ivan Roux", "ivan@example.com", department=org["it"], site=org["paris"])
        actions.role_assign(actor=ada, person=it_manager, kind=RoleKind.COMMUNITY_MANAGER, scope={"department": [org["it"].pk]})
        url = reverse("programs:case_study_review", args=[case_study.pk])
        # The referent of the lead reads it but does not hold the role that reviews.
        assert login(rita).get(case_study.get_absolute_url()).status_code == 200
        response = login(rita).post(url, {"decision": "approve"})
        assert response.status_code == 403 and "community manager" in response.text
        # A community manager of another scope is told it is outside theirs.
        response = login(it_manager).post(url, {"decision": "approve"})
        assert response.status_code == 403 and "Only a community manager" in response.text
        # Refused before the form is read: a malformed decision is still a refusal.
        response = login(it_manager).post(url, {"decision": "burn it"})
        assert response.status_code == 403 and "Only a community manager" in response.text
        # The lead does not review their own; anybody else learns nothing.
        assert login(alice).post(url, {"decision": "approve"}).status_code == 403
        assert login(carol).post(url, {"decision": "approve"}).status_code == 404
        with pytest.raises(PermissionDenied):
            actions.case_study_review(actor=rita, case_study=case_study, approve=True)
        case_study.refresh_from_db()
        assert case_study.status == CaseStudyStatus.SUBMITTED and case_study.reviewed_by is None

    def test_sending_back_needs_a_reason_and_returns_to_draft(self, login, alice, bob, cora):
        initiative = launch(alice)
        case_study = actions.case_study_submit(actor=alice, case_study=complete_case_study(alice, initiative, bob))
        client = login(cora)
        response = client.post(reverse("programs:case_study_review", args=[case_study.pk]), {"decision": "send_back", "note": ""})
        assert response.status_code == 400 and "Say why" in response.text
        case_study.refresh_from_db()
        assert case_study.status == CaseStudyStatus.SUBMITTED
        client.post(reverse("programs:case_study_review", args=[case_study.pk]), {"decision": "send_back", "note": "Des chiffres ?"})
        case_study.refresh_from_db()
        assert case_study.status == CaseStudyStatus.DRAFT and case_study.review_note == "Des chiffres ?"
        assert "Des chiffres ?" in login(alice).get(initiative.get_absolute_url()).text

    def test_a_published_case_study_of_a_secret_space_does_not_name_the_space(self, login, alice, bob, cora, carol):
        initiative = launch(alice, visibility=Visibility.SECRET)
        case_study = actions.case_study_submit(actor=alice, case_study=complete_case_study(alice, initiative, bob))
        actions.case_study_review(actor=cora, case_study=case_study, approve=True)
        page = login(carol).get(case_study.get_absolute_url()).text
        assert initiative.space.get_absolute_url() not in page
        assert initiative.space.get_absolute_url() in login(alice).get(case_study.get_absolute_url()).text

    def test_the_library_costs_the_same_number_of_queries_whatever_the_number_of_case_studies(self, login, org, bob, cora, carol):
        client = login(carol)

        def publish(i):
            lead = make_person(f"Lead {i}", f"lead{i}@example.com", department=org["sales"], site=org["lyon"])
            initiative = launch(lead, title=f"Initiative {i}")
            case_study = actions.case_study_submit(actor=lead, case_study=complete_case_study(lead, initiative, bob))
            actions.case_study_review(actor=cora, case_study=case_study, approve=True)

        publish(0)
        client.get(reverse("programs:case_studies"))
        with CaptureQueriesContext(connection) as one:
            client.get(reverse("programs:case_studies"))
        for i in range(1, 5):
            publish(i)
        client.get(reverse("programs:case_studies"))  # new spaces to know: the header counts again, once
        with CaptureQueriesContext(connection) as many:
            client.get(reverse("programs:case_studies"))
        assert len(many) == len(one)


class TestRecognition:
    def test_thanking_a_colleague_records_notifies_and_shows_on_the_profile(self, login, alice, bob):
        response = login(alice).post(reverse("programs:thank", args=[bob.pk]), {"message": "Merci pour le coup de main !"})
        assert response.status_code == 302
        assert Event.objects.filter(person=alice, kind=EventKind.RECOGNIZE).count() == 1
        assert Notification.objects.filter(recipient=bob, kind=NotificationKind.RECOGNITION, actor=alice).exists()
        client = login(bob)
        page = client.get(bob.get_absolute_url()).text
        assert "Merci pour le coup de main !" in page and "Alice Martin" in page
        assert "thanked you" in client.get(reverse("notify:list")).text

    @pytest.mark.parametrize("message", ["", "   ", "x" * 281])
    def test_empty_or_too_long_thanks_are_refused(self, login, alice, bob, message):
        response = login(alice).post(reverse("programs:thank", args=[bob.pk]), {"message": message})
        assert response.status_code == 400
        assert Recognition.objects.count() == 0 and Event.objects.filter(kind=EventKind.RECOGNIZE).count() == 0

    def test_thanking_oneself_is_refused(self, login, alice):
        response = login(alice).post(reverse("programs:thank", args=[alice.pk]), {"message": "Bravo moi"})
        assert response.status_code == 400 and "not to yourself" in response.text
        assert Recognition.objects.count() == 0

    def test_top_contributors_only_show_people_who_agreed(self, login, alice, bob, carol):
        space = network_actions.space_create(actor=alice, name="Qualité")
        network_actions.space_join(actor=bob, space=space)
        for person in (alice, alice, bob):
            network_actions.post_create(actor=person, space=space, kind=PostKind.DISCUSSION, title="", body="Bonjour")
        client = login(carol)
        page = client.get(reverse("programs:recognition")).text
        assert "Alice Martin" not in page and "Bob Bernard" not in page  # off by default
        login(alice).post(reverse("programs:contributor_consent"), {"shown": "1"})
        client = login(carol)
        page = client.get(reverse("programs:recognition")).text
        assert "Alice Martin" in page and "2 contributions" in page and "Bob Bernard" not in page
        page = client.get(reverse("programs:recognition"), {"space": space.slug, "days": "90"}).text
        assert "Alice Martin" in page and "Bob Bernard" not in page
        login(alice).post(reverse("programs:contributor_consent"), {"shown": "0"})
        assert "Alice Martin" not in login(carol).get(reverse("programs:recognition")).text

    def test_the_top_list_costs_the_same_number_of_queries_whatever_the_number_of_people(self, login, org, carol):
        def contributor(i):
            person = make_person(f"Contributor {i}", f"c{i}@example.com", department=org["sales"], site=org["lyon"])
            actions.contributor_consent_set(actor=person, shown=True)
            network_actions.post_create(actor=person, space=None, kind=PostKind.DISCUSSION, title="", body="Bonjour")

        client = login(carol)
        contributor(0)
        client.get(reverse("programs:recognition"))
        with CaptureQueriesContext(connection) as one:
            client.get(reverse("programs:recognition"))
        for i in range(1, 6):
            contributor(i)
        with CaptureQueriesContext(connection) as many:
            page = client.get(reverse("programs:recognition")).text
        assert "Contributor 5" in page
        assert len(many) == len(one)

    def test_top_contributors_of_a_space_one_cannot_read_is_not_found(self, login, alice, carol):
        space = network_actions.space_create(actor=alice, name="Comité", visibility=Visibility.PRIVATE)
        assert login(carol).get(reverse("programs:recognition"), {"space": space.slug}).status_code == 404

    def test_periods_stay_within_the_retention_of_rollups(self, settings):
        settings.BASCULE_EVENT_RETENTION_DAYS = 90
        assert iq.periods() == [30, 90]
        settings.BASCULE_EVENT_RETENTION_DAYS = 0
        assert iq.periods() == [30, 90, 365]

    def test_the_period_counts_only_its_days(self, alice, bob):
        actions.contributor_consent_set(actor=alice, shown=True)
        network_actions.post_create(actor=alice, space=None, kind=PostKind.DISCUSSION, title="", body="Hello")
        today = datetime.date.today()
        assert iq.top_contributors(since=today - datetime.timedelta(days=40), until=today - datetime.timedelta(days=10)) == []
