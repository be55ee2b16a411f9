"""Bad input, through real HTTP handling (pages and API): each gets a clear message and
the right status, and changes nothing — no post, comment, file, ledger event or
notification is written.

Decisions: a refused form answers 400 with the form and its message (the page is shown
again, what was typed kept); the API answers 400 (invalid fields), 404 (unknown or not
visible), 413 (body too large), 415 (a body that is not JSON). An unknown @mention is
refused with a message naming it and saying how to mention (rather than posted as plain
text: the author meant someone and would otherwise believe they were told). Script,
iframes, event handlers and javascript: links in Markdown are not errors: the text is
published with them escaped or removed.
"""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bascule.adoption.models import Event
from bascule.interop.actions import token_create
from bascule.network import actions
from bascule.network.models import POST_BODY_MAX_LENGTH, Attachment, Comment, Post, PostKind
from bascule.notify.models import Notification

from .files import image_bytes


@pytest.fixture
def space(alice, bob):
    space = actions.space_create(actor=alice, name="Atlas")
    actions.space_join(actor=bob, space=space)
    return space


def snapshot():
    return {
        "posts": Post.objects.count(),
        "comments": Comment.objects.count(),
        "attachments": Attachment.objects.count(),
        "events": Event.objects.count(),
        "notifications": Notification.objects.count(),
    }


@pytest.fixture
def unchanged(db):
    """``with unchanged():`` asserts that nothing was written inside the block."""
    import contextlib

    @contextlib.contextmanager
    def _unchanged():
        before = snapshot()
        yield
        assert snapshot() == before

    return _unchanged


def post_page(client, space, **data):
    fields = {"kind": "discussion", "title": "", "body": "Hello"}
    fields.update(data)
    return client.post(f"/spaces/{space.slug}/posts/", fields, headers={"Accept-Language": "en"})


PAGE_CASES = {
    "empty": ({"body": "   "}, "Write something before posting."),
    "over-long": ({"body": "x" * (POST_BODY_MAX_LENGTH + 1)}, "A post has at most 20,000 characters; this one has 20,001."),
    "unknown mention": ({"body": "Ask @nobody.here"}, "Nobody here answers to @nobody.here"),
    "article without title": ({"kind": "article", "body": "Text"}, "An article needs a title."),
    "unknown kind": ({"kind": "poem"}, "Select a valid choice"),
}


@pytest.mark.parametrize("case", PAGE_CASES)
def test_the_composer_refuses_bad_posts_and_writes_nothing(login, alice, space, unchanged, case):
    data, message = PAGE_CASES[case]
    client = login(alice)
    with unchanged():
        response = post_page(client, space, **data)
    assert response.status_code == 400
    assert message in response.content.decode()


FILE_CASES = {
    "html renamed png": ("photo.png", b"<html><script>alert(1)</script></html>", "photo.png cannot be attached"),
    "windows program": ("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, "setup.exe cannot be attached"),
    "empty file": ("empty.pdf", b"", "The submitted file is empty."),
}


@pytest.mark.parametrize("case", FILE_CASES)
def test_the_composer_refuses_bad_files_and_writes_nothing(login, alice, space, unchanged, case):
    name, content, message = FILE_CASES[case]
    client = login(alice)
    with unchanged():
        response = post_page(client, space, files=[SimpleUploadedFile(name, content)])
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_oversized_file_is_refused_with_the_limit(login, alice, space, unchanged, settings):
    settings.BASCULE_MAX_UPLOAD_BYTES = 1024
    client = login(alice)
    with unchanged():
        response = post_page(client, space, files=[SimpleUploadedFile("big.png", image_bytes() + b"\x00" * 2048)])
    assert response.status_code == 400
    assert "the limit is 1.0\xa0KB per file" in response.content.decode()


def test_comments_refuse_empty_over_long_and_unknown_mentions(login, alice, bob, space, unchanged):
    post = actions.post_create(actor=alice, space=space, body="Hello")
    client = login(bob)
    for body, message in (
        ("  ", "Write something before sending your comment."),
        ("y" * 5001, "A comment has at most 5,000 characters"),
        ("Ask @ghost", "Nobody here answers to @ghost"),
    ):
        with unchanged():
            response = client.post(f"/posts/{post.pk}/comments/", {"body": body}, headers={"Accept-Language": "en"})
        assert response.status_code == 400, body
        assert message in response.content.decode()


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script> hi",
        '<iframe src="https://evil.example"></iframe> hi',
        "[click](javascript:alert(1)) hi",
        '<img src="x" onerror="alert(1)"> hi',
        '<a href="https://a.example" onclick="alert(1)">a</a> hi',
        "[x](JaVaScRiPt:alert(1)) hi",
    ],
)
def test_markdown_is_published_without_scripts_frames_handlers_or_javascript_links(login, alice, space, markdown):
    response = post_page(login(alice), space, body=markdown)
    assert response.status_code == 302
    html = Post.objects.get().body_html.lower()
    # Shown as text at most (escaped), never as markup: no such tag, attribute or link.
    tags = re.findall(r"<[^>]*>", html)
    for tag in tags:
        assert not re.match(r"<\s*/?\s*(script|iframe|img|object|embed)", tag), tag
        assert "javascript:" not in tag and not re.search(r"\son\w+\s*=", tag), tag
    assert "hi" in html
    page = login(alice).get(Post.objects.get().get_absolute_url()).content.decode().lower()
    assert "<script>alert" not in page and "<iframe" not in page


# ---------------------------------------------------------------------------------------
# The API
# ---------------------------------------------------------------------------------------


@pytest.fixture
def api(alice):
    from django.test import Client

    token = token_create(actor=alice, name="tests").token
    return Client(headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})


def test_api_malformed_json_wrong_type_and_bad_fields(api, space, unchanged):
    cases = [
        ('{"body": "Hi"', "application/json", 400, "malformed_json"),
        ("[1, 2]", "application/json", 400, "malformed_json"),
        ("body=Hi", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        ('{"body": "Hi"}', "text/plain", 415, "unsupported_media_type"),
        (json.dumps({"body": 12}), "application/json", 400, "invalid"),
        (json.dumps({"body": "Hi", "colour": "red"}), "application/json", 400, "invalid"),
        (json.dumps({"body": "   ", "space": space.slug}), "application/json", 400, "invalid"),
        (json.dumps({"body": "x" * (POST_BODY_MAX_LENGTH + 1), "space": space.slug}), "application/json", 400, "invalid"),
        (json.dumps({"body": "Hi @nobody.here", "space": space.slug}), "application/json", 400, "invalid"),
        (json.dumps({"body": "Hi", "space": "no-such-space"}), "application/json", 400, "invalid"),
    ]
    for body, content_type, status, code in cases:
        with unchanged():
            response = api.post("/api/v1/posts/", body, content_type=content_type)
        assert response.status_code == status, (body[:40], response.content)
        error = response.json()["error"]
        assert error["code"] == code and error["message"]


def test_api_oversized_body_is_413(api, space, unchanged):
    with unchanged():
        response = api.post("/api/v1/posts/", json.dumps({"body": "x" * 300_000}), content_type="application/json")
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


def test_api_unknown_ids_are_json_404(api, alice, space, unchanged):
    post = actions.post_create(actor=alice, space=space, body="Hello")
    for method, path in (
        ("get", "/api/v1/posts/999999/"),
        ("get", "/api/v1/spaces/nowhere/"),
        ("get", "/api/v1/people/999999/"),
        ("post", "/api/v1/posts/999999/comments/"),
        ("patch", f"/api/v1/posts/{post.pk}/comments/999999/"),
        ("delete", f"/api/v1/posts/{post.pk}/comments/999999/"),
        ("post", "/api/v1/posts/999999/shares/"),
        ("post", "/api/v1/posts/999999/pin/"),
        ("post", "/api/v1/spaces/nowhere/invitations/"),
        ("post", "/api/v1/people/999999/follow/"),
        ("get", "/api/v1/no/such/thing/"),
    ):
        with unchanged():
            if method == "get":
                response = api.get(path)
            else:
                response = getattr(api, method)(path, json.dumps({"body": "x"}), content_type="application/json")
        assert response.status_code == 404, (method, path)
        assert response["Content-Type"] == "application/json" and response.json()["error"]["code"] == "not_found"


def test_api_a_question_answer_on_a_post_that_is_not_a_question(api, alice, bob, space, unchanged):
    post = actions.post_create(actor=alice, space=space, kind=PostKind.DISCUSSION, body="Hello")
    comment = actions.comment_create(actor=bob, post=post, body="Hi")
    with unchanged():
        response = api.post(f"/api/v1/posts/{post.pk}/accept/", json.dumps({"comment_id": comment.pk}), content_type="application/json")
    assert response.status_code == 403 and response.json()["error"]["message"]
