"""Feeds: lists of posts, newest first, read page by page with a cursor.

A cursor is the (created_at, id) of the last post shown: the next page is the posts
strictly before it in that order. Unlike page numbers, a cursor does not skip or repeat
posts when new ones arrive while a person scrolls, and the query stays an index range
scan however deep one reads.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

FEED_PAGE_SIZE = 20
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def cursor_encode(created_at: datetime.datetime, pk: int) -> str:
    return f"{(created_at - _EPOCH) // datetime.timedelta(microseconds=1)}-{pk}"


def cursor_decode(cursor: str | None) -> tuple[datetime.datetime, int] | None:
    """(created_at, id) from a cursor; None for a missing or malformed one (first page)."""
    try:
        micros, pk = (cursor or "").split("-", 1)
        return _EPOCH + datetime.timedelta(microseconds=int(micros)), int(pk)
    except (ValueError, OverflowError):
        return None


@dataclass
class FeedPage:
    posts: list
    next_cursor: str | None


def cursor_page(posts: QuerySet, cursor: str | None, *, size: int = FEED_PAGE_SIZE) -> FeedPage:
    """The page of ``posts`` after ``cursor`` (newest first), in one query."""
    posts = posts.order_by("-created_at", "-pk")
    after = cursor_decode(cursor)
    if after is not None:
        created_at, pk = after
        posts = posts.filter(Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk))
    rows = list(posts[: size + 1])
    next_cursor = cursor_encode(rows[size - 1].created_at, rows[size - 1].pk) if len(rows) > size else None
    return FeedPage(rows[:size], next_cursor)
