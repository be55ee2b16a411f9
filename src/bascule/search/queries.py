"""Searching: what a person may find for what they typed, ranked, counted and paged.

Everything starts from ``access.visible_search_documents``; the full-text match and the
filters narrow it. One SQL query reads the newest matches of each kind; the counts by kind
and the window that is ranked come from those rows, then one query ranks the window and
one reads the page's documents. Counts come from the same permission-filtered query as the
results: nobody learns that a private space holds matches they may not see.

A word found in one document out of seven matches a hundred thousand of them at a
million documents: counting and ranking them all took seconds (docs/benchmarks.md). So
counts stop at ``RESULT_LIMIT`` by kind (the page says "more than 1,000"), and when more
match, only the ``RESULT_LIMIT`` newest matches are ranked and paged (the page says so).
Both stop early in SQL: ``LIMIT`` subqueries the database can end as soon as it has enough.
"""

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from bascule.access import visible_search_documents
from bascule.people.models import Person

from .models import DocumentKind, SearchDocument
from .text import Query, highlight, query_parse

PAGE_SIZE = 20
EXCERPT_LENGTH = 240
# Title terms weigh more than body terms when ranking (SQLite's bm25 weights; PostgreSQL
# gets the same effect from the A/B weights of the generated tsvector).
TITLE_WEIGHT, BODY_WEIGHT = 4.0, 1.0
TABLE = SearchDocument._meta.db_table
# At most this many matches are counted by kind; when more match, the results are the
# best of the RESULT_LIMIT newest matches. Tests lower it to check both sides of the limit.
RESULT_LIMIT = 1000
# PostgreSQL, frequent words: the newest period searched first is expected to hold this many
# times RESULT_LIMIT matches of a kind, each next one WINDOW_GROWTH times more, as
# measured on a sample of about SAMPLE_ROWS documents. See ``_recent_steps``.
WINDOW_MARGIN = 3
WINDOW_GROWTH = 4
SAMPLE_ROWS = 5000


def _match(documents: QuerySet[SearchDocument], query: Query) -> QuerySet[SearchDocument]:
    """``documents`` that match ``query``: the full-text index runs first."""
    if connection.vendor == "postgresql":
        return documents.filter(
            RawSQL(f"{TABLE}.vector @@ to_tsquery('simple', %s)", [query.tsquery()], output_field=BooleanField())
        )
    return documents.filter(pk__in=RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [query.fts5()]))


@dataclass
class Filters:
    """What narrows a search besides the words. Values are already validated ids/dates."""

    kind: str = ""
    space: int | None = None
    author: int | None = None
    since: date | None = None
    until: date | None = None

    def __bool__(self) -> bool:
        return bool(self.kind or self.space or self.author or self.since or self.until)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filtered(documents: QuerySet[SearchDocument], filters: Filters) -> QuerySet[SearchDocument]:
    """Every filter except the kind (the counts by kind are taken before it)."""
    if filters.space:
        documents = documents.filter(space_id=filters.space)
    if filters.author:
        documents = documents.filter(author_id=filters.author)
    if filters.since:
        documents = documents.filter(created_at__gte=_day_start(filters.since))
    if filters.until:
        documents = documents.filter(created_at__lt=_day_start(filters.until + timedelta(days=1)))
    return documents


@dataclass
class Result:
    """One found document, ready for the template."""

    document: SearchDocument
    kind: str
    title: str
    excerpt: str
    url: str
    person: Person | None = None


@dataclass
class SearchResults:
    query: Query
    filters: Filters
    # Matches the person may see, by kind, before the kind filter (the tabs' numbers),
    # counted up to ``limit``; ``more`` holds the kinds with more matches than that.
    counts: dict[str, int] = field(default_factory=dict)
    more: frozenset[str] = frozenset()
    limit: int = RESULT_LIMIT
    page: Page | None = None
    results: list[Result] = field(default_factory=list)

    @property
    def total(self) -> int:
        """How many results, up to ``limit`` by kind: see ``capped``."""
        if self.filters.kind:
            return self.counts.get(self.filters.kind, 0)
        return sum(self.counts.values())

    @property
    def capped(self) -> bool:
        """More than ``limit`` results: ``total`` is a lower bound, and the results are the
        best of the ``limit`` newest matches."""
        if self.filters.kind:
            return self.filters.kind in self.more
        return bool(self.more)

    @property
    def searched(self) -> bool:
        return bool(self.query) or bool(self.filters)


def _url(document: SearchDocument) -> str:
    if document.kind == DocumentKind.PERSON:
        return reverse("people:profile", args=[document.object_id])
    if document.kind == DocumentKind.SPACE:
        return reverse("network:space", args=[document.space.slug])
    if document.space_id is None:
        url = reverse("people:profile", args=[document.author_id])
    else:
        url = reverse("network:post", args=[document.space.slug, document.post_id])
    if document.kind == DocumentKind.COMMENT:
        url += f"#comment-{document.object_id}"
    return url


def _newest_by_kind(
    documents: QuerySet[SearchDocument],
    kinds: list[str],
    periods: dict[str, tuple[datetime | None, datetime | None]] | None = None,
    limits: dict[str, int] | None = None,
) -> dict[str, list[tuple[datetime, int]]]:
    """The RESULT_LIMIT + 1 newest of ``documents`` of each of ``kinds``, newest first, as
    ``(created_at, id)``: one SQL query, a ``UNION ALL`` of one ``LIMIT`` subquery per kind
    that the database stops as soon as it has enough. ``periods`` limits some kinds to the
    documents created since a moment and/or before another (see ``_newest``); ``limits``
    asks fewer of some kinds.

    Everything else is computed from these rows: the counts by kind (how many rows, up to
    the limit), and the window that is ranked and paged (the newest RESULT_LIMIT of them,
    or all when no kind has more). The permission filter and the full-text match run once
    per kind, not again for the results (before, five times a request)."""
    periods, limits = periods or {}, limits or {}
    # The permission filter, match and filters are compiled once (building and compiling
    # them took longer than running them); each kind's subquery selects from them, which
    # both databases flatten into one plain query per kind.
    try:
        base, base_params = documents.order_by().values_list("id", "kind", "created_at").query.sql_with_params()
    except EmptyResultSet:  # nothing the person may see (``none()``)
        return {kind: [] for kind in kinds}
    selects, params = [], []
    for kind in kinds:
        since, before = periods.get(kind, (None, None))
        conditions, moments = "", []
        for moment, condition in ((since, " AND d.created_at >= %s"), (before, " AND d.created_at < %s")):
            if moment is not None:
                conditions += condition
                moments.append(connection.ops.adapt_datetimefield_value(moment))
        limit = int(limits.get(kind, RESULT_LIMIT + 1))
        selects.append(
            f"SELECT * FROM (SELECT %s, d.created_at, d.id FROM ({base}) AS d WHERE d.kind = %s{conditions} "
            f"ORDER BY d.created_at DESC, d.id DESC LIMIT {limit}) AS {kind}_matches"
        )
        params.extend([kind, *base_params, kind, *moments])
    rows = {kind: [] for kind in kinds}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        for kind, created_at, pk in cursor.fetchall():
            rows[kind].append((_aware(created_at), pk))
    for kind_rows in rows.values():
        kind_rows.sort(reverse=True)
    return rows


def _newest(
    documents: QuerySet[SearchDocument], steps: dict[str, list[datetime]] | None = None
) -> dict[str, list[tuple[datetime, int]]]:
    """``_newest_by_kind`` for every kind, read period by period for the kinds of ``steps``.

    ``steps`` gives, for some kinds, moments from the newest to the oldest. The first
    query reads those kinds since their first moment only. A kind that found RESULT_LIMIT
    or fewer there is asked for what it lacks, older than that moment and since its next
    one (over all older dates after its last one), until it has RESULT_LIMIT + 1 or no
    date is left. The periods do not overlap and each is older than the one before, so
    the answer is the one over all dates whatever the moments: they only make it fast
    or slow."""
    steps = {kind: list(moments) for kind, moments in (steps or {}).items() if moments}
    periods = {kind: (moments.pop(0), None) for kind, moments in steps.items()}
    newest = _newest_by_kind(documents, DocumentKind.values, periods)
    while True:
        short = [
            kind for kind, (since, _) in periods.items() if since is not None and len(newest[kind]) <= RESULT_LIMIT
        ]
        if not short:
            return newest
        periods = {kind: (steps[kind].pop(0) if steps[kind] else None, periods[kind][0]) for kind in short}
        limits = {kind: RESULT_LIMIT + 1 - len(newest[kind]) for kind in short}
        for kind, rows in _newest_by_kind(documents, short, periods, limits).items():
            newest[kind].extend(rows)


def _recent_steps(query: Query) -> dict[str, list[datetime]]:
    """PostgreSQL: for posts and comments of a frequent word, the moments of ``_newest``'s
    periods, newest first; nothing for a kind the word is not frequent in.

    A word found in a few percent of the documents has tens of thousands of matches: too
    many to read them all for the newest thousand (each one a random read of the table),
    too few to find a thousand quickly by walking the documents newest first. Limited to
    the newest documents, the database combines the full-text index with the date index
    and reads only the matches of that period.

    The periods come from a sample of the table (``TABLESAMPLE``, about SAMPLE_ROWS
    documents, the same pages every time so that they stay in memory): the first period
    ends at the sampled match that stands for WINDOW_MARGIN × (RESULT_LIMIT + 1) matches
    of the whole table, each next one holds WINDOW_GROWTH times more. A sample measures
    what the planner's statistics only guess — how often several words meet, how the
    matches spread over time (its estimates were 2 to 7 times off for two words). It only
    makes a search fast or slow, never wrong (``_newest``)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [TABLE])
        row = cursor.fetchone()
        if not row or row[0] <= 0:  # never analysed: no idea of its size
            return {}
        percent = min(100.0, 100.0 * SAMPLE_ROWS / row[0])
        cursor.execute(
            f"SELECT kind, created_at FROM {TABLE} TABLESAMPLE SYSTEM (%s) REPEATABLE (1) "
            "WHERE kind IN (%s, %s) AND vector @@ to_tsquery('simple', %s)",
            [percent, DocumentKind.POST, DocumentKind.COMMENT, query.tsquery()],
        )
        sampled = {DocumentKind.POST: [], DocumentKind.COMMENT: []}
        for kind, created_at in cursor.fetchall():
            sampled[kind].append(created_at)
    needed = math.ceil(WINDOW_MARGIN * (RESULT_LIMIT + 1) * percent / 100)
    steps = {}
    for kind, moments in sampled.items():
        moments.sort(reverse=True)
        steps[kind] = []
        rank = needed
        while rank <= len(moments):
            if not steps[kind] or moments[rank - 1] < steps[kind][-1]:
                steps[kind].append(moments[rank - 1])
            rank *= WINDOW_GROWTH
    return {kind: moments for kind, moments in steps.items() if moments}


def _aware(value) -> datetime:
    """A timestamp read by a raw query: PostgreSQL gives a datetime, SQLite text (UTC)."""
    if not isinstance(value, datetime):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)


def _ranks(ids: list[int], query: Query) -> dict[int, float]:
    """The rank of each document of ``ids`` for ``query``, higher is better: one query over
    these rows only (the window), never over every match."""
    if not ids:
        return {}
    placeholders = ", ".join(["%s"] * len(ids))
    if connection.vendor == "postgresql":
        # One array parameter: a thousand placeholders made psycopg parse the statement
        # again in Python on every search (it caches short statements only).
        sql = f"SELECT id, ts_rank(vector, to_tsquery('simple', %s)) FROM {TABLE} WHERE id = ANY(%s::bigint[])"
        params = [query.tsquery(), list(ids)]
    else:
        # bm25 is lower for better matches; negated so that both databases sort alike.
        sql = (
            "SELECT rowid, -bm25(search_fts, %s, %s) FROM search_fts "
            f"WHERE search_fts MATCH %s AND rowid IN ({placeholders})"
        )
        params = [TITLE_WEIGHT, BODY_WEIGHT, query.fts5(), *ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {pk: float(rank) for pk, rank in cursor.fetchall()}


def search(
    viewer: Person, *, text: str = "", filters: Filters | None = None, page: int | str | None = 1
) -> SearchResults:
    """What ``viewer`` finds for ``text`` with ``filters``: the counts by kind, one page of
    results (best matches first, then newest), each with a highlighted excerpt.

    Without words, the filters alone list the newest documents (all of an author's posts,
    say). Without words or filters, nothing is searched. When more than RESULT_LIMIT
    match, the results are the best of the RESULT_LIMIT newest (``SearchResults.capped``).
    """
    filters = filters or Filters()
    query = query_parse(text)
    results = SearchResults(query=query, filters=filters)
    if not results.searched:
        return results
    if connection.vendor == "postgresql":
        # PostgreSQL's JIT compiled one search query for 4 s (its cost estimate of a
        # hundred thousand matches) to save milliseconds; these queries never need it.
        # SET LOCAL lasts until the end of this transaction.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
            return _search(viewer, query, filters, results, page)
    return _search(viewer, query, filters, results, page)


def _search(viewer: Person, query: Query, filters: Filters, results: SearchResults, page) -> SearchResults:
    documents = _filtered(visible_search_documents(viewer), filters)
    if query:
        documents = _match(documents, query)
    # Posts and comments of a frequent word: the newest period first (``_recent_steps``).
    steps = {}
    if query and connection.vendor == "postgresql" and not (filters.space or filters.author or filters.since or filters.until):
        steps = _recent_steps(query)
    newest = _newest(documents, steps)
    results.limit = RESULT_LIMIT
    results.counts = {kind: min(len(rows), RESULT_LIMIT) for kind, rows in newest.items() if rows}
    results.more = frozenset(kind for kind, rows in newest.items() if len(rows) > RESULT_LIMIT)
    # The window ranked and paged: every match, or the RESULT_LIMIT newest when more match.
    # The newest RESULT_LIMIT of all kinds are among the RESULT_LIMIT + 1 newest of each.
    kinds = [filters.kind] if filters.kind else DocumentKind.values
    window = sorted((row for kind in kinds for row in newest.get(kind, [])[:RESULT_LIMIT]), reverse=True)
    if results.capped:
        window = window[:RESULT_LIMIT]
    if query:
        ranks = _ranks([pk for _, pk in window], query)
        window.sort(key=lambda row: (ranks.get(row[1], 0.0), row[0], row[1]), reverse=True)
    paginator = Paginator([pk for _, pk in window], PAGE_SIZE)
    results.page = paginator.get_page(page)
    page_ids = list(results.page.object_list)
    by_pk = SearchDocument.objects.select_related("space", "author", "post").in_bulk(page_ids)
    page_documents = [by_pk[pk] for pk in page_ids if pk in by_pk]
    results.page.object_list = page_documents
    person_ids = [d.object_id for d in page_documents if d.kind == DocumentKind.PERSON]
    people = (
        Person.objects.filter(pk__in=person_ids).select_related("department", "site").in_bulk()
        if person_ids
        else {}
    )
    for document in page_documents:
        results.results.append(
            Result(
                document=document,
                kind=document.kind,
                title=highlight(document.title, query),
                excerpt=highlight(document.body, query, length=EXCERPT_LENGTH),
                url=_url(document),
                person=people.get(document.object_id) if document.kind == DocumentKind.PERSON else document.author,
            )
        )
    return results
