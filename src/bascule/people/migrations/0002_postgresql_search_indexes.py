"""PostgreSQL-only indexes for the directory at 100,000 people.

- A trigram index on search_text serves the directory's `LIKE '%word%'` filters (pg_trgm is
  a trusted extension: the database owner may create it).
- An index on (display_name, id) serves the alphabetical listing without sorting everyone.

SQLite gets neither: its planner would walk a display_name index for rare words instead
of scanning (measured in docs/benchmarks.md), and it has no trigram index.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS person_search_text_trgm ON people_person USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS person_display_name_id ON people_person (display_name, id)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS person_display_name_id",
    "DROP INDEX IF EXISTS person_search_text_trgm",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
