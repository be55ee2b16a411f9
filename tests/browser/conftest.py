"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright never downloads a browser here. When /usr/bin/chromium is missing (`make test`
installs it when apt-get is usable) these tests are skipped, and the summary says so loudly:
that is the only skip the suite allows.

Set BASCULE_SCREENSHOTS=/some/folder to keep a screenshot of each step.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

# Playwright's sync API runs an event loop in the test thread; Django refuses database
# access from a thread with a running loop unless told it is safe. It is: the loop only
# talks to the browser, and the test thread waits for it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHROMIUM_MISSING = (
    f"BROWSER TESTS SKIPPED: {CHROMIUM} is missing. Install Debian's chromium package "
    "(apt-get install chromium, or run make test as root); Playwright must not download a browser."
)
FRENCH_CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES" / "django.mo"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def log_in(page, email, password=None):
    """Sign ``email`` in on ``page`` from the login page (the test people's password by
    default) and wait for the page it leads to."""
    from playwright.sync_api import expect

    from tests.conftest import PASSWORD

    page.goto("/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password or PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_be_visible()


def pytest_terminal_summary(terminalreporter):
    if not CHROMIUM.exists() and terminalreporter.stats.get("skipped"):
        terminalreporter.write_sep("!", CHROMIUM_MISSING, red=True, bold=True)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(CHROMIUM_MISSING)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server, request):
    """open_page(language, viewport) → a Playwright page on the live server.

    The browser's locale sets Accept-Language. Console errors (CSP violations among them),
    uncaught exceptions, failed requests and error responses fail the test.
    """
    contexts, problems = [], []

    def _open(language="en", viewport=DESKTOP):
        context = browser.new_context(locale=language, viewport=viewport, base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda m: m.type == "error"
            and not any(f"status of {status} " in m.text for status in page.allowed_statuses)
            and problems.append(f"console: {m.text}"),
        )
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} {r.failure}"))
        # A test that provokes an error on purpose (bad input) adds its status here.
        page.allowed_statuses = set()
        page.on(
            "response",
            lambda r: r.status >= 400
            and r.status not in page.allowed_statuses
            and problems.append(f"HTTP {r.status}: {r.url}"),
        )
        return page

    yield _open
    for context in contexts:
        context.close()
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def screenshot(request):
    """screenshot(page, step) saves a PNG under $BASCULE_SCREENSHOTS; nothing when unset."""
    folder = os.environ.get("BASCULE_SCREENSHOTS")
    test_name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")

    def _screenshot(page, step):
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{test_name}-{step}.png"), full_page=True)

    return _screenshot


class Words:
    """The interface's words in one language, from the same catalogue the pages use."""

    def __init__(self, language):
        self.language = language

    def __call__(self, message, **values):
        with translation.override(self.language):
            text = translation.gettext(message)
        return text % values if values else text

    def plural(self, singular, plural, number, **values):
        with translation.override(self.language):
            return translation.ngettext(singular, plural, number) % values

    @property
    def translated(self):
        """Whether pages in this language should show translated words yet."""
        return self.language == "en" or FRENCH_CATALOGUE.exists()


def _people(me, colleague, email, password):
    from bascule.people.actions import person_language_set

    # The browser's language decides, not a choice stored in the profile.
    person_language_set(person=me, language="")
    return {"me": me, "email": email, "password": password, "colleague": colleague}


@pytest.fixture
def demo_people(transactional_db, request):
    """A demo organisation of 40 people: who logs in (`me`, `email`, `password`) and a colleague.

    Falls back to the shared test people while the demo generator does not exist.
    """
    from django.core.management import call_command, get_commands

    from bascule.people.models import Person

    if "demo" not in get_commands():
        return request.getfixturevalue("people")
    call_command("demo", people=40, seed=1, verbosity=0)
    email = "camille.martin@demo.bascule.test"
    me = Person.objects.get(user__email=email)
    colleague = (
        Person.objects.filter(departed_on=None).exclude(last_name=me.last_name).order_by("pk").first()
    )
    return _people(me, colleague, email, "bascule-demo")


@pytest.fixture
def people(transactional_db, request):
    """The shared test people, quicker than a demo: alice logs in, carol is her colleague."""
    from tests.conftest import PASSWORD

    alice, carol = request.getfixturevalue("alice"), request.getfixturevalue("carol")
    return _people(alice, carol, alice.user.email, PASSWORD)
