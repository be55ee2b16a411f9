"""A space as the directory lists it ({% space_card %}, written in Python): what a reader
sees of each space, in both languages, and nothing of a private space's members."""

import re

from django.urls import reverse

from bascule.network import actions
from bascule.network.models import JoinPolicy, Visibility
from bascule.people.actions import person_language_set


def card(html: str, space) -> str:
    """The card of ``space`` in the directory page."""
    match = re.search(rf'<li class="space-card">\s*<div class="space-card-head">\s*<a class="space-name" href="{space.get_absolute_url()}">.*?</li>', html, re.S)
    assert match, f"no card for {space.name}"
    return match.group(0)


def test_it_shows_each_space_with_its_kind_members_and_where_the_reader_stands(login, alice, bob, carol):
    atlas = actions.space_create(actor=alice, name="Atlas <R&D>", purpose="The Atlas project & friends", kind="project")
    actions.space_join(actor=bob, space=atlas)
    board = actions.space_create(actor=alice, name="Board", visibility=Visibility.PRIVATE, join_policy=JoinPolicy.REQUEST)
    club = actions.space_create(actor=alice, name="Club", visibility=Visibility.PRIVATE, join_policy=JoinPolicy.INVITE)
    actions.space_invite(actor=alice, space=club, person=bob)
    old = actions.space_create(actor=alice, name="Old news")
    actions.space_archive(actor=alice, space=old)
    page = login(bob).get(reverse("network:directory")).text

    mine = card(page, atlas)
    assert '<a class="space-name" href="/spaces/atlas-rd/">Atlas &lt;R&amp;D&gt;</a>' in mine
    assert '<span class="badge">Project</span>' in mine and "Public" not in mine
    assert '<p class="muted">The Atlas project &amp; friends</p>' in mine
    assert "2 members · " in mine and "You are a member" in mine
    private = card(page, board)
    assert '<span class="badge">Private</span>' in private
    assert "Members only" in private and "member ·" not in private and "members ·" not in private
    assert "<strong>You are invited</strong>" in card(page, club)
    archived = card(page, old)
    assert '<span class="badge">Archived</span>' in archived and "1 member · " in archived


def test_it_speaks_french(login, alice, bob):
    person_language_set(person=bob, language="fr")
    atlas = actions.space_create(actor=alice, name="Atlas")
    actions.space_join(actor=bob, space=atlas)
    board = actions.space_create(actor=alice, name="Board", visibility=Visibility.PRIVATE)
    page = login(bob).get(reverse("network:directory")).text
    assert "2 membres · " in card(page, atlas) and "Vous êtes membre" in card(page, atlas)
    assert "Réservé aux membres" in card(page, board) and '<span class="badge">Privé</span>' in card(page, board)
