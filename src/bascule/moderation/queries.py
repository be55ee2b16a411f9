"""Reads of moderation: the queue, the audit log, what is hidden, the navigation count.

Scopes come from ``bascule.access`` (``moderated_posts_q``, ``moderated_spaces_q``): a
space manager sees the reports and acts of the spaces they manage, a platform moderator
all of them. Lists cost a fixed number of queries whatever the number of reports.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet

from bascule import access
from bascule.network.models import Comment, Post
from bascule.people.models import Person

from .actions import COUNTS_VERSION_KEY
from .models import HiddenContent, ModerationLog, Report, ReportReason, ReportStatus

QUEUE_FILTERS = ("open", "closed", "hidden")
NAVIGATION_CACHE_SECONDS = 300


@dataclass
class QueueItem:
    """One reported (or hidden) post or comment, with what the reports say about it."""

    post: Post
    comment: Comment | None
    report_count: int = 0
    latest: datetime | None = None
    reasons: list = field(default_factory=list)  # [(label, count)], most frequent first
    notes: list = field(default_factory=list)
    statuses: set = field(default_factory=set)
    hidden: HiddenContent | None = None

    @property
    def kind(self) -> str:
        return "comment" if self.comment is not None else "post"

    @property
    def author(self):
        return (self.comment or self.post).author

    @property
    def body_html(self) -> str:
        return (self.comment or self.post).body_html

    @property
    def is_deleted(self) -> bool:
        return (self.comment or self.post).deleted_at is not None or self.post.deleted_at is not None

    @property
    def top_reason(self) -> str:
        return self.reasons[0][2] if self.reasons else ReportReason.OTHER


def _statuses(status: str) -> list[str]:
    return [ReportStatus.OPEN] if status == "open" else [ReportStatus.RESOLVED, ReportStatus.DISMISSED]


def moderation_queue(viewer: Person, *, status: str = "open") -> QuerySet:
    """The items ``viewer`` moderates, one row per post or comment, newest first:
    ``open`` (reports waiting), ``closed`` (reports handled or dismissed) or ``hidden``
    (hidden now, to restore). Rows are dicts ``{post, comment, latest}``; pass a page of
    them to ``queue_items``."""
    if status == "hidden":
        return (
            HiddenContent.objects.filter(access.moderated_posts_q(viewer))
            .values("post", "comment")
            .annotate(latest=Max("hidden_at"))
            .order_by("-latest", "-post", "-comment")
        )
    reports = Report.objects.filter(access.moderated_posts_q(viewer), status__in=_statuses(status))
    date = "created_at" if status == "open" else "resolved_at"
    return reports.values("post", "comment").annotate(latest=Max(date)).order_by("-latest", "-post", "-comment")


def queue_items(viewer: Person, rows, *, status: str = "open") -> list[QueueItem]:
    """``rows`` of ``moderation_queue`` as QueueItems, in four queries: the posts, the
    comments, the reports (reasons, notes, count) and what is hidden."""
    rows = list(rows)
    if not rows:
        return []
    post_ids = {row["post"] for row in rows}
    comment_ids = {row["comment"] for row in rows if row["comment"]}
    posts = Post.objects.select_related("space", "author").in_bulk(post_ids)
    comments = Comment.objects.select_related("author").in_bulk(comment_ids) if comment_ids else {}
    items = {
        (row["post"], row["comment"]): QueueItem(
            post=posts[row["post"]], comment=comments.get(row["comment"]), latest=row["latest"]
        )
        for row in rows
        if row["post"] in posts
    }
    reports = Report.objects.filter(post__in=post_ids).filter(
        Q(comment__isnull=True) | Q(comment__in=comment_ids)
    )
    if status != "hidden":
        reports = reports.filter(status__in=_statuses(status))
    labels = dict(ReportReason.choices)
    reasons: dict = defaultdict(lambda: defaultdict(int))
    for report in reports.order_by("-created_at", "-pk").values("post", "comment", "reason", "note", "status"):
        item = items.get((report["post"], report["comment"]))
        if item is None:
            continue
        item.report_count += 1
        item.statuses.add(report["status"])
        reasons[(report["post"], report["comment"])][report["reason"]] += 1
        if report["note"]:
            item.notes.append(report["note"])
    for key, counts in reasons.items():
        items[key].reasons = sorted(
            ((labels.get(reason, reason), n, reason) for reason, n in counts.items()), key=lambda r: (-r[1], r[0])
        )
    for hidden in HiddenContent.objects.filter(post__in=post_ids):
        item = items.get((hidden.post_id, hidden.comment_id))
        if item is not None:
            item.hidden = hidden
    return list(items.values())


def moderation_log(viewer: Person) -> QuerySet[ModerationLog]:
    """The acts of the spaces ``viewer`` moderates (of every space and profile for a
    platform moderator), newest first."""
    return (
        ModerationLog.objects.filter(access.moderated_spaces_q(viewer))
        .select_related("actor", "space")
        .order_by("-created_at", "-pk")
    )


def open_report_count(viewer: Person) -> int:
    """Open reports about what ``viewer`` moderates, in one query."""
    return Report.objects.filter(access.moderated_posts_q(viewer), status=ReportStatus.OPEN).count()


def _navigation_key(person_id: int) -> str:
    return f"moderation:nav:{person_id}:{cache.get(COUNTS_VERSION_KEY, 0)}"


def navigation_forget(person_id: int) -> None:
    """Drop the cached navigation entry of a person whose roles changed."""
    cache.delete(_navigation_key(person_id))


def navigation_entry(viewer: Person | None) -> dict | None:
    """``{"open": n}`` when ``viewer`` moderates something (the "Moderation" entry of the
    navigation, with the count of open reports), else None.

    Shown on every page, so cached for each person: computed when they log in, again
    after each moderation act, a change of their memberships, or a few minutes. Pages
    then pay no query for it."""
    if viewer is None or viewer.pk is None:
        return None
    key = _navigation_key(viewer.pk)
    entry = cache.get(key, "missing")
    if entry == "missing":
        entry = {"open": open_report_count(viewer)} if access.may_moderate_anything(viewer) else None
        cache.set(key, entry, NAVIGATION_CACHE_SECONDS)
    return entry


def hidden_comments_of(post_id: int) -> dict[int, HiddenContent]:
    """{comment id: HiddenContent} of the hidden comments of a post; one query."""
    return {row.comment_id: row for row in HiddenContent.objects.filter(post_id=post_id, comment__isnull=False)}
