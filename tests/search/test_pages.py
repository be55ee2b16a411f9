"""The search page through real HTTP: with and without htmx, empty states, escaping, the
ledger event, and a number of queries that does not grow with the results."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bascule.adoption.models import Event, EventKind
from bascule.search.models import DocumentKind

from .conftest import post

URL = reverse("search:search")


def test_the_top_bar_box_goes_to_search(login, alice):
    response = login(alice).get(reverse("home"))
    assert f'action="{URL}"' in response.text


def test_it_teaches_before_the_first_search(login, alice):
    response = login(alice).get(URL)
    assert response.status_code == 200
    assert "What are you looking for?" in response.text
    assert not Event.objects.filter(kind=EventKind.SEARCH).exists()


def test_it_teaches_when_nothing_is_found(login, alice, space):
    response = login(alice).get(URL, {"q": "zzzyx"})
    assert "No result for “zzzyx”" in response.text
    assert "Check the spelling" in response.text


def test_it_shows_highlighted_results_with_authors_and_spaces(login, alice, space):
    p = post(alice, space, "Le compte rendu de la réunion", title="Réunion d'équipe")
    response = login(alice).get(URL, {"q": "reunions"})
    assert "<mark>Réunion</mark> d&#x27;équipe" in response.text
    assert "la <mark>réunion</mark>" in response.text
    assert reverse("network:post", args=[space.slug, p.pk]) in response.text
    assert "Alice Martin" in response.text and "Atlas" in response.text
    assert "1 result for “reunions”" in response.text


def test_a_script_in_a_post_shows_as_text(login, alice, space):
    post(alice, space, "Regardez <script>alert('piège')</script> ce test", title="<b>Piège</b>")
    response = login(alice).get(URL, {"q": "piège"})
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(&#x27;<mark>piège</mark>&#x27;)&lt;/script&gt;" in response.text
    assert "&lt;b&gt;<mark>Piège</mark>&lt;/b&gt;" in response.text


def test_htmx_gets_the_results_only(login, alice, space):
    post(alice, space, "Budget")
    response = login(alice).get(URL, {"q": "budget"}, headers={"HX-Request": "true"})
    assert "<html" not in response.text and "<mark>Budget</mark>" in response.text


def test_it_works_without_javascript(login, alice, space):
    response = login(alice).get(URL, {"q": "atlas"})
    assert '<form class="filters search-form" role="search" method="get"' in response.text
    assert "<html" in response.text


def test_the_tabs_count_each_kind(login, alice, space):
    post(alice, space, "Atlas news")
    response = login(alice).get(URL, {"q": "atlas", "kind": "space"})
    tabs = {tab["kind"]: (tab["count"], tab["current"]) for tab in response.context["tabs"]}
    assert tabs == {"": (2, False), "post": (1, False), "comment": (0, False), "person": (0, False), "space": (1, True)}
    assert [r.kind for r in response.context["results"].results] == [DocumentKind.SPACE]


def test_it_names_filters_it_may_show_and_removes_them(login, alice, bob, space):
    response = login(alice).get(URL, {"q": "atlas", "space": space.pk, "author": bob.pk})
    assert "In Atlas" in response.text and "By Bob Bernard" in response.text


def test_a_bad_date_range_is_explained(login, alice):
    response = login(alice).get(URL, {"q": "x", "since": "2026-05-02", "until": "2026-05-01"})
    assert "The end date comes before the start date." in response.text


def test_garbage_input_is_ignored(login, alice):
    response = login(alice).get(URL, {"q": "a" * 500, "space": "nope", "kind": "secret", "page": "-4"})
    assert response.status_code == 200


def test_it_records_one_search_a_day_without_the_words(login, alice, space):
    client = login(alice)
    for text in ("bud", "budget", "budget lyon"):
        client.get(URL, {"q": text})
    client.get(URL, {"q": "budget", "page": 2})
    events = list(Event.objects.filter(kind=EventKind.SEARCH))
    assert len(events) == 1
    assert events[0].person_id == alice.pk and events[0].object_id is None and events[0].object_type == ""
    assert "budget" not in str(Event.objects.filter(kind=EventKind.SEARCH).values().get())


def test_yesterdays_search_does_not_count_for_today(login, alice):
    from django.utils import timezone

    from bascule.adoption.ledger import event_record

    event_record(person=alice, kind=EventKind.SEARCH, occurred_at=timezone.now() - datetime.timedelta(days=1))
    login(alice).get(URL, {"q": "budget"})
    assert Event.objects.filter(kind=EventKind.SEARCH).count() == 2


def _queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_results(login, alice, bob, carol, space):
    from bascule.network.actions import space_join

    space_join(actor=bob, space=space)
    client = login(alice)
    post(alice, space, "Sujet un")
    client.get(URL, {"q": "sujet"})  # the day's search event is written once
    few = _queries(client, {"q": "sujet"})
    for n in range(15):
        post(alice if n % 2 else bob, space, f"Sujet {n}")
    # People results fetch their department and site in one more query, whatever their number.
    assert _queries(client, {"q": "sujet"}) == few
    assert _queries(client, {"q": "sales"}) <= few + 1
