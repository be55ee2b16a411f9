"""Each endpoint's happy path. Writes go through the network's actions, so they record
their ledger events, notify and index exactly as the pages do."""

import pytest

from bascule.adoption.models import Event, EventKind
from bascule.network import actions as network
from bascule.network.models import Comment, Membership, MembershipStatus, Post, PostKind, PostRevision, Reaction
from bascule.notify.models import Notification


def events(person, kind):
    return Event.objects.filter(person=person, kind=kind).count()


@pytest.fixture
def space(alice):
    return network.space_create(actor=alice, name="Quality Lyon", purpose="Quality at Lyon")


def test_it_lists_and_shows_spaces(alice, bob, api_for, space):
    api = api_for(bob)
    listed = api.get("spaces/").json()
    assert [s["slug"] for s in listed["results"]] == ["quality-lyon"] and listed["next"] is None
    assert listed["results"][0]["member_count"] == 1
    detail = api.get("spaces/quality-lyon/").json()
    assert detail["name"] == "Quality Lyon" and detail["membership"] is None
    assert detail["permissions"]["join"] is True and detail["permissions"]["post_kinds"] == []


def test_it_filters_spaces_by_kind_and_membership(alice, bob, api_for, space):
    network.space_create(actor=bob, name="Bob's editorial", kind="editorial")
    api = api_for(bob)
    assert [s["name"] for s in api.get("spaces/", {"kind": "editorial"}).json()["results"]] == ["Bob's editorial"]
    assert [s["name"] for s in api.get("spaces/", {"mine": "1"}).json()["results"]] == ["Bob's editorial"]


def test_it_joins_and_leaves_a_space(alice, bob, api_for, space):
    api = api_for(bob)
    response = api.post("spaces/quality-lyon/join/")
    assert response.status_code == 200
    assert response.json()["membership"] == {"status": "active", "role": "member"}
    assert events(bob, EventKind.JOIN) == 1
    assert api.post("spaces/quality-lyon/join/").status_code == 400  # already a member
    assert api.post("spaces/quality-lyon/leave/").status_code == 204
    assert Membership.objects.get(person=bob).status == MembershipStatus.LEFT


def test_joining_a_space_with_rules_needs_them_accepted(alice, bob, api_for):
    network.space_create(actor=alice, name="Ruled", rules="Be kind.")
    api = api_for(bob)
    assert api.post("spaces/ruled/join/").status_code == 400
    assert api.post("spaces/ruled/join/", {"accept_rules": True}).json()["membership"]["status"] == "active"


def test_the_last_owner_may_not_leave(alice, api_for, space):
    response = api_for(alice).post("spaces/quality-lyon/leave/")
    assert response.status_code == 403
    assert "only owner" in response.json()["error"]["message"]


def test_it_creates_reads_edits_and_deletes_a_post(alice, bob, api_for, space):
    network.space_join(actor=bob, space=space)
    api = api_for(alice)
    response = api.post("posts/", {"space": "quality-lyon", "kind": "question", "title": "Which CRM?", "body": "Ask @bob #crm"})
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["space"]["slug"] == "quality-lyon" and created["kind"] == "question"
    assert created["tags"] == ["crm"] and created["question"]["accepted_comment_id"] is None
    assert events(alice, EventKind.POST) == 1 and events(alice, EventKind.MENTION) == 1
    assert Notification.objects.filter(recipient=bob, kind="mention").exists()

    post_id = created["id"]
    assert api_for(bob).get(f"posts/{post_id}/").json()["title"] == "Which CRM?"
    edited = api.patch(f"posts/{post_id}/", {"body": "Ask @bob again"}).json()
    assert edited["body"] == "Ask @bob again" and edited["title"] == "Which CRM?" and edited["edited_at"]
    assert PostRevision.objects.filter(post_id=post_id).count() == 1
    assert api_for(bob).patch(f"posts/{post_id}/", {"body": "Mine now"}).status_code == 403
    assert api.delete(f"posts/{post_id}/").status_code == 204
    assert Post.objects.get(pk=post_id).deleted_at is not None
    assert api.get(f"posts/{post_id}/").status_code == 404


def test_the_feed_holds_my_spaces_and_records_a_visit(alice, bob, carol, api_for, space):
    network.space_join(actor=bob, space=space)
    network.post_create(actor=alice, space=space, body="In my space")
    other = network.space_create(actor=carol, name="Elsewhere")
    network.post_create(actor=carol, space=other, body="Not followed")
    api = api_for(bob)
    feed = api.get("feed/").json()
    assert [p["body"] for p in feed["results"]] == ["In my space"] and feed["next"] is None
    assert events(bob, EventKind.VISIT) == 1


def test_reading_a_post_records_a_read_once_a_day(alice, bob, api_for, space):
    post = network.post_create(actor=alice, space=space, body="Hello")
    api = api_for(bob)
    api.get(f"posts/{post.pk}/")
    api.get(f"posts/{post.pk}/")
    assert events(bob, EventKind.READ) == 1


def test_it_posts_on_the_profile(alice, api_for):
    response = api_for(alice).post("posts/", {"body": "Hello everyone"})
    assert response.status_code == 201
    assert response.json()["space"] is None


def test_a_non_member_may_not_post(alice, bob, api_for, space):
    response = api_for(bob).post("posts/", {"space": "quality-lyon", "body": "Hi"})
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "Join this space to post in it."


def test_it_lists_the_posts_of_a_space_page_by_page(alice, api_for, space):
    for n in range(5):
        network.post_create(actor=alice, space=space, body=f"Post {n}")
    api = api_for(alice)
    first = api.get("spaces/quality-lyon/posts/", {"limit": 2}).json()
    assert [p["body"] for p in first["results"]] == ["Post 4", "Post 3"]
    second = api.get("spaces/quality-lyon/posts/", {"limit": 2, "cursor": first["next"]}).json()
    third = api.get("spaces/quality-lyon/posts/", {"limit": 2, "cursor": second["next"]}).json()
    assert [p["body"] for p in second["results"] + third["results"]] == ["Post 2", "Post 1", "Post 0"]
    assert third["next"] is None


def test_it_comments_replies_and_lists_threads(alice, bob, api_for, space):
    post = network.post_create(actor=alice, space=space, body="Hello")
    api = api_for(bob)
    response = api.post(f"posts/{post.pk}/comments/", {"body": "Welcome"})
    assert response.status_code == 201
    comment_id = response.json()["id"]
    assert events(bob, EventKind.COMMENT) == 1
    reply = api_for(alice).post(f"posts/{post.pk}/comments/", {"body": "Thanks", "parent_id": comment_id})
    assert reply.status_code == 201 and reply.json()["parent_id"] == comment_id
    threads = api.get(f"posts/{post.pk}/comments/").json()
    assert [t["body"] for t in threads["results"]] == ["Welcome"]
    assert [r["body"] for r in threads["results"][0]["replies"]] == ["Thanks"]
    assert api.get(f"posts/{post.pk}/").json()["comment_count"] == 2


def test_it_pages_comment_threads(alice, bob, api_for, space):
    post = network.post_create(actor=alice, space=space, body="Hello")
    for n in range(3):
        network.comment_create(actor=bob, post=post, body=f"Comment {n}")
    api = api_for(alice)
    first = api.get(f"posts/{post.pk}/comments/", {"limit": 2}).json()
    second = api.get(f"posts/{post.pk}/comments/", {"limit": 2, "cursor": first["next"]}).json()
    assert [c["body"] for c in first["results"] + second["results"]] == ["Comment 0", "Comment 1", "Comment 2"]
    assert second["next"] is None


def test_it_toggles_reactions(alice, bob, api_for, space):
    post = network.post_create(actor=alice, space=space, body="Hello")
    api = api_for(bob)
    assert api.post(f"posts/{post.pk}/reactions/", {"kind": "thanks"}).json()["active"] is True
    assert events(bob, EventKind.REACT) == 1
    reactions = {r["kind"]: r for r in api.get(f"posts/{post.pk}/").json()["reactions"]}
    assert reactions["thanks"] == {"kind": "thanks", "count": 1, "mine": True}
    assert api.post(f"posts/{post.pk}/reactions/", {"kind": "thanks"}).json()["active"] is False
    assert not Reaction.objects.exists()
    assert api.post(f"posts/{post.pk}/reactions/", {"kind": "love"}).status_code == 400


def test_it_reacts_to_a_comment(alice, bob, api_for, space):
    post = network.post_create(actor=alice, space=space, body="Hello")
    comment = network.comment_create(actor=bob, post=post, body="Hi")
    response = api_for(alice).post(f"posts/{post.pk}/reactions/", {"kind": "like", "comment_id": comment.pk})
    assert response.json() == {"kind": "like", "active": True, "comment_id": comment.pk}


def test_the_asker_accepts_an_answer(alice, bob, api_for, space):
    network.space_join(actor=bob, space=space)
    question = network.post_create(actor=alice, space=space, kind=PostKind.QUESTION, body="Which CRM?")
    answer = api_for(bob).post(f"posts/{question.pk}/comments/", {"body": "Ours"}).json()
    assert events(bob, EventKind.ANSWER) == 1
    assert api_for(bob).post(f"posts/{question.pk}/accept/", {"comment_id": answer["id"]}).status_code == 403
    accepted = api_for(alice).post(f"posts/{question.pk}/accept/", {"comment_id": answer["id"]})
    assert accepted.status_code == 200
    assert accepted.json()["question"]["accepted_comment_id"] == answer["id"]
    assert Notification.objects.filter(recipient=bob, kind="accepted").exists()
    threads = api_for(bob).get(f"posts/{question.pk}/comments/").json()["results"]
    assert threads[0]["accepted"] is True


def test_it_finds_people_and_shows_a_profile(alice, bob, carol, api_for):
    api = api_for(carol)
    found = api.get("people/", {"q": "bern"}).json()["results"]
    assert [p["display_name"] for p in found] == ["Bob Bernard"]
    profile = api.get(f"people/{bob.pk}/").json()
    assert profile["email"] == "bob@example.com" and profile["manager"] == {"id": alice.pk, "display_name": "Alice Martin"}
    everyone = api.get("people/", {"limit": 2}).json()
    rest = api.get("people/", {"limit": 2, "cursor": everyone["next"]}).json()
    names = [p["display_name"] for p in everyone["results"] + rest["results"]]
    assert names == sorted(names) and len(names) == 4


def test_it_searches_and_records_that_the_person_searched(alice, bob, api_for, space):
    network.post_create(actor=alice, space=space, title="Quality charter", body="Our charter")
    api = api_for(bob)
    found = api.get("search/", {"q": "charter"}).json()
    assert [r["kind"] for r in found["results"]] == ["post"]
    assert "<mark>" in found["results"][0]["title_html"]
    assert found["counts"] == {"post": 1}
    assert events(bob, EventKind.SEARCH) == 1
    api.get("search/", {"q": "charter"})
    assert events(bob, EventKind.SEARCH) == 1  # once a day


def test_it_lists_notifications_and_marks_them_read(alice, bob, api_for, space):
    post = network.post_create(actor=alice, space=space, body="Hello")
    network.comment_create(actor=bob, post=post, body="Hi")
    network.comment_create(actor=bob, post=post, body="Hi again")
    api = api_for(alice)
    listed = api.get("notifications/").json()
    assert listed["unread_count"] == 2 and len(listed["results"]) == 2
    assert listed["results"][0]["kind"] == "reply" and "Bob Bernard" in listed["results"][0]["text"]
    one = listed["results"][0]["id"]
    assert api.post("notifications/read/", {"id": one}).json() == {"unread_count": 0, "unread_count_more": False}  # same post: both
    network.comment_create(actor=bob, post=post, body="Third")
    assert api.get("notifications/", {"unread": "1"}).json()["unread_count"] == 1
    assert api.post("notifications/read/").json() == {"unread_count": 0, "unread_count_more": False}
    assert api.post("notifications/read/", {"id": 999999}).status_code == 404


def test_someone_elses_notification_is_not_found(alice, bob, api_for, space):
    post = network.post_create(actor=alice, space=space, body="Hello")
    network.comment_create(actor=bob, post=post, body="Hi")
    notification = Notification.objects.get(recipient=alice)
    assert api_for(bob).post("notifications/read/", {"id": notification.pk}).status_code == 404
    assert Notification.objects.get().read_at is None


def test_a_deleted_comment_with_replies_shows_neither_text_nor_author(alice, bob, api_for, space):
    post = network.post_create(actor=alice, space=space, body="Hello")
    comment = network.comment_create(actor=bob, post=post, body="Secret thought")
    network.comment_create(actor=alice, post=post, body="Reply", parent=comment)
    network.comment_delete(actor=bob, comment=Comment.objects.get(pk=comment.pk))
    thread = api_for(alice).get(f"posts/{post.pk}/comments/").json()["results"][0]
    assert thread["deleted"] and thread["body"] == "" and thread["author"] is None
    assert "Secret thought" not in str(thread)
