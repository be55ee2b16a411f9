"""Attachments: uploaded with a post or on edit, checked by their bytes, downloaded only by
the post's readers, never from MEDIA_URL."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import Resolver404, resolve, reverse

from bascule.network import actions
from bascule.network.models import Attachment, Post
from tests.network import files as samples
from tests.network.test_access import CASES, EXPECTED
from tests.network.test_pages import _queries_of


@pytest.fixture
def space(alice):
    return actions.space_create(actor=alice, name="Atlas")


def _download(client, attachment):
    return client.get(reverse("feed:attachment", args=[attachment.post_id, attachment.pk]))


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


def test_it_attaches_files_from_the_composer_without_javascript(login, alice, space):
    client = login(alice)
    response = client.post(
        reverse("network:post_create", args=[space.slug]),
        {"kind": "discussion", "title": "", "body": "The plan",
         "files": [samples.upload("plan.pdf", samples.PDF), samples.upload("site.png", samples.image_bytes())]},
    )
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    names = {a.original_name: a for a in post.attachments.all()}
    assert set(names) == {"plan.pdf", "site.png"}
    assert names["plan.pdf"].content_type == "application/pdf" and names["plan.pdf"].size == len(samples.PDF)
    # Stored under a random name, without the author's name or extension.
    stored = names["plan.pdf"].file.name
    assert stored.startswith("attachments/") and "plan" not in stored and "." not in stored.rsplit("/", 1)[-1]
    page = client.get(post.get_absolute_url())
    assert "plan.pdf" in page.text and 'loading="lazy"' in page.text
    assert reverse("feed:attachment", args=[post.pk, names["site.png"].pk]) in page.text


def test_it_serves_files_with_safe_headers(login, alice, space):
    post = actions.post_create(
        actor=alice, space=space, body="Files",
        files=[samples.upload("a.pdf", samples.PDF), samples.upload("b.png", samples.image_bytes()),
               samples.upload("c.docx", samples.ooxml_bytes()), samples.upload("notes.txt", b"plain words")],
    )
    client = login(alice)
    by_name = {a.original_name: a for a in post.attachments.all()}
    pdf = _download(client, by_name["a.pdf"])
    assert pdf.status_code == 200 and _content(pdf) == samples.PDF
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("inline")
    assert pdf["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in pdf["Content-Security-Policy"]
    assert pdf["Cache-Control"].startswith("private")
    image = _download(client, by_name["b.png"])
    assert image["Content-Type"] == "image/png" and image["Content-Disposition"].startswith("inline")
    assert "sandbox" in image["Content-Security-Policy"]
    document = _download(client, by_name["c.docx"])
    assert document["Content-Disposition"].startswith("attachment") and 'filename="c.docx"' in document["Content-Disposition"]
    text = _download(client, by_name["notes.txt"])
    assert text["Content-Type"] == "text/plain; charset=utf-8" and text["Content-Disposition"].startswith("attachment")
    assert "sandbox" in text["Content-Security-Policy"]


def test_it_never_serves_uploads_from_media_url(alice, space):
    post = actions.post_create(actor=alice, space=space, body="Files", files=[samples.upload("a.pdf", samples.PDF)])
    stored = post.attachments.get().file.name
    with pytest.raises(Resolver404):
        resolve(f"/media/{stored}")


def test_it_keeps_the_name_of_a_png_renamed_pdf_and_serves_it_as_png(login, alice, space):
    post = actions.post_create(actor=alice, space=space, body="x", files=[samples.upload("scan.pdf", samples.image_bytes(), "application/pdf")])
    attachment = post.attachments.get()
    assert attachment.original_name == "scan.pdf" and attachment.content_type == "image/png"
    response = _download(login(alice), attachment)
    assert response["Content-Type"] == "image/png" and 'filename="scan.pdf.png"' in response["Content-Disposition"]


@pytest.mark.parametrize(
    "name,content",
    [("setup.pdf", samples.EXE), ("page.html", samples.HTML), ("logo.svg", samples.SVG), ("macro.docx", samples.ooxml_bytes("application/vnd.ms-word.document.macroEnabled.main+xml"))],
)
def test_it_refuses_forbidden_files_and_saves_nothing(login, alice, space, name, content):
    response = login(alice).post(
        reverse("network:post_create", args=[space.slug]),
        {"kind": "discussion", "body": "Look", "files": [samples.upload("fine.pdf", samples.PDF), samples.upload(name, content, "application/pdf")]},
    )
    assert response.status_code == 400
    assert f"{name} cannot be attached" in response.text
    assert not Post.objects.exists() and not Attachment.objects.exists()


def test_it_refuses_an_oversized_file_with_the_limit(login, alice, space, settings):
    settings.BASCULE_MAX_UPLOAD_BYTES = 1000
    response = login(alice).post(
        reverse("network:post_create", args=[space.slug]),
        {"kind": "discussion", "body": "Big", "files": [samples.upload("big.txt", b"a" * 1001)]},
    )
    assert response.status_code == 400
    assert "big.txt is 1001\xa0bytes; the limit is 1000\xa0bytes per file." in response.text
    assert not Post.objects.exists()
    media = settings.MEDIA_ROOT / "attachments"
    assert not media.exists() or not any(media.rglob("*"))


def test_it_refuses_more_than_five_files(login, alice, space):
    files = [samples.upload(f"n{n}.txt", b"words") for n in range(6)]
    response = login(alice).post(reverse("network:post_create", args=[space.slug]), {"kind": "discussion", "body": "Many", "files": files})
    assert response.status_code == 400 and "at most 5 files" in response.text
    assert not Post.objects.exists()


def test_it_adds_and_removes_files_on_edit(login, alice, space, django_capture_on_commit_callbacks):
    post = actions.post_create(actor=alice, space=space, body="v1", files=[samples.upload("old.txt", b"old")])
    old = post.attachments.get()
    storage, old_name = old.file.storage, old.file.name
    client = login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("network:post_edit", args=[space.slug, post.pk]),
            {"title": "", "body": "v1", "remove": [str(old.pk)], "files": [samples.upload("new.txt", b"new")]},
        )
    assert response.status_code == 302
    assert [a.original_name for a in post.attachments.all()] == ["new.txt"]
    assert not storage.exists(old_name)
    assert client.get(reverse("feed:attachment", args=[post.pk, old.pk])).status_code == 404


def test_it_counts_kept_files_on_edit(alice, space):
    post = actions.post_create(actor=alice, space=space, body="v1", files=[samples.upload(f"{n}.txt", b"x") for n in range(5)])
    with pytest.raises(ValidationError):
        actions.post_edit(actor=alice, post=post, title="", body="v1", files_added=[samples.upload("6.txt", b"x")])
    first = post.attachments.order_by("pk").first()
    actions.post_edit(actor=alice, post=post, title="", body="v1", files_added=[samples.upload("6.txt", b"x")], files_removed=[first.pk])
    assert post.attachments.count() == 5


def test_it_hides_the_files_of_a_deleted_post(login, alice, bob, space):
    actions.space_join(actor=bob, space=space)
    post = actions.post_create(actor=alice, space=space, body="x", files=[samples.upload("a.pdf", samples.PDF)])
    attachment = post.attachments.get()
    assert _download(login(bob), attachment).status_code == 200
    actions.post_delete(actor=alice, post=post)
    assert _download(login(bob), attachment).status_code == 404
    assert _download(login(alice), attachment).status_code == 404


def test_it_answers_404_for_a_file_of_another_post(login, alice, space):
    one = actions.post_create(actor=alice, space=space, body="1", files=[samples.upload("a.pdf", samples.PDF)])
    two = actions.post_create(actor=alice, space=space, body="2")
    response = login(alice).get(reverse("feed:attachment", args=[two.pk, one.attachments.get().pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("space_key,relation", CASES)
def test_it_lets_only_readers_download_inside_the_matrix(world, client, space_key, relation):
    _visible, readable = EXPECTED[space_key][relation]
    person, space = world["people"][relation], world["spaces"][space_key]
    owner = world["posts"][space_key].author
    post = actions.post_create(actor=owner, space=space, body="With a file", files=[samples.upload("minutes.pdf", samples.PDF)])
    attachment = post.attachments.get()
    if person is not None:
        client.force_login(person.user)
    response = _download(client, attachment)
    if relation in {"anonymous", "departed"}:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        return
    assert response.status_code == (200 if readable else 404)
    if not readable:
        assert b"%PDF" not in response.content and space.name not in response.text


@pytest.mark.parametrize("page", ["space", "home"])
def test_it_reads_pages_with_files_in_constant_queries(login, alice, bob, page):
    small = actions.space_create(actor=alice, name="Small")
    large = actions.space_create(actor=alice, name="Large")
    for space in (small, large):
        actions.space_join(actor=bob, space=space)

    def fill(space, count):
        for n in range(count):
            actions.post_create(
                actor=alice, space=space, body=f"Post {n}",
                files=[samples.upload("a.pdf", samples.PDF), samples.upload("b.png", samples.image_bytes())],
            )

    client = login(bob)
    fill(small, 3)
    url = reverse("network:space", args=[small.slug]) if page == "space" else reverse("home")
    _queries_of(client, url)  # the day's visit and the first "seen" mark are written once
    few = _queries_of(client, url)
    fill(small if page == "home" else large, 27)
    url = reverse("network:space", args=[large.slug]) if page == "space" else url
    many = _queries_of(client, url)
    assert few == many
