"""Access rules that need no permission matrix: audiences matched field by field, profile
posts, publishing rights by role, people without attributes."""

from bascule import access
from bascule.network import actions


def test_it_matches_an_audience_on_every_field_listed(org, alice, carol, dave):
    # Lyon AND (Sales or IT): alice (Lyon, Sales) is in, carol (Paris, IT) is not.
    space = actions.space_create(
        actor=dave, name="Lyon sales and IT", audience={"site": [org["lyon"].pk], "department": [org["sales"].pk, org["it"].pk]}
    )
    assert access.visible_spaces(alice).filter(pk=space.pk).exists()
    assert not access.visible_spaces(carol).filter(pk=space.pk).exists()
    # dave (Paris) created it and is its owner: members always see their space.
    assert access.visible_spaces(dave).filter(pk=space.pk).exists()


def test_it_does_not_match_an_audience_with_an_empty_attribute(org, dave):
    from tests.conftest import make_person

    nobody = make_person("No Site", "nosite@example.com", department=org["sales"])
    space = actions.space_create(actor=dave, name="Lyon", audience={"site": [org["lyon"].pk]})
    assert not access.visible_spaces(nobody).filter(pk=space.pk).exists()


def test_it_shows_profile_posts_to_colleagues_only(alice, bob):
    post = actions.post_create(actor=alice, space=None, body="Hello from my profile")
    assert access.visible_posts(bob).filter(pk=post.pk).exists()
    assert not access.visible_posts(None).filter(pk=post.pk).exists()


def test_it_gives_publishing_rights_by_role_in_editorial_spaces(alice, bob, dave):
    from bascule.network.models import PostKind, SpaceKind

    space = actions.space_create(actor=dave, name="News", kind=SpaceKind.EDITORIAL)
    actions.space_join(actor=alice, space=space)
    assert access.post_kinds_allowed(alice, space) == [PostKind.DISCUSSION, PostKind.QUESTION]
    assert set(access.post_kinds_allowed(dave, space)) == set(PostKind.values)
    community = actions.space_create(actor=dave, name="Chat")
    actions.space_join(actor=alice, space=community)
    assert access.post_kinds_allowed(alice, community) == [PostKind.DISCUSSION, PostKind.QUESTION, PostKind.ARTICLE]
    assert access.post_kinds_allowed(bob, community) == []


def test_it_handles_a_person_without_any_attribute(org, dave):
    from tests.conftest import make_person

    blank = make_person("Blank Person", "blank@example.com")
    restricted = actions.space_create(actor=dave, name="Lyon", audience={"site": [org["lyon"].pk]})
    open_to_all = actions.space_create(actor=dave, name="All")
    visible = set(access.visible_spaces(blank).values_list("pk", flat=True))
    assert visible == {open_to_all.pk}
    assert restricted.pk not in set(access.readable_spaces(blank).values_list("pk", flat=True))
