"""The spaces pages through real HTTP: flows, errors, and constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bascule.adoption.models import Event
from bascule.network import actions
from bascule.network.models import Membership, MembershipStatus, Post, PostKind, Space, Visibility


@pytest.fixture
def space(alice):
    return actions.space_create(actor=alice, name="Atlas", purpose="The Atlas project team")


def space_url(space, name="network:space", *args):
    return reverse(name, args=[space.slug, *args])


def test_it_creates_a_space_from_the_form(login, alice, org):
    response = login(alice).post(
        reverse("network:space_create"),
        {"name": "Qualité Lyon", "purpose": "Tips", "kind": "community", "visibility": "private",
         "join_policy": "request", "rules": "", "site": [org["lyon"].pk]},
    )
    space = Space.objects.get()
    assert response.status_code == 302 and response["Location"] == space.get_absolute_url()
    assert space.visibility == Visibility.PRIVATE
    assert list(space.audience.values_list("field", "value")) == [("site", org["lyon"].pk)]


def test_it_explains_a_refused_space_form(login, alice):
    response = login(alice).post(
        reverse("network:space_create"),
        {"name": "Hidden", "kind": "community", "visibility": "secret", "join_policy": "open"},
    )
    assert response.status_code == 400
    assert "secret space by invitation only" in response.text
    assert not Space.objects.exists()


def test_it_teaches_on_an_empty_directory(login, alice):
    response = login(alice).get(reverse("network:directory"))
    assert "You have not joined a space yet" in response.text
    assert reverse("network:space_create") in response.text


def test_it_filters_the_directory_by_kind(login, alice, bob, space):
    actions.space_create(actor=bob, name="News", kind="editorial")
    response = login(alice).get(reverse("network:directory"), {"kind": "editorial"})
    assert "News" in response.text and "Atlas" not in response.text


def test_it_lists_my_spaces_first(login, alice, bob, space):
    actions.space_create(actor=bob, name="Aardvark club")
    response = login(alice).get(reverse("network:directory"))
    assert [s.name for s in response.context["mine"]] == ["Atlas"]
    assert [s.name for s in response.context["others"]] == ["Aardvark club"]


def test_the_directory_counts_members_again_when_someone_joins_or_leaves(
    login, alice, bob, carol, space, django_capture_on_commit_callbacks
):
    client = login(alice)
    counts = lambda: {s.name: s.member_count for s in client.get(reverse("network:directory")).context["mine"]}  # noqa: E731
    before = counts()["Atlas"]
    with django_capture_on_commit_callbacks(execute=True):
        actions.space_join(actor=carol, space=space)
    assert counts()["Atlas"] == before + 1
    with django_capture_on_commit_callbacks(execute=True):
        actions.space_leave(actor=carol, space=space)
    assert counts()["Atlas"] == before


def test_it_posts_from_the_composer(login, alice, space):
    response = login(alice).post(space_url(space, "network:post_create"), {"kind": "question", "title": "", "body": "Who has the **key**?"})
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    assert post.kind == PostKind.QUESTION
    page = login(alice).get(space_url(space))
    assert "<strong>key</strong>" in page.text


def test_it_previews_without_javascript_and_posts_nothing(login, alice, space):
    response = login(alice).post(space_url(space, "network:post_create"), {"kind": "discussion", "body": "*draft*", "preview": "1"})
    assert response.status_code == 200
    assert "<em>draft</em>" in response.text and "Preview" in response.text
    assert not Post.objects.exists()


def test_it_previews_with_htmx(login, alice):
    response = login(alice).post(reverse("network:preview"), {"body": "<script>x</script> **ok**"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<strong>ok</strong>" in response.text and "<script>" not in response.text


@pytest.mark.parametrize(
    "data,message",
    [
        ({"kind": "discussion", "body": ""}, "This field is required"),
        ({"kind": "discussion", "body": "x" * 20_001}, "20000"),
        ({"kind": "article", "title": "", "body": "No title"}, "An article needs a title"),
    ],
)
def test_it_explains_bad_posts_and_writes_nothing(login, alice, space, data, message):
    response = login(alice).post(space_url(space, "network:post_create"), data)
    assert response.status_code == 400
    assert message in response.text.replace(",", "").replace("\u202f", "").replace("\xa0", "")
    assert not Post.objects.exists()
    assert not Event.objects.filter(kind="post").exists()


def test_it_refuses_posts_from_non_members_with_403(login, bob, space):
    response = login(bob).post(space_url(space, "network:post_create"), {"kind": "discussion", "body": "Hi"})
    assert response.status_code == 403
    assert "Join this space to post in it" in response.text
    assert not Post.objects.exists()


def test_it_refuses_posts_in_archived_spaces(login, alice, space):
    actions.space_archive(actor=alice, space=space)
    page = login(alice).get(space_url(space))
    assert page.context["form"] is None
    response = login(alice).post(space_url(space, "network:post_create"), {"kind": "discussion", "body": "Hi"})
    assert response.status_code == 403 and "archived" in response.text
    assert not Post.objects.exists()


def test_it_shows_who_will_read_a_post(login, alice, bob, space):
    assert "Visible to everyone" in login(alice).get(space_url(space)).text
    private = actions.space_create(actor=alice, name="Board", visibility=Visibility.PRIVATE)
    actions.space_invite(actor=alice, space=private, person=bob)
    actions.space_join(actor=bob, space=private)
    assert "Visible to the 2 members of Board" in login(alice).get(space_url(private)).text


def test_it_shows_who_will_read_in_an_audience_restricted_space(login, alice, org):
    space = actions.space_create(actor=alice, name="Lyon news", audience={"site": [org["lyon"].pk]})
    assert "Visible to everyone in Lyon" in login(alice).get(space_url(space)).text


def test_it_joins_an_open_space_from_its_page(login, bob, space):
    page = login(bob).get(space_url(space))
    assert "Join this space" in page.text
    response = login(bob).post(space_url(space, "network:join"))
    assert response.status_code == 302
    assert Membership.objects.get(space=space, person=bob).status == MembershipStatus.ACTIVE


def test_it_asks_to_accept_the_rules_on_the_page(login, alice, bob):
    space = actions.space_create(actor=alice, name="Ruled", rules="No selling.")
    assert "No selling." in login(bob).get(space_url(space)).text
    login(bob).post(space_url(space, "network:join"))
    assert not Membership.objects.filter(person=bob).exists()
    login(bob).post(space_url(space, "network:join"), {"accept_rules": "on"})
    assert Membership.objects.get(person=bob).rules_accepted_at is not None


def test_it_runs_the_request_flow_through_the_members_page(login, alice, bob, carol):
    space = actions.space_create(actor=alice, name="Board", visibility=Visibility.PRIVATE)
    login(bob).post(space_url(space, "network:join"))
    membership = Membership.objects.get(person=bob)
    assert membership.status == MembershipStatus.REQUESTED
    assert login(bob).get(space_url(space, "network:members")).status_code == 403
    page = login(alice).get(space_url(space, "network:members"))
    assert "Bob Bernard" in page.text
    login(alice).post(space_url(space, "network:request_answer", membership.pk, "approve"))
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    response = login(alice).post(space_url(space, "network:members"), {"email": "CAROL@example.com"})
    assert response.status_code == 302
    assert Membership.objects.get(person=carol).status == MembershipStatus.INVITED
    response = login(alice).post(space_url(space, "network:members"), {"email": "nobody@example.com"})
    assert response.status_code == 400 and "Nobody with this e-mail address" in response.text


def test_it_hides_the_members_page_of_a_secret_space(login, alice, bob):
    space = actions.space_create(actor=alice, name="Secret", visibility=Visibility.SECRET)
    assert login(bob).get(space_url(space, "network:members")).status_code == 404


def test_it_accepts_an_invitation_from_the_page(login, alice, bob):
    space = actions.space_create(actor=alice, name="Secret", visibility=Visibility.SECRET)
    actions.space_invite(actor=alice, space=space, person=bob)
    page = login(bob).get(space_url(space))
    assert "Accept the invitation" in page.text
    login(bob).post(space_url(space, "network:join"))
    assert Membership.objects.get(person=bob).status == MembershipStatus.ACTIVE


def test_it_edits_and_keeps_the_history(login, alice, bob, space):
    post = actions.post_create(actor=alice, space=space, body="First version")
    assert login(bob).get(space_url(space, "network:post_edit", post.pk)).status_code == 403
    response = login(alice).post(space_url(space, "network:post_edit", post.pk), {"title": "", "body": "Second version"})
    assert response.status_code == 302
    history = login(bob).get(space_url(space, "network:post_history", post.pk))
    assert "First version" in history.text
    assert "Second version" in login(bob).get(space_url(space, "network:post", post.pk)).text


def test_it_deletes_after_a_confirmation(login, alice, space):
    post = actions.post_create(actor=alice, space=space, body="Bye")
    confirm = login(alice).get(space_url(space, "network:post_delete", post.pk))
    assert confirm.status_code == 200 and "Delete this post?" in confirm.text
    post.refresh_from_db()
    assert post.deleted_at is None
    login(alice).post(space_url(space, "network:post_delete", post.pk))
    assert login(alice).get(space_url(space, "network:post", post.pk)).status_code == 404


def test_it_pins_first(login, alice, space):
    old = actions.post_create(actor=alice, space=space, body="Old and useful")
    actions.post_create(actor=alice, space=space, body="New")
    login(alice).post(space_url(space, "network:post_pin", old.pk), {"pinned": "1"})
    page = login(alice).get(space_url(space))
    assert [p.pk for p in page.context["feed"].posts][0] == old.pk


def test_older_posts_follow_the_pinned_ones_page_after_page(login, alice, bob, space):
    posts = [actions.post_create(actor=alice, space=space, body=f"Post number {n}") for n in range(45)]
    for pinned in (posts[3], posts[30]):
        actions.post_pin(actor=alice, post=pinned)
    client = login(alice)
    seen, cursor = [], None
    while True:
        if cursor:  # "Show older posts", through htmx
            page = client.get(space_url(space), {"cursor": cursor}, headers={"HX-Request": "true"})
        else:
            page = client.get(space_url(space))
        assert page.status_code == 200
        feed = page.context["feed"]
        seen += [p.pk for p in feed.posts]
        if cursor:  # htmx: the next posts and the next button, without the page around them
            assert "<html" not in page.text and "Post number" in page.text
        cursor = feed.next_cursor
        if cursor is None:
            break
    newest_first = [p.pk for p in reversed(posts) if p.pk not in (posts[3].pk, posts[30].pk)]
    assert seen == [posts[30].pk, posts[3].pk, *newest_first]  # the last pinned first
    garbage = client.get(space_url(space), {"cursor": "12-x-9"})
    assert garbage.status_code == 200 and [p.pk for p in garbage.context["feed"].posts][:1] == [posts[30].pk]


def test_it_answers_404_for_a_post_under_another_space(login, alice, bob, space):
    other = actions.space_create(actor=bob, name="Other")
    post = actions.post_create(actor=alice, space=space, body="Here")
    assert login(alice).get(reverse("network:post", args=[other.slug, post.pk])).status_code == 404


def _fill(space, author, count):
    for n in range(count):
        actions.post_create(actor=author, space=space, title=f"T{n}", body=f"Post **{n}**")


def _queries_of(client, url):
    # The second view, as people browse: each page finds what it keeps in the cache (the
    # header's unread count, the moderation counts) whatever the view before it changed.
    client.get(url)
    """The number of SQL queries of one page view."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_it_reads_a_space_page_in_constant_queries(login, alice, bob, carol, django_assert_max_num_queries):
    small = actions.space_create(actor=alice, name="Small")
    large = actions.space_create(actor=alice, name="Large")
    for space in (small, large):
        actions.space_join(actor=bob, space=space)
        actions.space_join(actor=carol, space=space)
    _fill(small, bob, 3)
    for author, n in ((bob, 10), (carol, 10), (alice, 10)):
        _fill(large, author, n)
    client = login(bob)
    few = _queries_of(client, space_url(small))
    many = _queries_of(client, space_url(large))
    assert few == many
    # session, account with person, space, membership, audience, member count, posts (no
    # count: a cursor), reactions, tags, attachments, shared originals (only when a share is
    # on the page), question counts, follow, the ids of the spaces Bob may read
    # (access.space_ids, once per request); the header's unread count is kept in the cache
    assert few <= 13
    older = client.get(space_url(large)).context["feed"].next_cursor
    with django_assert_max_num_queries(few):
        assert client.get(space_url(large), {"cursor": older}).status_code == 200


def test_it_reads_the_directory_in_constant_queries(login, alice, bob):
    client = login(bob)
    for n in range(3):
        actions.space_create(actor=alice, name=f"Space {n}")
    few = _queries_of(client, reverse("network:directory"))
    for n in range(3, 30):
        space = actions.space_create(actor=alice, name=f"Space {n}", visibility=Visibility.PRIVATE if n % 2 else Visibility.PUBLIC)
        if n % 3 == 0:
            actions.space_join(actor=bob, space=space)
    many = _queries_of(client, reverse("network:directory"))
    assert few == many


def test_it_reads_the_members_page_in_constant_queries(login, alice, bob, carol, dave):
    space = actions.space_create(actor=alice, name="Board", visibility=Visibility.PRIVATE)
    client = login(alice)
    few = _queries_of(client, space_url(space, "network:members"))
    actions.space_join(actor=bob, space=space)
    actions.space_invite(actor=alice, space=space, person=carol)
    actions.space_invite(actor=alice, space=space, person=dave)
    actions.space_join(actor=dave, space=space)
    many = _queries_of(client, space_url(space, "network:members"))
    assert few == many


def test_it_picks_the_join_policy_the_visibility_allows(login, alice):
    login(alice).post(reverse("network:space_create"), {"name": "Hidden", "kind": "project", "visibility": "secret", "join_policy": ""})
    assert Space.objects.get().join_policy == "invite"


def test_managers_give_roles_and_remove_members_from_the_members_page(login, alice, bob, carol, dave):
    from bascule.network.models import PostKind, Role

    space = actions.space_create(actor=alice, name="Newsroom", kind="editorial", visibility=Visibility.PRIVATE)
    for person in (bob, carol):
        actions.space_invite(actor=alice, space=space, person=person)
        actions.space_invitation_accept(actor=person, space=space)
    bob_m, carol_m = (Membership.objects.get(space=space, person=p) for p in (bob, carol))

    page = login(alice).get(space_url(space, "network:members"))
    assert page.status_code == 200 and "Role of Bob Bernard" in page.text
    # Bob becomes editor: he may publish an article now.
    response = login(alice).post(space_url(space, "network:member_role", bob_m.pk), {"role": "editor"})
    assert response.status_code == 302
    assert "Bob Bernard is now editor." in login(alice).get(response.url).text
    bob_m.refresh_from_db()
    assert bob_m.role == Role.EDITOR
    actions.post_create(actor=bob, space=space, kind=PostKind.ARTICLE, title="Hello", body="First article")

    # A member may not; an unknown role, an unknown membership, one's own membership: refused, nothing changes.
    assert login(carol).post(space_url(space, "network:member_role", bob_m.pk), {"role": "member"}).status_code == 403
    response = login(alice).post(space_url(space, "network:member_role", bob_m.pk), {"role": "emperor"})
    assert response.status_code == 400 and "Choose one of the roles offered." in response.text
    assert login(alice).post(space_url(space, "network:member_role", 999999), {"role": "member"}).status_code == 404
    alice_m = Membership.objects.get(space=space, person=alice)
    response = login(alice).post(space_url(space, "network:member_role", alice_m.pk), {"role": "member"})
    assert response.status_code == 400
    assert Membership.objects.get(space=space, person=alice).role == Role.OWNER
    bob_m.refresh_from_db()
    assert bob_m.role == Role.EDITOR

    # A manager who is not an owner may not name an owner nor touch the owner.
    login(alice).post(space_url(space, "network:member_role", carol_m.pk), {"role": "manager"})
    assert '<option value="owner"' not in login(carol).get(space_url(space, "network:members")).text
    assert '<option value="owner"' in login(alice).get(space_url(space, "network:members")).text
    assert login(carol).post(space_url(space, "network:member_role", bob_m.pk), {"role": "owner"}).status_code == 403
    assert login(carol).post(space_url(space, "network:member_remove", alice_m.pk)).status_code == 403
    assert Membership.objects.get(space=space, person=alice).role == Role.OWNER

    # Carol, manager, takes Bob out: he reads the private space no more.
    response = login(carol).post(space_url(space, "network:member_remove", bob_m.pk))
    assert response.status_code == 302
    bob_m.refresh_from_db()
    assert (bob_m.status, bob_m.role) == (MembershipStatus.LEFT, Role.MEMBER)
    assert login(bob).get(space_url(space)).status_code == 200  # a private space is listed…
    assert "First article" not in login(bob).get(space_url(space)).text  # …its content is not
    response = login(carol).post(space_url(space, "network:member_remove", bob_m.pk))
    assert response.status_code == 400 and "is not a member any more" in response.text

    # Someone who may not know a secret space gets 404 there, as on its pages, and changes nothing.
    secret = actions.space_create(actor=alice, name="Hidden", visibility=Visibility.SECRET)
    hidden_m = Membership.objects.get(space=secret, person=alice)
    assert login(dave).post(space_url(secret, "network:member_role", hidden_m.pk), {"role": "member"}).status_code == 404
    assert login(dave).post(space_url(secret, "network:member_remove", hidden_m.pk)).status_code == 404
    assert Membership.objects.get(pk=hidden_m.pk).role == Role.OWNER

    # An owner names another owner; the first may then leave.
    login(alice).post(space_url(space, "network:member_role", carol_m.pk), {"role": "owner"})
    assert Membership.objects.get(pk=carol_m.pk).role == Role.OWNER
    actions.space_leave(actor=alice, space=space)
