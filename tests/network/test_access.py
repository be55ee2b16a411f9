"""The permission matrix for spaces and posts: visible_* querysets and the pages, for each
visibility × each relation (tests/network/conftest.py describes the people)."""

import pytest
from django.urls import reverse

from bascule import access
from bascule.network import actions
from tests.network.conftest import shared_world

# Every test here reads the same world, built once for the module (see shared_world).
globals().update(shared_world())

# (visible: the space is listed / exists for them, readable: its posts are readable)
EXPECTED = {
    "public": {
        "member": (True, True), "invited": (True, True), "former": (True, True), "outsider": (True, True),
        "in_audience": (True, True), "departed": (False, False), "anonymous": (False, False),
    },
    "private": {
        "member": (True, True), "invited": (True, False), "former": (True, False), "outsider": (True, False),
        "in_audience": (True, False), "departed": (False, False), "anonymous": (False, False),
    },
    "secret": {
        "member": (True, True), "invited": (True, False), "former": (False, False), "outsider": (False, False),
        "in_audience": (False, False), "departed": (False, False), "anonymous": (False, False),
    },
    "lyon_public": {
        "member": (True, True), "invited": (True, True), "former": (True, True), "outsider": (False, False),
        "in_audience": (True, True), "departed": (False, False), "anonymous": (False, False),
    },
    "lyon_private": {
        "member": (True, True), "invited": (True, False), "former": (True, False), "outsider": (False, False),
        "in_audience": (True, False), "departed": (False, False), "anonymous": (False, False),
    },
}
CASES = [(space, relation) for space, row in EXPECTED.items() for relation in row]


@pytest.mark.parametrize("space_key,relation", CASES)
def test_it_answers_the_querysets_of_the_matrix(world, space_key, relation):
    visible, readable = EXPECTED[space_key][relation]
    person, space, post = world["people"][relation], world["spaces"][space_key], world["posts"][space_key]
    assert access.visible_spaces(person).filter(pk=space.pk).exists() is visible
    assert access.readable_spaces(person).filter(pk=space.pk).exists() is readable
    assert access.visible_posts(person).filter(pk=post.pk).exists() is readable
    assert access.visible_posts(person, space=space).filter(pk=post.pk).exists() is readable
    assert access.may_read_space(person, space) is readable


@pytest.mark.parametrize("space_key,relation", CASES)
def test_it_answers_the_pages_of_the_matrix(world, client, space_key, relation):
    visible, readable = EXPECTED[space_key][relation]
    person, space, post = world["people"][relation], world["spaces"][space_key], world["posts"][space_key]
    if person is not None:
        client.force_login(person.user)
    directory = client.get(reverse("network:directory"))
    space_page = client.get(reverse("network:space", args=[space.slug]))
    post_page = client.get(reverse("network:post", args=[space.slug, post.pk]))
    if relation in {"anonymous", "departed"}:
        # Nobody signed in (a departed person's account is closed): the login page, nothing else.
        for response in (directory, space_page, post_page):
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        return
    assert directory.status_code == 200
    assert (space.name in directory.text) is visible
    assert (f"Purpose of {space_key}" in directory.text) is visible
    assert space_page.status_code == (200 if visible else 404)
    assert (f"Secret words of {space_key}" in space_page.text) is readable
    assert (f"Title {space_key}" in space_page.text) is readable
    assert post_page.status_code == (200 if readable else 404)
    if not visible:
        # A space one may not see leaves no trace: no name, purpose, count or author.
        for response in (directory, space_page, post_page):
            assert space.name not in response.text
            assert f"Purpose of {space_key}" not in response.text


def test_it_never_lists_members_count_to_who_may_not_read(world, login):
    space = world["spaces"]["private"]
    response = login(world["people"]["outsider"]).get(reverse("network:space", args=[space.slug]))
    assert response.status_code == 200
    assert response.context["member_count"] is None
    assert "Dave Durand" not in response.text
    response = login(world["people"]["member"]).get(reverse("network:space", args=[space.slug]))
    assert response.context["member_count"] == 2  # dave and alice; bob is only invited


def test_it_keeps_members_inside_after_they_leave_the_audience(world, carol, dave):
    space = world["spaces"]["lyon_private"]
    actions.space_invite(actor=dave, space=space, person=carol)
    actions.space_join(actor=carol, space=space)
    assert access.readable_spaces(carol).filter(pk=space.pk).exists()


def test_it_lets_archived_spaces_be_read_but_not_written(world, dave):
    space = world["spaces"]["public"]
    actions.space_archive(actor=dave, space=space)
    space.refresh_from_db()
    alice = world["people"]["member"]
    assert access.readable_spaces(alice).filter(pk=space.pk).exists()
    assert not access.may_post(alice, space)
    assert not access.may_post(dave, space)
    assert not access.may_join(world["people"]["outsider"], space)


def test_it_counts_each_visible_queryset_in_one_query(world, django_assert_num_queries):
    alice = world["people"]["member"]
    with django_assert_num_queries(1):
        list(access.visible_spaces(alice))
    with django_assert_num_queries(1):
        list(access.readable_spaces(alice))
    with access.permission_memo():
        # The spaces Alice may know, read and manage: one query for the whole request…
        with django_assert_num_queries(1):
            ids = access.space_ids(alice)
        # …then each visible queryset is one query, however many there are.
        for queryset in (access.visible_posts, access.visible_comments, access.visible_notifications):
            with django_assert_num_queries(1):
                list(queryset(alice))
        with django_assert_num_queries(0):
            assert access.space_ids(alice) is ids


def test_it_answers_space_ids_like_the_querysets(world):
    for relation, person in world["people"].items():
        if person is None or relation == "departed":
            continue
        ids = access.space_ids(person)
        assert set(ids.visible) == set(access.visible_spaces(person).values_list("pk", flat=True))
        assert set(ids.readable) == set(access.readable_spaces(person).values_list("pk", flat=True))
        managed = {space.pk for space in world["spaces"].values() if access.may_manage(person, space)}
        assert set(ids.managed) == managed
        member = {
            space.pk for space in world["spaces"].values() if (m := access.membership_of(person, space)) and m.is_active
        }
        assert set(ids.member) == member


def test_it_forgets_what_a_request_remembered_when_a_membership_changes(world, dave):
    """Within one request the space ids are remembered; joining a space during it (an
    action saves a membership) is seen by the next question, not hidden by the memo."""
    outsider, space, post = world["people"]["outsider"], world["spaces"]["private"], world["posts"]["private"]
    with access.permission_memo():
        assert not access.visible_posts(outsider).filter(pk=post.pk).exists()
        actions.space_invite(actor=dave, space=space, person=outsider)
        actions.space_join(actor=outsider, space=space)
        assert access.visible_posts(outsider).filter(pk=post.pk).exists()
        actions.space_leave(actor=outsider, space=space)
        assert not access.visible_posts(outsider).filter(pk=post.pk).exists()


def test_it_remembers_nothing_outside_a_request(world, django_assert_num_queries):
    alice = world["people"]["member"]
    with django_assert_num_queries(2):
        access.space_ids(alice)
        access.space_ids(alice)


@pytest.mark.parametrize("space_key,relation", CASES)
def test_it_keeps_comments_reactions_and_shares_inside_the_matrix(world, client, org, space_key, relation):
    """Comments, reactions and shares of a post answer 404 to whoever may not read it, and
    a share of it in a public space shows them nothing of the original."""
    visible, readable = EXPECTED[space_key][relation]
    person, post = world["people"][relation], world["posts"][space_key]
    owner = post.author
    comment = actions.comment_create(actor=owner, post=post, body=f"Comment words of {space_key}")
    actions.reaction_toggle(actor=owner, post=post, kind="celebrate")
    square = actions.space_create(actor=owner, name=f"Square {space_key}")
    actions.post_share(actor=owner, post=post, space=square, body="Shared for you")
    if person is None or relation == "departed":
        return
    client.force_login(person.user)
    responses = [
        client.post(reverse("feed:comment_create", args=[post.pk]), {"body": "Hello"}),
        client.post(reverse("feed:react", args=[post.pk]), {"kind": "like"}),
        client.get(reverse("feed:share", args=[post.pk])),
        client.get(reverse("feed:comment_edit", args=[post.pk, comment.pk])),
    ]
    if readable:
        assert responses[0].status_code == 302 and responses[1].status_code == 302
        assert responses[2].status_code == 200
        return
    for response in responses:
        assert response.status_code == 404
    square_page = client.get(reverse("network:space", args=[square.slug]))
    assert "Shared for you" in square_page.text and "This post is not available to you." in square_page.text
    for leak in (f"Comment words of {space_key}", f"Secret words of {space_key}", f"Title {space_key}", world["spaces"][space_key].name):
        assert leak not in square_page.text


@pytest.mark.parametrize("space_key,relation", CASES)
def test_it_keeps_tag_pages_inside_the_matrix(world, client, space_key, relation):
    visible, readable = EXPECTED[space_key][relation]
    person, space = world["people"][relation], world["spaces"][space_key]
    owner = world["posts"][space_key].author
    actions.post_create(actor=owner, space=space, body=f"Tagged words of {space_key} #matrix")
    response = client.get(reverse("feed:tag", args=["matrix"])) if person is None else None
    if person is None or relation == "departed":
        if person is not None:
            client.force_login(person.user)
            response = client.get(reverse("feed:tag", args=["matrix"]))
        assert response.status_code == 302
        return
    client.force_login(person.user)
    response = client.get(reverse("feed:tag", args=["matrix"]))
    assert response.status_code == 200
    assert (f"Tagged words of {space_key}" in response.text) is readable
    if not readable:
        assert space.name not in response.text and "Dave Durand" not in response.text


@pytest.mark.parametrize("space_key,relation", CASES)
def test_it_keeps_questions_lists_inside_the_matrix(world, client, space_key, relation):
    from bascule.network.models import PostKind

    visible, readable = EXPECTED[space_key][relation]
    person, space = world["people"][relation], world["spaces"][space_key]
    owner = world["posts"][space_key].author
    actions.post_create(actor=owner, space=space, kind=PostKind.QUESTION, body=f"Question words of {space_key}")
    if person is None or relation == "departed":
        return
    client.force_login(person.user)
    everywhere = client.get(reverse("feed:questions"))
    assert (f"Question words of {space_key}" in everywhere.text) is readable
    in_space = client.get(reverse("network:questions", args=[space.slug]))
    assert in_space.status_code == (200 if readable else 404)
    if not readable:
        assert space.name not in everywhere.text
        assert everywhere.context["counts"] == {"unanswered": 0, "overdue": 0}
        assert "question waits" not in client.get(reverse("network:space", args=[space.slug])).text


@pytest.mark.parametrize("space_key,relation", CASES)
def test_it_keeps_the_home_and_profile_feeds_inside_the_matrix(world, client, space_key, relation):
    """An announcement of the space, a post by a followed owner, a tagged post: each in the
    home feed of who may read it only; the owner's profile feed likewise."""
    from bascule.network.models import PostKind
    from bascule.people.actions import tag_get_or_create

    visible, readable = EXPECTED[space_key][relation]
    person, space = world["people"][relation], world["spaces"][space_key]
    owner = world["posts"][space_key].author
    actions.post_create(actor=owner, space=space, kind=PostKind.ANNOUNCEMENT, body=f"Announced words of {space_key} #feedtag")
    if person is None or relation == "departed":
        return
    actions.follow(actor=person, person=owner)
    actions.follow(actor=person, tag=tag_get_or_create(name="feedtag"))
    client.force_login(person.user)
    for url in (reverse("home"), reverse("feed:profile", args=[owner.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert (f"Announced words of {space_key}" in response.text) is readable
        assert (f"Secret words of {space_key}" in response.text) is readable
        if not readable:
            assert space.name not in response.text


def test_it_copies_the_visible_posts_of_a_request_for_each_caller(world):
    """Within a request ``visible_posts`` is built once; each caller gets its own copy, so
    a list evaluated earlier does not hide a post written since."""
    alice, space = world["people"]["member"], world["spaces"]["public"]
    with access.permission_memo():
        before = set(access.visible_posts(alice).values_list("pk", flat=True))
        post = actions.post_create(actor=alice, space=space, body="Written during the request")
        after = set(access.visible_posts(alice).values_list("pk", flat=True))
    assert after == before | {post.pk}


def test_it_reads_one_space_by_the_same_rule_as_every_space(world, alice, dave, hugo):
    """``visible_posts(person, space=…)`` (the space page) decides "a space they may read"
    once: hidden and scheduled posts still follow the rule for members, authors and
    managers, and deleted posts stay out for everyone."""
    from datetime import timedelta

    from django.utils import timezone

    from bascule.moderation.actions import content_hide
    from bascule.network.models import PostKind

    space = world["spaces"]["lyon_public"]
    actions.space_join(actor=hugo, space=space, accept_rules=True)
    by_alice = actions.post_create(actor=alice, space=space, kind=PostKind.DISCUSSION, body="Hidden later")
    content_hide(actor=dave, post=by_alice, reason="spam")
    actions.post_create(
        actor=dave, space=space, kind=PostKind.ANNOUNCEMENT, body="Soon", publish_at=timezone.now() + timedelta(hours=2)
    )
    gone = actions.post_create(actor=hugo, space=space, kind=PostKind.DISCUSSION, body="Deleted")
    actions.post_delete(actor=hugo, post=gone)
    seen = {}
    for person in [*world["people"].values(), dave]:
        one = set(access.visible_posts(person, space=space).values_list("pk", flat=True))
        assert one == set(access.visible_posts(person).filter(space=space).values_list("pk", flat=True))
        seen[person] = one
    assert by_alice.pk in seen[alice] and by_alice.pk in seen[dave] and by_alice.pk not in seen[hugo]
    assert len(seen[dave]) == len(seen[hugo]) + 2 and gone.pk not in seen[dave]
