"""Version numbers in the shared cache, for cached answers that must be recomputed when
something changes elsewhere: a reader stores its answer with the version it read first,
and an action bumps the version (moderation's navigation counts, the header's unread
counts)."""

from django.core.cache import cache
from django.utils import timezone


def version_bump(key: str) -> None:
    """Change the version under ``key``. When it is not in the cache (never bumped, or
    evicted), any value unlike the ones seen before does: the current time."""
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, timezone.now().timestamp(), None)
