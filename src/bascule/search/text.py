"""Words in, search terms out: the one place where text becomes what the index holds.

The same Python code turns documents and queries into *terms* on SQLite and PostgreSQL, so
that a search finds the same things on both and tests written once hold for both. The
databases only store and match terms (FTS5 ``unicode61`` on SQLite, the ``simple``
configuration on PostgreSQL) and rank them.

A word becomes a handful of terms, all lower-case and without accents:

- the word itself, folded ("Événements" → "evenements");
- its French and English Snowball stems, computed from the word as written and from its
  folded form, then folded ("événements" → "even"; "evenements" → "even"), so that a
  query typed without accents meets a text written with them even where the stemmer
  cuts differently (the French stemmer treats "é" as a vowel);
- for French agent nouns, the stems of the masculine form: "développeuse" and
  "directrice" also index as "développeur" and "directeur".

A query word matches a document when one of its terms is one of the document's terms;
every word of the query must match. Very common French and English words ("de", "la",
"the") are dropped from queries that have other words. The last word of a query also
matches as the beginning of a word ("réu" finds "réunion"), for people who type slowly.

Limits we accept: Snowball does not join irregular forms ("travail" / "travaux"), and
running both stemmers over every word finds a few more things than a perfect
language-aware stemmer would — recall matters more than precision in an enterprise network.
"""

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Words: runs of letters and digits. The underscore is a separator, as for FTS5's unicode61
# and PostgreSQL's parser, so that both databases see the same terms we produced.
WORD = re.compile(r"[^\W_]+")

# Letters that Unicode does not decompose but French and Danish writers spell out.
LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o"})

# At most this many words of a query are searched; the rest is ignored.
MAX_QUERY_WORDS = 8
# Prefix matching on the last word starts at this many letters (shorter would match too much).
PREFIX_MIN_LENGTH = 3

# Dropped from a query when it has other words: they are in almost every text.
STOP_WORDS = frozenset(
    """
    a au aux avec ce ces d dans de des du elle en et il je l la le les leur mais me mes
    ne nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos
    votre vous y est sont été
    an and are as at be by for from has have in is it its of on or that the this to was
    were will with
    """.split()
)

_french = snowballstemmer.stemmer("french")
_english = snowballstemmer.stemmer("english")
# The Snowball stemmers keep state between calls: one module-level instance is fine for
# threads only because the GIL runs a stemWord call to its end; the cache below means
# each distinct word is stemmed once per process anyway.


def fold(text: str) -> str:
    """Lower-case ``text`` without accents or ligatures: "Cœur Événement" → "coeur evenement"."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().translate(LIGATURES)


def _masculine(word: str) -> str | None:
    """The masculine of a French agent noun: développeuse → développeur, directrice → directeur."""
    for feminine, masculine in (("euses", "eur"), ("euse", "eur"), ("trices", "teur"), ("trice", "teur")):
        if word.endswith(feminine) and len(word) > len(feminine) + 2:
            return word[: -len(feminine)] + masculine
    return None


@lru_cache(maxsize=200_000)
def word_terms(word: str) -> tuple[str, ...]:
    """The terms a single word is indexed and searched under (see the module docstring)."""
    lower = word.casefold()
    folded = fold(lower)
    forms = [lower, folded]
    masculine = _masculine(lower)
    if masculine:
        forms += [masculine, fold(masculine)]
    terms = {folded}
    for form in forms:
        terms.add(fold(_french.stemWord(form)))
        terms.add(fold(_english.stemWord(form)))
    terms.discard("")
    # The folded word first: it is the term a reader would recognise.
    return (folded, *sorted(terms - {folded}))


def words(text: str) -> list[str]:
    return WORD.findall(text or "")


def terms_of(text: str) -> str:
    """What the index stores for ``text``: every term of every word, space-separated."""
    return " ".join(term for word in words(text) for term in word_terms(word))


def plain_text_from_html(markup: str) -> str:
    """The text of sanitised HTML (a post's rendering): tags become spaces, entities
    characters. ``markup`` comes from our own sanitiser, so tags are well formed."""
    text = re.sub(r"<[^>]*>", " ", markup or "")
    return " ".join(html.unescape(text).split())


@dataclass
class Query:
    """A parsed search: for each word kept, the terms that may match it."""

    text: str
    groups: list[tuple[str, ...]] = field(default_factory=list)
    # The folded last word, matched as a word's beginning too (None when too short).
    prefix: str | None = None

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def all_terms(self) -> frozenset[str]:
        return frozenset(term for group in self.groups for term in group)

    def _prefixed(self, index: int) -> bool:
        return self.prefix is not None and index == len(self.groups) - 1

    def _exact(self, index: int) -> list[str]:
        # Terms the prefix already covers need not be listed.
        group = self.groups[index]
        return [t for t in group if not t.startswith(self.prefix)] if self._prefixed(index) else list(group)

    def fts5(self) -> str:
        """The query in FTS5 syntax: ``("a" OR "b") AND ("c" OR "d"*)``."""
        parts = []
        for index in range(len(self.groups)):
            alternatives = [f'"{term}"' for term in self._exact(index)]
            if self._prefixed(index):
                alternatives.append(f'"{self.prefix}"*')
            parts.append("(" + " OR ".join(alternatives) + ")")
        return " AND ".join(parts)

    def tsquery(self) -> str:
        """The query in PostgreSQL ``to_tsquery`` syntax: ``('a' | 'b') & ('c' | 'd':*)``."""
        parts = []
        for index in range(len(self.groups)):
            alternatives = [f"'{term}'" for term in self._exact(index)]
            if self._prefixed(index):
                alternatives.append(f"'{self.prefix}':*")
            parts.append("(" + " | ".join(alternatives) + ")")
        return " & ".join(parts)

    def matches(self, word: str) -> bool:
        """Whether ``word`` of a document is one this query found (for highlighting)."""
        terms = word_terms(word)
        if self.all_terms.intersection(terms):
            return True
        return self.prefix is not None and any(term.startswith(self.prefix) for term in terms)


def query_parse(text: str) -> Query:
    """Parse what a person typed into the search box."""
    typed = words(text)
    kept = [word for word in typed if fold(word) not in STOP_WORDS] or typed
    kept = list(dict.fromkeys(kept))[:MAX_QUERY_WORDS]
    query = Query(text=" ".join((text or "").split()), groups=[word_terms(word) for word in kept])
    if kept and len(fold(kept[-1])) >= PREFIX_MIN_LENGTH:
        query.prefix = fold(kept[-1])
    return query


def highlight(text: str, query: Query, *, length: int | None = None) -> SafeString:
    """``text`` as HTML-escaped markup, each word the query found in ``<mark>``.

    With ``length``, an excerpt of about that many characters around the first match (the
    beginning when nothing matches), with "…" where it was cut.
    """
    text = text or ""
    spans = [m.span() for m in WORD.finditer(text) if query and query.matches(m.group())]
    start, end = 0, len(text)
    if length is not None and len(text) > length:
        first = spans[0][0] if spans else 0
        # A little context before the first match, cut at a word boundary.
        start = max(0, first - length // 4)
        if start:
            space = text.rfind(" ", 0, start)
            start = space + 1 if space >= 0 and first - space < length // 2 else start
        end = min(len(text), start + length)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start + length // 2 else end
    pieces = ["…" if start else ""]
    position = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        pieces.append(escape(text[position:span_start]))
        pieces.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    pieces.append(escape(text[position:end]))
    pieces.append("…" if end < len(text) else "")
    return mark_safe("".join(pieces))
