"""A suggestion in a browser (issue 5's done-means): Alice files it from "Who can help me",
it reaches Rita, the referent of Lyon's Sales, and not Paul, the referent of Paris; Rita
accepts it with a message, and Alice is notified and reads the answer."""

import pytest
from playwright.sync_api import expect

from bascule.programs import actions
from bascule.programs.models import RoleKind
from tests.conftest import make_person

from .conftest import log_in

pytestmark = pytest.mark.browser


def test_a_suggestion_reaches_the_right_referent_who_accepts_it(open_page, transactional_db, org, alice, screenshot):
    ada = make_person("Ada Lovel", "ada@example.com", department=org["it"], site=org["paris"], is_staff=True)
    rita = make_person("Rita Moreau", "rita@example.com", department=org["sales"], site=org["lyon"])
    paul = make_person("Paul Girard", "paul@example.com", department=org["it"], site=org["paris"])
    scope = {"department": [org["sales"].pk], "site": [org["lyon"].pk]}
    actions.role_assign(actor=ada, person=rita, kind=RoleKind.REFERENT, scope=scope)
    actions.role_assign(actor=ada, person=paul, kind=RoleKind.REFERENT, scope={"site": [org["paris"].pk]})

    # Alice files a suggestion from the help page.
    page = open_page("en")
    log_in(page, alice.user.email)
    page.goto("/help/")
    expect(page.locator("main")).to_contain_text("Rita Moreau")
    page.get_by_role("link", name="Make a request").first.click()
    page.locator("label.check", has_text="Suggestion").click()
    page.get_by_label("Title").fill("A space for sales tips")
    page.get_by_label("Details").fill("One place where we share what works with customers.")
    page.get_by_role("button", name="Send my request").click()
    expect(page.locator("h1")).to_contain_text("A space for sales tips")
    screenshot(page, "1-filed")

    # Paul, referent of Paris, does not see it.
    other = open_page("en")
    log_in(other, paul.user.email)
    other.goto("/requests/inbox/")
    expect(other.locator("main")).not_to_contain_text("A space for sales tips")

    # Rita finds it in her inbox and accepts it.
    referent = open_page("fr")
    log_in(referent, rita.user.email)
    referent.goto("/requests/inbox/")
    referent.get_by_role("link", name="A space for sales tips").click()
    referent.get_by_label("Nouveau statut").select_option("accepted")
    referent.get_by_label("Message au demandeur").fill("Bonne idée : je crée l'espace cette semaine.")
    referent.get_by_role("button", name="Enregistrer et prévenir le demandeur").click()
    expect(referent.locator("main")).to_contain_text("Bonne idée")
    screenshot(referent, "2-accepted-fr")

    # Alice is notified and reads the answer.
    page.goto("/notifications/")
    page.get_by_role("link", name="moved your request on").first.click()
    expect(page.locator("h1")).to_have_text("My requests")
    page.get_by_role("link", name="A space for sales tips").click()
    expect(page.locator("h1")).to_contain_text("A space for sales tips")
    expect(page.locator("main")).to_contain_text("Accepted")
    expect(page.locator("main")).to_contain_text("Bonne idée")
    screenshot(page, "3-notified")
