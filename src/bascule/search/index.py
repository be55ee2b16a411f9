"""Keeping the search index in step with content. Called by actions and loaders, inside
their transaction, so that what is found is what exists.

- ``index_update(obj)``: (re)index a post, comment, person or space after it was created
  or changed (a deleted post or comment is removed instead);
- ``index_remove(obj)``: drop it (deleted, hidden);
- ``index_rebuild(kinds=…, ids=…)``: bulk, for loaders and ``bascule search rebuild``.

The functions live in ``search/actions.py``, where writes belong (STYLE.md); this module is
the stable name the other apps import.
"""

from .actions import index_rebuild, index_remove, index_update

__all__ = ["index_rebuild", "index_remove", "index_update"]
