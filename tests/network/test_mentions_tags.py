"""@mentions and #tags: parsed when written, linked, told, recorded; tag pages; autocomplete."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bascule.adoption.models import Event
from bascule.network import actions, markdown
from bascule.network.models import Mention, Post, PostTag, Visibility
from bascule.notify.models import Notification


@pytest.fixture
def space(alice, bob):
    space = actions.space_create(actor=alice, name="Atlas")
    actions.space_join(actor=bob, space=space)
    return space


def mentions_recorded(person):
    return Event.objects.filter(person=person, kind="mention").count()


def told(person):
    return list(Notification.objects.filter(recipient=person, kind="mention").values_list("post_id", flat=True))


def test_it_finds_mentions_and_tags_outside_code_and_links():
    handles, tags = markdown.references(
        "Hi @Bob and @carol.petit, #Qualité #qualite #1 `@code #x` [@link #y](https://a.b) mail me@example.com"
    )
    assert handles == ["bob", "carol.petit"]
    assert tags == ["Qualité"]


def test_it_links_a_mention_and_notifies_and_records(space, alice, bob):
    post = actions.post_create(actor=alice, space=space, body="Thanks @bob for #Quality work")
    assert f'<a href="/people/{bob.pk}/" rel="nofollow noopener">@Bob Bernard</a>' in post.body_html
    assert 'href="/tags/quality/"' in post.body_html
    assert told(bob) == [post.pk]
    assert mentions_recorded(alice) == 1
    assert [t.name for t in (pt.tag for pt in PostTag.objects.filter(post=post))] == ["Quality"]


def test_it_refuses_an_unknown_mention(space, alice):
    with pytest.raises(ValidationError) as error:
        actions.post_create(actor=alice, space=space, body="Hello @nobody.here")
    assert "@nobody.here" in str(error.value)
    assert not Post.objects.exists()


def test_it_holds_back_the_mention_of_who_may_not_read_until_they_may(alice, carol):
    from bascule.access import visible_notifications
    from bascule.network.queries import mentioned_without_access

    private = actions.space_create(actor=alice, name="Private", visibility=Visibility.PRIVATE)
    post = actions.post_create(actor=alice, space=private, body="What does @carol think?")
    assert Mention.objects.filter(person=carol).exists()
    # Stored, but not shown, counted or e-mailed while carol may not read the post.
    assert told(carol) == [post.pk] and not visible_notifications(carol).exists()
    assert mentioned_without_access(post) == [carol]
    actions.space_invite(actor=alice, space=private, person=carol)
    assert list(visible_notifications(carol).values_list("kind", flat=True)) == ["invitation"]
    actions.space_join(actor=carol, space=private)
    assert sorted(visible_notifications(carol).values_list("kind", flat=True)) == ["invitation", "mention"]
    assert mentioned_without_access(post) == []


def test_it_tells_only_people_an_edit_adds(space, alice, bob, carol):
    actions.space_join(actor=carol, space=space)
    post = actions.post_create(actor=alice, space=space, body="Hi @bob")
    actions.post_edit(actor=alice, post=post, title="", body="Hi @bob and @carol #news")
    assert len(told(bob)) == 1 and len(told(carol)) == 1
    assert mentions_recorded(alice) == 2
    actions.post_edit(actor=alice, post=post, title="", body="Hi @bob")
    assert not PostTag.objects.exists()


def test_it_mentions_in_comments(space, alice, bob):
    post = actions.post_create(actor=alice, space=space, body="Hello")
    comment = actions.comment_create(actor=alice, post=post, body="@bob what do you think?")
    assert Notification.objects.get(recipient=bob, kind="mention").comment_id == comment.pk


def test_it_does_not_record_a_mention_of_oneself(space, alice):
    actions.post_create(actor=alice, space=space, body="Note to @alice")
    assert mentions_recorded(alice) == 0


def test_it_explains_an_unknown_mention_on_the_page(space, login, alice):
    response = login(alice).post(reverse("network:post_create", args=[space.slug]), {"kind": "discussion", "body": "Hi @ghost"})
    assert response.status_code == 400 and "Nobody here answers to @ghost" in response.text
    assert not Post.objects.exists()


def test_it_suggests_eight_colleagues_to_mention(space, login, alice, org):
    from tests.conftest import make_person

    for n in range(10):
        make_person(f"Bea Number{n}", f"bea{n}@example.com")
    response = login(alice).get(reverse("feed:mentions"), {"q": "bea"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.text.count('data-handle="bea') == 8
    response = login(alice).get(reverse("feed:mentions"), {"q": "bob"})
    assert 'data-handle="bob"' in response.text


def test_it_shows_a_tag_page_with_only_readable_posts(alice, bob, carol, login):
    public = actions.space_create(actor=alice, name="Open")
    private = actions.space_create(actor=alice, name="Closed club", visibility=Visibility.PRIVATE)
    actions.post_create(actor=alice, space=public, body="Open words #budget")
    actions.post_create(actor=alice, space=private, body="Closed words #budget")
    response = login(carol).get(reverse("feed:tag", args=["budget"]))
    assert response.status_code == 200
    assert "Open words" in response.text
    assert "Closed words" not in response.text and "Closed club" not in response.text
    response = login(alice).get(reverse("feed:tag", args=["budget"]))
    assert "Closed words" in response.text
    assert login(alice).get(reverse("feed:tag", args=["nothing"])).status_code == 404
