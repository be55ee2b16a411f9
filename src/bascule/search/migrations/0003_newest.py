"""An index to read the newest matches first (queries.RESULT_LIMIT). Adding an index does
not rebuild the table on SQLite: the FTS5 triggers of 0002 stay (see models.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(fields=["created_at", "id"], name="search_document_newest"),
        ),
    ]
