"""Spaces, memberships and posts: what each action writes, records in the ledger, and refuses."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bascule.adoption.models import Event
from bascule.network import actions
from bascule.network.models import (
    JoinPolicy,
    Membership,
    MembershipStatus,
    Post,
    PostKind,
    Role,
    Space,
    SpaceKind,
    Visibility,
)


def kinds(person):
    return sorted(Event.objects.filter(person=person).values_list("kind", flat=True))


def test_it_makes_the_creator_owner_and_records_join(alice):
    space = actions.space_create(actor=alice, name="Qualité Lyon", purpose="Share quality tips")
    membership = Membership.objects.get(space=space, person=alice)
    assert (membership.role, membership.status) == (Role.OWNER, MembershipStatus.ACTIVE)
    assert space.slug == "qualite-lyon"
    assert kinds(alice) == ["join"]
    event = Event.objects.get(person=alice)
    assert (event.object_type, event.object_id) == ("network.space", space.pk)


def test_it_gives_unique_addresses_that_are_not_pages(alice):
    assert actions.space_create(actor=alice, name="New").slug == "new-2"
    assert actions.space_create(actor=alice, name="Atlas").slug == "atlas"
    assert actions.space_create(actor=alice, name="Atlas").slug == "atlas-2"


def test_it_refuses_an_open_secret_space(alice):
    with pytest.raises(ValidationError):
        actions.space_create(actor=alice, name="X", visibility=Visibility.SECRET, join_policy=JoinPolicy.OPEN)
    assert not Space.objects.exists()


def test_it_joins_an_open_space_and_records_join(alice, bob):
    space = actions.space_create(actor=alice, name="Open")
    membership = actions.space_join(actor=bob, space=space)
    assert membership.status == MembershipStatus.ACTIVE and membership.joined_at
    assert kinds(bob) == ["join"]


def test_it_asks_to_accept_the_rules(alice, bob):
    space = actions.space_create(actor=alice, name="Ruled", rules="Be kind.")
    with pytest.raises(ValidationError):
        actions.space_join(actor=bob, space=space)
    assert not Membership.objects.filter(person=bob).exists()
    membership = actions.space_join(actor=bob, space=space, accept_rules=True)
    assert membership.rules_accepted_at is not None


def test_it_records_join_only_when_a_request_is_approved(alice, bob):
    space = actions.space_create(actor=alice, name="Private", visibility=Visibility.PRIVATE)
    membership = actions.space_join(actor=bob, space=space)
    assert membership.status == MembershipStatus.REQUESTED
    assert kinds(bob) == []
    with pytest.raises(ValidationError):
        actions.space_join(actor=bob, space=space)
    with pytest.raises(PermissionDenied):
        actions.space_request_approve(actor=bob, membership=membership)
    actions.space_request_approve(actor=alice, membership=membership)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    assert kinds(bob) == ["join"]
    assert kinds(alice) == ["join"]


def test_it_refuses_a_request_and_lets_the_person_ask_again(alice, bob):
    space = actions.space_create(actor=alice, name="Private", visibility=Visibility.PRIVATE)
    membership = actions.space_join(actor=bob, space=space)
    actions.space_request_refuse(actor=alice, membership=membership)
    assert not Membership.objects.filter(person=bob).exists()
    assert actions.space_join(actor=bob, space=space).status == MembershipStatus.REQUESTED
    assert kinds(bob) == []


def test_it_records_invite_for_the_inviter_and_join_for_the_invited(alice, bob):
    space = actions.space_create(actor=alice, name="Secret", visibility=Visibility.SECRET)
    with pytest.raises(PermissionDenied):
        actions.space_join(actor=bob, space=space)
    actions.space_invite(actor=alice, space=space, person=bob)
    assert kinds(alice) == ["invite", "join"]
    assert kinds(bob) == []
    actions.space_invitation_accept(actor=bob, space=space)
    assert Membership.objects.get(space=space, person=bob).status == MembershipStatus.ACTIVE
    assert kinds(bob) == ["join"]


def test_it_lets_only_managers_invite(alice, bob, carol):
    space = actions.space_create(actor=alice, name="Open")
    actions.space_join(actor=bob, space=space)
    with pytest.raises(PermissionDenied):
        actions.space_invite(actor=bob, space=space, person=carol)
    assert kinds(bob) == ["join"]
    assert not Membership.objects.filter(person=carol).exists()


def test_it_leaves_and_keeps_the_membership(alice, bob):
    space = actions.space_create(actor=alice, name="Open")
    actions.space_join(actor=bob, space=space)
    actions.space_leave(actor=bob, space=space)
    membership = Membership.objects.get(space=space, person=bob)
    assert membership.status == MembershipStatus.LEFT and membership.left_at
    # Joining again works, and records a new join.
    actions.space_join(actor=bob, space=space)
    assert kinds(bob) == ["join", "join"]


def test_it_keeps_the_last_owner(alice):
    space = actions.space_create(actor=alice, name="Mine")
    with pytest.raises(PermissionDenied):
        actions.space_leave(actor=alice, space=space)
    assert Membership.objects.get(person=alice).status == MembershipStatus.ACTIVE


def test_it_declines_an_invitation_by_leaving(alice, bob):
    space = actions.space_create(actor=alice, name="Secret", visibility=Visibility.SECRET)
    actions.space_invite(actor=alice, space=space, person=bob)
    actions.space_leave(actor=bob, space=space)
    assert not Membership.objects.filter(person=bob).exists()


def test_it_records_post_for_each_post_and_question(alice):
    space = actions.space_create(actor=alice, name="Open")
    post = actions.post_create(actor=alice, space=space, body="Hello **world**")
    question = actions.post_create(actor=alice, space=space, kind=PostKind.QUESTION, body="Who knows?")
    assert post.body_html == "<p>Hello <strong>world</strong></p>"
    assert kinds(alice) == ["join", "post", "post"]
    assert Event.objects.filter(kind="post", object_type="network.post", object_id=question.pk).count() == 1


@pytest.mark.parametrize(
    "kind,title,body,field",
    [
        (PostKind.DISCUSSION, "", "", "body"),
        (PostKind.DISCUSSION, "", "   \n  ", "body"),
        (PostKind.DISCUSSION, "", "x" * 20_001, "body"),
        (PostKind.ARTICLE, "", "An article without title", "title"),
        (PostKind.DISCUSSION, "t" * 201, "Too long a title", "title"),
        ("poem", "", "Unknown kind", "kind"),
    ],
)
def test_it_refuses_bad_posts_and_writes_nothing(alice, kind, title, body, field):
    space = actions.space_create(actor=alice, name="Open")
    before = Event.objects.count()
    with pytest.raises(ValidationError) as error:
        actions.post_create(actor=alice, space=space, kind=kind, title=title, body=body)
    assert field in error.value.message_dict
    assert not Post.objects.exists()
    assert Event.objects.count() == before


def test_it_accepts_exactly_20000_characters(alice):
    space = actions.space_create(actor=alice, name="Open")
    assert len(actions.post_create(actor=alice, space=space, body="x" * 20_000).body) == 20_000


def test_it_refuses_posts_from_non_members_and_in_archived_spaces(alice, bob):
    space = actions.space_create(actor=alice, name="Open")
    with pytest.raises(PermissionDenied, match="Join this space"):
        actions.post_create(actor=bob, space=space, body="Hi")
    actions.space_archive(actor=alice, space=space)
    with pytest.raises(PermissionDenied, match="archived"):
        actions.post_create(actor=alice, space=space, body="Hi")
    assert not Post.objects.exists()
    assert kinds(bob) == []


def test_it_keeps_articles_and_announcements_to_editors_in_editorial_spaces(alice, bob):
    space = actions.space_create(actor=alice, name="News", kind=SpaceKind.EDITORIAL)
    actions.space_join(actor=bob, space=space)
    with pytest.raises(PermissionDenied, match="editors"):
        actions.post_create(actor=bob, space=space, kind=PostKind.ARTICLE, title="T", body="B")
    actions.post_create(actor=bob, space=space, kind=PostKind.QUESTION, body="When is the next issue?")
    actions.post_create(actor=alice, space=space, kind=PostKind.ARTICLE, title="Issue 1", body="B")
    assert Post.objects.count() == 2


def test_it_keeps_the_history_of_edits(alice, bob):
    space = actions.space_create(actor=alice, name="Open")
    post = actions.post_create(actor=alice, space=space, title="First", body="Version *one*")
    with pytest.raises(PermissionDenied):
        actions.post_edit(actor=bob, post=post, title="Hacked", body="Hacked")
    actions.post_edit(actor=alice, post=post, title="First", body="Version *two*")
    actions.post_edit(actor=alice, post=post, title="Second", body="Version *three*")
    post.refresh_from_db()
    assert (post.title, post.body, post.body_html) == ("Second", "Version *three*", "<p>Version <em>three</em></p>")
    assert post.edited_at is not None
    assert [(r.title, r.body) for r in post.revisions.all()] == [("First", "Version *two*"), ("First", "Version *one*")]
    assert kinds(alice) == ["join", "post"]


def test_it_does_not_keep_a_revision_when_nothing_changed(alice):
    space = actions.space_create(actor=alice, name="Open")
    post = actions.post_create(actor=alice, space=space, body="Same")
    actions.post_edit(actor=alice, post=post, title="", body="Same  ")
    assert not post.revisions.exists()


def test_it_deletes_softly_by_author_or_manager(alice, bob, carol):
    space = actions.space_create(actor=alice, name="Open")
    actions.space_join(actor=bob, space=space)
    actions.space_join(actor=carol, space=space)
    post = actions.post_create(actor=bob, space=space, body="Oops")
    with pytest.raises(PermissionDenied):
        actions.post_delete(actor=carol, post=post)
    actions.post_delete(actor=alice, post=post)
    post.refresh_from_db()
    assert post.deleted_at and post.deleted_by == alice
    own = actions.post_create(actor=carol, space=space, body="Mine")
    actions.post_delete(actor=carol, post=own)


def test_it_pins_by_manager_only(alice, bob):
    space = actions.space_create(actor=alice, name="Open")
    actions.space_join(actor=bob, space=space)
    post = actions.post_create(actor=bob, space=space, body="Useful")
    with pytest.raises(PermissionDenied):
        actions.post_pin(actor=bob, post=post)
    actions.post_pin(actor=alice, post=post)
    assert post.pinned_at is not None
    actions.post_pin(actor=alice, post=post, pinned=False)
    assert post.pinned_at is None


def test_it_brings_a_former_manager_back_as_a_member(alice, bob):
    space = actions.space_create(actor=alice, name="Open")
    actions.space_join(actor=bob, space=space)
    Membership.objects.filter(person=bob).update(role=Role.MANAGER)
    actions.space_leave(actor=bob, space=space)
    actions.space_invite(actor=alice, space=space, person=bob)
    actions.space_invitation_accept(actor=bob, space=space)
    assert Membership.objects.get(person=bob).role == Role.MEMBER
