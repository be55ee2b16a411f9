"""THE authorization module: who may see or do what (DESIGN.md, "one door").

Every surface — pages, feeds, search, API, notifications, e-mails, exports, counts —
asks here. Functions named ``visible_*`` return the querysets of what a person may see;
``may_*`` answer one question; ``access_*`` fetch one object and raise ``Http404`` when the
person may not see it, so that what cannot be seen does not even exist for them.
"""

from django.db.models import QuerySet
from django.http import Http404

from bascule.people.models import Person


def visible_people(viewer: Person | None) -> QuerySet[Person]:
    """The people ``viewer`` may find in the directory: everyone with an account, for
    any signed-in person; nobody for an anonymous visitor."""
    if viewer is None:
        return Person.objects.none()
    return Person.objects.all()


def access_person(viewer: Person | None, person_id: int) -> Person:
    """The person ``person_id`` if ``viewer`` may see their profile, else 404."""
    try:
        return visible_people(viewer).get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may_edit_profile(viewer: Person | None, person: Person) -> bool:
    """People edit their own profile; HR attributes come from the HR import."""
    return viewer is not None and viewer.pk == person.pk and not person.is_departed


# ---------------------------------------------------------------------------------------
# The network: spaces and posts.
#
# Rules (DESIGN.md "one door", issue #3):
# - public spaces are listed and readable to the people of their audience;
# - private spaces are listed (name, purpose) to their audience, content for active members;
# - secret spaces exist only for their active members and the people invited;
# - an active member always sees and reads their space, even after leaving its audience
#   (managers remove members; the audience only filters who may find and join it);
# - archived spaces stay visible and readable, but nobody posts, joins or edits there;
# - departed people and anonymous visitors see nothing.
# Querysets are single SQL queries: conditions are Exists() subqueries, never loops.
# ---------------------------------------------------------------------------------------

from django.db import connection  # noqa: E402
from django.db.models import Exists, OuterRef, Q, Subquery  # noqa: E402

from bascule.network.models import (  # noqa: E402
    MANAGING_ROLES,
    PUBLISHING_ROLES,
    JoinPolicy,
    Membership,
    MembershipStatus,
    Post,
    PostKind,
    Space,
    SpaceAudience,
    SpaceKind,
    Visibility,
)
from bascule.moderation.models import HiddenContent  # noqa: E402


def _is_present(person: Person | None) -> bool:
    return person is not None and person.pk is not None and not person.is_departed


def _in_audience(person: Person) -> Exists:
    """SQL condition on Space: ``person`` is in the space's audience.

    True when the space has no audience row, or when every field it lists holds the
    person's value: there is no listed field for which no row matches the person.
    """
    return SpaceAudience.covers(person, "space")


def _membership_in(person: Person, *statuses: str) -> Exists:
    """SQL condition on Space: ``person`` has a membership with one of ``statuses``."""
    return Exists(Membership.objects.filter(space=OuterRef("pk"), person=person, status__in=statuses))


def readable_spaces_q(person: Person | None) -> Q:
    """The condition on Space behind ``readable_spaces``, to annotate other querysets."""
    if not _is_present(person):
        return Q(pk__in=[])
    return Q(Q(visibility=Visibility.PUBLIC) & _in_audience(person)) | Q(
        _membership_in(person, MembershipStatus.ACTIVE)
    )


def visible_spaces(person: Person | None) -> QuerySet[Space]:
    """The spaces whose existence ``person`` may know: listed in the directory, with name
    and purpose. Public and private spaces of their audience, and any space where they are
    an active member, invited, or waiting for their request to be approved."""
    if not _is_present(person):
        return Space.objects.none()
    listed = Q(visibility__in=[Visibility.PUBLIC, Visibility.PRIVATE]) & Q(_in_audience(person))
    related = Q(
        _membership_in(person, MembershipStatus.ACTIVE, MembershipStatus.INVITED, MembershipStatus.REQUESTED)
    )
    return Space.objects.filter(listed | related)


def readable_spaces(person: Person | None) -> QuerySet[Space]:
    """The spaces whose posts ``person`` may read: public spaces of their audience, and the
    spaces where they are an active member."""
    return Space.objects.filter(readable_spaces_q(person))


# ---------------------------------------------------------------------------------------
# What a person may read, as lists of space ids, asked once per request.
#
# Every list page filters posts, comments, notifications and counts by "in a space I may
# read" and "in a space I manage". As nested subqueries these conditions made each
# queryset slow to build in Python and to plan in PostgreSQL (tens of milliseconds a
# page, several times a page). One query answers both for the request; the posts'
# conditions then test a list of a few hundred ids. The memo lives for one request
# only (``permission_memo``, opened by ``bascule.core.middleware``) and is forgotten as
# soon as a membership, a space, an audience or a person is saved or deleted during the
# request. Outside a request (tasks, commands, tests calling access directly) nothing is
# remembered: each call asks the database.
# ---------------------------------------------------------------------------------------

import contextvars  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from bascule.core.lookups import Ids  # noqa: E402

_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("bascule_access_memo", default=None)


@dataclass(frozen=True)
class SpaceIds:
    """The spaces whose existence a person may know (``visible_spaces``), those whose
    posts they may read (``readable_spaces``), those where they are an active member and
    those they own or manage."""

    visible: Ids
    readable: Ids
    member: Ids
    managed: Ids


@contextmanager
def permission_memo():
    """Remember ``space_ids`` answers and ``visible_posts`` querysets until the block
    ends (one request)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def forget_permissions(**kwargs) -> None:
    """Drop what this request remembered (connected to the saves that change it)."""
    memo = _memo.get()
    if memo:
        memo.clear()


def _forget_on_change() -> None:
    from django.db.models.signals import post_delete, post_save

    for model in (Membership, Space, SpaceAudience, Person):
        for signal in (post_save, post_delete):
            signal.connect(forget_permissions, sender=model, dispatch_uid=f"access-forget-{model.__name__}")


_forget_on_change()


def _request_space_ids(person: Person) -> SpaceIds | None:
    """Within a request (where every page needs them, if only for the header's count),
    the person's space ids, asked once; outside one, None: the caller then asks the
    database about the one space it checks."""
    return space_ids(person) if _memo.get() is not None else None


def space_ids(person: Person) -> SpaceIds:
    """The ids of the spaces ``person`` may know, read and manage (each set within the
    one before: a reader knows the space, a manager is an active member). One query,
    remembered for the request."""
    memo = _memo.get()
    if memo is not None and person.pk in memo:
        return memo[person.pk]
    # One row per space listed to the audience or related to the person: its visibility,
    # whether the person is in its audience, and their membership (a LEFT JOIN: at most
    # one membership per person and space). The rules of ``visible_spaces`` and
    # ``readable_spaces_q`` are then applied to these facts (test_access checks that
    # both give the same spaces for every visibility and relation). Written as SQL: on
    # every page, building it with the ORM cost more than running it.
    quote = connection.ops.quote_name
    in_audience, audience_params = SpaceAudience.covers_sql(person, "space", "s.id")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.id, s.visibility, {in_audience}, m.status, m.role "
            f"FROM {quote(Space._meta.db_table)} s LEFT JOIN {quote(Membership._meta.db_table)} m "
            "ON m.space_id = s.id AND m.person_id = %s "
            "WHERE s.visibility IN (%s, %s) OR m.status IS NOT NULL ORDER BY s.id",
            [*audience_params, person.pk, Visibility.PUBLIC, Visibility.PRIVATE],
        )
        rows = cursor.fetchall()
    visible, readable, member, managed = [], [], [], []
    related = (MembershipStatus.ACTIVE, MembershipStatus.INVITED, MembershipStatus.REQUESTED)
    for pk, visibility, in_audience, status, role in rows:
        active = status == MembershipStatus.ACTIVE
        if (in_audience and visibility in (Visibility.PUBLIC, Visibility.PRIVATE)) or status in related:
            visible.append(pk)
        if (in_audience and visibility == Visibility.PUBLIC) or active:
            readable.append(pk)
        if active:
            member.append(pk)
            if role in MANAGING_ROLES:
                managed.append(pk)
    ids = SpaceIds(Ids(visible), Ids(readable), Ids(member), Ids(managed))
    if memo is not None:
        memo[person.pk] = ids
    return ids


def access_space(person: Person | None, slug_or_id: str | int) -> Space:
    """The space (by slug or id) if ``person`` may know it exists, else 404 — not 403, so
    that a secret or audience-restricted space does not reveal itself."""
    if not _is_present(person):
        raise Http404
    # The rule of ``visible_spaces``: through the request's ids, else asked for this one space.
    known = _request_space_ids(person)
    spaces = Space.objects.all() if known else visible_spaces(person)
    try:
        if isinstance(slug_or_id, int):
            space = spaces.get(pk=slug_or_id)
        else:
            space = spaces.get(slug=slug_or_id)
    except (Space.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if known and space.pk not in known.visible:
        raise Http404
    return space


def _manages(person: Person, space_ref: str) -> Exists:
    """SQL condition: ``person`` is an active owner or manager of the space ``space_ref``
    (an OuterRef path) points to."""
    return Exists(
        Membership.objects.filter(
            space=OuterRef(space_ref), person=person, status=MembershipStatus.ACTIVE, role__in=MANAGING_ROLES
        )
    )


def _hidden_reason() -> Subquery:
    """On Post: why a moderator hid it, or NULL while it is not hidden."""
    return Subquery(HiddenContent.objects.filter(post=OuterRef("pk"), comment__isnull=True).values("reason")[:1])


def _comment_not_hidden_from(person: Person) -> Q:
    """SQL condition on Comment: the same rule as ``_post_not_hidden_from``."""
    hidden = Exists(HiddenContent.objects.filter(comment=OuterRef("pk")))
    allowed = ~Q(hidden) | Q(author=person)
    managed = space_ids(person).managed
    return allowed | Q(post__space_id__any_of=managed) if managed else allowed


from django.utils import timezone  # noqa: E402


def _post_readable_q(person: Person, now, space: Space | None = None) -> Q:
    """SQL condition on Post: ``person`` may read it (the rule of ``visible_posts``):

    - not deleted;
    - in a space they may read, or on the profile of a person they may see;
    - not hidden by a moderator, unless they wrote it (they see it marked as hidden) or
      manage its space (they may restore it). Tested against the (few) hidden posts at
      once — a hashed ``NOT IN`` — rather than row by row: lists filter thousands of posts;
    - out for its readers (not scheduled, or its moment came), unless they wrote it or
      manage its space (they see it coming, marked as scheduled).

    With ``space``, the same rule for the posts of that one space: "a space they may read"
    is then decided here, once, instead of testing each post's space against the list —
    a statement shorter to compile and to plan, whose estimates do not depend on the
    list (with it beside ``space_id = …``, a plan made for any values expected 37 posts
    where the largest space has 11,000, and sorted all of them).
    """

    ids = space_ids(person)
    hidden = HiddenContent.objects.filter(comment__isnull=True).values("post")
    # Conditions that hold for every row are left out rather than sent: the queryset is
    # then cheaper to build, compile and plan (every list page has several).
    author_or_manager = Q(author=person)
    if space is not None:
        if space.pk not in ids.readable:
            return Q(pk__in=[])
        if space.pk in ids.managed:
            return Q(space_id=space.pk, deleted_at__isnull=True)
        where = Q(space_id=space.pk)
    else:
        if ids.managed:
            author_or_manager |= Q(space_id__any_of=ids.managed)
        on_profile = Q(space__isnull=True)
        people = visible_people(person)
        if people.query.has_filters():  # not everyone: the author must be one of them
            on_profile &= Q(author__in=people.values("pk"))
        where = Q(space_id__any_of=ids.readable) | on_profile
    return (
        Q(deleted_at__isnull=True)
        & where
        & (~Q(pk__in=hidden) | author_or_manager)
        & (Q(publish_at__isnull=True) | Q(publish_at__lte=now) | author_or_manager)
    )


def visible_posts(person: Person | None, *, now=None, space: Space | None = None) -> QuerySet[Post]:
    """The posts ``person`` may read (``_post_readable_q``), of ``space`` only when given.
    Each post carries ``hidden_reason``: None, or why a moderator hid it (templates mark
    it for the few who still see it).

    Within a request the queryset is built once per person (and space) and copied for
    each caller (building it cost about 1.5 ms, copying it 0.01): a page asks for it two
    or three times (its list, its question counts, the shared originals). Forgotten with
    the space ids (``forget_permissions``)."""
    if not _is_present(person):
        return Post.objects.none()
    memo = _memo.get() if now is None else None
    if memo is None:
        return _visible_posts(person, now or timezone.now(), space)
    key = ("visible_posts", person.pk, space.pk if space is not None else None)
    if key not in memo:
        memo[key] = _visible_posts(person, timezone.now(), space)
    return memo[key].all()


def _visible_posts(person: Person, now, space: Space | None) -> QuerySet[Post]:
    return Post.objects.filter(_post_readable_q(person, now, space)).annotate(hidden_reason=_hidden_reason())


def access_post(person: Person | None, post_id: int) -> Post:
    """The post ``post_id`` (with its space and author) if ``person`` may read it, else 404."""
    try:
        return visible_posts(person).select_related("space", "author").get(pk=post_id)
    except (Post.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def membership_of(person: Person | None, space: Space) -> Membership | None:
    """``person``'s membership of ``space`` whatever its status, or None."""
    if not _is_present(person):
        return None
    return Membership.objects.filter(space=space, person=person).first()


_UNSET = object()


def _membership(person, space, membership):
    return membership_of(person, space) if membership is _UNSET else membership


def may_read_space(person: Person | None, space: Space, membership=_UNSET) -> bool:
    """Whether ``person`` may read the posts of ``space`` (same rule as readable_spaces).

    ``membership`` may be passed when the caller already fetched it, to save a query."""
    if not _is_present(person):
        return False
    membership = _membership(person, space, membership)
    if membership is not None and membership.is_active:
        return True
    if space.visibility != Visibility.PUBLIC:
        return False
    known = _request_space_ids(person)
    if known:
        return space.pk in known.readable
    return readable_spaces(person).filter(pk=space.pk).exists()


def post_kinds_allowed(person: Person | None, space: Space | None, membership=_UNSET) -> list[str]:
    """The kinds of post ``person`` may publish in ``space`` (None: their own profile).

    Active members of a space that is not archived post discussions and questions.
    Announcements are for owners and managers; in editorial spaces articles are for
    editors, managers and owners, elsewhere for every member. On their profile a person
    posts discussions, questions and articles.
    """
    if not _is_present(person):
        return []
    if space is None:
        return [PostKind.DISCUSSION, PostKind.QUESTION, PostKind.ARTICLE]
    if space.is_archived:
        return []
    membership = _membership(person, space, membership)
    if membership is None or not membership.is_active:
        return []
    kinds = [PostKind.DISCUSSION, PostKind.QUESTION]
    if space.kind != SpaceKind.EDITORIAL or membership.role in PUBLISHING_ROLES:
        kinds.append(PostKind.ARTICLE)
    if membership.role in MANAGING_ROLES or (space.kind == SpaceKind.EDITORIAL and membership.role in PUBLISHING_ROLES):
        kinds.append(PostKind.ANNOUNCEMENT)
    return kinds


def may_post(person: Person | None, space: Space | None, kind: str = PostKind.DISCUSSION, membership=_UNSET) -> bool:
    """Whether ``person`` may publish a post of ``kind`` in ``space`` (see post_kinds_allowed)."""
    return kind in post_kinds_allowed(person, space, membership)


def may_join(person: Person | None, space: Space, membership=_UNSET) -> bool:
    """Whether ``person`` may join ``space`` or ask to join it.

    Open and on-request spaces of the person's audience that are not archived, when the
    person is not already a member or waiting. Invitation-only spaces are joined by
    accepting an invitation (``may_accept_invitation``).
    """
    if not _is_present(person) or space.is_archived:
        return False
    if space.join_policy == JoinPolicy.INVITE or space.visibility == Visibility.SECRET:
        return False
    membership = _membership(person, space, membership)
    if membership is not None and membership.status != MembershipStatus.LEFT:
        return False
    known = _request_space_ids(person)
    if known:
        return space.pk in known.visible
    return visible_spaces(person).filter(pk=space.pk).exists()


def may_accept_invitation(person: Person | None, space: Space, membership=_UNSET) -> bool:
    """Whether ``person`` holds an invitation to ``space`` that they may accept now."""
    if not _is_present(person) or space.is_archived:
        return False
    membership = _membership(person, space, membership)
    return membership is not None and membership.status == MembershipStatus.INVITED


def may_manage(person: Person | None, space: Space, membership=_UNSET) -> bool:
    """Whether ``person`` manages ``space``: approves requests, invites, pins, deletes
    others' posts, archives. Active owners and managers only."""
    if not _is_present(person):
        return False
    membership = _membership(person, space, membership)
    return membership is not None and membership.is_active and membership.role in MANAGING_ROLES


def may_edit_post(person: Person | None, post: Post) -> bool:
    """Authors edit their own posts, while the post and its space are live."""
    if not _is_present(person) or post.deleted_at is not None:
        return False
    if post.space_id is not None and post.space.is_archived:
        return False
    return post.author_id == person.pk


def may_delete_post(person: Person | None, post: Post, membership=_UNSET) -> bool:
    """Authors delete their own posts; the space's managers delete any post in it."""
    if not _is_present(person) or post.deleted_at is not None:
        return False
    if post.space_id is not None and post.space.is_archived:
        return False
    if post.author_id == person.pk:
        return True
    return post.space_id is not None and may_manage(person, post.space, membership)


def may_pin_post(person: Person | None, post: Post, membership=_UNSET) -> bool:
    """The space's managers pin and unpin posts (not on profiles, not when archived)."""
    if post.space_id is None or post.deleted_at is not None or post.space.is_archived:
        return False
    return may_manage(person, post.space, membership)


# ---------------------------------------------------------------------------------------
# Comments, reactions and shares.
#
# Whoever may read a post may comment on it, react to it and share it, while its space is
# not archived: in an editorial space editors publish and members react; in a public
# space a reader who has not joined may still answer a question (the next step must be
# obvious and safe, UI.md). Callers fetched the post through ``access_post``; the checks
# below ask again (one query) because actions may be called from anywhere.
# ---------------------------------------------------------------------------------------

from bascule.network.models import Comment  # noqa: E402


def _post_is_live(post: Post) -> bool:
    return post.deleted_at is None and not (post.space_id is not None and post.space.is_archived)


def may_read_post(person: Person | None, post: Post) -> bool:
    """Whether ``person`` may read ``post`` (same rule as visible_posts)."""
    return _is_present(person) and visible_posts(person).filter(pk=post.pk).exists()


def may_comment(person: Person | None, post: Post) -> bool:
    """Readers of a live post comment on it and react to it."""
    return _is_present(person) and _post_is_live(post) and may_read_post(person, post)


may_react = may_comment


def may_share(person: Person | None, post: Post) -> bool:
    """Readers of a live post share it (into a space where they may post, or their profile)."""
    return may_comment(person, post)


def visible_comments(person: Person | None) -> QuerySet[Comment]:
    """The comments ``person`` may read: not deleted, not hidden by a moderator (except
    for their author and the space's managers), on a post they may read."""
    if not _is_present(person):
        return Comment.objects.none()
    # Each comment's own post is checked (correlated EXISTS): ``post__in`` the visible
    # posts made PostgreSQL hash every post the person may read (a million rows) even to
    # check one comment.
    return (
        Comment.objects.filter(deleted_at__isnull=True)
        .filter(Exists(visible_posts(person).filter(pk=OuterRef("post_id"))))
        .filter(_comment_not_hidden_from(person))
    )


def access_comment(person: Person | None, post: Post, comment_id: int) -> Comment:
    """The comment ``comment_id`` of ``post`` (fetched by the caller through access_post),
    if it is not deleted nor hidden from ``person``, else 404."""
    if not _is_present(person):
        raise Http404
    try:
        return (
            Comment.objects.select_related("author", "parent")
            .filter(_comment_not_hidden_from(person))
            .get(pk=comment_id, post=post, deleted_at__isnull=True)
        )
    except (Comment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may_edit_comment(person: Person | None, comment: Comment) -> bool:
    """Authors edit their own comments while the post and its space are live."""
    return (
        _is_present(person)
        and comment.deleted_at is None
        and _post_is_live(comment.post)
        and comment.author_id == person.pk
    )


def may_delete_comment(person: Person | None, comment: Comment, membership=_UNSET) -> bool:
    """Authors delete their own comments; the space's managers delete any comment in it."""
    if not _is_present(person) or comment.deleted_at is not None or not _post_is_live(comment.post):
        return False
    if comment.author_id == person.pk:
        return True
    return comment.post.space_id is not None and may_manage(person, comment.post.space, membership)


# ---------------------------------------------------------------------------------------
# Notifications: shown, counted, e-mailed and put in digests only while the recipient may
# still read what they are about (a post they may read, and its comment if any, not
# deleted; else a space they may read, or for an invitation a space they may know). One
# SQL query: conditions are subqueries.
# ---------------------------------------------------------------------------------------

from bascule.notify.models import Notification, NotificationKind  # noqa: E402


def visible_notifications(person: Person | None) -> QuerySet[Notification]:
    """The notifications of ``person`` that they may still see. Nothing for a departed
    person; nothing about a post deleted since, or a space they left or may no longer
    read — not listed, not counted, not e-mailed."""
    if not _is_present(person):
        return Notification.objects.none()
    # Each notification's own post is checked by a correlated EXISTS on the request's
    # ``visible_posts`` (built once per request, copied here: building this rule again
    # for the header's unread count was a sixth of a home page's time): one index probe
    # per notification. Asked for every visible post at once (``post_id IN …``),
    # PostgreSQL computed all of them — seconds at 300,000 posts, on every page.
    about_post = Q(post__isnull=False) & Exists(visible_posts(person).filter(pk=OuterRef("post_id")))
    about_space = Q(post__isnull=True, space__isnull=False) & (
        Q(space_id__any_of=space_ids(person).readable)
        | Q(kind=NotificationKind.INVITATION, space_id__any_of=space_ids(person).visible)
    )
    about_nothing = Q(post__isnull=True, space__isnull=True)
    # About a comment or an answer: only while it is not deleted (nor hidden from them).
    # The comment belongs to the notification's post, whose visibility ``about_post``
    # checks: a comment of another post does not count as live (never shown rather than
    # shown wrongly). Checking its post a second time through ``visible_comments`` made
    # the header's count the slowest query of every page to build and to plan.
    comment_live = Q(comment_id__isnull=True) | Exists(
        Comment.objects.filter(pk=OuterRef("comment_id"), post_id=OuterRef("post_id"), deleted_at__isnull=True).filter(
            _comment_not_hidden_from(person)
        )
    )
    return Notification.objects.filter(recipient=person).filter(about_post | about_space | about_nothing).filter(
        comment_live
    )


# ---------------------------------------------------------------------------------------
# Search: a document is found only by the people who may see what it is about.
#
# A post's or comment's document carries the post's space, so the rule of visible_posts
# is applied to the document itself: in a space the person may read, or on a profile
# they may see. Deleted (and hidden) posts and comments are not in the index: the actions
# remove them in the same transaction. Checking each document against the post table
# instead made PostgreSQL hash every visible post — seconds at a million posts — where
# the readable spaces are a few hundred rows, hashed once.
# ---------------------------------------------------------------------------------------

from bascule.search.models import DocumentKind, SearchDocument  # noqa: E402


def visible_search_documents(person: Person | None) -> QuerySet[SearchDocument]:
    """The search documents ``person`` may find: posts and comments of the spaces they may
    read and of the profiles they may see, spaces whose existence they may know (a
    private space's name and purpose, never its posts), and colleagues still with us.
    The spaces are the request's ``space_ids`` lists: the audience and membership
    subqueries, nested in each of a search's statements, cost 28 ms a search."""
    if not _is_present(person):
        return SearchDocument.objects.none()
    ids = space_ids(person)
    in_readable_space = Q(space__isnull=False) & Q(space_id__any_of=ids.readable)
    # A profile document's own post is checked (correlated EXISTS, one index probe for
    # the few documents without a space): listing every visible profile post instead
    # was a hashed subplan of 30–50 ms evaluated in every subquery of a search.
    on_visible_profile = Q(space__isnull=True) & Exists(
        visible_posts(person).filter(space__isnull=True, pk=OuterRef("post_id"))
    )
    about_content = Q(kind__in=[DocumentKind.POST, DocumentKind.COMMENT]) & (in_readable_space | on_visible_profile)
    about_space = Q(kind=DocumentKind.SPACE) & Q(space_id__any_of=ids.visible)
    about_person = Q(kind=DocumentKind.PERSON) & Q(
        object_id__in=visible_people(person).filter(departed_on__isnull=True).values("pk")
    )
    return SearchDocument.objects.filter(about_content | about_space | about_person)


# ---------------------------------------------------------------------------------------
# Questions: the asker or a manager of the space accepts an answer.
# ---------------------------------------------------------------------------------------


def may_accept_answer(person: Person | None, post: Post, membership=_UNSET) -> bool:
    """The asker, or a manager of the question's space, while the question is live."""
    if not _is_present(person) or post.kind != PostKind.QUESTION or not _post_is_live(post):
        return False
    if post.author_id == person.pk:
        return True
    return post.space_id is not None and may_manage(person, post.space, membership)


# ---------------------------------------------------------------------------------------
# Attachments and announcements. A post's files are downloaded by whoever may read the
# post, and by nobody else (404: a file of a secret space does not exist for outsiders).
# A read confirmation is given by readers; who confirmed is seen by the author and the
# space's managers only.
# ---------------------------------------------------------------------------------------

from bascule.network.models import Attachment  # noqa: E402


def access_attachment(person: Person | None, post_id: int, attachment_id: int) -> Attachment:
    """The attachment ``attachment_id`` of the post ``post_id`` if ``person`` may read the
    post, else 404 (a deleted post's files are gone with it)."""
    post = access_post(person, post_id)
    try:
        attachment = Attachment.objects.get(pk=attachment_id, post=post)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    attachment.post = post
    return attachment


def may_confirm_read(person: Person | None, post: Post) -> bool:
    """Readers of a published announcement that asks for it confirm they read it (its
    author does not)."""
    return (
        _is_present(person)
        and post.kind == PostKind.ANNOUNCEMENT
        and post.requires_confirmation
        and post.author_id != person.pk
        and not post.is_scheduled
        and _post_is_live(post)
        and may_read_post(person, post)
    )


def may_see_confirmations(person: Person | None, post: Post, membership=_UNSET) -> bool:
    """Who confirmed an announcement, and how many: its author and the space's managers."""
    if not _is_present(person) or not post.requires_confirmation:
        return False
    if post.author_id == person.pk:
        return True
    return post.space_id is not None and may_manage(person, post.space, membership)


# ---------------------------------------------------------------------------------------
# Moderation. The managers and owners of a space moderate it; platform moderators (the
# ``moderation.moderate_everything`` permission, granted in the admin to an account or a
# group) moderate every space and the posts on profiles, which have no manager. A
# moderator sees what was reported in the queue even when they do not read the space:
# the report is why they look. Hidden content stays visible to its author (marked as
# hidden) and to the space's managers (who may restore it); for everyone else it does
# not exist (visible_posts, visible_comments, access_comment above).
# ---------------------------------------------------------------------------------------

from django.core.exceptions import PermissionDenied  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

MODERATE_EVERYTHING = "moderation.moderate_everything"


def may_moderate_everything(person: Person | None) -> bool:
    """Whether ``person`` is a platform moderator (Django caches the permissions on the
    account, so asking twice in a request costs nothing more)."""
    return _is_present(person) and person.user.is_active and person.user.has_perm(MODERATE_EVERYTHING)


def may_moderate(person: Person | None, space: Space | None, membership=_UNSET) -> bool:
    """Whether ``person`` moderates what is posted in ``space`` (None: on a profile)."""
    if not _is_present(person):
        return False
    if space is not None and may_manage(person, space, membership):
        return True
    return may_moderate_everything(person)


def _managed_spaces(person: Person) -> QuerySet[Membership]:
    return Membership.objects.filter(
        person=person, status=MembershipStatus.ACTIVE, role__in=MANAGING_ROLES
    ).values("space")


def moderated_posts_q(person: Person | None, post_path: str = "post") -> Q:
    """SQL condition on a model whose ``post_path`` leads to a Post: ``person`` moderates
    that post's space. Everything for a platform moderator; nothing for anyone absent."""
    if not _is_present(person):
        return Q(pk__in=[])
    if may_moderate_everything(person):
        return Q()
    return Q(**{f"{post_path}__space__in": _managed_spaces(person)})


def moderated_spaces_q(person: Person | None, space_path: str = "space") -> Q:
    """SQL condition on a model with a space (``space_path``; empty for a profile post):
    ``person`` moderates that space. Everything for a platform moderator."""
    if not _is_present(person):
        return Q(pk__in=[])
    if may_moderate_everything(person):
        return Q()
    return Q(**{f"{space_path}__in": _managed_spaces(person)})


def may_moderate_anything(person: Person | None) -> bool:
    """Whether ``person`` manages a space or is a platform moderator (the navigation entry
    and the queue's door), in one query."""
    if not _is_present(person):
        return False
    from django.contrib.auth.models import Permission

    app_label, codename = MODERATE_EVERYTHING.split(".")
    granted = Permission.objects.filter(content_type__app_label=app_label, codename=codename).filter(
        Q(user=OuterRef("user")) | Q(group__user=OuterRef("user"))
    )
    manages = Membership.objects.filter(person=OuterRef("pk"), status=MembershipStatus.ACTIVE, role__in=MANAGING_ROLES)
    return (
        Person.objects.filter(pk=person.pk, user__is_active=True)
        .filter(Q(Exists(manages)) | Q(user__is_superuser=True) | Q(Exists(granted)))
        .exists()
    )


def may_report(person: Person | None, post: Post, comment: Comment | None = None) -> bool:
    """Readers report what they may read, except their own writing. Callers fetched the
    post through ``access_post`` and the comment through ``access_comment``."""
    if not _is_present(person):
        return False
    author_id = comment.author_id if comment is not None else post.author_id
    return author_id != person.pk and may_read_post(person, post)


def access_moderation_target(person: Person | None, post_id: int, comment_id: int | None = None):
    """The post ``post_id`` (with its space and author), or also its comment
    ``comment_id``, for a moderation act by ``person``: ``(post, comment or None)``.

    404 when the item does not exist, or when ``person`` neither moderates it nor may read
    it (what cannot be seen does not exist); ``PermissionDenied`` when they read it but do
    not moderate it. Deleted and hidden items are found: a moderator restores them and
    closes their reports."""
    if not _is_present(person):
        raise Http404
    try:
        post = Post.objects.select_related("space", "author").get(pk=post_id)
        comment = None
        if comment_id is not None:
            comment = Comment.objects.select_related("author").get(pk=comment_id, post=post)
    except (Post.DoesNotExist, Comment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if may_moderate(person, post.space):
        return post, comment
    readable = visible_comments(person).filter(pk=comment.pk) if comment else visible_posts(person).filter(pk=post.pk)
    if readable.exists():
        raise PermissionDenied(_("Only the managers of this space and the platform moderators may moderate it."))
    raise Http404


# ---------------------------------------------------------------------------------------
# The adoption cockpit: aggregates only, for the holders of the analytics role (over
# their scope) and, for their own space, the space's managers. Never individual stages.
# ---------------------------------------------------------------------------------------


def may_view_cockpit(person: Person | None, space: Space | None = None) -> bool:
    """Whether ``person`` may read the adoption cockpit: of the organisation (or of their
    scope) when they hold the analytics viewer role today; of ``space`` when they manage it
    or hold that role without a scope."""
    if not _is_present(person) or not person.user.is_active:
        return False
    from bascule.programs.models import RoleKind
    from bascule.programs.queries import roles_for

    assignments = list(roles_for(person, RoleKind.ANALYTICS_VIEWER))
    if space is None:
        return bool(assignments)
    return may_manage(person, space) or any(not assignment.scope.all() for assignment in assignments)
