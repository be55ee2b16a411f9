"""Feeds: lists of posts, newest first, read page by page with a cursor.

A cursor is the (created_at, id) of the last post shown: the next page is the posts
strictly before it in that order. Unlike page numbers, a cursor does not skip or repeat
posts when new ones arrive while a person scrolls, and the query stays an index range
scan however deep one reads.
"""

import datetime
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

FEED_PAGE_SIZE = 20
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _micros(moment: datetime.datetime) -> int:
    return (moment - _EPOCH) // datetime.timedelta(microseconds=1)


def cursor_encode(created_at: datetime.datetime, pk: int, pinned_at: datetime.datetime | None = None) -> str:
    cursor = f"{_micros(created_at)}-{pk}"
    return f"{cursor}-{_micros(pinned_at)}" if pinned_at is not None else cursor


def cursor_decode(cursor: str | None) -> tuple[datetime.datetime, int, datetime.datetime | None] | None:
    """(created_at, id, pinned_at or None) from a cursor; None for a missing or malformed
    one (first page)."""
    try:
        parts = [int(part) for part in (cursor or "").split("-")]
        if len(parts) not in (2, 3):
            return None
        moments = [_EPOCH + datetime.timedelta(microseconds=micros) for micros in parts[::2]]
        return moments[0], parts[1], moments[1] if len(moments) > 1 else None
    except (ValueError, OverflowError):
        return None


@dataclass
class FeedPage:
    posts: list
    next_cursor: str | None


def cursor_page(posts: QuerySet, cursor: str | None, *, size: int = FEED_PAGE_SIZE, pinned_first: bool = False) -> FeedPage:
    """The page of ``posts`` after ``cursor`` (newest first; with ``pinned_first``, the
    pinned posts first, most recently pinned first), in one query: no count, whatever
    the number of posts."""
    older = ("-created_at", "-pk")
    posts = posts.order_by(F("pinned_at").desc(nulls_last=True), *older) if pinned_first else posts.order_by(*older)
    after = cursor_decode(cursor)
    if after is not None:
        created_at, pk, pinned_at = after
        condition = Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk)
        if pinned_first:
            if pinned_at is None:  # past the pinned posts
                condition &= Q(pinned_at__isnull=True)
            else:
                condition = Q(pinned_at__lt=pinned_at) | Q(pinned_at__isnull=True) | (Q(pinned_at=pinned_at) & condition)
        posts = posts.filter(condition)
    rows = list(posts[: size + 1])
    next_cursor = None
    if len(rows) > size:
        last = rows[size - 1]
        next_cursor = cursor_encode(last.created_at, last.pk, last.pinned_at if pinned_first else None)
    return FeedPage(rows[:size], next_cursor)


# ---------------------------------------------------------------------------------------
# What the feeds hold. Each is one queryset over ``access.visible_posts``: nothing here
# decides who may read what.
# ---------------------------------------------------------------------------------------

from django.db.models import Count, Exists, OuterRef  # noqa: E402

from bascule.access import space_ids, visible_people, visible_posts, visible_spaces  # noqa: E402
from bascule.people.models import Person  # noqa: E402

from .models import (  # noqa: E402
    Follow,
    JoinPolicy,
    MembershipStatus,
    PostKind,
    PostTag,
    Visibility,
)
from .queries import with_counts  # noqa: E402


def home_posts(viewer: Person) -> QuerySet:
    """My home feed: posts of my active spaces and of the spaces I follow, posts by the
    colleagues I follow (in spaces I may read, or on their profile), posts with a tag I
    follow, my own posts, and the announcements of every space I may read (public spaces
    of my audience and mine: the announcements meant for me). Newest first."""
    follows = Follow.objects.filter(follower=viewer)
    mine = Q(space_id__any_of=space_ids(viewer).member)
    followed_spaces = Q(space__in=follows.filter(space__isnull=False).values("space"))
    followed_people = Q(author__in=follows.filter(person__isnull=False).values("person"))
    followed_tags = Exists(
        PostTag.objects.filter(post=OuterRef("pk"), tag__in=follows.filter(tag__isnull=False).values("tag"))
    )
    announcements = Q(kind=PostKind.ANNOUNCEMENT, space__isnull=False)
    posts = visible_posts(viewer).filter(mine | followed_spaces | followed_people | followed_tags | announcements | Q(author=viewer))
    return with_counts(posts).select_related("author", "space")


def profile_posts(viewer: Person, person: Person) -> QuerySet:
    """What ``person`` wrote that ``viewer`` may read: their profile posts and their posts
    in spaces ``viewer`` may read."""
    return with_counts(visible_posts(viewer).filter(author=person)).select_related("author", "space")


def spaces_to_join(viewer: Person, *, limit: int = 5) -> list:
    """Open or on-request spaces of my audience that I have not joined, busiest first (the
    empty feed suggests them; private spaces show no count, like the directory)."""
    return list(
        visible_spaces(viewer)
        .filter(archived_at__isnull=True, visibility__in=[Visibility.PUBLIC, Visibility.PRIVATE])
        .filter(join_policy__in=[JoinPolicy.OPEN, JoinPolicy.REQUEST])
        .exclude(memberships__person=viewer, memberships__status__in=[MembershipStatus.ACTIVE, MembershipStatus.REQUESTED])
        .annotate(
            members=Count("memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE), distinct=True)
        )
        .order_by("-members", "name")[:limit]
    )


def colleagues_to_follow(viewer: Person, *, limit: int = 6) -> list[Person]:
    """Colleagues of my site (else of my department) I do not follow yet."""
    people = visible_people(viewer).filter(departed_on__isnull=True).exclude(pk=viewer.pk)
    if viewer.site_id:
        people = people.filter(site_id=viewer.site_id)
    elif viewer.department_id:
        people = people.filter(department_id=viewer.department_id)
    else:
        return []
    followed = Follow.objects.filter(follower=viewer, person__isnull=False).values("person")
    return list(people.exclude(pk__in=followed).order_by("display_name", "pk")[:limit])


def follow_state(viewer: Person, *, person=None, space=None, tag=None) -> bool:
    """Whether ``viewer`` follows this colleague, space or tag."""
    targets = {k: v for k, v in {"person": person, "space": space, "tag": tag}.items() if v is not None}
    return Follow.objects.filter(follower=viewer, **targets).exists()
