"""Accompaniment mode on: an ambassador of Lyon opens their queue, opens a new colleague's
journey and logs an action; the colleague sees on My journey that the ambassador looked
— in English and French, wide and at phone width."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from bascule.adoption.actions import stage_changes_record
from bascule.people.actions import person_language_set
from bascule.programs import actions
from bascule.programs.models import RoleKind
from bascule.programs.queries import today
from tests.adoption.helpers import record
from tests.conftest import make_person

from .conftest import PHONE, Words, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def lyon(transactional_db, org, alice, bob, carol):
    ada = make_person("Ada Lovel", "ada@example.com", department=org["it"], site=org["paris"])
    ada.user.is_staff = True
    ada.user.save()
    amy = make_person("Amy Roux", "amy@example.com", department=org["it"], site=org["lyon"])
    actions.role_assign(actor=ada, person=amy, kind=RoleKind.AMBASSADOR, scope={"site": [org["lyon"].pk]})
    actions.accompaniment_mode_set(actor=ada, enabled=True, justification="Pilot at Lyon, agreed with the works council.")
    yesterday = today() - datetime.timedelta(days=1)
    record(bob, f"visit@{(yesterday - datetime.timedelta(days=2)).isoformat()}", f"read@{yesterday.isoformat()}")
    record(alice, f"read@{(today() - datetime.timedelta(days=60)).isoformat()}")
    record(carol, f"read@{(today() - datetime.timedelta(days=60)).isoformat()}")
    stage_changes_record(day=today() - datetime.timedelta(days=60))
    stage_changes_record(day=yesterday)
    for person in (amy, bob):
        person_language_set(person=person, language="")  # the browser's language decides
    return {"amy": amy, "bob": bob}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_ambassador_accompanies_a_colleague_who_sees_it(open_page, lyon, screenshot, language):
    words = Words(language)
    page = open_page(language)
    log_in(page, "amy@example.com")

    # Programs → Accompaniment: the queue of Lyon, without Paris.
    page.locator("#sidenav a[href='/programs/governance/']").click()
    page.locator("main a[href='/programs/accompaniment/']").click()
    expect(page.locator("h1")).to_have_text(words("Accompaniment"))
    queue = page.locator(".queue")
    expect(queue.locator(".queue-item")).to_have_count(2)
    expect(queue).to_contain_text("Bob Bernard")
    expect(queue).to_contain_text("Alice Martin")
    expect(queue).not_to_contain_text("Carol Petit")
    expect(queue.locator(".queue-item", has_text="Bob Bernard")).to_contain_text(words("New: discovering the network"))
    screenshot(page, "1-queue")

    queue.locator("a", has_text="Bob Bernard").click()
    expect(page.locator("h1")).to_have_text(words("Journey of %(name)s", name="Bob Bernard"))
    expect(page.locator("main")).to_contain_text(words("A message you could send"))
    screenshot(page, "2-journey-of-bob")

    page.locator("label.check", has_text=words("Talked together")).click()
    page.locator("#id_note").fill("Tour of the Lyon spaces")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/programs/accompaniment/$"))
    expect(page.locator(".messages")).to_contain_text("Bob Bernard")
    expect(page.locator("main")).to_contain_text(words("What I logged lately"))

    # Bob, in his own browser, finds My journey in his menu and sees who looked.
    bob_page = open_page(language)
    log_in(bob_page, "bob@example.com")
    bob_page.locator(".usermenu summary").click()
    bob_page.locator(".usermenu-panel a[href='/journey/']").click()
    expect(bob_page.locator("h1")).to_have_text(words("My journey"))
    looks = bob_page.locator("#looks")
    expect(looks).to_contain_text("Amy Roux")
    expect(looks).to_contain_text("Tour of the Lyon spaces")
    expect(bob_page.locator(".journey-map [aria-current=step]")).to_be_visible()
    screenshot(bob_page, "3-my-journey")

    phone = open_page(language, PHONE)
    log_in(phone, "bob@example.com")
    phone.goto("/journey/")
    expect(phone.locator("#looks")).to_contain_text("Amy Roux")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "4-my-journey-phone")
    phone.goto("/transparency/")
    expect(phone.locator("#mode")).to_contain_text("Pilot at Lyon")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "5-transparency-phone")
