"""The permission matrix of the API surface (issue #3, "one door"): public / private /
secret / audience-restricted spaces × member / invited / former member / outsider / person
in the audience / departed / anonymous. Nothing about a space a person may not see leaks:
no title, excerpt, author or count; a secret space answers 404, never 403."""

import json

import pytest

from bascule.network import actions as network

# What each relation may know (listed) and read, per space of the world fixture.
VISIBLE = {
    "member": {"public", "private", "secret", "lyon_public", "lyon_private"},
    "invited": {"public", "private", "secret", "lyon_public", "lyon_private"},
    "former": {"public", "private", "lyon_public", "lyon_private"},
    "outsider": {"public", "private"},
    "in_audience": {"public", "private", "lyon_public", "lyon_private"},
}
READABLE = {
    "member": {"public", "private", "secret", "lyon_public", "lyon_private"},
    "invited": {"public", "lyon_public"},
    "former": {"public", "lyon_public"},
    "outsider": {"public"},
    "in_audience": {"public", "lyon_public"},
}
SPACES = ["public", "private", "secret", "lyon_public", "lyon_private"]


@pytest.fixture
def matrix(world, dave, api_for):
    # A comment and a reaction on every post, so that counts would show if they leaked.
    for key, post in world["posts"].items():
        network.comment_create(actor=dave, post=post, body=f"Comment words of {key}")
        network.reaction_toggle(actor=dave, post=post, kind="like")
    return world


def everything_listed(api) -> str:
    """The text of every list the person can ask for."""
    answers = [
        api.get("spaces/", {"limit": 100}),
        api.get("feed/", {"limit": 100}),
        api.get("search/", {"q": "words"}),
        api.get("search/", {"q": "space"}),
        api.get("notifications/", {"limit": 100}),
        api.get("people/", {"limit": 100}),
    ]
    for answer in answers:
        assert answer.status_code == 200, answer.content
    return json.dumps([a.json() for a in answers], ensure_ascii=False)


@pytest.mark.parametrize("relation", sorted(VISIBLE))
def test_nothing_leaks_to_whoever_may_not_see(matrix, api_for, relation):
    person = matrix["people"][relation]
    api = api_for(person)
    listed = everything_listed(api)
    spaces = {s["slug"]: s for s in api.get("spaces/", {"limit": 100}).json()["results"]}
    for key in SPACES:
        space, post = matrix["spaces"][key], matrix["posts"][key]
        visible, readable = key in VISIBLE[relation], key in READABLE[relation]
        # The directory and the space itself.
        assert (space.slug in spaces) == visible, key
        detail = api.get(f"spaces/{space.slug}/")
        assert detail.status_code == (200 if visible else 404), key
        if visible:
            assert (spaces[space.slug]["member_count"] is not None) == readable
            assert (detail.json()["member_count"] is not None) == readable
        else:
            assert f"Space {key}\"" not in listed and f"Purpose of {key}\"" not in listed
        # Posts, comments, reactions.
        posts = api.get(f"spaces/{space.slug}/posts/")
        assert posts.status_code == (200 if readable else 403 if visible else 404), key
        for path in (f"posts/{post.pk}/", f"posts/{post.pk}/comments/"):
            assert api.get(path).status_code == (200 if readable else 404), (key, path)
        if not readable:
            assert f"Title {key}\"" not in listed and f"words of {key}" not in listed, key
            for write in (
                api.post(f"posts/{post.pk}/comments/", {"body": "Hi"}),
                api.post(f"posts/{post.pk}/reactions/", {"kind": "like"}),
                api.patch(f"posts/{post.pk}/", {"body": "Hi"}),
                api.delete(f"posts/{post.pk}/"),
                api.post(f"posts/{post.pk}/accept/", {"comment_id": 1}),
            ):
                assert write.status_code == 404, (key, write.content)
                assert "Title" not in write.content.decode()
            # Posting into a space one may not see says the same as for one that does not exist.
            create = api.post("posts/", {"space": space.slug, "body": "Hi"})
            assert create.status_code == (403 if visible else 400), key
        else:
            assert f"Title {key}" in json.dumps(posts.json())
        if not visible:
            for write in (api.post(f"spaces/{space.slug}/join/"), api.post(f"spaces/{space.slug}/leave/")):
                assert write.status_code == 404, key


def test_a_secret_space_is_a_404_not_a_403(matrix, api_for):
    api = api_for(matrix["people"]["outsider"])
    for path in ["spaces/space-secret/", "spaces/space-secret/posts/", f"posts/{matrix['posts']['secret'].pk}/"]:
        response = api.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    missing = api.get("spaces/no-such-space/").json()
    assert api.get("spaces/space-secret/").json() == missing


def test_the_invited_person_may_join_a_secret_space(matrix, api_for):
    api = api_for(matrix["people"]["invited"])
    assert api.get("spaces/space-secret/posts/").status_code == 403
    assert api.post("spaces/space-secret/join/", {"accept_rules": True}).json()["membership"]["status"] == "active"
    assert api.get("spaces/space-secret/posts/").status_code == 200


@pytest.mark.parametrize("relation", ["departed", "anonymous"])
def test_departed_and_anonymous_get_nothing(matrix, api_for, relation):
    person = matrix["people"][relation]
    if person is not None:
        # A token made before the departure stops working.
        from bascule.interop.models import ApiToken

        api = api_for(None)
        api.token = "bsc_made-up"
        assert not ApiToken.objects.filter(person=person).exists()
    api = api_for(None) if person is None else api
    for path in ["spaces/", "feed/", "spaces/space-public/", f"posts/{matrix['posts']['public'].pk}/", "search/?q=words", "notifications/"]:
        response = api.get(path)
        assert response.status_code == 401
        assert "Title" not in response.content.decode() and "Space" not in response.content.decode()


def test_a_departed_persons_old_token_stops_working(org, alice, api_for):
    import datetime

    from bascule.people.actions import person_depart

    api = api_for(alice)
    assert api.get("spaces/").status_code == 200
    person_depart(person=alice, on=datetime.date(2026, 1, 1))
    assert api.get("spaces/").status_code == 401


def test_a_share_never_reveals_an_original_the_reader_may_not_see(matrix, api_for, dave):
    # dave shares the private post into the public space.
    share = network.post_share(actor=dave, post=matrix["posts"]["private"], space=matrix["spaces"]["public"], body="Look")
    outsider = api_for(matrix["people"]["outsider"]).get(f"posts/{share.pk}/").json()
    assert outsider["shared_post"] == {"available": False}
    member = api_for(matrix["people"]["member"]).get(f"posts/{share.pk}/").json()
    assert member["shared_post"]["title"] == "Title private"


def test_a_former_members_notifications_about_a_secret_space_disappear(org, dave, frank, api_for):
    from tests.network.conftest import add_member, space_for

    secret = space_for(dave, "secret", org)
    add_member(secret, dave, frank)
    network.post_create(actor=dave, space=secret, title="Secret plan", body="For @frank")
    api = api_for(frank)
    assert "Secret plan" in json.dumps(api.get("notifications/").json())
    network.space_leave(actor=frank, space=secret)
    answer = api.get("notifications/").json()
    assert answer["results"] == [] and answer["unread_count"] == 0
