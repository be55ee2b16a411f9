"""Comments (one level of replies), reactions and shares: actions, pages, bad input."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bascule.adoption.models import Event
from bascule.network import actions
from bascule.network.models import COMMENT_BODY_MAX_LENGTH, Comment, Post, PostKind, Reaction
from bascule.notify.models import Notification


@pytest.fixture
def space(alice, bob, carol):
    space = actions.space_create(actor=alice, name="Atlas")
    actions.space_join(actor=bob, space=space)
    actions.space_join(actor=carol, space=space)
    return space


@pytest.fixture
def question(space, alice):
    return actions.post_create(actor=alice, space=space, kind=PostKind.QUESTION, body="Where is the key?")


def kinds(person):
    return sorted(Event.objects.filter(person=person).values_list("kind", flat=True))


def notifications(person):
    return sorted(Notification.objects.filter(recipient=person).values_list("kind", flat=True))


def test_it_records_an_answer_and_tells_the_asker(question, alice, bob):
    comment = actions.comment_create(actor=bob, post=question, body="In the *drawer*")
    assert comment.body_html == "<p>In the <em>drawer</em></p>"
    assert kinds(bob) == ["answer", "join"]
    assert notifications(alice) == ["answer"]


def test_it_records_a_reply_and_tells_the_parent_and_the_post_author(question, alice, bob, carol):
    answer = actions.comment_create(actor=bob, post=question, body="In the drawer")
    actions.comment_create(actor=carol, post=question, body="Which one?", parent=answer)
    assert kinds(carol) == ["comment", "join"]
    assert notifications(bob) == ["reply"]
    assert notifications(alice) == ["answer", "reply"]


def test_it_records_a_comment_on_a_discussion(space, alice, bob):
    post = actions.post_create(actor=alice, space=space, body="Hello")
    actions.comment_create(actor=bob, post=post, body="Hi")
    assert kinds(bob) == ["comment", "join"]
    assert notifications(alice) == ["reply"]


def test_it_refuses_a_reply_to_a_reply(question, bob, carol):
    answer = actions.comment_create(actor=bob, post=question, body="A")
    reply = actions.comment_create(actor=carol, post=question, body="B", parent=answer)
    with pytest.raises(ValidationError):
        actions.comment_create(actor=bob, post=question, body="C", parent=reply)
    assert Comment.objects.count() == 2


@pytest.mark.parametrize("body", ["", "   ", "x" * (COMMENT_BODY_MAX_LENGTH + 1)])
def test_it_refuses_an_empty_or_over_long_comment(question, bob, body):
    with pytest.raises(ValidationError):
        actions.comment_create(actor=bob, post=question, body=body)
    assert not Comment.objects.exists()


def test_it_refuses_comments_from_who_may_not_read(alice, carol):
    from bascule.network.models import Visibility

    private = actions.space_create(actor=alice, name="Private", visibility=Visibility.PRIVATE)
    post = actions.post_create(actor=alice, space=private, body="Hidden")
    with pytest.raises(PermissionDenied):
        actions.comment_create(actor=carol, post=post, body="Let me in")
    with pytest.raises(PermissionDenied):
        actions.reaction_toggle(actor=carol, post=post, kind="like")
    with pytest.raises(PermissionDenied):
        actions.post_share(actor=carol, post=post, space=None)


def test_it_edits_and_deletes_a_comment(question, alice, bob, carol):
    comment = actions.comment_create(actor=bob, post=question, body="A")
    with pytest.raises(PermissionDenied):
        actions.comment_edit(actor=carol, comment=comment, body="B")
    actions.comment_edit(actor=bob, comment=comment, body="B")
    assert comment.body == "B" and comment.edited_at
    with pytest.raises(PermissionDenied):
        actions.comment_delete(actor=carol, comment=comment)
    actions.comment_delete(actor=alice, comment=comment)  # alice owns the space
    assert Comment.objects.get().deleted_at is not None


def test_it_toggles_a_reaction_and_records_react_once(question, bob):
    assert actions.reaction_toggle(actor=bob, post=question, kind="like") is True
    assert actions.reaction_toggle(actor=bob, post=question, kind="like") is False
    assert not Reaction.objects.exists()
    actions.reaction_toggle(actor=bob, post=question, kind="like")
    actions.reaction_toggle(actor=bob, post=question, kind="thanks")
    assert Reaction.objects.count() == 2
    assert kinds(bob).count("react") == 3


def test_it_refuses_an_unknown_reaction(question, bob):
    with pytest.raises(ValidationError):
        actions.reaction_toggle(actor=bob, post=question, kind="angry")


def test_it_reacts_to_a_comment(question, alice, bob):
    comment = actions.comment_create(actor=bob, post=question, body="A")
    actions.reaction_toggle(actor=alice, post=question, comment=comment, kind="thanks")
    assert Reaction.objects.get().comment == comment


def test_it_shares_into_a_space_and_records_share(question, bob, alice):
    other = actions.space_create(actor=bob, name="Other")
    share = actions.post_share(actor=bob, post=question, space=other, body="Can anyone help?")
    assert share.shared_post == question and share.space == other
    assert "share" in kinds(bob) and "post" not in kinds(bob)
    # Sharing the share shares the original.
    again = actions.post_share(actor=alice, post=share, space=None)
    assert again.shared_post == question


def test_it_shows_a_share_without_revealing_a_private_original(alice, bob, carol, login):
    from bascule.network.models import Visibility

    private = actions.space_create(actor=alice, name="Private club", visibility=Visibility.PRIVATE)
    original = actions.post_create(actor=alice, space=private, body="Confidential words", title="Secret plan")
    public = actions.space_create(actor=alice, name="Open square")
    share = actions.post_share(actor=alice, post=original, space=public, body="Look at this")
    response = login(carol).get(reverse("network:space", args=[public.slug]))
    assert "Look at this" in response.text
    assert "This post is not available to you." in response.text
    for leak in ("Confidential words", "Secret plan", "Private club"):
        assert leak not in response.text
    response = login(carol).get(share.get_absolute_url())
    assert "This post is not available to you." in response.text and "Confidential words" not in response.text
    response = login(alice).get(share.get_absolute_url())
    assert "Confidential words" in response.text


def test_it_comments_and_replies_through_the_pages(question, login, bob, carol):
    client = login(bob)
    response = client.post(reverse("feed:comment_create", args=[question.pk]), {"body": "In the drawer"})
    answer = Comment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{answer.pk}")
    client = login(carol)
    client.post(reverse("feed:comment_create", args=[question.pk]), {"body": "Thanks", "parent": answer.pk})
    reply = Comment.objects.exclude(pk=answer.pk).get()
    response = client.post(reverse("feed:comment_create", args=[question.pk]), {"body": "Nested", "parent": reply.pk})
    assert response.status_code == 400 and "replies are not replied to" in response.text
    response = client.post(reverse("feed:comment_create", args=[question.pk]), {"body": "  "})
    assert response.status_code == 400
    response = client.post(reverse("feed:comment_create", args=[question.pk]), {"body": "x" * (COMMENT_BODY_MAX_LENGTH + 1)})
    assert response.status_code == 400 and "at most" in response.text
    assert Comment.objects.count() == 2
    page = client.get(question.get_absolute_url())
    assert "In the drawer" in page.text and "Thanks" in page.text


def test_it_toggles_a_reaction_with_htmx_and_without(question, login, bob):
    client = login(bob)
    url = reverse("feed:react", args=[question.pk])
    response = client.post(url, {"kind": "like"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'aria-pressed="true"' in response.text
    response = client.post(url, {"kind": "like"})
    assert response.status_code == 302
    assert not Reaction.objects.exists()
    assert client.post(url, {"kind": "nope"}).status_code == 400


def test_it_shares_from_the_page(question, login, bob):
    response = login(bob).post(reverse("feed:share", args=[question.pk]), {"target": "profile", "body": "Help!"})
    share = Post.objects.get(shared_post=question)
    assert response.status_code == 302 and response["Location"] == share.get_absolute_url()
    assert share.space is None
    page = login(bob).get(share.get_absolute_url())
    assert "Where is the key?" in page.text


def test_it_shows_the_post_page_in_constant_queries(question, alice, bob, carol, login, django_assert_max_num_queries):
    client = login(alice)
    client.get(question.get_absolute_url())
    for i in range(3):
        answer = actions.comment_create(actor=bob, post=question, body=f"A{i}")
        actions.comment_create(actor=carol, post=question, body=f"R{i}", parent=answer)
        actions.reaction_toggle(actor=carol, post=question, comment=answer, kind="like")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(question.get_absolute_url())
    for i in range(20):
        answer = actions.comment_create(actor=bob, post=question, body=f"B{i}")
        actions.comment_create(actor=carol, post=question, body=f"S{i}", parent=answer)
        actions.reaction_toggle(actor=carol, post=question, comment=answer, kind="like")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(question.get_absolute_url())
