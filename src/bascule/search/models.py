"""The search index: one row per post, comment, person and space that can be found.

The row keeps the plain text shown in results (``title``, ``body``) and the terms searched
(``title_terms``, ``body_terms``, see ``text.py``). The database's full-text machinery is
added by migration ``0002_fulltext`` and is not visible to Django:

- SQLite: an FTS5 table ``search_fts`` over the two term columns (external content: it
  reads this table), kept in step by triggers on this table, so that every insert, update
  and delete — including the deletes cascading from a post or a space — reaches it in the
  same transaction;
- PostgreSQL: a generated ``tsvector`` column ``vector`` (title terms weighted A, body
  terms B) with a GIN index.

Who may see a row is never stored here: ``access.visible_search_documents`` decides at
query time from the post, space or person the row is about.

Careful: on SQLite, a migration that alters this model makes Django rebuild the table,
which drops the triggers. Such a migration must run ``0002_fulltext``'s SQL again.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    POST = "post", _("Posts")
    COMMENT = "comment", _("Comments")
    PERSON = "person", _("People")
    SPACE = "space", _("Spaces")


class SearchDocument(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices)
    # The primary key of the post, comment, person or space.
    object_id = models.BigIntegerField(_("object id"))
    # Posts and comments: the post (itself, or the one commented). Visibility is the post's.
    post = models.ForeignKey(
        "network.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Posts and comments: the post's space (empty on a profile). Spaces: the space itself.
    space = models.ForeignKey(
        "network.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Posts and comments: who wrote them. Empty for people and spaces.
    author = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Plain text, Markdown stripped: what results show, highlighted.
    title = models.CharField(_("title"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    # Folded and stemmed terms: what is searched.
    title_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")]
        # The newest matches of a kind for a word found everywhere are read backwards along
        # the first index, stopping after RESULT_LIMIT + 1 (queries.py), rather than sorting
        # every match; the kind first, so that the walk reads no document of another kind.
        # The second one narrows the matches of a less common word to a recent period
        # (PostgreSQL combines it with the full-text index: queries._recent_since).
        indexes = [
            models.Index(fields=["kind", "created_at", "id"], name="search_document_kind_newest"),
            models.Index(fields=["created_at", "id"], name="search_document_newest"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}"
