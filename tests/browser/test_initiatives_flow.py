"""An initiative lead launches a project community, writes its case study and submits it;
a community manager publishes it; a colleague finds it in the library and thanks the lead
— in French and English, wide and at phone width."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_person

from .conftest import PHONE, Words

pytestmark = pytest.mark.browser


def log_in(open_page, person, language, viewport=None):
    page = open_page(language, viewport) if viewport else open_page(language)
    page.goto("/login/")
    page.locator("input[name=username]").fill(person.user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))
    return page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_launch_write_review_publish_find_and_thank(open_page, transactional_db, org, alice, carol, screenshot, language):
    from bascule.people.actions import person_language_set
    from bascule.programs import actions
    from bascule.programs.models import CaseStudy, RoleKind

    words = Words(language)
    ada = make_person("Ada Lovel", "ada@example.com", department=org["it"], site=org["paris"])
    ada.user.is_staff = True
    ada.user.save()
    cora = make_person("Cora Leroy", "cora@example.com", department=org["sales"], site=org["paris"])
    actions.role_assign(actor=ada, person=cora, kind=RoleKind.COMMUNITY_MANAGER, scope={"department": [org["sales"].pk]})
    for person in (alice, carol, cora):
        person_language_set(person=person, language="")

    # The lead launches the initiative: the checklist shows what is left.
    page = log_in(open_page, alice, language)
    page.locator("#sidenav").get_by_role("link", name=words("Initiatives")).click()
    page.get_by_role("link", name=words("Launch an initiative")).click()
    page.get_by_label(words("Title of the initiative")).fill("Zéro papier en agence")
    page.get_by_label(words("Purpose of the new space")).fill("Moins de papier dans les agences")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Zéro papier en agence")
    expect(page.locator(".checklist li.done")).to_have_count(1)
    expect(page.locator(".checklist li.todo")).to_have_count(4)
    page.get_by_label(words("A blocker")).fill("Mon manager ne libère pas de temps.")
    page.get_by_role("button", name=words("Note the blocker")).click()
    expect(page.locator(".blocker-list")).to_contain_text("Mon manager")
    screenshot(page, "1-initiative")

    # The case study (an incomplete one is refused: tests/programs/test_initiatives.py).
    page.get_by_role("link", name=words("Write the case study")).click()
    page.get_by_label(words("Context"), exact=True).fill("Des agences noyées sous le papier.")
    page.get_by_label(words("What was done"), exact=True).fill("Un espace projet et une question par semaine.")
    page.get_by_label(words("Results"), exact=True).fill("45 % d'impressions en moins.")
    page.get_by_label(words("Lessons"), exact=True).fill("Commencer petit.")
    page.get_by_label(words("Contact"), exact=True).select_option(label="Alice Martin")
    page.get_by_label(words("Business context"), exact=True).fill("Agences, Logistique")
    screenshot(page, "2-case-study-form")
    page.get_by_role("button", name=words("Submit for review")).click()
    expect(page.locator(".badge.status-submitted")).to_be_visible()
    page.context.close()

    # The community manager publishes it.
    page = log_in(open_page, cora, language)
    page.goto("/initiatives/")
    page.get_by_role("link", name="Zéro papier en agence").first.click()
    expect(page.locator("h1")).to_have_text("Zéro papier en agence")
    assert "Mon manager" not in page.content()  # the blockers log is not hers
    case_study = CaseStudy.objects.get()
    page.goto(case_study.get_absolute_url())
    page.get_by_label(words("Publish")).check()
    screenshot(page, "3-review")
    page.get_by_role("button", name=words("Send the review")).click()
    expect(page.locator(".badge.status-submitted")).to_have_count(0)
    page.context.close()

    # A colleague finds it in the library, accents and case folded, and thanks the lead.
    page = log_in(open_page, carol, language)
    page.goto("/case-studies/")
    page.get_by_label(words("Words")).fill("ZERO papier")
    page.get_by_role("button", name=words("Filter")).click()
    expect(page.locator("main .initiative-list > li")).to_have_count(1)
    screenshot(page, "4-library")
    page.goto(alice.get_absolute_url())
    page.get_by_role("link", name=words("Thank %(name)s", name="Alice")).click()
    page.get_by_label(words("Your thanks")).fill("Merci pour ce retour très utile !")
    page.get_by_role("button", name=words("Send my thanks")).click()
    expect(page.locator(".thanks-list")).to_contain_text("Merci pour ce retour très utile !")
    screenshot(page, "5-profile-thanks")
    page.context.close()

    # At phone width the pages hold without sideways scrolling.
    page = log_in(open_page, alice, language, PHONE)
    for step, url in (("6-phone-initiative", "/initiatives/"), ("7-phone-library", "/case-studies/"),
                      ("8-phone-case-study", case_study.get_absolute_url()), ("9-phone-recognition", "/recognition/")):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), url
        screenshot(page, step)
    page.goto(CaseStudy.objects.get().initiative.get_absolute_url())
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "10-phone-initiative-detail")
