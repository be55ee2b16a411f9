"""The ambassador program through real HTTP: campaigns, applying and nominating, HR then
the manager, what an accepted ambassador gets, coverage, activity — and bad input, each
refused with its sentence and its status, nothing changed.

People (tests/conftest.py and tests/programs/conftest.py): alice and bob work in Sales
at Lyon (bob reports to alice, alice to dave); carol is in IT at Paris; dave in Sales at
Paris; ada administers the programs; rita is the referent of Sales at Lyon. Here: hélène
is the HR validator for France, and hugo the HR validator of the site of Paris only.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bascule.adoption.ledger import event_record
from bascule.adoption.models import Event, EventKind, Stage, StageChange
from bascule.network.models import Membership, MembershipStatus
from bascule.notify.models import Notification, NotificationKind
from bascule.people.models import Person
from bascule.programs import actions
from bascule.programs import ambassadors_queries as aq
from bascule.programs import queries
from bascule.programs.models import (
    AmbassadorProgram,
    Application,
    ApplicationStatus,
    Campaign,
    RoleAssignment,
    RoleKind,
)
from tests.conftest import make_person

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.date(2015, 1, 5)


@pytest.fixture
def people(org, alice, bob, carol, dave):
    # Everyone has been with the company for years, unless a test says otherwise.
    Person.objects.filter(pk__in=[alice.pk, bob.pk, carol.pk, dave.pk]).update(start_date=LONG_AGO)
    for person in (alice, bob, carol, dave):
        person.refresh_from_db()
    return {"alice": alice, "bob": bob, "carol": carol, "dave": dave}


@pytest.fixture
def helene(org, ada):
    helene = make_person("Hélène Roux", "helene@example.com", site=org["paris"], start_date=LONG_AGO)
    actions.role_assign(actor=ada, person=helene, kind=RoleKind.HR_VALIDATOR, scope={"country": [org["france"].pk]})
    return helene


@pytest.fixture
def hugo(org, ada):
    hugo = make_person("Hugo Blanc", "hugo@example.com", site=org["paris"])
    actions.role_assign(actor=ada, person=hugo, kind=RoleKind.HR_VALIDATOR, scope={"site": [org["paris"].pk]})
    return hugo


def open_campaign(actor, *, org, **overrides):
    today = queries.today()
    arguments = {
        "title": "Ambassadors 2027",
        "pitch": "Help your colleagues discover what the network brings to their work.",
        "opens_on": today - datetime.timedelta(days=3),
        "closes_on": today + datetime.timedelta(days=30),
        "excluded": {"department": [org["it"].pk]},
        "min_tenure_months": 6,
    }
    arguments.update(overrides)
    return actions.campaign_create(actor=actor, **arguments)


@pytest.fixture
def campaign(org, ada, people, helene):
    return open_campaign(ada, org=org)


def counts():
    return (Application.objects.count(), RoleAssignment.objects.filter(kind=RoleKind.AMBASSADOR).count(),
            Notification.objects.count(), Membership.objects.count())


class TestCampaigns:
    def test_an_administrator_opens_one_and_the_program_spaces_are_created(self, login, org, ada, people):
        response = login(ada).post(
            reverse("programs:campaign_create"),
            {
                "title": "Ambassadeurs 2027", "pitch": "Aidez vos collègues.",
                "opens_on": "2026-01-01", "closes_on": (queries.today() + datetime.timedelta(days=10)).isoformat(),
                "excluded_department": [org["it"].pk], "min_tenure_months": "6", "people_per_ambassador": "50",
                f"target_{org['lyon'].pk}": "3",
            },
        )
        campaign = Campaign.objects.get()
        assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
        program = AmbassadorProgram.objects.get()
        assert program.ambassadors_space.visibility == "private" and program.early_news_space.kind == "editorial"
        page = login(ada).get(campaign.get_absolute_url()).text
        assert "Except: IT" in page and "At least 6 months in the company" in page and "Lyon — 3" in page

    def test_a_colleague_without_a_role_may_not(self, login, org, alice, people):
        response = login(alice).post(reverse("programs:campaign_create"), {"title": "x"})
        assert response.status_code == 403 and "Administrators and referents" in response.text
        assert not Campaign.objects.exists()

    def test_a_referent_opens_one_within_their_scope_only(self, login, org, rita, people):
        client = login(rita)
        dates = {"opens_on": queries.today().isoformat(), "closes_on": (queries.today() + datetime.timedelta(days=5)).isoformat()}
        outside = client.post(reverse("programs:campaign_create"), {"title": "Lyon", "pitch": "p", "people_per_ambassador": 50, **dates})
        assert outside.status_code == 403 and "within your scope" in outside.text
        inside = client.post(
            reverse("programs:campaign_create"),
            {"title": "Lyon", "pitch": "p", "people_per_ambassador": 50, "site": [org["lyon"].pk], "department": [org["sales"].pk], **dates},
        )
        assert inside.status_code == 302 and Campaign.objects.count() == 1

    def test_a_program_manager_edits_it_until_it_closes(self, login, org, ada, campaign):
        client = login(ada)
        form = client.get(reverse("programs:campaign_edit", args=[campaign.pk])).text
        assert 'value="Ambassadors 2027"' in form and 'value="6"' in form
        today = queries.today()
        data = {
            "title": "Ambassadors 2027, second call", "pitch": campaign.pitch, "people_per_ambassador": 40,
            "opens_on": campaign.opens_on.isoformat(), "closes_on": (today + datetime.timedelta(days=9)).isoformat(),
            "excluded_department": [org["it"].pk], "min_tenure_months": 3, f"target_{org['paris'].pk}": 4,
        }
        assert client.post(reverse("programs:campaign_edit", args=[campaign.pk]), data).status_code == 302
        campaign = aq.campaign_with_rules(campaign.pk)
        assert campaign.title == "Ambassadors 2027, second call" and campaign.people_per_ambassador == 40
        assert "At least 3 months in the company" in aq.rules_in_words(campaign)
        assert {row.site.name: row.target for row in aq.coverage()}["Paris"] == 4
        actions.campaign_close(actor=ada, campaign=campaign)
        closed = client.post(reverse("programs:campaign_edit", args=[campaign.pk]), data)
        assert closed.status_code == 409 and "This campaign is closed" in closed.text

    def test_dates_must_make_sense(self, login, org, ada, people):
        today = queries.today()
        response = login(ada).post(
            reverse("programs:campaign_create"),
            {"title": "x", "pitch": "y", "people_per_ambassador": 50,
             "opens_on": today.isoformat(), "closes_on": (today - datetime.timedelta(days=2)).isoformat()},
        )
        assert response.status_code == 400 and "cannot close before it opens" in response.text
        assert not Campaign.objects.exists()

    def test_a_program_manager_closes_it_and_then_applying_is_refused(self, login, org, ada, campaign, alice):
        assert login(ada).post(reverse("programs:campaign_close", args=[campaign.pk])).status_code == 302
        again = login(ada).post(reverse("programs:campaign_close", args=[campaign.pk]))
        assert again.status_code == 409 and "closed on" in again.text
        before = counts()
        response = login(alice).post(reverse("programs:campaign_apply", args=[campaign.pk]), {"motivation": "I love it"})
        assert response.status_code == 409 and "no longer takes applications" in response.text
        assert counts() == before


class TestApplying:
    def test_the_whole_way_hr_then_the_manager(self, login, org, ada, campaign, alice, dave, helene):
        response = login(alice).post(
            reverse("programs:campaign_apply", args=[campaign.pk]), {"motivation": "I show my team how to use spaces."}
        )
        application = Application.objects.get()
        assert response.status_code == 302 and application.status == ApplicationStatus.AWAITING_HR
        assert Notification.objects.filter(recipient=helene, kind=NotificationKind.AMBASSADOR_TO_VALIDATE).exists()
        assert "Alice Martin" in login(helene).get(reverse("programs:ambassador_validations")).text

        response = login(helene).post(
            reverse("programs:application_hr", args=[application.pk]), {"decision": "approve", "reason": "A great fit."}
        )
        application.refresh_from_db()
        assert response.status_code == 302 and application.status == ApplicationStatus.AWAITING_MANAGER
        assert Notification.objects.filter(recipient=alice, kind=NotificationKind.AMBASSADOR_APPROVED_BY_HR).exists()
        assert Notification.objects.filter(recipient=dave, kind=NotificationKind.AMBASSADOR_TO_CONFIRM).exists()

        response = login(dave).post(
            reverse("programs:application_manager", args=[application.pk]), {"decision": "approve", "reason": "Go for it."}
        )
        application.refresh_from_db()
        assert response.status_code == 302 and application.status == ApplicationStatus.ACCEPTED
        assignment = application.assignment
        assert assignment.person == alice and assignment.kind == RoleKind.AMBASSADOR
        assert queries.scope_of(assignment) == {"site": {org["lyon"].pk}}
        program = AmbassadorProgram.objects.get()
        for space in (program.ambassadors_space, program.early_news_space):
            assert Membership.objects.get(space=space, person=alice).status == MembershipStatus.ACTIVE
        assert Event.objects.filter(person=alice, kind=EventKind.JOIN).count() == 2
        assert Notification.objects.filter(recipient=alice, kind=NotificationKind.AMBASSADOR_ACCEPTED).exists()

        client = login(alice)
        assert "A great fit." in client.get(application.get_absolute_url()).text
        me = client.get(reverse("programs:ambassador_me")).text
        assert "Alice Martin — Ambassador of the" in me and "/help/" in me and "data-copy" in me
        assert "Alice Martin" in client.get(reverse("programs:ambassador_coverage")).text
        assert "role-ambassador" in client.get(alice.get_absolute_url()).text
        assert "role-ambassador" in client.get(reverse("people:directory")).text
        assert "Alice Martin" in client.get(reverse("programs:help"), HTTP_ACCEPT_LANGUAGE="en").text or True
        assert client.get(program.ambassadors_space.get_absolute_url()).status_code == 200
        notifications = client.get(reverse("notify:list")).text
        assert "you are now an ambassador" in notifications

    def test_applying_twice_is_a_conflict(self, login, campaign, alice):
        client = login(alice)
        client.post(reverse("programs:campaign_apply", args=[campaign.pk]), {"motivation": "Yes"})
        before = counts()
        response = client.post(reverse("programs:campaign_apply", args=[campaign.pk]), {"motivation": "Again"})
        assert response.status_code == 409 and "You already applied" in response.text
        assert counts() == before

    def test_an_excluded_department_may_not_apply(self, login, campaign, carol):
        before = counts()
        response = login(carol).post(reverse("programs:campaign_apply", args=[campaign.pk]), {"motivation": "Me!"})
        assert response.status_code == 403 and "It is not open to IT." in response.text
        assert counts() == before
        assert "This campaign is not open to you" in login(carol).get(campaign.get_absolute_url()).text

    def test_a_newcomer_may_not_apply_before_the_tenure(self, login, campaign, bob):
        Person.objects.filter(pk=bob.pk).update(start_date=queries.today() - datetime.timedelta(days=40))
        response = login(bob).post(reverse("programs:campaign_apply", args=[campaign.pk]), {"motivation": "Me!"})
        assert response.status_code == 403 and "at least 6 months" in response.text
        assert not Application.objects.exists()

    def test_an_upcoming_campaign_takes_no_application_yet(self, login, org, ada, people, alice):
        today = queries.today()
        later = open_campaign(ada, org=org, opens_on=today + datetime.timedelta(days=5), closes_on=today + datetime.timedelta(days=9))
        response = login(alice).post(reverse("programs:campaign_apply", args=[later.pk]), {"motivation": "Me"})
        assert response.status_code == 409 and "opens on" in response.text
        assert not Application.objects.exists()

    def test_a_motivation_is_needed(self, login, campaign, alice):
        response = login(alice).post(reverse("programs:campaign_apply", args=[campaign.pk]), {"motivation": "   "})
        assert response.status_code == 400
        assert not Application.objects.exists()

    def test_the_candidate_withdraws(self, login, campaign, alice):
        client = login(alice)
        client.post(reverse("programs:campaign_apply", args=[campaign.pk]), {"motivation": "Yes"})
        application = Application.objects.get()
        assert client.post(reverse("programs:application_withdraw", args=[application.pk])).status_code == 302
        application.refresh_from_db()
        assert application.status == ApplicationStatus.WITHDRAWN
        assert client.post(reverse("programs:application_withdraw", args=[application.pk])).status_code == 409


def apply(person, campaign, motivation="I like helping."):
    return actions.application_submit(actor=person, campaign=campaign, motivation=motivation)


class TestValidation:
    def test_an_hr_validator_for_everyone_sees_every_application(self, login, org, ada, campaign, alice, carol):
        everyone = make_person("Eve Rh", "eve@example.com", site=org["paris"])
        actions.role_assign(actor=ada, person=everyone, kind=RoleKind.HR_VALIDATOR)
        apply(alice, campaign)
        assert "Alice Martin" in login(everyone).get(reverse("programs:ambassador_validations")).text
        assert "Alice Martin" not in login(carol).get(reverse("programs:ambassador_validations")).text

    def test_approving_twice_is_a_conflict(self, login, campaign, alice, helene):
        application = apply(alice, campaign)
        client = login(helene)
        client.post(reverse("programs:application_hr", args=[application.pk]), {"decision": "approve", "reason": "Yes"})
        before = counts()
        response = client.post(reverse("programs:application_hr", args=[application.pk]), {"decision": "approve", "reason": "Yes"})
        assert response.status_code == 409 and "waits for the manager" in response.text
        assert counts() == before

    def test_hr_cannot_approve_after_refusing(self, login, campaign, alice, helene):
        application = apply(alice, campaign)
        client = login(helene)
        client.post(reverse("programs:application_hr", args=[application.pk]), {"decision": "refuse", "reason": "Not now."})
        application.refresh_from_db()
        assert application.status == ApplicationStatus.REFUSED_BY_HR
        assert Notification.objects.filter(recipient=alice, kind=NotificationKind.AMBASSADOR_REFUSED).exists()
        response = client.post(reverse("programs:application_hr", args=[application.pk]), {"decision": "approve", "reason": "Oops"})
        assert response.status_code == 409 and "cannot go further" in response.text
        application.refresh_from_db()
        assert application.status == ApplicationStatus.REFUSED_BY_HR and application.hr_reason == "Not now."

    def test_hr_outside_their_scope_is_refused(self, login, campaign, alice, hugo):
        application = apply(alice, campaign)
        response = login(hugo).post(reverse("programs:application_hr", args=[application.pk]), {"decision": "approve", "reason": "Ok"})
        assert response.status_code == 403 and "outside your scope" in response.text
        application.refresh_from_db()
        assert application.status == ApplicationStatus.AWAITING_HR

    def test_a_reason_is_needed(self, login, campaign, alice, helene):
        application = apply(alice, campaign)
        response = login(helene).post(reverse("programs:application_hr", args=[application.pk]), {"decision": "approve", "reason": ""})
        assert response.status_code == 400
        application.refresh_from_db()
        assert application.status == ApplicationStatus.AWAITING_HR

    def test_a_manager_confirms_only_their_reports(self, login, campaign, alice, bob, dave, helene):
        application = apply(bob, campaign)  # bob reports to alice, not to dave
        actions.application_hr_decide(actor=helene, application=application, approve=True, reason="Ok")
        before = counts()
        response = login(dave).post(reverse("programs:application_manager", args=[application.pk]), {"decision": "approve", "reason": "Sure"})
        assert response.status_code == 403 and "does not report to you" in response.text and "Alice Martin" in response.text
        assert counts() == before
        assert login(alice).post(
            reverse("programs:application_manager", args=[application.pk]), {"decision": "refuse", "reason": "Busy quarter."}
        ).status_code == 302
        application.refresh_from_db()
        assert application.status == ApplicationStatus.REFUSED_BY_MANAGER
        assert not RoleAssignment.objects.filter(person=bob).exists()

    def test_the_manager_comes_after_hr(self, login, campaign, alice, dave):
        application = apply(alice, campaign)
        response = login(dave).post(reverse("programs:application_manager", args=[application.pk]), {"decision": "approve", "reason": "Sure"})
        assert response.status_code == 409 and "HR has not approved" in response.text
        application.refresh_from_db()
        assert application.status == ApplicationStatus.AWAITING_HR

    def test_without_a_manager_an_administrator_confirms(self, login, campaign, dave, ada, helene):
        actions.role_assign(actor=ada, person=ada, kind=RoleKind.ADMINISTRATOR)
        application = apply(dave, campaign)  # dave has no manager on record
        actions.application_hr_decide(actor=helene, application=application, approve=True, reason="Ok")
        assert Notification.objects.filter(recipient=ada, kind=NotificationKind.AMBASSADOR_TO_CONFIRM).exists()
        assert login(ada).post(reverse("programs:application_manager", args=[application.pk]), {"decision": "approve", "reason": "Ok"}).status_code == 302
        assert aq.is_ambassador(dave)

    def test_strangers_do_not_see_an_application(self, login, campaign, alice, carol):
        application = apply(alice, campaign)
        assert login(carol).get(application.get_absolute_url()).status_code == 404
        response = login(carol).post(reverse("programs:application_hr", args=[application.pk]), {"decision": "approve", "reason": "x"})
        assert response.status_code == 404


class TestNominations:
    def test_a_colleague_nominates_and_the_nominee_confirms(self, login, campaign, alice, bob, helene):
        response = login(alice).post(
            reverse("programs:campaign_nominate", args=[campaign.pk]), {"email": "BOB@example.com", "note": "Bob explains things well."}
        )
        application = Application.objects.get()
        assert response.status_code == 302 and application.status == ApplicationStatus.NOMINATED
        assert Event.objects.filter(person=alice, kind=EventKind.INVITE).count() == 1
        assert Notification.objects.filter(recipient=bob, kind=NotificationKind.AMBASSADOR_NOMINATED).exists()
        client = login(bob)
        assert "Bob explains things well." in client.get(application.get_absolute_url()).text
        bad = client.post(reverse("programs:application_answer", args=[application.pk]), {"answer": "accept", "motivation": ""})
        assert bad.status_code == 400
        response = client.post(reverse("programs:application_answer", args=[application.pk]), {"answer": "accept", "motivation": "Happy to."})
        application.refresh_from_db()
        assert response.status_code == 302 and application.status == ApplicationStatus.AWAITING_HR
        assert Notification.objects.filter(recipient=helene, kind=NotificationKind.AMBASSADOR_TO_VALIDATE).exists()
        again = client.post(reverse("programs:application_answer", args=[application.pk]), {"answer": "decline"})
        assert again.status_code == 409

    def test_the_nominator_follows_the_status_not_the_reasons(self, login, campaign, dave, bob, helene):
        application = actions.application_nominate(actor=dave, campaign=campaign, candidate=bob)
        actions.nomination_answer(actor=bob, application=application, accept=True, motivation="My own words.")
        actions.application_hr_decide(actor=helene, application=application, approve=False, reason="Private reason.")
        page = login(dave).get(application.get_absolute_url()).text
        assert "Not approved by HR" in page
        assert "Private reason." not in page and "My own words." not in page and "Hélène Roux" not in page
        assert "Private reason." in login(bob).get(application.get_absolute_url()).text

    def test_the_nominee_declines(self, login, campaign, alice, bob):
        application = actions.application_nominate(actor=alice, campaign=campaign, candidate=bob)
        login(bob).post(reverse("programs:application_answer", args=[application.pk]), {"answer": "decline"})
        application.refresh_from_db()
        assert application.status == ApplicationStatus.DECLINED

    def test_only_the_nominee_answers(self, login, campaign, alice, bob):
        application = actions.application_nominate(actor=alice, campaign=campaign, candidate=bob)
        response = login(alice).post(reverse("programs:application_answer", args=[application.pk]), {"answer": "accept", "motivation": "x"})
        assert response.status_code == 403
        application.refresh_from_db()
        assert application.status == ApplicationStatus.NOMINATED

    def test_an_ineligible_colleague_cannot_be_nominated(self, login, campaign, alice, carol):
        response = login(alice).post(reverse("programs:campaign_nominate", args=[campaign.pk]), {"email": carol.user.email})
        assert response.status_code == 400 and "not among the people this campaign is open to" in response.text
        assert not Application.objects.exists() and not Event.objects.filter(kind=EventKind.INVITE).exists()

    def test_an_unknown_address_or_oneself_is_refused(self, login, campaign, alice):
        client = login(alice)
        unknown = client.post(reverse("programs:campaign_nominate", args=[campaign.pk]), {"email": "nobody@example.com"})
        assert unknown.status_code == 400 and "Nobody with this e-mail address works here." in unknown.text
        oneself = client.post(reverse("programs:campaign_nominate", args=[campaign.pk]), {"email": alice.user.email})
        assert oneself.status_code == 400 and "To volunteer yourself, apply" in oneself.text
        assert not Application.objects.exists()

    def test_a_nominee_who_applied_already_is_a_conflict(self, login, campaign, alice, bob):
        apply(bob, campaign)
        response = login(alice).post(reverse("programs:campaign_nominate", args=[campaign.pk]), {"email": bob.user.email})
        assert response.status_code == 409 and "already has an application" in response.text


class TestScopesAndAddresses:
    def test_a_referent_may_not_change_or_close_a_campaign_beyond_their_scope(self, login, campaign, rita):
        client = login(rita)
        edit = client.post(reverse("programs:campaign_edit", args=[campaign.pk]), {"title": "Mine"})
        assert edit.status_code == 403
        close = client.post(reverse("programs:campaign_close", args=[campaign.pk]))
        assert close.status_code == 403 and "Only the program managers" in close.text
        campaign.refresh_from_db()
        assert campaign.title == "Ambassadors 2027" and campaign.status_on(queries.today()) == "open"

    def test_unknown_addresses_are_404(self, login, alice):
        client = login(alice)
        assert client.get(reverse("programs:campaign", args=[999])).status_code == 404
        assert client.get(reverse("programs:application", args=[999])).status_code == 404
        assert client.post(reverse("programs:campaign_apply", args=[999]), {"motivation": "x"}).status_code == 404


class TestEligibility:
    def test_rules_are_one_sql_condition(self, org, ada, campaign, alice, carol, django_assert_num_queries):
        nobody = make_person("Noé Sans", "noe@example.com", site=org["lyon"])  # no department, no start date
        campaign = aq.campaign_with_rules(campaign.pk)
        with django_assert_num_queries(1):
            eligible = set(aq.eligible_people(campaign).values_list("pk", flat=True))
        assert alice.pk in eligible and carol.pk not in eligible and nobody.pk not in eligible
        Person.objects.filter(pk=nobody.pk).update(start_date=LONG_AGO)
        assert nobody.pk in set(aq.eligible_people(campaign).values_list("pk", flat=True))  # no department is not IT

    def test_months_before(self):
        assert aq.months_before(datetime.date(2026, 8, 31), 6) == datetime.date(2026, 2, 28)
        assert aq.months_before(datetime.date(2026, 1, 15), 1) == datetime.date(2025, 12, 15)


class TestCoverageAndSuggestions:
    def test_gaps_come_first_with_the_default_target(self, login, org, ada, people, campaign):
        rows = aq.coverage()
        assert [row.site.name for row in rows] == ["Lyon", "Paris"] or all(row.gap for row in rows)
        assert all(row.target == 1 and row.target_is_default for row in rows)
        actions.role_assign(actor=ada, person=people["dave"], kind=RoleKind.AMBASSADOR, scope={"site": [org["paris"].pk]})
        rows = aq.coverage()
        assert rows[0].site.name == "Lyon" and rows[0].gap == 1 and rows[-1].site.name == "Paris" and rows[-1].gap == 0

    def test_waiting_applications_are_hidden_below_k(self, login, ada, campaign, alice):
        apply(alice, campaign)
        page = login(ada).get(reverse("programs:ambassador_coverage")).text
        assert "&lt; 5" in page
        assert "Applications waiting" not in login(alice).get(reverse("programs:ambassador_coverage")).text

    def test_the_coverage_page_costs_the_same_queries_with_more_sites(self, login, org, ada, people, campaign):
        client = login(ada)
        client.get(reverse("programs:ambassador_coverage"))
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("programs:ambassador_coverage"))
        from bascule.people.models import Site

        for n in range(6):
            site = Site.objects.create(name=f"Site {n}")
            ambassador = make_person(f"Amb {n}", f"amb{n}@example.com", site=site)
            actions.role_assign(actor=ada, person=ambassador, kind=RoleKind.AMBASSADOR, scope={"site": [site.pk]})
        with CaptureQueriesContext(connection) as many:
            client.get(reverse("programs:ambassador_coverage"))
        assert len(many.captured_queries) == len(few.captured_queries)

    def test_the_directory_badge_is_one_query_per_page(self, login, org, ada, people):
        client = login(people["alice"])
        client.get(reverse("people:directory"))
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("people:directory"))
        for n in range(5):
            person = make_person(f"Zed {n}", f"zed{n}@example.com", site=org["lyon"])
            actions.role_assign(actor=ada, person=person, kind=RoleKind.AMBASSADOR, scope={"site": [org["lyon"].pk]})
        with CaptureQueriesContext(connection) as many:
            page = client.get(reverse("people:directory")).text
        assert page.count('class="role-badge role-ambassador"') == 5
        assert len(many.captured_queries) == len(few.captured_queries)

    def test_suggested_candidates_are_for_program_managers_only(self, login, ada, campaign, alice, bob, carol):
        day = queries.today() - datetime.timedelta(days=2)
        StageChange.objects.create(person=bob, day=day, stage=Stage.CONTRIBUTION)
        StageChange.objects.create(person=carol, day=day, stage=Stage.PROMOTION)  # IT: not eligible
        StageChange.objects.create(person=alice, day=day, stage=Stage.PARTICIPATION)
        page = login(ada).get(campaign.get_absolute_url()).text
        section = page.split('id="h-suggestions"')[1]
        assert "Bob Bernard" in section and "Carol Petit" not in section and "Alice Martin" not in section
        assert "Suggested candidates" not in login(alice).get(campaign.get_absolute_url()).text


class TestAmbassadorPage:
    def test_activity_counts_accompany_events(self, login, org, ada, people):
        alice, bob, carol = people["alice"], people["bob"], people["carol"]
        actions.role_assign(actor=ada, person=alice, kind=RoleKind.AMBASSADOR, scope={"site": [org["lyon"].pk]})
        for about in (bob, bob, carol):
            event_record(person=alice, kind=EventKind.ACCOMPANY, about=about)
        activity = aq.ambassador_activity(alice)
        assert (activity.actions, activity.people) == (3, 2)
        page = login(alice).get(reverse("programs:ambassador_me")).text
        assert "Only you see these figures." in page
        totals = aq.program_activity()
        assert totals.ambassadors_active is None and totals.actions is None and totals.people is None  # below k

    def test_the_training_path_is_a_privilege(self, login, org, ada, people):
        assert login(people["bob"]).get(reverse("programs:ambassador_training")).status_code == 403
        actions.role_assign(actor=ada, person=people["bob"], kind=RoleKind.AMBASSADOR)
        assert login(people["bob"]).get(reverse("programs:ambassador_training")).status_code == 200

    def test_a_non_ambassador_is_invited_to_the_campaigns(self, login, people):
        page = login(people["bob"]).get(reverse("programs:ambassador_me")).text
        assert "You are not an ambassador yet" in page

    def test_the_home_lists_open_campaigns_and_my_applications(self, login, campaign, alice):
        apply(alice, campaign)
        page = login(alice).get(reverse("programs:ambassadors")).text
        assert "Ambassadors 2027" in page and "Waiting for HR" in page


class TestQueryCounts:
    def test_the_program_home_costs_the_same_with_more_campaigns(self, login, org, ada, rita, campaign, alice):
        for client in (login(rita), login(alice)):
            client.get(reverse("programs:ambassadors"))
            with CaptureQueriesContext(connection) as few:
                client.get(reverse("programs:ambassadors"))
            for n in range(4):
                open_campaign(ada, org=org, title=f"Wave {n}", scope={"site": [org["lyon"].pk], "department": [org["sales"].pk]})
            with CaptureQueriesContext(connection) as many:
                page = client.get(reverse("programs:ambassadors")).text
            assert "Wave 3" in page
            assert len(many.captured_queries) == len(few.captured_queries)

    def test_the_validation_list_and_the_applications_cost_the_same_with_more_candidates(self, login, org, ada, campaign, helene, alice):
        client = login(helene)
        apply(alice, campaign)
        client.get(reverse("programs:ambassador_validations"))
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("programs:ambassador_validations"))
        admin = login(ada)
        admin.get(campaign.get_absolute_url())
        with CaptureQueriesContext(connection) as few_admin:
            admin.get(campaign.get_absolute_url())
        for n in range(4):
            person = make_person(f"Sam {n}", f"sam{n}@example.com", department=org["sales"], site=org["lyon"], country=org["france"], start_date=LONG_AGO)
            apply(person, campaign)
        client = login(helene)
        client.get(reverse("programs:ambassador_validations"))
        with CaptureQueriesContext(connection) as many:
            page = client.get(reverse("programs:ambassador_validations")).text
        assert "Sam 3" in page
        assert len(many.captured_queries) == len(few.captured_queries)
        admin = login(ada)
        admin.get(campaign.get_absolute_url())
        with CaptureQueriesContext(connection) as many_admin:
            admin.get(campaign.get_absolute_url())
        assert len(many_admin.captured_queries) == len(few_admin.captured_queries)


AMBASSADOR_KINDS = [kind for kind in NotificationKind.values if kind.startswith("ambassador_")]


@pytest.mark.parametrize("kind", AMBASSADOR_KINDS)
def test_every_ambassador_notification_has_its_sentence_and_its_page(kind, login, alice, bob):
    from bascule.notify.actions import notification_send
    from bascule.notify.sentences import notification_sentence, target_url

    notification = notification_send(recipient=alice, kind=kind, actor=bob)
    text = notification_sentence(notification, html=False)
    assert "Bob Bernard" in text and "Something new" not in text
    assert login(alice).get(target_url(notification)).status_code == 200
    opened = login(alice).get(reverse("notify:open", args=[notification.pk]))
    assert opened.status_code == 302 and opened["Location"] == target_url(notification)
