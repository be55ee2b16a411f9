"""Questions: the expected delay in working days, accepted answers, waiting lists, and the
managers told once when a question waits too long."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from bascule.network import actions
from bascule.network.models import Post, PostKind
from bascule.network.questions import add_working_days
from bascule.notify.models import Notification

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def space(alice, bob, carol):
    space = actions.space_create(actor=alice, name="Atlas")
    actions.space_join(actor=bob, space=space)
    actions.space_join(actor=carol, space=space)
    return space


@pytest.fixture
def question(space, bob):
    return actions.post_create(actor=bob, space=space, kind=PostKind.QUESTION, body="Where is the key?")


@pytest.mark.parametrize(
    "asked,days,due",
    [
        (datetime.datetime(2026, 3, 2, 10, 0), 2, datetime.datetime(2026, 3, 4, 10, 0)),  # Monday → Wednesday
        (datetime.datetime(2026, 3, 5, 10, 0), 2, datetime.datetime(2026, 3, 9, 10, 0)),  # Thursday → Monday
        (datetime.datetime(2026, 3, 7, 10, 0), 2, datetime.datetime(2026, 3, 10, 10, 0)),  # Saturday → Tuesday
        (datetime.datetime(2026, 3, 27, 10, 0), 1, datetime.datetime(2026, 3, 30, 10, 0)),  # across summer time
    ],
)
def test_it_counts_working_days_in_the_organisation_time_zone(asked, days, due):
    assert add_working_days(asked.replace(tzinfo=PARIS), days) == due.replace(tzinfo=PARIS)


def test_it_sets_the_due_date_from_the_space_delay(space, question):
    assert question.due_at == add_working_days(question.created_at, 2)
    discussion = actions.post_create(actor=question.author, space=space, body="Hello")
    assert discussion.due_at is None


def test_it_accepts_an_answer_by_the_asker_or_a_manager(question, alice, bob, carol):
    answer = actions.comment_create(actor=carol, post=question, body="In the drawer")
    with pytest.raises(PermissionDenied):
        actions.answer_accept(actor=carol, post=question, comment=answer)
    actions.answer_accept(actor=bob, post=question, comment=answer)
    assert Post.objects.get(pk=question.pk).accepted_comment == answer
    assert Notification.objects.filter(recipient=carol, kind="accepted").count() == 1
    other = actions.comment_create(actor=alice, post=question, body="Or the car")
    actions.answer_accept(actor=alice, post=question, comment=other)  # alice owns the space
    assert Post.objects.get(pk=question.pk).accepted_comment == other


def test_it_refuses_to_accept_a_reply_or_the_askers_own_answer(question, bob, carol):
    answer = actions.comment_create(actor=carol, post=question, body="A")
    reply = actions.comment_create(actor=bob, post=question, body="B", parent=answer)
    own = actions.comment_create(actor=bob, post=question, body="Found it myself")
    for comment in (reply, own):
        with pytest.raises(ValidationError):
            actions.answer_accept(actor=bob, post=question, comment=comment)


def test_it_answers_403_to_a_non_asker_accepting_on_the_page(question, login, carol):
    answer = actions.comment_create(actor=carol, post=question, body="A")
    response = login(carol).post(reverse("feed:accept", args=[question.pk]), {"comment": answer.pk})
    assert response.status_code == 403
    assert Post.objects.get(pk=question.pk).accepted_comment is None


def test_it_lists_unanswered_and_overdue_questions(space, question, login, bob, carol):
    late = actions.post_create(actor=bob, space=space, kind=PostKind.QUESTION, body="Old question")
    Post.objects.filter(pk=late.pk).update(due_at=late.created_at - datetime.timedelta(days=1))
    client = login(carol)
    page = client.get(reverse("feed:questions"))
    assert "Where is the key?" in page.text and "Old question" in page.text
    page = client.get(reverse("network:questions", args=[space.slug]), {"status": "overdue"})
    assert "Old question" in page.text and "Where is the key?" not in page.text
    answer = actions.comment_create(actor=carol, post=question, body="In the drawer")
    actions.answer_accept(actor=bob, post=question, comment=answer)
    page = client.get(reverse("feed:questions"))
    assert "Where is the key?" not in page.text
    page = client.get(reverse("feed:questions"), {"status": "answered"})
    assert "Where is the key?" in page.text


def test_it_tells_managers_once_when_a_question_waits_too_long(space, question, alice):
    now = question.due_at + datetime.timedelta(minutes=1)
    assert actions.questions_overdue_notify(now=question.due_at - datetime.timedelta(minutes=1)) == (0, 0)
    assert actions.questions_overdue_notify(now=now) == (1, 0)
    assert actions.questions_overdue_notify(now=now) == (0, 0)
    assert Notification.objects.filter(recipient=alice, kind="overdue_question").count() == 1
    assert Post.objects.get(pk=question.pk).overdue_notified_at == now


def test_it_tells_referents_after_a_second_delay(space, question, dave, monkeypatch):
    monkeypatch.setattr("bascule.network.actions.space_referents", lambda space: [dave])
    first = question.due_at + datetime.timedelta(minutes=1)
    actions.questions_overdue_notify(now=first)
    assert actions.questions_overdue_notify(now=first + datetime.timedelta(hours=1)) == (0, 0)
    later = add_working_days(question.due_at, 2) + datetime.timedelta(minutes=1)
    assert actions.questions_overdue_notify(now=later) == (0, 1)
    assert actions.questions_overdue_notify(now=later) == (0, 0)
    assert Notification.objects.filter(recipient=dave, kind="overdue_question").count() == 1


def test_it_does_not_tell_about_answered_questions(question, carol):
    actions.comment_create(actor=carol, post=question, body="Here")
    assert actions.questions_overdue_notify(now=question.due_at + datetime.timedelta(days=1)) == (0, 0)


def test_it_runs_from_the_command(question, alice, settings):
    Post.objects.filter(pk=question.pk).update(due_at=question.created_at - datetime.timedelta(days=1))
    call_command("questions", "overdue", "--now")
    assert Notification.objects.filter(recipient=alice, kind="overdue_question").exists()
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    call_command("questions", "overdue")


def test_it_caps_the_question_counts_and_says_so(space, bob, carol, client):
    """Past 99 unanswered questions the counts stop (one query, however many there are)
    and the pages say "99+" or "More than 99"."""
    from bascule.network import queries

    past = datetime.datetime(2026, 1, 5, 10, 0, tzinfo=PARIS)
    Post.objects.bulk_create(
        Post(space=space, author=bob, kind=PostKind.QUESTION, body=f"Question {n}", body_html="", due_at=past)
        for n in range(queries.QUESTION_COUNT_LIMIT + 5)
    )
    assert queries.question_counts(carol, space=space) == {"unanswered": 100, "overdue": 100}
    client.force_login(carol.user)
    assert "More than 99 questions wait for an answer" in client.get(reverse("network:space", args=[space.slug])).text
    assert "More than 99 questions wait for an answer in your spaces." in client.get("/").text
    assert "(99+)" in client.get(reverse("feed:questions")).text


def test_it_counts_every_overdue_question_when_more_than_the_limit_wait(space, bob, carol):
    """The overdue are counted among the first waiting questions by due date: a few
    overdue ones among more than a hundred waiting are all counted."""
    from bascule.network import queries

    now = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)
    soon, past = now + datetime.timedelta(days=2), now - datetime.timedelta(days=1)
    Post.objects.bulk_create(
        Post(space=space, author=bob, kind=PostKind.QUESTION, body=f"Fresh {n}", body_html="", due_at=soon)
        for n in range(queries.QUESTION_COUNT_LIMIT + 5)
    )
    Post.objects.bulk_create(
        Post(space=space, author=bob, kind=PostKind.QUESTION, body=f"Late {n}", body_html="", due_at=past)
        for n in range(3)
    )
    assert queries.question_counts(carol, space=space, now=now) == {"unanswered": 100, "overdue": 3}
    assert queries.question_counts(carol, now=now) == {"unanswered": 100, "overdue": 3}


def test_it_gives_an_expected_answer_time_to_questions_only(space, alice, bob):
    """``IS_QUESTION`` and the indexes of questions rely on it: every question has
    ``due_at``, no other post has one, on a profile as in a space."""
    from bascule.network.models import IS_QUESTION

    kinds = {PostKind.DISCUSSION, PostKind.QUESTION, PostKind.ARTICLE, PostKind.ANNOUNCEMENT}
    posts = [actions.post_create(actor=alice, space=space, kind=kind, body=f"A {kind}", title="T") for kind in kinds]
    posts.append(actions.post_create(actor=bob, space=None, kind=PostKind.QUESTION, body="On my profile?"))
    assert {p.kind: p.due_at is not None for p in posts[:-1]} == {k: k == PostKind.QUESTION for k in kinds}
    questions = {p.pk for p in posts if p.kind == PostKind.QUESTION}
    assert len(questions) == 2 and set(Post.objects.filter(IS_QUESTION).values_list("pk", flat=True)) == questions
