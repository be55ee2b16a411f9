"""The cockpit in the browser: the overview and the segments draw their charts (Chart.js
from our static files, under the CSP) over their tables, in English and French."""

import pytest
from django.contrib.staticfiles import finders
from playwright.sync_api import expect

from bascule.adoption.views import CHARTS_FILE
from bascule.programs.models import RoleAssignment, RoleKind
from tests.adoption.test_cockpit import K, T, build_town
from tests.browser.conftest import DESKTOP, PHONE, Words
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

CHARTS_MISSING = (
    f"COCKPIT CHART TEST SKIPPED: {CHARTS_FILE} is not built. Run `make assets` (needs Node.js and npm) "
    "to fetch Chart.js; without it the cockpit shows tables only."
)


@pytest.mark.parametrize(("language", "viewport"), [("en", DESKTOP), ("fr", PHONE)])
def test_the_overview_and_the_segments_draw_their_charts(transactional_db, open_page, screenshot, settings, language, viewport):
    if finders.find(CHARTS_FILE) is None:
        pytest.skip(CHARTS_MISSING)
    settings.BASCULE_MIN_GROUP_SIZE = K
    lead = build_town()["people"]["P1"]
    RoleAssignment.objects.create(person=lead, kind=RoleKind.ANALYTICS_VIEWER, starts_on=T)
    words = Words(language)
    page = open_page(language, viewport)
    page.goto(f"/cockpit/?day={T.isoformat()}")
    page.locator("input[name=username]").fill(lead.user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(words("Adoption cockpit"))
    for chart in ("gauge", "funnel"):
        canvas = page.locator(f"canvas[data-chart={chart}]")
        expect(canvas).to_have_attribute("data-drawn", "true")
        box = canvas.bounding_box()
        assert box and box["width"] > 50 and box["height"] > 30
    # The table is there beside the chart, with the published figures.
    expect(page.locator("#h-stages ~ .table-wrap table tfoot td").first).to_have_text("23")
    screenshot(page, "overview")
    page.get_by_role("link", name=words("Segments"), exact=True).last.click()
    canvas = page.locator("canvas[data-chart=segments]")
    expect(canvas).to_have_attribute("data-drawn", "true")
    expect(page.locator("table.heatmap tbody tr")).to_have_count(2)
    screenshot(page, "segments")
