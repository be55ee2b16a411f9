"""The space page lists a space's posts pinned first, then newest first, a page at a time
(``queries.space_posts``). On PostgreSQL this index gives that order directly, so the page
reads 20 rows instead of sorting every post of the space, and its INCLUDE columns let the
page count (and the visibility tests) read the index alone. SQLite does not accept
NULLS LAST in an index, and its spaces are small: nothing there."""

from django.db import migrations

INDEX = "network_post_space_page"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON network_post "
            "(space_id, pinned_at DESC NULLS LAST, created_at DESC, id DESC) INCLUDE (author_id, deleted_at, publish_at)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0007_perf_post_newest_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
