"""How text becomes search terms, and how results are highlighted (no database)."""

import pytest

from bascule.search.text import fold, highlight, plain_text_from_html, query_parse, terms_of


def finds(query: str, text: str) -> bool:
    """Whether ``query`` matches ``text`` by the rule the databases apply to the terms."""
    terms = set(terms_of(text).split())
    parsed = query_parse(query)
    return all(
        set(group) & terms or (parsed.prefix and i == len(parsed.groups) - 1 and any(t.startswith(parsed.prefix) for t in terms))
        for i, group in enumerate(parsed.groups)
    )


@pytest.mark.parametrize(
    "query,text",
    [
        ("réunions", "La réunion de lundi"),
        ("réunion", "Nos réunions mensuelles"),
        ("reunions", "La réunion de lundi"),
        ("evenement", "Un événement à Lyon"),
        ("événements", "un evenement"),
        ("securite", "La sécurité informatique"),
        ("développeuse", "Nous recrutons un développeur"),
        ("développeur", "Une développeuse Python"),
        ("directrice", "Le directeur commercial"),
        ("vendeuses", "Les vendeurs du magasin"),
        ("coeur", "Au cœur du sujet"),
        ("meetings", "The weekly meeting"),
        ("meeting", "Two meetings a week"),
        ("running", "I run on Sundays"),
        ("planned", "We plan the release"),
        ("CAFÉ", "café"),
    ],
)
def test_it_finds_across_endings_and_accents(query, text):
    assert finds(query, text)


@pytest.mark.parametrize(
    "query,text",
    [("réunion", "La direction"), ("meeting", "The weekly report"), ("lyon paris", "Lyon only")],
)
def test_it_does_not_find_what_is_not_there(query, text):
    assert not finds(query, text)


def test_it_matches_the_last_word_as_a_beginning():
    assert finds("réu", "La réunion")
    assert finds("budget réu", "Budget de la réunion")
    # Too short to be a beginning.
    assert not finds("ré", "La réunion")


def test_it_drops_common_words_from_a_query_with_others():
    assert [group[0] for group in query_parse("la réunion de lundi").groups] == ["reunion", "lundi"]
    assert [group[0] for group in query_parse("the").groups] == ["the"]


def test_it_keeps_at_most_eight_words():
    assert len(query_parse(" ".join(f"mot{i}" for i in range(20))).groups) == 8


def test_it_folds_accents_case_and_ligatures():
    assert fold("Œuvre Élégante ÆRO Straße") == "oeuvre elegante aero strasse"


def test_query_syntax_cannot_be_injected():
    # Operators are not words: only quoted terms reach the databases.
    query = query_parse('" OR * NEAR( ) \' & | ! :*')
    assert query.fts5() == '("near"*)' and query.tsquery() == "('near':*)"
    query = query_parse('foo"bar')
    assert query.fts5() == '("foo") AND ("bar"*)'
    assert query.tsquery() == "('foo') & ('bar':*)"


def test_it_takes_the_text_of_rendered_markdown():
    assert plain_text_from_html("<h3>Title</h3><p>One &amp; <strong>two</strong></p><p>&lt;script&gt;</p>") == (
        "Title One & two <script>"
    )


def test_it_highlights_and_escapes():
    html = highlight('<script>alert("x")</script> la réunion', query_parse("reunions"))
    assert html == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; la <mark>réunion</mark>"


def test_it_cuts_an_excerpt_around_the_first_match():
    text = " ".join(["avant"] * 100 + ["réunion"] + ["après"] * 100)
    html = highlight(text, query_parse("réunion"), length=120)
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>réunion</mark>" in html
    assert len(html) < 200


def test_it_shows_the_beginning_when_nothing_matches_there():
    html = highlight("Short text", query_parse("absent"), length=120)
    assert html == "Short text"
