"""PostgreSQL: one full-text (GIN) index per kind of document instead of one for all.

A search asks for the newest matches of each kind (queries.py): with one index for all
kinds, each kind's subquery read the whole posting list of its words (70–150 ms for a word
in a tenth of a million documents) and then the heap rows of every other kind's matches
too. A partial index per kind holds that kind's documents only: the people's and spaces'
subqueries read ten thousand documents, not a million. SQLite: nothing (FTS5).
"""

from django.db import migrations

KINDS = ("post", "comment", "person", "space")

FORWARD = [
    *(
        f"CREATE INDEX IF NOT EXISTS search_document_vector_{kind} ON search_searchdocument "
        f"USING gin (vector) WHERE kind = '{kind}'"
        for kind in KINDS
    ),
    "DROP INDEX IF EXISTS search_document_vector",
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS search_document_vector ON search_searchdocument USING gin (vector)",
    *(f"DROP INDEX IF EXISTS search_document_vector_{kind}" for kind in KINDS),
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_newest")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
