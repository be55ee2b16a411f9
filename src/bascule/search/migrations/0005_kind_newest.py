"""An index of the newest documents by kind (queries.py asks for the newest matches of each
kind): walking it for a common word reads no document of another kind. Adding an index does
not rebuild the table on SQLite: the FTS5 triggers of 0002 stay (see models.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("search", "0004_vector_by_kind")]

    operations = [
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(fields=["kind", "created_at", "id"], name="search_document_kind_newest"),
        ),
    ]
