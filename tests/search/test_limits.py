"""Words found everywhere: counts stop at RESULT_LIMIT by kind, and the results are then the
best of the RESULT_LIMIT newest matches — and the page says so (queries.py)."""

import pytest
from django.urls import reverse

from bascule.network import actions
from bascule.search import queries
from bascule.search.models import DocumentKind
from bascule.search.queries import Filters, search

from .conftest import indexed, post


@pytest.fixture
def limit(monkeypatch):
    monkeypatch.setattr(queries, "RESULT_LIMIT", 3)
    return 3


def post_ids(results):
    return [r.document.object_id for r in results.results if r.kind == DocumentKind.POST]


def test_it_counts_up_to_the_limit(alice, space, limit):
    for n in range(5):
        post(alice, space, f"Note {n}")
    results = search(alice, text="note")
    assert results.counts == {DocumentKind.POST: 3}
    assert results.more == {DocumentKind.POST} and results.capped and results.total == 3 and results.limit == 3


def test_below_the_limit_counts_are_exact(alice, space, limit):
    notes = [post(alice, space, f"Note {n}") for n in range(3)]
    results = search(alice, text="note")
    assert results.counts == {DocumentKind.POST: 3} and not results.more and not results.capped
    assert set(post_ids(results)) == {p.pk for p in notes}


def test_over_the_limit_it_ranks_the_newest_matches(alice, space, limit):
    oldest_title = post(alice, space, "Plan", title="Roadmap")
    post(alice, space, "The roadmap, first mention")
    second = post(alice, space, "The roadmap, second mention")
    third = post(alice, space, "The roadmap, third mention")
    newest_title = post(alice, space, "Plan", title="Roadmap 2027")
    post(alice, space, "Newer, and about something else")
    results = search(alice, text="roadmap")
    # The oldest title match is not among the 3 newest; the newest title ranks first.
    assert post_ids(results) == [newest_title.pk, third.pk, second.pk]
    assert oldest_title.pk not in post_ids(results)
    assert results.page.paginator.count == 3 and results.page.paginator.num_pages == 1


def test_each_kind_is_counted_on_its_own(alice, space, limit):
    for n in range(4):
        post(alice, space, f"Atlas note {n}")
    results = search(alice, text="atlas", filters=Filters(kind=DocumentKind.SPACE))
    assert results.counts == {DocumentKind.POST: 3, DocumentKind.SPACE: 1}
    assert results.more == {DocumentKind.POST} and not results.capped
    assert [(r.kind, r.document.object_id) for r in results.results] == [(DocumentKind.SPACE, space.pk)]


def test_what_may_not_be_read_is_not_counted(alice, bob, space, limit):
    secret = indexed(actions.space_create(actor=bob, name="Vault", visibility="secret"))
    for n in range(4):
        post(bob, secret, f"Note secrète {n}")
    mine = post(alice, space, "Note publique")
    results = search(alice, text="note")
    assert results.counts == {DocumentKind.POST: 1} and not results.capped
    assert post_ids(results) == [mine.pk]


def test_filters_alone_are_capped_too(alice, space, limit):
    notes = [post(alice, space, f"Note {n}") for n in range(5)]
    results = search(alice, filters=Filters(author=alice.pk, kind=DocumentKind.POST))
    assert results.capped and post_ids(results) == [p.pk for p in reversed(notes[2:])]


def test_the_page_says_more_than_the_limit(login, alice, space, limit):
    for n in range(5):
        post(alice, space, f"Note {n}")
    response = login(alice).get(reverse("search:search"), {"q": "note"})
    assert "More than 3 results for “note”" in response.text
    assert "3+" in response.text
    assert "the best of the 3 newest are shown" in response.text


def comment(actor, on, body):
    return indexed(actions.comment_create(actor=actor, post=on, body=body))


def test_over_the_limit_the_newest_of_every_kind_are_ranked_together(alice, space, limit):
    # Oldest first: a post, a comment, a post, a comment, a post (all "atelier").
    first = post(alice, space, "Atelier un")
    older_comment = comment(alice, first, "Atelier, un commentaire")
    middle = post(alice, space, "Atelier deux")
    newer_comment = comment(alice, middle, "Atelier, un autre commentaire")
    newest = post(alice, space, "Atelier trois")
    results = search(alice, text="atelier")
    assert results.counts == {DocumentKind.POST: 3, DocumentKind.COMMENT: 2}
    assert results.more == set() and not results.capped and results.total == 5
    post(alice, space, "Atelier quatre")
    results = search(alice, text="atelier")
    assert results.more == {DocumentKind.POST} and results.capped
    # The 3 newest of all kinds, whatever their kind; the older comment and posts are out.
    found = {(r.kind, r.document.object_id) for r in results.results}
    assert (DocumentKind.COMMENT, newer_comment.pk) in found and (DocumentKind.POST, newest.pk) in found
    assert (DocumentKind.COMMENT, older_comment.pk) not in found and (DocumentKind.POST, middle.pk) not in found
    assert len(found) == 3 and results.page.paginator.count == 3


def test_a_kind_filter_ranks_that_kind_only_and_keeps_every_count(alice, space, limit):
    first = post(alice, space, "Atelier un")
    comments = [comment(alice, first, f"Atelier, commentaire {n}") for n in range(2)]
    for n in range(4):
        post(alice, space, f"Atelier {n}")
    results = search(alice, text="atelier", filters=Filters(kind=DocumentKind.COMMENT))
    assert results.counts == {DocumentKind.POST: 3, DocumentKind.COMMENT: 2}
    assert not results.capped and results.total == 2
    assert [r.document.object_id for r in results.results] == [c.pk for c in reversed(comments)]


def test_later_pages_follow_the_same_order(alice, space, monkeypatch):
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    titled = post(alice, space, "Plan", title="Roadmap")
    mentions = [post(alice, space, f"The roadmap, mention {n}") for n in range(4)]
    pages = [search(alice, text="roadmap", page=n) for n in (1, 2, 3)]
    ids = [r.document.object_id for results in pages for r in results.results]
    # The title first (best rank), then the mentions newest first; nothing twice.
    assert ids == [titled.pk] + [p.pk for p in reversed(mentions)]
    assert pages[0].page.paginator.num_pages == 3 and pages[2].page.number == 3


# PostgreSQL searches the posts and comments of a frequent word in a recent period first
# (queries._recent_steps); the answer must be the one over all dates, whatever the periods.


def notes_over_time(alice, space, count):
    """``count`` posts matching "note", a day apart, oldest first; their documents' dates."""
    from datetime import timedelta

    from django.utils import timezone

    from bascule.search.models import SearchDocument

    notes = [post(alice, space, f"Note {n}") for n in range(count)]
    start = timezone.now() - timedelta(days=count)
    for n, note in enumerate(notes):
        SearchDocument.objects.filter(kind=DocumentKind.POST, object_id=note.pk).update(
            created_at=start + timedelta(days=n)
        )
    return notes, list(
        SearchDocument.objects.filter(kind=DocumentKind.POST).order_by("created_at").values_list("created_at", flat=True)
    )


def newest_with(alice, steps):
    from bascule.access import visible_search_documents
    from bascule.search.text import query_parse

    documents = queries._match(visible_search_documents(alice), query_parse("note"))
    return queries._newest(documents, steps)


def test_a_recent_period_that_holds_enough_gives_the_same_answer(alice, space, limit):
    _, dates = notes_over_time(alice, space, 8)
    everything = newest_with(alice, {})
    # The period holds the 5 newest: more than the limit, so it is enough.
    assert newest_with(alice, {DocumentKind.POST: [dates[3]]}) == everything
    assert [pk for _, pk in everything[DocumentKind.POST]] == sorted((pk for _, pk in everything[DocumentKind.POST]), reverse=True)
    assert len(everything[DocumentKind.POST]) == limit + 1


def test_a_recent_period_with_too_few_is_asked_again_over_all_dates(alice, space, limit):
    _, dates = notes_over_time(alice, space, 8)
    everything = newest_with(alice, {})
    # The period holds 2 (not more than the limit): the newest over all dates still come back.
    assert newest_with(alice, {DocumentKind.POST: [dates[-2]]}) == everything
    # Period after period (1, then 1 more, then the 2 missing): the same again.
    assert newest_with(alice, {DocumentKind.POST: [dates[-1], dates[-2], dates[4]]}) == everything
    # Moments that find nothing new, then all dates.
    assert newest_with(alice, {DocumentKind.POST: [dates[-1], dates[-1]], DocumentKind.COMMENT: [dates[0]]}) == everything
    results = search(alice, text="note")
    assert results.counts == {DocumentKind.POST: 3} and results.capped


def test_postgresql_chooses_a_period_for_frequent_words_only(alice, space, limit):
    from django.db import connection

    from bascule.search.text import query_parse

    if connection.vendor != "postgresql":
        pytest.skip("the periods come from a sample of the table (TABLESAMPLE): PostgreSQL only")
    notes_over_time(alice, space, 60)
    post(alice, space, "Rare unique mot zanzibar")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {queries.TABLE}")
    steps = queries._recent_steps(query_parse("note"))
    assert DocumentKind.POST in steps and DocumentKind.COMMENT not in steps
    assert steps[DocumentKind.POST] == sorted(steps[DocumentKind.POST], reverse=True)
    assert queries._recent_steps(query_parse("zanzibar")) == {}
    # Every word must match: a rare word makes the whole query rare.
    assert queries._recent_steps(query_parse("note zanzibar")) == {}
    results = search(alice, text="note")
    assert results.counts == {DocumentKind.POST: 3} and results.capped
