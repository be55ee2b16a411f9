"""Reads about spaces and posts, for pages (and later the API and the feed).

Everything starts from the querysets of ``bascule.access``; nothing here decides who may
see what. List queries fetch what their template shows in a fixed number of queries.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from bascule.access import may_manage, readable_spaces_q, visible_people, visible_posts, visible_spaces
from bascule.moderation.models import HiddenContent
from bascule.people.models import BusinessUnit, Country, Department, LegalEntity, Person, Site, Tag, fold

from .models import (
    IS_QUESTION,
    REACTION_EMOJI,
    Attachment,
    AudienceField,
    Comment,
    Membership,
    MembershipStatus,
    Mention,
    Post,
    PostRevision,
    PostTag,
    Reaction,
    ReactionKind,
    ReadConfirmation,
    Space,
    SpaceKind,
)

AUDIENCE_MODELS = {
    AudienceField.DEPARTMENT: Department,
    AudienceField.BUSINESS_UNIT: BusinessUnit,
    AudienceField.LEGAL_ENTITY: LegalEntity,
    AudienceField.COUNTRY: Country,
    AudienceField.SITE: Site,
}


def _active_members(space: Space | None) -> QuerySet[Membership]:
    """The active memberships of ``space`` (of every space: None) of people still with
    the organisation. The departed are excluded as a list (a hashed NOT IN of a few
    hundred ids, computed once per statement) rather than by joining each member's person
    row: 6 → 3 ms for a space of 3,000 members; for every space at once, the join read
    every person once per space (0.8–1 s for the directory)."""
    departed = Person.objects.filter(departed_on__isnull=False).values("pk")
    members = Membership.objects.filter(status=MembershipStatus.ACTIVE).exclude(person__in=departed)
    return members if space is None else members.filter(space=space)


# Lists of spaces (the directory, the API) show each space's members from one count of
# every space, kept this long in the shared cache: counted live, each space's members cost
# a scan of its memberships — 160 ms for the three hundred spaces of the benchmark.
MEMBER_COUNTS_CACHE_KEY = "network:member-counts"
MEMBER_COUNTS_SECONDS = 60


def member_counts() -> dict[int, int]:
    """{space id: active members still with the organisation}, for every space, in one
    grouped query at most once a minute. Callers show a count only to people who may
    read the space (``with_member_counts``); the space page counts its own live. Counted
    again after a membership or a person is saved (``actions.member_counts_forget``)."""
    counts = cache.get(MEMBER_COUNTS_CACHE_KEY)
    if counts is None:
        rows = _active_members(None).order_by().values_list("space").annotate(n=Count("pk"))
        counts = dict(rows)
        cache.set(MEMBER_COUNTS_CACHE_KEY, counts, MEMBER_COUNTS_SECONDS)
    return counts


def with_member_counts(spaces: list[Space]) -> list[Space]:
    """Set ``member_count`` on spaces from ``space_directory``: None where the viewer may
    not read the space, so that no count of a private space reaches an outsider."""
    counts = member_counts() if any(space.can_read for space in spaces) else {}
    for space in spaces:
        space.member_count = counts.get(space.pk, 0) if space.can_read else None
    return spaces


def space_directory(viewer: Person, *, kind: str = "") -> QuerySet[Space]:
    """The spaces ``viewer`` may know, theirs first, then by name, in one query.

    Each space carries ``my_status`` (the viewer's membership status or None) and
    ``can_read``; ``with_member_counts`` adds the member counts to the spaces listed.
    """
    spaces = visible_spaces(viewer)
    if kind in SpaceKind.values:
        spaces = spaces.filter(kind=kind)
    readable = readable_spaces_q(viewer)
    return spaces.annotate(
        my_status=Subquery(Membership.objects.filter(space=OuterRef("pk"), person=viewer).values("status")[:1]),
        can_read=Case(When(readable, then=Value(True)), default=Value(False), output_field=BooleanField()),
        mine=Case(When(my_status=MembershipStatus.ACTIVE, then=Value(0)), default=Value(1), output_field=IntegerField()),
    ).order_by("mine", "name", "pk")


def my_spaces(viewer: Person) -> QuerySet[Space]:
    """The spaces where ``viewer`` is an active member, by name (for the navigation)."""
    return visible_spaces(viewer).filter(
        memberships__person=viewer, memberships__status=MembershipStatus.ACTIVE
    ).order_by("name")


def space_member_count(space: Space) -> int:
    """Active members of ``space`` still with the organisation (the people a post reaches).
    Callers show it only to people who may read the space."""
    return _active_members(space).count()


def space_posts(viewer: Person, space: Space) -> QuerySet[Post]:
    """The posts of ``space`` that ``viewer`` may read: pinned first, then newest first."""
    return (
        with_counts(visible_posts(viewer, space=space))
        .select_related("author", "space")
        .order_by(F("pinned_at").desc(nulls_last=True), "-created_at", "-pk")
    )


def post_revisions(post: Post) -> QuerySet[PostRevision]:
    """Earlier versions of ``post``, newest first. Callers fetched ``post`` through access."""
    return post.revisions.select_related("editor").order_by("-edited_at", "-pk")


@dataclass
class Members:
    active: list
    requested: list
    invited: list


def space_members(space: Space) -> Members:
    """The people of ``space`` by status, for its managers' page, in one query. People
    who left the organisation are not listed."""
    rows = (
        Membership.objects.filter(space=space, person__departed_on__isnull=True)
        .exclude(status=MembershipStatus.LEFT)
        .select_related("person", "person__department", "person__site")
        .order_by("person__display_name", "pk")
    )
    members = Members([], [], [])
    for membership in rows:
        {
            MembershipStatus.ACTIVE: members.active,
            MembershipStatus.REQUESTED: members.requested,
            MembershipStatus.INVITED: members.invited,
        }[membership.status].append(membership)
    return members


def space_audience_names(space: Space) -> dict[str, list[str]]:
    """The audience of ``space`` in words: {"site": ["Lyon"], …}; empty for everyone."""
    by_field: dict[str, list[int]] = {}
    for field, value in space.audience.values_list("field", "value"):
        by_field.setdefault(field, []).append(value)
    return {
        field: list(AUDIENCE_MODELS[field].objects.filter(pk__in=ids).order_by("name").values_list("name", flat=True))
        for field, ids in by_field.items()
    }


def invitable_person(viewer: Person, email: str) -> Person | None:
    """The colleague with this e-mail address, if any (not departed)."""
    return (
        visible_people(viewer)
        .filter(user__email__iexact=(email or "").strip(), departed_on__isnull=True)
        .first()
    )


# ---------------------------------------------------------------------------------------
# Comments, reactions, shares: what a list or a post page shows around each post.
# ---------------------------------------------------------------------------------------


def _not_hidden() -> Q:
    """SQL condition on Comment: no moderator hid it. Hidden comments count for nobody:
    not in a post's comment count, not as the answer that makes a question answered."""
    return ~Q(Exists(HiddenContent.objects.filter(comment=OuterRef("pk"))))


def live_comments(post: Post) -> QuerySet[Comment]:
    """The comments of ``post`` that count: not deleted, not hidden by a moderator."""
    return Comment.objects.filter(post=post, deleted_at__isnull=True).filter(_not_hidden())


def _live_comment_count() -> Subquery:
    return Subquery(
        Comment.objects.filter(post=OuterRef("pk"), deleted_at__isnull=True)
        .filter(_not_hidden())
        .order_by()
        .values("post")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def with_counts(posts: QuerySet[Post]) -> QuerySet[Post]:
    """``posts`` with ``comment_count`` (comments not deleted nor hidden), in the same query."""
    return posts.annotate(comment_count=_live_comment_count())


@dataclass
class ReactionSummary:
    """The reactions of one post or comment: for each kind, how many and whether I did."""

    kind: str
    label: str
    emoji: str
    count: int = 0
    mine: bool = False


def _reaction_kinds() -> list[tuple[str, str, str]]:
    # Labels translated now, once per list, rather than for each post or each time a
    # template shows them.
    return [(kind, str(label), REACTION_EMOJI[kind]) for kind, label in ReactionKind.choices]


def _reactions_by_target(viewer: Person, posts: list[Post], *, comments: bool) -> dict:
    """{(post_id, comment_id or None): [ReactionSummary, …]} in one query."""
    rows = (
        Reaction.objects.filter(post__in=[p.pk for p in posts])
        .filter(Q(comment__isnull=False) if comments else Q(comment__isnull=True))
        .values("post", "comment", "kind")
        .annotate(n=Count("pk"), mine=Count("pk", filter=Q(person=viewer)))
        .order_by()
    )
    kinds = _reaction_kinds()
    summaries: dict = defaultdict(lambda: [ReactionSummary(kind, label, emoji) for kind, label, emoji in kinds])
    for row in rows:
        for summary in summaries[(row["post"], row["comment"])]:
            if summary.kind == row["kind"]:
                summary.count, summary.mine = row["n"], row["mine"] > 0
    return summaries


def posts_decorate(viewer: Person, posts: list[Post]) -> list[Post]:
    """Attach what a list shows around each post, in a fixed number of queries:

    - ``reactions``: a ReactionSummary per kind;
    - ``shared``: for a share, the original if ``viewer`` may read it, else None (the
      template then says "This post is not available to you", nothing more);
    - ``tag_list``: the post's tags;
    - ``attachment_list``: the post's files, oldest first.
    Posts come from ``visible_posts`` (the caller's queryset), so their counts may be shown.
    """
    posts = list(posts)
    if not posts:
        return posts
    reactions = _reactions_by_target(viewer, posts, comments=False)
    shared_ids = {p.shared_post_id for p in posts if p.shared_post_id}
    originals = {}
    if shared_ids:
        originals = {
            original.pk: original
            for original in visible_posts(viewer).filter(pk__in=shared_ids).select_related("author", "space")
        }
    tags = _tags_by_post([p.pk for p in posts])
    attachments = _attachments_by_post([p.pk for p in posts])
    for post in posts:
        # Pages that mark new posts set ``unread``; elsewhere it is False, not missing (a
        # missing attribute costs a template a dir() of the model instance).
        post.__dict__.setdefault("unread", False)
        post.reaction_summary = reactions[(post.pk, None)]
        post.shared = originals.get(post.shared_post_id)
        post.tag_list = tags.get(post.pk, [])
        post.attachment_list = attachments.get(post.pk, [])
    return posts


def _attachments_by_post(post_ids: list[int]) -> dict[int, list[Attachment]]:
    """{post id: [Attachment, …]} in one query."""
    attachments: dict[int, list[Attachment]] = defaultdict(list)
    for attachment in Attachment.objects.filter(post__in=post_ids).order_by("created_at", "pk"):
        attachments[attachment.post_id].append(attachment)
    return attachments


def _tags_by_post(post_ids: list[int]) -> dict[int, list]:
    """{post id: [Tag, …]} in one query."""
    tags: dict[int, list] = defaultdict(list)
    for post_tag in PostTag.objects.filter(post__in=post_ids).select_related("tag").order_by("tag__name"):
        tags[post_tag.post_id].append(post_tag.tag)
    return tags


@dataclass
class Thread:
    """A top-level comment and its replies. ``comment`` may be a deleted comment kept as a
    placeholder because replies hang under it."""

    comment: Comment
    replies: list = field(default_factory=list)


THREADS_PER_PAGE = 50


def _hidden_reason_of_comment() -> Subquery:
    return Subquery(HiddenContent.objects.filter(comment=OuterRef("pk")).values("reason")[:1])


def post_threads(
    viewer: Person, post: Post, *, after: int | None = None, limit: int | None = None
) -> list[Thread] | tuple[list[Thread], bool]:
    """The comments of ``post`` (fetched through access) as threads, oldest first, with
    their reactions, in three queries whatever the number of comments.

    Deleted comments are left out, except a deleted top-level comment that still has
    replies (shown as deleted, without its text). A comment hidden by a moderator is
    shown to its author and the space's managers (marked); for everyone else it is left
    out, or, at the top of a thread with replies, kept as a placeholder without text or
    author (``hidden_placeholder``).

    With ``limit``, the page is taken in SQL: at most ``limit`` threads whose top-level
    comment comes after the comment ``after`` (None: from the start), and the result is
    ``(threads, has_more)``.
    """
    sees_hidden = post.space_id is not None and may_manage(viewer, post.space)
    live_reply = Comment.objects.filter(parent=OuterRef("pk"), deleted_at__isnull=True).filter(_not_hidden())
    tops = (
        Comment.objects.filter(post=post, parent__isnull=True)
        .annotate(hidden_reason=_hidden_reason_of_comment(), has_replies=Exists(live_reply))
        .filter(Q(deleted_at__isnull=True) | Q(has_replies=True))
        .select_related("author")
        .order_by("created_at", "pk")
    )
    if not sees_hidden:
        tops = tops.filter(Q(hidden_reason__isnull=True) | Q(author=viewer) | Q(has_replies=True))
    if after is not None:
        anchor = Comment.objects.filter(post=post, pk=after).values_list("created_at", flat=True).first()
        if anchor is not None:
            tops = tops.filter(Q(created_at__gt=anchor) | Q(created_at=anchor, pk__gt=after))
        else:
            tops = tops.filter(pk__gt=after)
    top_list = list(tops[: limit + 1] if limit is not None else tops)
    has_more = limit is not None and len(top_list) > limit
    if has_more:
        top_list = top_list[:limit]
    replies = (
        Comment.objects.filter(parent__in=[c.pk for c in top_list], deleted_at__isnull=True)
        .annotate(hidden_reason=_hidden_reason_of_comment())
        .select_related("author")
        .order_by("created_at", "pk")
    )
    if not sees_hidden:
        replies = replies.filter(Q(hidden_reason__isnull=True) | Q(author=viewer))
    reactions = _reactions_by_target(viewer, [post], comments=True)
    threads: dict[int, Thread] = {}
    for comment in top_list:
        comment.reaction_summary = reactions[(post.pk, comment.pk)]
        comment.hidden_placeholder = (
            comment.hidden_reason is not None and not sees_hidden and comment.author_id != viewer.pk
        )
        threads[comment.pk] = Thread(comment)
    for reply in replies if top_list else []:
        reply.reaction_summary = reactions[(post.pk, reply.pk)]
        reply.hidden_placeholder = False
        threads[reply.parent_id].replies.append(reply)
    result = [t for t in threads.values() if (t.comment.deleted_at is None and not t.comment.hidden_placeholder) or t.replies]
    return (result, has_more) if limit is not None else result


def share_targets(viewer: Person) -> QuerySet[Space]:
    """The spaces where ``viewer`` may share a post: active member, not archived."""
    return my_spaces(viewer).filter(archived_at__isnull=True)


# ---------------------------------------------------------------------------------------
# Mentions and tags
# ---------------------------------------------------------------------------------------

MENTION_SUGGESTIONS = 8


def mention_suggestions(viewer: Person, text: str) -> list[Person]:
    """Up to 8 colleagues ``viewer`` may see whose name, title or e-mail address starts
    like ``text`` (what follows the @), each with ``handle``; one query."""
    text = fold((text or "").strip().lstrip("@"))[:60]
    if not text:
        return []
    people = list(
        visible_people(viewer)
        .filter(departed_on__isnull=True)
        .filter(Q(search_text__contains=text) | Q(user__email__istartswith=text))
        .exclude(pk=viewer.pk)
        .select_related("user")
        .order_by("display_name", "pk")[:MENTION_SUGGESTIONS]
    )
    for person in people:
        person.handle = person.user.email.split("@", 1)[0].lower()
    return people


def mentioned_without_access(post: Post, comment: Comment | None = None) -> list[Person]:
    """The people ``post`` (or its ``comment``) mentions who may not read it yet, by name:
    the author is told that they will be notified only once they may (an invitation)."""
    from bascule.access import may_read_post

    mentioned = Person.objects.filter(
        pk__in=Mention.objects.filter(post=post, comment=comment).values("person"), departed_on__isnull=True
    ).order_by("display_name", "pk")
    return [person for person in mentioned if not may_read_post(person, post)]


def tag_by_slug(slug: str) -> Tag | None:
    """The tag with this folded name, or None."""
    return Tag.objects.filter(slug=fold(slug)).first()


def tag_posts(viewer: Person, tag: Tag) -> QuerySet[Post]:
    """The posts tagged ``tag`` that ``viewer`` may read, newest first."""
    return (
        with_counts(visible_posts(viewer).filter(Exists(PostTag.objects.filter(post=OuterRef("pk"), tag=tag))))
        .select_related("author", "space")
        .order_by("-created_at", "-pk")
    )


# ---------------------------------------------------------------------------------------
# Questions
# ---------------------------------------------------------------------------------------

QUESTION_FILTERS = ("unanswered", "overdue", "answered", "all")


def question_is_answered(post: Post) -> bool:
    """Whether someone else than the asker answered ``post`` (``Post.answered_at``, kept
    by the actions; same rule as the lists)."""
    return Post.objects.filter(pk=post.pk, answered_at__isnull=False).exists()


def _questions_of(viewer: Person, space: Space | None) -> QuerySet[Post]:
    """The questions of ``space``, or of every space, that ``viewer`` may read."""
    if space is not None:
        return visible_posts(viewer, space=space).filter(IS_QUESTION)
    return visible_posts(viewer).filter(IS_QUESTION, space__isnull=False)


def questions(viewer: Person, *, space: Space | None = None, status: str = "unanswered", now=None) -> QuerySet[Post]:
    """The questions ``viewer`` may read (of ``space``, or of every space they may read),
    each with ``answered`` and ``comment_count``: ``unanswered`` (oldest first: they waited
    longest), ``overdue`` (unanswered past their delay), ``answered`` or ``all`` (newest first)."""
    from django.utils import timezone

    now = now or timezone.now()
    posts = (
        with_counts(_questions_of(viewer, space))
        .annotate(answered=ExpressionWrapper(Q(answered_at__isnull=False), output_field=BooleanField()))
        .select_related("author", "space")
    )
    if status == "unanswered":
        return posts.filter(answered_at__isnull=True).order_by("created_at", "pk")
    if status == "overdue":
        return posts.filter(answered_at__isnull=True, due_at__lt=now).order_by("due_at", "pk")
    if status == "answered":
        return posts.filter(answered_at__isnull=False).order_by("-created_at", "-pk")
    return posts.order_by("-created_at", "-pk")


# Beyond this the pages say "99+": counting every unanswered question of two years of
# a busy network read tens of thousands of rows on every home page, for a number nobody
# reads past a hundred.
QUESTION_COUNT_LIMIT = 99


def question_counts(viewer: Person, *, space: Space | None = None, now=None) -> dict[str, int]:
    """How many questions ``viewer`` may read are unanswered and overdue, each counted up
    to ``QUESTION_COUNT_LIMIT + 1`` (the templates show "99+" above the limit), in one
    query."""
    from django.db import connection
    from django.utils import timezone

    now = now or timezone.now()
    # Each count stops at the limit, in any order: one queryset compiled once and asked
    # twice in one statement (the overdue ones with ``due_at < now``, which the index of
    # waiting questions answers). Taking the first hundred by due date instead sorted every
    # waiting question of the reader's spaces (5,000 for a community manager: 6–10 ms).
    waiting = _questions_of(viewer, space).filter(answered_at__isnull=True).values("due_at")
    sql, params = waiting.query.sql_with_params()
    limit = QUESTION_COUNT_LIMIT + 1
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM ({sql}) AS w LIMIT {limit}) AS a), "
            f"(SELECT COUNT(*) FROM (SELECT 1 FROM ({sql}) AS w WHERE w.due_at < %s LIMIT {limit}) AS o)",
            [*params, *params, now],
        )
        counts = cursor.fetchone()
    return {"unanswered": counts[0], "overdue": counts[1]}


def _live_questions():
    return Post.objects.filter(
        IS_QUESTION, deleted_at__isnull=True, space__isnull=False, space__archived_at__isnull=True
    ).filter(answered_at__isnull=True)


def overdue_questions_to_notify(now) -> QuerySet[Post]:
    """Unanswered questions of live spaces past their delay whose managers were not told."""
    return _live_questions().filter(due_at__lt=now, overdue_notified_at__isnull=True).select_related("space")


def questions_for_referents(now) -> QuerySet[Post]:
    """Unanswered questions whose managers were told and whose referents were not yet."""
    return _live_questions().filter(overdue_notified_at__isnull=False, referent_notified_at__isnull=True).select_related("space")


# ---------------------------------------------------------------------------------------
# Announcements
# ---------------------------------------------------------------------------------------


def announcements_to_publish(now) -> QuerySet[Post]:
    """Scheduled posts whose moment came and whose publication was not handled yet."""
    return Post.objects.filter(publish_at__isnull=False, publish_at__lte=now, published_notified_at__isnull=True).select_related(
        "space", "author"
    ).order_by("publish_at", "pk")


def my_confirmation(viewer: Person, post: Post) -> ReadConfirmation | None:
    """When ``viewer`` confirmed reading ``post``, or None."""
    return ReadConfirmation.objects.filter(post=post, person=viewer).first()


@dataclass
class Confirmations:
    """Who confirmed an announcement: ``confirmed`` (ReadConfirmation with person, oldest
    first), ``waiting`` (active members who did not yet), and the counts over members."""

    confirmed: list
    waiting: list
    members: int
    members_confirmed: int


def confirmations(post: Post) -> Confirmations:
    """The read confirmations of ``post`` against the active members of its space (people
    still with us), in two queries. Callers checked ``access.may_see_confirmations``."""
    confirmed = list(
        ReadConfirmation.objects.filter(post=post, person__departed_on__isnull=True)
        .select_related("person")
        .order_by("confirmed_at", "pk")
    )
    members: list[Person] = []
    if post.space_id is not None:
        members = list(
            Person.objects.filter(
                memberships__space_id=post.space_id,
                memberships__status=MembershipStatus.ACTIVE,
                departed_on__isnull=True,
            )
            .exclude(pk=post.author_id)
            .order_by("display_name", "pk")
        )
    confirmed_ids = {c.person_id for c in confirmed}
    return Confirmations(
        confirmed=confirmed,
        waiting=[m for m in members if m.pk not in confirmed_ids],
        members=len(members),
        members_confirmed=sum(1 for m in members if m.pk in confirmed_ids),
    )

