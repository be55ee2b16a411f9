"""Comments hidden by a moderator count for nobody (comment counts, the answered state of
a question), never reach other readers (pages and API), and comment threads are paged in
SQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bascule.moderation.actions import content_hide, content_restore
from bascule.network import actions, queries
from bascule.network.models import PostKind
from tests.interop.conftest import api_for  # noqa: F401  (fixture)


@pytest.fixture
def space(alice, bob, carol):
    space = actions.space_create(actor=alice, name="Atlas")
    actions.space_join(actor=bob, space=space)
    actions.space_join(actor=carol, space=space)
    return space


@pytest.fixture
def question(space, alice):
    return actions.post_create(actor=alice, space=space, kind=PostKind.QUESTION, body="Where is the key?")


def test_a_hidden_answer_neither_counts_nor_answers_the_question(question, alice, bob, carol, space):
    answer = actions.comment_create(actor=bob, post=question, body="Spam answer")
    assert queries.questions(carol, space=space, status="answered").count() == 1
    content_hide(actor=alice, post=question, comment=answer, reason="spam")

    assert queries.questions(carol, space=space, status="unanswered").get().pk == question.pk
    assert queries.question_counts(carol, space=space)["unanswered"] == 1
    assert queries.question_is_answered(question) is False
    assert queries.space_posts(carol, space).get().comment_count is None  # no comment counted
    assert queries.live_comments(question).count() == 0


def test_the_answered_state_follows_every_act_on_the_answers(question, alice, bob, carol, space):
    """``Post.answered_at`` is kept by the actions: the asker's own comment and replies do
    not answer; deleting, hiding and restoring the answer move the question between the
    lists, and the first live answer gives the moment."""

    def waiting() -> bool:
        question.refresh_from_db()
        listed = queries.questions(carol, space=space, status="unanswered").filter(pk=question.pk).exists()
        assert listed is (question.answered_at is None)
        assert queries.question_counts(carol, space=space)["unanswered"] == (1 if listed else 0)
        return listed

    own = actions.comment_create(actor=alice, post=question, body="Any idea, anyone?")
    actions.comment_create(actor=bob, post=question, body="Not an answer, a reply", parent=own)
    assert waiting()
    first = actions.comment_create(actor=bob, post=question, body="Under the mat")
    second = actions.comment_create(actor=carol, post=question, body="Or at the desk")
    assert not waiting() and question.answered_at == first.created_at
    content_hide(actor=alice, post=question, comment=first, reason="spam")
    assert not waiting() and question.answered_at == second.created_at
    actions.comment_delete(actor=carol, comment=second)
    assert waiting()
    content_restore(actor=alice, post=question, comment=first)
    assert not waiting() and question.answered_at == first.created_at


def test_a_hidden_comment_is_not_shown_to_other_readers_page_and_api(question, alice, bob, carol, login, api_for):
    answer = actions.comment_create(actor=bob, post=question, body="Hidden words")
    reply = actions.comment_create(actor=carol, post=question, body="Visible reply", parent=answer)
    lone = actions.comment_create(actor=bob, post=question, body="Lonely hidden words")
    content_hide(actor=alice, post=question, comment=answer, reason="spam")
    content_hide(actor=alice, post=question, comment=lone, reason="spam")

    # carol (a reader): the hidden answer stays as a placeholder above her reply, without
    # its words or author; the lone hidden comment is gone.
    body = login(carol).get(question.get_absolute_url()).content.decode()
    assert "Hidden words" not in body and "Lonely hidden words" not in body
    assert "Visible reply" in body
    answer_json = api_for(carol).get(f"posts/{question.pk}/comments/").json()
    (thread,) = answer_json["results"]
    assert thread["id"] == answer.pk and thread["deleted"] is True and thread["body"] == "" and thread["author"] is None
    assert [r["id"] for r in thread["replies"]] == [reply.pk]
    assert api_for(carol).get(f"posts/{question.pk}/").json()["comment_count"] == 1

    # The author and the space's manager still see it (marked), to restore it.
    for person in (bob, alice):
        results = api_for(person).get(f"posts/{question.pk}/comments/").json()["results"]
        assert {r["id"] for r in results} == {answer.pk, lone.pk}


def test_comment_threads_are_paged_in_sql(question, alice, bob, login, api_for):
    comments = [actions.comment_create(actor=bob, post=question, body=f"Answer {n}") for n in range(7)]
    threads, more = queries.post_threads(alice, question, limit=3)
    assert [t.comment.pk for t in threads] == [c.pk for c in comments[:3]] and more
    threads, more = queries.post_threads(alice, question, after=comments[5].pk, limit=3)
    assert [t.comment.pk for t in threads] == [comments[6].pk] and not more

    api = api_for(alice)
    first = api.get(f"posts/{question.pk}/comments/", {"limit": 4}).json()
    second = api.get(f"posts/{question.pk}/comments/", {"limit": 4, "cursor": first["next"]}).json()
    assert [r["id"] for r in first["results"] + second["results"]] == [c.pk for c in comments]
    assert second["next"] is None

    # The SQL asks for one page, not every comment.
    with CaptureQueriesContext(connection) as captured:
        queries.post_threads(alice, question, limit=3)
    assert any("LIMIT 4" in q["sql"] for q in captured.captured_queries)


def test_the_post_page_shows_a_page_of_threads_and_a_link_to_more(question, alice, bob, login, settings, monkeypatch):
    monkeypatch.setattr(queries, "THREADS_PER_PAGE", 2)
    comments = [actions.comment_create(actor=bob, post=question, body=f"Answer number {n}") for n in range(3)]
    client = login(alice)
    body = client.get(question.get_absolute_url()).content.decode()
    assert "Answer number 1" in body and "Answer number 2" not in body
    assert f"?after={comments[1].pk}" in body
    body = client.get(question.get_absolute_url(), {"after": comments[1].pk}).content.decode()
    assert "Answer number 2" in body and "Answer number 0" not in body


def test_reaction_buttons_have_translated_text_labels(question, alice, bob, login):
    client = login(bob)
    body = client.get(question.get_absolute_url(), headers={"Accept-Language": "fr"}).content.decode()
    assert '<span class="visually-hidden">J&#x27;aime</span>' in body
    assert '<span class="visually-hidden">Merci</span>' in body
    assert reverse("feed:react", args=[question.pk]) in body
