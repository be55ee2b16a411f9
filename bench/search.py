"""Benchmark: the search page over a million posts and comments, through real request handling.

    .venv/bin/python bench/search.py --database-url postgresql://postgres@127.0.0.1/bascule_bench_search
    .venv/bin/python bench/search.py --documents 200000                 # SQLite in a temporary folder
    .venv/bin/python bench/search.py --keep                              # keep the folder, then:
    .venv/bin/python bench/search.py --data-dir /tmp/bascule-bench-XXXX --explain

Promise (issue): search p95 at most 300 ms on PostgreSQL with 10,000 people, 300 spaces and
1,000,000 posts and comments.

Builds the organisation with `bascule demo --people 10000 --spaces 300` (its spaces,
audiences and memberships are the permission world; it writes a few thousand posts), then
adds posts and comments in bulk until the index holds ``--documents`` of them: rows of
``network_post`` (the permission filter and the result links need them) and
``search_searchdocument`` written with COPY on PostgreSQL (the GIN index dropped and rebuilt
around it), ``executemany`` on SQLite (the FTS5 triggers fill the full-text table). Comments
exist only as search documents: nothing on the search page reads the comment table.

Texts are one to four sentences drawn from a few hundred French and English ones with
Zipf-like weights (a handful of words are in a large share of the documents), plus now and
then a rarer word (client and place names from a Zipf-weighted vocabulary of 30,000), so
that there are very common, common, rare and absent words to search. Everything comes from
``--seed``: the same seed gives the same corpus and the same requests.

Then logs in as the demo account with Django's test Client and times ~150 GET /search/
requests: common, medium and rare words, two words, prefixes, accented and unaccented
forms, no result, filters (space, kind, author, dates) and later pages. Prints p50, p95 and
max, the figures per kind of request, and the slowest requests with their SQL query count;
`--explain` adds the SQL and EXPLAIN ANALYZE of their search queries. An existing corpus
of the same size is reused. Record results in docs/benchmarks.md.
"""

import argparse
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, percentile, print_slowest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BASCULE = str(ROOT / ".venv" / "bin" / "bascule")
POST_SHARE = 0.4  # of the documents added: posts; the rest are comments
PROFILE_POST_SHARE = 0.02  # of the posts: on a profile rather than in a space
START = datetime(2023, 1, 1, tzinfo=dt_timezone.utc)
SPAN = timedelta(days=3 * 365)

FRENCH = {
    "templates": (
        "Réunion d'équipe demain matin pour faire le point sur {s}.",
        "Merci à tous pour votre participation à {s}, c'était un vrai succès.",
        "Quelqu'un a des nouvelles concernant {s} ?",
        "Petit rappel : la date limite pour {s} approche.",
        "Je partage le compte rendu de la réunion sur {s}.",
        "Nous cherchons des volontaires pour {s}, n'hésitez pas à vous inscrire.",
        "Bravo à l'équipe projet pour le travail sur {s} !",
        "Le planning de {s} a été mis à jour dans le dossier partagé.",
        "Est-ce que quelqu'un sait qui s'occupe de {s} sur le site ?",
        "Les résultats de l'enquête sur {s} sont disponibles.",
        "Une formation sur {s} est prévue le mois prochain.",
        "Attention, {s} est reporté à la semaine prochaine.",
        "Vous trouverez la présentation sur {s} en pièce jointe.",
        "Le comité de direction a validé le budget pour {s}.",
        "Retour d'expérience très positif sur {s}, à refaire.",
        "Nouvelle procédure pour {s} : merci de la lire avant vendredi.",
        "Des idées pour améliorer {s} ? Vos suggestions sont les bienvenues.",
        "Félicitations aux gagnants du challenge sur {s}.",
        "La visio sur {s} commence dans dix minutes.",
        "Je serai absent la semaine prochaine, contactez Julie pour {s}.",
    ),
    "subjects": (
        "le projet Atlas", "le séminaire annuel", "la migration des données", "le télétravail",
        "l'audit qualité", "la cantine", "le plan de formation", "les objectifs du trimestre",
        "le salon de Lyon", "la sécurité informatique", "le déménagement des bureaux",
        "la démarche RSE", "le recrutement des stagiaires", "l'entretien annuel",
        "la course solidaire", "le nouveau CRM", "les congés d'été", "la boîte à idées",
        "les événements de fin d'année", "l'intelligence artificielle",
    ),
}
ENGLISH = {
    "templates": (
        "Team meeting tomorrow morning to review {s}.",
        "Thanks everyone for joining {s}, it was a great success.",
        "Does anyone have an update on {s}?",
        "Quick reminder: the deadline for {s} is coming up.",
        "Sharing the minutes of the meeting about {s}.",
        "We are looking for volunteers for {s}, please sign up.",
        "Well done to the project team for the work on {s}!",
        "The schedule for {s} has been updated in the shared folder.",
        "Who is in charge of {s} on site?",
        "The survey results on {s} are available.",
        "A training session on {s} is planned next month.",
        "Heads up: {s} is postponed to next week.",
        "Please find attached the slides about {s}.",
        "The leadership team approved the budget for {s}.",
        "Very positive feedback on {s}, let's do it again.",
        "New process for {s}: please read it before Friday.",
    ),
    "subjects": (
        "the Atlas project", "the annual kick-off", "the data migration", "remote work",
        "the quality audit", "the canteen", "the training plan", "this quarter's targets",
        "the Frankfurt trade fair", "IT security", "the office move", "the CSR programme",
        "the internship hiring", "the annual review", "the charity run", "the new CRM",
        "summer holidays", "the idea box", "the end-of-year events", "artificial intelligence",
    ),
}
SYLLABLES = "ka lo ri ven tor mi sa bel dor ni qua zen fa ru mé lé bra cor tis gal".split()


class Corpus:
    """Deterministic texts: sentences with Zipf-like weights, and rare names."""

    def __init__(self, seed: int):
        from bascule.search.text import terms_of

        rng = random.Random(seed)
        sentences = []
        for language in (FRENCH, ENGLISH):
            for template in language["templates"]:
                for subject in language["subjects"]:
                    sentences.append(template.format(s=subject))
        rng.shuffle(sentences)
        self.sentences = sentences
        self.sentence_terms = [terms_of(s) for s in sentences]
        # Zipf: the sentence of rank r is drawn with weight 1 / r.
        self.sentence_weights = list(_cumulative([1 / rank for rank in range(1, len(sentences) + 1)]))
        names = set()
        while len(names) < 30_000:
            names.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize())
        self.names = sorted(names)
        rng.shuffle(self.names)
        self.name_weights = list(_cumulative([1 / rank for rank in range(1, len(self.names) + 1)]))
        self.name_terms = {}
        self.terms_of = terms_of

    def text(self, rng: random.Random) -> tuple[str, str]:
        """A document's text and its terms."""
        picks = rng.choices(range(len(self.sentences)), cum_weights=self.sentence_weights, k=rng.randint(1, 4))
        text = " ".join(self.sentences[i] for i in picks)
        terms = " ".join(self.sentence_terms[i] for i in picks)
        if rng.random() < 0.3:
            name = rng.choices(self.names, cum_weights=self.name_weights)[0]
            if name not in self.name_terms:
                self.name_terms[name] = self.terms_of(name)
            text += f" Contact : {name}."
            terms += " contact " + self.name_terms[name]
        return text, terms

    def title(self, rng: random.Random) -> str:
        language = rng.choice((FRENCH, ENGLISH))
        return rng.choice(language["subjects"]).capitalize() if rng.random() < 0.5 else ""


def _cumulative(values):
    total = 0.0
    for value in values:
        total += value
        yield total


def corpus_add(count: int, seed: int, *, comment_rows: bool = False, end: datetime | None = None,
               span: timedelta = SPAN, authors_from_members: bool = False) -> None:
    """Add ``count`` posts and comments (and their search documents) to the database.

    By default (the search benchmark) posts are spread over ``START`` + ``SPAN``, authors
    are anyone, and comments exist only as search documents. The network benchmark asks
    for ``comment_rows`` (real ``network_comment`` rows, a sixth of them replies, with the
    same ids in the index), a window ending at ``end``, authors drawn among the active
    members of the space (busiest spaces first) and a share of questions.
    """
    from django.db import connection, transaction

    from bascule.network.models import Comment, Membership, Post, Space
    from bascule.people.models import Person
    from bascule.search.models import SearchDocument

    rng = random.Random(seed)
    corpus = Corpus(seed)
    start = end - span if end is not None else START
    people = sorted(Person.objects.filter(departed_on__isnull=True).values_list("pk", flat=True))
    members: dict[int, list[int]] = {}
    if authors_from_members:
        for space, person in (
            Membership.objects.filter(status="active", person__departed_on__isnull=True)
            .order_by("space", "person").values_list("space", "person")
        ):
            members.setdefault(space, []).append(person)
        # Busy spaces are the big ones.
        spaces = sorted(Space.objects.values_list("pk", flat=True), key=lambda pk: (-len(members.get(pk, ())), pk))
    else:
        spaces = sorted(Space.objects.values_list("pk", flat=True))
    # Busy spaces and quiet ones.
    space_weights = list(_cumulative([1 / math.sqrt(rank) for rank in range(1, len(spaces) + 1)]))
    next_post = (Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    if comment_rows:
        next_comment = (Comment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    else:
        next_comment = (
            SearchDocument.objects.filter(kind="comment").order_by("-object_id").values_list("object_id", flat=True).first() or 0
        ) + 1_000_000
    posts_count = int(count * POST_SHARE)
    comments_count = count - posts_count
    postgresql = connection.vendor == "postgresql"
    began = time.perf_counter()
    post_rows, comment_table_rows, document_rows, post_space = [], [], [], {}
    post_times = []
    for n in range(posts_count):
        pk = next_post + n
        created = start + span * (n / posts_count) + timedelta(seconds=rng.randint(0, 3600))
        space = None if rng.random() < PROFILE_POST_SHARE else rng.choices(spaces, cum_weights=space_weights)[0]
        author = rng.choice(members.get(space) or people)
        body, body_terms = corpus.text(rng)
        title = corpus.title(rng)
        kind, due = "discussion", None
        if authors_from_members and space is not None and rng.random() < 0.08:
            kind, due = "question", created + timedelta(days=2)
        post_rows.append((pk, kind, title, body, f"<p>{escape(body)}</p>", created, author, space, False, due))
        document_rows.append(("post", pk, created, title, body, corpus.terms_of(title), body_terms, author, pk, space))
        post_space[pk] = space
        post_times.append(created)
    last_top_level: dict[int, int] = {}
    for n in range(comments_count):
        # Comments go to recent posts mostly: a post is discussed the days after it.
        index = min(posts_count - 1, int(posts_count * (n / comments_count)) + rng.randint(0, 50))
        post = next_post + index
        created = post_times[index] + timedelta(minutes=rng.randint(1, 60 * 24 * 3))
        if end is not None:
            created = min(created, end)
        author = rng.choice(members.get(post_space[post]) or people)
        body, body_terms = corpus.text(rng)
        pk = next_comment + n
        if comment_rows:
            parent = last_top_level.get(post) if rng.random() < 0.17 else None
            if parent is None:
                last_top_level[post] = pk
            comment_table_rows.append((pk, post, author, parent, body, f"<p>{escape(body)}</p>", created))
        document_rows.append(("comment", pk, created, "", body, "", body_terms, author, post, post_space[post]))
    print(f"  {count:,} texts generated in {time.perf_counter() - began:.1f} s")
    began = time.perf_counter()
    post_columns = ["id", "kind", "title", "body", "body_html", "created_at", "author_id", "space_id",
                    "requires_confirmation", "due_at"]
    comment_columns = ["id", "post_id", "author_id", "parent_id", "body", "body_html", "created_at"]
    document_columns = [
        "kind", "object_id", "created_at", "title", "body", "title_terms", "body_terms", "author_id", "post_id", "space_id",
    ]
    tables = [("network_post", post_columns, post_rows, 5)]
    if comment_rows:
        tables.append(("network_comment", comment_columns, comment_table_rows, 6))
    tables.append(("search_searchdocument", document_columns, document_rows, 2))
    if postgresql:
        with transaction.atomic(), connection.cursor() as cursor:
            for kind in GIN_KINDS:
                cursor.execute(f"DROP INDEX IF EXISTS search_document_vector_{kind}")
            for table, columns, rows, _at in tables:
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            for table in ("network_post", "network_comment"):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        print(f"  COPY: {time.perf_counter() - began:.1f} s")
        # After the commit: the deferred foreign-key checks forbid CREATE INDEX before it.
        gin_index_create()
    with transaction.atomic(), connection.cursor() as cursor:
        if not postgresql:
            adapt = connection.ops.adapt_datetimefield_value
            for table, columns, rows, at in tables:
                marks = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
                for start_row in range(0, len(rows), 20_000):
                    batch = [(*r[:at], adapt(r[at]), *r[at + 1 :]) for r in rows[start_row : start_row + 20_000]]
                    if table == "network_post":
                        batch = [(*r[:9], adapt(r[9])) for r in batch]
                    cursor.executemany(sql, batch)
            print(f"  INSERT (FTS5 triggers included): {time.perf_counter() - began:.1f} s")
    if comment_rows:
        # Questions answered by the new comments, as the actions record it.
        from bascule.network.actions import answered_refresh

        answered_refresh()
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if postgresql else "ANALYZE")
    print(f"  VACUUM/ANALYZE: {time.perf_counter() - began:.1f} s")


# The full-text indexes of migration search.0004: one per kind of document.
GIN_KINDS = ("post", "comment", "person", "space")


def gin_index_create() -> None:
    """The full-text indexes of migration search.0004, built in one go (dropped for COPY)."""
    from django.db import connection

    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for kind in GIN_KINDS:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS search_document_vector_{kind} ON search_searchdocument "
                f"USING gin (vector) WHERE kind = '{kind}'"
            )
    print(f"  GIN index: {time.perf_counter() - began:.1f} s")


def search_requests(seed: int) -> list[tuple[str, dict]]:
    """150 (kind, GET parameters) pairs, the same for the same seed."""
    from bascule.network.models import Space
    from bascule.people.models import Person

    rng = random.Random(seed)
    corpus = Corpus(seed)
    # Document frequencies from a sample of the same generator (not the database: cheaper).
    sample_rng = random.Random(seed + 1)
    frequency = {}
    for _ in range(5000):
        text, _terms = corpus.text(sample_rng)
        for word in {w.lower().strip(".,:;!?'") for w in text.split()}:
            frequency[word] = frequency.get(word, 0) + 1
    words = sorted(w for w in frequency if len(w) >= 4 and w.isalpha())
    # Sorted with the word as a tie-break: set and dict orders of strings vary between runs.
    common = sorted((w for w in words if frequency[w] > 500), key=lambda w: (-frequency[w], w))  # > 10 %
    medium = sorted(w for w in words if 25 <= frequency[w] <= 250)  # 0.5–5 %
    rare_names = corpus.names[2000:20000]  # drawn a few times in a million
    spaces = sorted(Space.objects.values_list("pk", flat=True))[:40]
    authors = sorted(Person.objects.values_list("pk", flat=True))[:200]
    print(f"Common words (share of documents): {', '.join(f'{w} {frequency[w] / 50:.0f} %' for w in common[:8])}")
    requests = []

    def add(kind, count, make):
        for _ in range(count):
            requests.append((kind, make()))

    add("common word", 20, lambda: {"q": rng.choice(common)})
    add("common word, page 2-5", 6, lambda: {"q": rng.choice(common), "page": rng.randint(2, 5)})
    add("medium word", 20, lambda: {"q": rng.choice(medium)})
    add("rare word", 20, lambda: {"q": rng.choice(rare_names)})
    add("two words", 20, lambda: {"q": f"{rng.choice(common + medium)} {rng.choice(medium)}"})
    add("two common words", 6, lambda: {"q": f"{rng.choice(common)} {rng.choice(common)}"})
    add("prefix", 12, lambda: {"q": rng.choice(common + medium)[:4]})
    add("accented / unaccented", 10, lambda: {"q": rng.choice(["réunion", "reunion", "événements", "evenement", "sécurité", "securite", "équipe", "equipe", "déménagement", "congés"])})
    add("no result", 8, lambda: {"q": rng.choice(["zzyzx", "qwertyuiop", "xylophonist", "blorft"]) + str(rng.randint(1, 99))})
    add("word + space", 10, lambda: {"q": rng.choice(common + medium), "space": rng.choice(spaces)})
    add("word + kind", 8, lambda: {"q": rng.choice(common + medium), "kind": rng.choice(["post", "comment", "person", "space"])})
    add("word + dates", 6, lambda: {"q": rng.choice(common), "since": "2025-06-01", "until": "2025-09-30"})
    add("author only", 4, lambda: {"author": rng.choice(authors)})
    rng.shuffle(requests)
    return requests


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=1_000_000, help="Posts and comments in the index.")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--spaces", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="Default: a fresh SQLite file in a temporary folder.")
    parser.add_argument("--data-dir", help="Reuse this BASCULE_DATA_DIR (from an earlier --keep).")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder and print its path.")
    parser.add_argument("--explain", action="store_true", help="Print the SQL and plans of the slowest requests.")
    parser.add_argument("--sample", type=int, default=1, help="Time one request in N only (slow versions).")
    arguments = parser.parse_args()

    folder = Path(arguments.data_dir or tempfile.mkdtemp(prefix="bascule-bench-"))
    os.environ["BASCULE_DATA_DIR"] = str(folder)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bascule.settings"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.pop("DATABASE_URL", None)
    if arguments.database_url:
        os.environ["DATABASE_URL"] = arguments.database_url

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bascule.people.models import Person, User
    from bascule.search.models import SearchDocument

    database = f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else ''}"
    call_command("migrate", verbosity=0)
    if not Person.objects.exists():
        connection.close()
        began = time.perf_counter()
        subprocess.run(
            [BASCULE, "demo", "--people", str(arguments.people), "--spaces", str(arguments.spaces),
             "--posts-and-comments", "5000", "--seed", str(arguments.seed)],
            env=os.environ, check=True,
        )
        print(f"bascule demo --people {arguments.people} --spaces {arguments.spaces}: {time.perf_counter() - began:.1f} s")
    documents = SearchDocument.objects.filter(kind__in=["post", "comment"]).count()
    if documents < arguments.documents * 0.99:
        print(f"Adding {arguments.documents - documents:,} posts and comments")
        corpus_add(arguments.documents - documents, arguments.seed)
    if connection.vendor == "postgresql":
        gin_index_create()  # in case an earlier build stopped between COPY and index
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version()")
            database = cursor.fetchone()[0].split(" on ")[0]

    from bascule.demo.organisation import DEMO_LOGIN_EMAIL

    client = Client()
    client.force_login(User.objects.get(email=DEMO_LOGIN_EMAIL))
    requests = search_requests(arguments.seed)
    requests = requests[:: arguments.sample]
    for _, parameters in requests[:3]:  # warm caches and connections; not counted
        client.get("/search/", parameters)

    timings, search_sql = [], []
    for kind, parameters in requests:
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            response = client.get("/search/", parameters)
            elapsed = (time.perf_counter() - began) * 1000
        if response.status_code != 200:
            print(f"GET /search/ {parameters} answered {response.status_code}", file=sys.stderr)
            return 1
        timings.append((elapsed, kind, parameters))
        # The search's own SQL, apart from what every page runs (session, menus, counters).
        search_sql.append(sum(float(q["time"]) * 1000 for q in queries.captured_queries if "search_searchdocument" in q["sql"]))

    values = [t for t, _, _ in timings]
    by_kind = {}
    for elapsed, kind, _ in timings:
        by_kind.setdefault(kind, []).append(elapsed)
    counts = dict(SearchDocument.objects.order_by().values_list("kind").annotate(n=django.db.models.Count("pk")))
    print(f"Machine: {machine()}, load average {os.getloadavg()[0]:.1f}")
    print(f"Database: {database}; documents: {counts}; people: {Person.objects.count():,}")
    print(f"Search, {len(values)} requests: p50 {percentile(values, 0.5):.1f} ms, "
          f"p95 {percentile(values, 0.95):.1f} ms, max {max(values):.1f} ms")
    print(f"  of which search SQL: p50 {percentile(search_sql, 0.5):.1f} ms, "
          f"p95 {percentile(search_sql, 0.95):.1f} ms, max {max(search_sql):.1f} ms")
    for kind, kind_values in sorted(by_kind.items()):
        print(f"  {kind:24} n={len(kind_values):3}  p50 {percentile(kind_values, 0.5):7.1f}  max {max(kind_values):7.1f} ms")
    print_slowest(client, "/search/", timings, table="search_searchdocument", explain=arguments.explain, count=6)
    if arguments.keep or arguments.data_dir:
        print(f"Kept: {folder}")
    elif not arguments.database_url:
        import shutil

        connection.close()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
