"""A post as lists show it ({% post_card %}, {% reactions %}, written in Python): what a
reader sees of it on the space page and in the home feed, in both languages."""

import re

import pytest
from django.urls import reverse

from bascule.moderation import actions as moderation
from bascule.network import actions
from bascule.people.actions import person_language_set


@pytest.fixture
def space(alice, bob):
    space = actions.space_create(actor=alice, name="Atlas", purpose="The Atlas project team")
    actions.space_join(actor=bob, space=space)
    return space


def card(html: str, post) -> str:
    """The <article> of ``post`` in a page."""
    match = re.search(rf'<article class="[^"]*" aria-labelledby="post-{post.pk}-title">.*?</article>', html, re.S)
    assert match, f"no card for post {post.pk}"
    return match.group(0)


def test_it_shows_a_post_with_its_author_kind_title_tags_reactions_and_comments(login, alice, bob, space):
    post = actions.post_create(actor=alice, space=space, kind="question", title="Keys <of> the office?", body="Who has the **key**? #badges")
    actions.comment_create(actor=bob, post=post, body="Reception")
    actions.comment_create(actor=alice, post=post, body="Thanks")
    actions.reaction_toggle(actor=bob, post=post, kind="thanks")
    actions.reaction_toggle(actor=alice, post=post, kind="thanks")
    html = card(login(bob).get(reverse("network:space", args=[space.slug])).text, post)

    assert f'<a class="person-name" href="{alice.get_absolute_url()}">Alice Martin</a>' in html
    assert f'href="{space.get_absolute_url()}"' not in html  # the space page does not repeat its name
    assert f'<a href="{post.get_absolute_url()}"><time datetime="' in html
    assert '<span class="badge">Question</span>' in html
    assert f'<h3 class="post-title" id="post-{post.pk}-title"><a href="{post.get_absolute_url()}">Keys &lt;of&gt; the office?</a></h3>' in html
    assert "<strong>key</strong>" in html
    assert f'<li><a href="{reverse("feed:tag", args=["badges"])}">#badges</a></li>' in html
    react = reverse("feed:react", args=[post.pk])
    assert f'<form method="post" action="{react}" hx-post="{react}" hx-target="#reactions-{post.pk}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert html.count('<button class="reaction') == 5
    assert ('<button class="reaction mine" type="submit" name="kind" value="thanks" aria-pressed="true" title="Thanks">'
            '<span aria-hidden="true">🙏</span><span class="visually-hidden">Thanks</span> <span class="reaction-count">2</span></button>') in html
    assert f'<a class="small report-link" href="{reverse("moderation:report_post", args=[post.pk])}">Report</a>' in html
    assert f'<a class="small" href="{post.get_absolute_url()}#comments">2 comments</a>' in html


def test_it_names_the_space_in_the_feed_and_marks_new_and_pinned_posts(login, alice, bob, space):
    login(bob).get(reverse("home"))  # the "seen" mark: what comes after is new
    post = actions.post_create(actor=alice, space=space, body="Welcome aboard")
    actions.post_pin(actor=alice, post=post)
    html = card(login(bob).get(reverse("home")).text, post)
    assert f'<a href="{space.get_absolute_url()}">Atlas</a> · ' in html
    assert html.startswith('<article class="post post-pinned unread"')
    assert '<span class="badge unread-badge">New</span> <span class="badge">Pinned</span> ' in html
    assert f'<span class="visually-hidden" id="post-{post.pk}-title">Post by Alice Martin</span>' in html
    assert "1 comment" not in html and "0 comments" in html


def test_it_speaks_french(login, alice, bob, space):
    post = actions.post_create(actor=alice, space=space, body="Bonjour")
    actions.comment_create(actor=bob, post=post, body="Salut")
    actions.comment_create(actor=alice, post=post, body="Re")
    person_language_set(person=bob, language="fr")
    html = card(login(bob).get(reverse("network:space", args=[space.slug])).text, post)
    assert "Publication de Alice Martin" in html
    assert "2 commentaires" in html and ">Signaler</a>" in html
    assert 'title="J&#x27;aime"' in html


def test_it_marks_a_hidden_post_for_its_author_without_a_report_link(login, alice, bob, space):
    post = actions.post_create(actor=bob, space=space, body="Off topic")
    moderation.content_hide(actor=alice, post=post, reason="off_topic")
    html = card(login(bob).get(reverse("network:space", args=[space.slug])).text, post)
    assert html.startswith('<article class="post post-hidden"')
    assert "Hidden by a moderator" in html and "Only you and the moderators see it." in html
    assert "report-link" not in html
    manager = card(login(alice).get(reverse("network:space", args=[space.slug])).text, post)
    assert f'href="{reverse("moderation:post_act", args=[post.pk, "restore"])}">Restore</a>' in manager
