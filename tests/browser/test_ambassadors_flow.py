"""The ambassador program in a browser (issue 5's done-means): an administrator opens a
campaign, Alice applies, HR approves, her manager confirms, and Alice appears as ambassador
on the coverage page and among the members of the ambassadors' space; then, the
accompaniment mode switched on, she sees in her queue a new colleague of her site, opens
his journey, and he sees on My journey that she looked."""

import datetime

import pytest
from playwright.sync_api import expect

from bascule.adoption.actions import stage_changes_record
from bascule.people.models import Person
from bascule.programs import actions, queries
from bascule.programs.models import AmbassadorProgram, RoleKind
from tests.adoption.helpers import record
from tests.conftest import make_person

from .conftest import PHONE, log_in

pytestmark = pytest.mark.browser


def test_a_campaign_recruits_an_ambassador(open_page, transactional_db, org, alice, bob, carol, dave, screenshot):
    Person.objects.filter(pk__in=[alice.pk, dave.pk]).update(start_date=datetime.date(2015, 1, 5))
    # Bob (Lyon) is new on the network, Carol (Paris) silent: the journey's history knows it.
    yesterday = queries.today() - datetime.timedelta(days=1)
    record(bob, f"visit@{(yesterday - datetime.timedelta(days=2)).isoformat()}", f"read@{yesterday.isoformat()}")
    record(carol, f"read@{(yesterday - datetime.timedelta(days=60)).isoformat()}")
    stage_changes_record(day=yesterday - datetime.timedelta(days=59))
    stage_changes_record(day=yesterday)
    ada = make_person("Ada Lovel", "ada@example.com", department=org["it"], site=org["paris"], is_staff=True)
    helene = make_person("Hélène Roux", "helene@example.com", site=org["paris"])
    actions.role_assign(actor=ada, person=helene, kind=RoleKind.HR_VALIDATOR, scope={"country": [org["france"].pk]})
    today = queries.today()

    # The administrator opens the campaign.
    admin = open_page("en")
    log_in(admin, ada.user.email)
    admin.goto("/ambassadors/")
    admin.get_by_role("link", name="New campaign").click()
    admin.get_by_label("Title").fill("Ambassadors 2027")
    admin.get_by_label("Pitch").fill("Show your colleagues what the network brings to their work.")
    admin.get_by_label("Opens on").fill(today.isoformat())
    admin.get_by_label("Closes on").fill((today + datetime.timedelta(days=30)).isoformat())
    admin.get_by_label("Not open to these departments").select_option(label="IT")
    admin.get_by_label("Months in the company at least").fill("6")
    screenshot(admin, "1-campaign-form")
    admin.get_by_role("button", name="Save").click()
    expect(admin.locator("h1")).to_have_text("Ambassadors 2027")
    expect(admin.locator("main")).to_contain_text("Except: IT")

    # Alice applies.
    candidate = open_page("en")
    log_in(candidate, alice.user.email)
    candidate.goto("/ambassadors/")
    candidate.get_by_role("link", name="Ambassadors 2027").click()
    candidate.get_by_label("Your motivation").fill("I already help my team use the spaces.")
    candidate.get_by_role("button", name="Send my application").click()
    expect(candidate.locator("main")).to_contain_text("Waiting for HR")
    screenshot(candidate, "2-applied")

    # HR approves, from the notification.
    hr = open_page("en")
    log_in(hr, helene.user.email)
    hr.goto("/notifications/")
    hr.get_by_role("link", name="applied to become an ambassador").first.click()
    hr.get_by_role("link", name="Alice Martin").click()
    hr.get_by_label("Reason").fill("A great fit for Lyon.")
    hr.get_by_role("button", name="Approve").click()
    expect(hr.locator("main")).to_contain_text("Waiting for the manager")

    # Her manager confirms.
    manager = open_page("en")
    log_in(manager, dave.user.email)
    manager.goto("/ambassadors/validations/")
    manager.get_by_role("link", name="Alice Martin").click()
    manager.get_by_label("Reason").fill("Go for it: one hour a week.")
    manager.get_by_role("button", name="Confirm", exact=True).click()
    expect(manager.locator("main")).to_contain_text("Accepted")
    screenshot(manager, "3-confirmed")

    # Alice is an ambassador: on the coverage page and in the ambassadors' space.
    candidate.goto("/ambassadors/coverage/")
    lyon = candidate.locator("tr", has_text="Lyon")
    expect(lyon).to_contain_text("Alice Martin")
    screenshot(candidate, "4-coverage")
    space = AmbassadorProgram.objects.get().ambassadors_space
    admin.goto(f"/spaces/{space.slug}/members/")  # its owner, who opened the campaign, sees the members
    expect(admin.locator("main")).to_contain_text("Alice Martin")
    screenshot(admin, "5-space-members")
    candidate.goto(space.get_absolute_url())
    expect(candidate.locator("h1")).to_have_text(space.name)
    expect(candidate.locator("main")).not_to_contain_text("Posts are for members")
    candidate.goto("/ambassadors/me/")
    expect(candidate.locator("#signature")).to_have_value(
        "Alice Martin — Ambassador of the Bascule network · Ask me how it can help your team: "
        f"{candidate.url.split('/ambassadors/')[0]}/help/"
    )

    phone = open_page("fr", PHONE)
    log_in(phone, alice.user.email)
    phone.goto("/ambassadors/coverage/")
    expect(phone.locator("h1")).to_have_text("Ambassadeurs par site")
    screenshot(phone, "6-coverage-phone-fr")

    # The administrator switches the accompaniment mode on, saying why.
    admin.goto("/programs/accompaniment/")
    admin.locator("#mode label.check", has_text="On").click()
    admin.get_by_label("Why").fill("Pilot with the new ambassadors, agreed with the works council.")
    admin.get_by_role("button", name="Switch").click()
    expect(admin.locator("#mode")).to_contain_text("Pilot with the new ambassadors")

    # Alice, ambassador of Lyon, finds Bob (new, Lyon) in her queue, not Carol (Paris), and
    # opens his journey.
    candidate.goto("/programs/accompaniment/")
    queue = candidate.locator(".queue")
    expect(queue).to_contain_text("Bob Bernard")
    expect(queue).not_to_contain_text("Carol Petit")
    screenshot(candidate, "7-queue")
    queue.locator("a", has_text="Bob Bernard").click()
    expect(candidate.locator("h1")).to_have_text("Journey of Bob Bernard")

    # Bob sees on My journey that Alice looked.
    colleague = open_page("en")
    log_in(colleague, bob.user.email)
    colleague.goto("/journey/")
    expect(colleague.locator("#looks")).to_contain_text("Alice Martin")
    screenshot(colleague, "8-bob-sees-who-looked")
