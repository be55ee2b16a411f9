"""A person logs in, finds a colleague, opens their profile and edits their own — in French and English."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, Words

pytestmark = pytest.mark.browser

LOCK_MESSAGE = (
    "Too many failed attempts for this address. Sign-in is locked for %(minutes)d minute; you can reset your password meanwhile.",
    "Too many failed attempts for this address. Sign-in is locked for %(minutes)d minutes; you can reset your password meanwhile.",
)


def expect_language(page, words):
    expect(page.locator("html")).to_have_attribute("lang", words.language)


def expect_page_assets(page):
    """The stylesheet applied and htmx ran: both come from our own static files under the CSP."""
    assert page.evaluate("typeof window.htmx") == "object", "htmx did not load"
    loaded = page.evaluate(
        "[...document.styleSheets].some(s => s.href && s.href.endsWith('/bascule.css') && s.cssRules.length > 0)"
    )
    assert loaded, "bascule.css did not load"


def log_in(page, email, password):
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_it_finds_a_colleague_and_edits_own_profile(open_page, demo_people, screenshot, language):
    people = demo_people
    words = Words(language)
    me, colleague = people["me"], people["colleague"]
    page = open_page(language)

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect_language(page, words)
    expect_page_assets(page)
    if words.translated:
        expect(page.locator("main form button[type=submit]")).to_have_text(words("Log in"))
    screenshot(page, "1-login")

    log_in(page, people["email"], people["password"])
    expect(page.locator("h1")).to_contain_text(me.first_name or me.display_name)
    expect_language(page, words)
    if words.translated:
        expect(page.locator("#sidenav")).to_contain_text(words("People"))
        expect(page.locator("h1")).to_have_text(words("Hello, %(name)s", name=me.first_name or me.display_name))
    screenshot(page, "2-home")

    # The directory: typing in the box updates the results through htmx, without a page load.
    page.locator("#sidenav a[href='/people/']").click()
    expect(page).to_have_url(re.compile(r"/people/$"))
    if words.translated:
        expect(page.locator("h1")).to_have_text(words("People"))
    with page.expect_response(lambda r: "/people/?" in r.url and r.request.headers.get("hx-request") == "true"):
        page.locator("#id_q").fill(colleague.display_name)
    results = page.locator("#results")
    expect(results.locator("a.person-name", has_text=colleague.display_name)).to_be_visible()
    expect(results.locator("a.person-name", has_text=me.display_name)).to_have_count(0)
    # hx-push-url keeps the search in the address, so it can be shared and reloaded.
    assert parse_qs(urlsplit(page.url).query)["q"] == [colleague.display_name]
    screenshot(page, "3-directory")

    results.locator("a.person-name", has_text=colleague.display_name).click()
    expect(page.locator("h1")).to_have_text(colleague.display_name)
    expect_language(page, words)
    screenshot(page, "4-colleague")

    # My own profile, through the person's menu, then its edit form.
    page.locator("details.usermenu summary").click()
    page.locator(".usermenu-panel a[href$='/people/%d/']" % me.pk).click()
    expect(page.locator("h1")).to_have_text(me.display_name)
    page.locator("main a[href$='/people/me/edit/']").click()
    expect_language(page, words)
    if words.translated:
        expect(page.locator("h1")).to_have_text(words("Edit my profile"))
    skills = page.locator("#id_skills")
    current = skills.input_value()
    page.locator("#id_title").fill(f"Browser tester ({language})")
    skills.fill(f"{current}, Playwright" if current else "Playwright")
    screenshot(page, "5-edit")
    page.locator("form[action$='/people/me/edit/'] button[type=submit]").click()

    expect(page.locator("h1")).to_have_text(me.display_name)
    if words.translated:
        expect(page.locator(".messages")).to_have_text(words("Your profile is saved."))
    else:
        expect(page.locator(".messages")).to_be_visible()
    expect(page.locator(".profile .lead")).to_have_text(f"Browser tester ({language})")
    expect(page.locator(".profile .tags a", has_text="Playwright")).to_be_visible()
    expect_language(page, words)
    screenshot(page, "6-saved")

    me.refresh_from_db()
    assert me.title == f"Browser tester ({language})"
    assert "Playwright" in {tag.name for tag in me.skills.all()}


def test_it_opens_the_menu_drawer_at_phone_width(open_page, people, screenshot):
    page = open_page("en", viewport=PHONE)
    page.goto("/login/")
    log_in(page, people["email"], people["password"])
    toggle, drawer = page.locator("[data-nav-toggle]"), page.locator("#sidenav")
    expect(toggle).to_be_visible()
    expect(drawer).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"
    screenshot(page, "1-closed")

    toggle.click()
    expect(drawer).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(drawer.locator("a[href='/people/']")).to_be_visible()
    screenshot(page, "2-open")

    page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")


def test_it_locks_the_login_after_five_wrong_passwords(open_page, people, screenshot, settings):
    # In French: the English words are checked on every page of the flow above.
    words = Words("fr")
    page = open_page("fr")
    page.goto("/login/")
    errors = page.locator(".form-errors")
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(page, people["email"], f"wrong password {attempt}")
        expect(errors).to_be_visible()
        expect(page.locator("input[name=password]")).to_have_value("")

    # Even the right password is refused now, with a message that says why and for how long.
    log_in(page, people["email"], people["password"])
    minutes = settings.LOGIN_LOCKOUT_SECONDS // 60
    expect_language(page, words)
    if words.translated:
        expect(errors).to_have_text(words.plural(*LOCK_MESSAGE, minutes, minutes=minutes))
    else:
        expect(errors).to_contain_text(str(minutes))
    assert "/login/" in page.url
    screenshot(page, "locked")
