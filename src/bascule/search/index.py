"""Keeping the search index in step with content. Called by actions and loaders, inside
their transaction, so that what is found is what exists."""

from django.db import models


def index_update(obj: models.Model) -> None:
    """(Re)index ``obj`` (a post, comment, person or space) after it was created or changed."""


def index_remove(obj: models.Model) -> None:
    """Drop ``obj`` from the index (deleted, hidden)."""
