"""Issue 3's "Done means", in a browser: Alice creates a private space, asks a question
with an attachment and mentions Carol; Carol is told nothing she may not read until Alice
invites her; she joins (on her phone, in the other language), answers; Alice accepts; the question leaves the
unanswered list. Dave, a third colleague, never sees the question's title, an excerpt or
a count of that space on any page, search, feed, notification, digest or API response.

Refused input shows its message in the page: an attachment of a forbidden type and an
empty post.

A private space is *listed* by design (issue 3: "private (listed; content for members)"):
its name and purpose are in the directory of its audience. What must never reach an
outsider is what is inside: titles, excerpts, authors, counts.
"""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone, translation
from playwright.sync_api import expect

from bascule.interop.actions import token_create
from bascule.network import actions as network
from bascule.network.models import Attachment, Post, Space
from bascule.notify.digests import digest_deliver
from bascule.notify.models import Notification

from .conftest import PHONE, Words, log_in

pytestmark = pytest.mark.browser

SPACE_NAME = "Nightingale project"
PURPOSE = "Launching the new product line"
TITLE = "Who holds the Zephyrine budget"
SECRET_WORDS = ("Zephyrine", "budget spreadsheet")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def words_ctx(language, context, message):
    with translation.override(language):
        return translation.pgettext(context, message)


def leaks(text: str, searched: str = "") -> list[str]:
    """The words of the question found in ``text`` (except what was searched, which the
    search box repeats)."""
    text = text.lower().replace(searched.lower(), "") if searched else text.lower()
    return [w for w in (TITLE, *SECRET_WORDS, "Who holds", "spreadsheet") if w.lower() != searched.lower() and w.lower() in text]


def assert_outsider_sees_nothing(person, space, post, *, also_profiles=(), may_know_space=True):
    """Every surface, through the real HTTP handling, for ``person``."""
    client = Client()
    client.force_login(person.user)
    attachment = Attachment.objects.get(post=post)
    # What does not exist for them: 404, and the 404 page names nothing.
    for url in (post.get_absolute_url(), attachment.get_absolute_url(), f"/spaces/{space.slug}/questions/"):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert not leaks(response.content.decode()), url
    pages = [
        "/",
        "/spaces/",
        f"/spaces/{space.slug}/",
        f"/search/?q={SECRET_WORDS[0]}",
        "/search/?q=budget",
        f"/search/?q={SPACE_NAME.split()[0]}",
        "/notifications/",
        f"/people/{post.author_id}/",
        f"/people/{post.author_id}/posts/",
        "/questions/",
        "/tags/budget/",
        *(f"/people/{p.pk}/" for p in also_profiles),
        *(f"/people/{p.pk}/posts/" for p in also_profiles),
    ]
    for url in pages:
        response = client.get(url)
        body = response.content.decode()
        searched = url.split("?q=")[1] if "?q=" in url else ""
        assert response.status_code in (200, 404), url
        assert not leaks(body, searched), (url, leaks(body, searched))
    # The space's page (listed: name and purpose) shows no count and no post.
    body = client.get(f"/spaces/{space.slug}/").content.decode()
    assert not re.search(r"\d+ (member|membre)", body)
    assert "question-" not in body  # no question link, no "n questions wait" count
    # The API: spaces list (no count), space detail, posts, feed, search, notifications.
    token = token_create(actor=person, name="check").token
    api = Client(headers={"Authorization": f"Bearer {token}"})
    spaces = api.get("/api/v1/spaces/", {"limit": 100}).json()["results"]
    listed = [s for s in spaces if s["slug"] == space.slug]
    if may_know_space:
        assert listed and listed[0]["member_count"] is None and listed[0]["can_read"] is False
    for url in (
        f"/api/v1/posts/{post.pk}/",
        f"/api/v1/posts/{post.pk}/comments/",
        f"/api/v1/spaces/{space.slug}/posts/",
    ):
        response = api.get(url)
        assert response.status_code in (403, 404), url
        assert not leaks(response.content.decode()), url
    for url, params in (
        ("/api/v1/feed/", {"limit": 100}),
        ("/api/v1/search/", {"q": SECRET_WORDS[0]}),
        ("/api/v1/search/", {"q": "budget"}),
        ("/api/v1/notifications/", {"limit": 100}),
        (f"/api/v1/people/{post.author_id}/", {}),
        *((f"/api/v1/people/{p.pk}/", {}) for p in also_profiles),
    ):
        response = api.get(url, params)
        assert response.status_code == 200, url
        assert not leaks(response.content.decode(), params.get("q", "")), url
    search = api.get("/api/v1/search/", {"q": SECRET_WORDS[0]}).json()
    assert search["results"] == [] and search["counts"] == {}


def dave_client_page(person, url, params=None) -> str:
    token = token_create(actor=person, name="page").token
    return Client(headers={"Authorization": f"Bearer {token}"}).get(url, params or {}).content.decode()


def digest_of(person) -> str:
    """The digest e-mail of ``person``, sent through the real function ("" if none)."""
    mail.outbox = []
    Notification.objects.filter(recipient=person).update(emailed_at=None)
    digest_deliver(person.pk, timezone.now())
    return "\n".join(m.body + "".join(a[0] for a in m.alternatives) for m in mail.outbox)


@pytest.mark.parametrize("alice_language,carol_language", [("en", "fr"), ("fr", "en")])
def test_the_private_question_flow_and_nothing_leaks(open_page, people, request, screenshot, alice_language, carol_language):
    from tests.conftest import PASSWORD

    alice, carol = people["me"], people["colleague"]
    dave = request.getfixturevalue("dave")
    # Each person's browser speaks one language; the words expected come from the catalogue.
    wa, wc = Words(alice_language), Words(carol_language)

    # Alice creates a private space (desktop).
    a = open_page(alice_language)
    log_in(a, alice.user.email, PASSWORD)
    a.goto("/spaces/new/")
    a.locator("input[name=name]").fill(SPACE_NAME)
    a.locator("[name=purpose]").fill(PURPOSE)
    a.locator("select[name=visibility]").select_option("private")
    a.locator("select[name=join_policy]").select_option("invite")
    a.locator("main form button[type=submit]").last.click()
    expect(a.locator("h1")).to_have_text(SPACE_NAME)
    space = Space.objects.get(name=SPACE_NAME)
    assert space.visibility == "private"

    # A forbidden file (an HTML page renamed .png) is refused with its message; nothing posted.
    counts = (Post.objects.count(), Attachment.objects.count())
    a.locator("select[name=kind]").select_option("question")
    a.locator("input[name=title]").fill(TITLE)
    a.locator("textarea[name=body]").fill("Does @carol know? The budget spreadsheet is attached. #budget")
    a.locator("input[type=file]").set_input_files(
        [{"name": "budget.png", "mimeType": "image/png", "buffer": b"<html><script>alert(1)</script></html>"}]
    )
    a.allowed_statuses.add(400)
    with a.expect_response(lambda r: r.request.method == "POST") as refused:
        a.locator("main form button.primary[type=submit]").first.click()
    assert refused.value.status == 400
    expect(a.locator("main")).to_contain_text(
        wa(
            "%(name)s cannot be attached: add PDF files, images (JPEG, PNG, GIF, WebP), text or CSV "
            "files, or Office and OpenDocument documents.",
            name="budget.png",
        )
    )
    assert (Post.objects.count(), Attachment.objects.count()) == counts
    screenshot(a, "1-refused-file")

    # An empty post (spaces only: the browser's own check lets it through) is refused too.
    a.locator("textarea[name=body]").fill("   ")
    with a.expect_response(lambda r: r.request.method == "POST") as refused:
        a.locator("main form button.primary[type=submit]").first.click()
    assert refused.value.status == 400
    expect(a.locator("main")).to_contain_text(wa("Write something before posting."))
    assert (Post.objects.count(), Attachment.objects.count()) == counts
    screenshot(a, "1b-refused-empty")

    # The question, with a PDF, mentioning Carol who may not read it yet.
    a.locator("textarea[name=body]").fill("Does @carol know? The budget spreadsheet is attached. #budget")
    a.locator("input[type=file]").set_input_files(
        [{"name": "budget.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    a.locator("main form button.primary[type=submit]").first.click()
    expect(a.locator("h1")).to_have_text(TITLE)
    expect(a.locator("main")).to_contain_text("Carol Petit")
    expect(a.locator("body")).to_contain_text(
        wa.plural(
            "%(names)s cannot read this yet: they will be notified once they can. Invite them to the space.",
            "%(names)s cannot read this yet: they will be notified once they can. Invite them to the space.",
            1,
            names="Carol Petit",
        )
    )
    expect(a.locator("main")).to_contain_text("budget.pdf")
    post = Post.objects.get(title=TITLE)
    assert post.kind == "question" and post.attachments.count() == 1
    screenshot(a, "2-question")

    # Before the invitation, Carol (and Dave) see nothing of it anywhere.
    assert_outsider_sees_nothing(carol, space, post)
    assert_outsider_sees_nothing(dave, space, post)
    assert not leaks(digest_of(carol))

    # Alice invites Carol.
    a.goto(f"/spaces/{space.slug}/members/")
    a.locator("input[name=email]").fill(carol.user.email)
    a.locator("main form button[type=submit]").last.click()
    expect(a.locator("main")).to_contain_text(wa("%(name)s is invited.", name="Carol Petit"))

    # Carol, on her phone: the invitation, then joining, then the mention.
    c = open_page(carol_language, PHONE)
    log_in(c, carol.user.email, PASSWORD)
    expect(c.locator("html")).to_have_attribute("lang", carol_language)
    c.goto("/notifications/")
    expect(c.locator("main")).to_contain_text(SPACE_NAME)
    expect(c.locator("main")).not_to_contain_text(TITLE)
    screenshot(c, "3-invited")
    c.goto(f"/spaces/{space.slug}/")
    c.get_by_role("button", name=wc("Accept the invitation")).click()
    expect(c.locator("main")).to_contain_text(TITLE)
    c.goto("/notifications/")
    expect(c.locator("main")).to_contain_text(TITLE)  # the mention, held back, is now there
    c.goto(post.get_absolute_url())
    expect(c.locator("h1")).to_have_text(TITLE)
    expect(c.locator("main a", has_text="budget.pdf")).to_be_visible()
    c.locator("textarea[name=body]").last.fill("Marc holds it, in the finance folder.")
    c.get_by_role("button", name=words_ctx(carol_language, "verb, button", "Answer"), exact=True).click()
    expect(c.locator("main")).to_contain_text("Marc holds it")
    screenshot(c, "4-answered")
    assert Client().get(Attachment.objects.get(post=post).get_absolute_url()).status_code in (302, 404)

    # Alice accepts the answer: the question leaves the unanswered list.
    a.goto(f"/spaces/{space.slug}/questions/")
    expect(a.locator("main")).not_to_contain_text(TITLE)  # answered already
    a.goto(post.get_absolute_url())
    a.get_by_role("button", name=wa("Accept this answer")).click()
    expect(a.locator("main .accepted")).to_contain_text("Marc holds it")
    post.refresh_from_db()
    assert post.accepted_comment is not None
    a.goto(f"/spaces/{space.slug}/questions/")
    expect(a.locator("main")).not_to_contain_text(TITLE)
    a.goto(f"/spaces/{space.slug}/questions/?status=answered")
    expect(a.locator("main")).to_contain_text(TITLE)
    screenshot(a, "5-answered-list")

    # Dave still sees nothing, and his digest (he has something to read) says nothing of it.
    public = network.space_create(actor=alice, name="Coffee corner")
    network.space_join(actor=dave, space=public)
    network.post_create(actor=alice, space=public, body="Coffee with @dave at four?")
    assert_outsider_sees_nothing(dave, space, post, also_profiles=[carol])
    assert not leaks(dave_client_page(dave, "/api/v1/spaces/", {"limit": 100}))
    digest = digest_of(dave)
    assert "Coffee" in digest or "Alice Martin" in digest
    assert not leaks(digest) and SPACE_NAME not in digest
