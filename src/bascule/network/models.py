"""The network: spaces, the people in them, and what they post.

Who may see or do what is decided in ``bascule/access.py``, never here; writes go through
``actions.py``.
"""

import secrets

from django.db import connection, models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A post's Markdown source is at most this long (the rendered HTML may be longer).
POST_BODY_MAX_LENGTH = 20_000
POST_TITLE_MAX_LENGTH = 200


class SpaceKind(models.TextChoices):
    COMMUNITY = "community", _("Community")
    EDITORIAL = "editorial", _("Editorial")
    PROJECT = "project", _("Project")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")
    SECRET = "secret", _("Secret")


class JoinPolicy(models.TextChoices):
    OPEN = "open", _("Anyone may join")
    REQUEST = "request", _("On request")
    INVITE = "invite", _("By invitation")


class Space(models.Model):
    """A place where people post: a community, an editorial space or a project.

    - public: everyone in the audience reads it;
    - private: listed to the audience (name and purpose), content for members only;
    - secret: unlisted, known only to its members and the people invited.
    """

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("address"), max_length=140, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SpaceKind.choices, default=SpaceKind.COMMUNITY)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    join_policy = models.CharField(
        _("who may join"), max_length=20, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )
    purpose = models.CharField(_("purpose"), max_length=500, blank=True)
    rules = models.TextField(
        _("rules"), max_length=5000, blank=True, help_text=_("Accepted by each person who joins.")
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    answer_delay_days = models.PositiveSmallIntegerField(
        _("answer expected within (working days)"),
        default=2,
        help_text=_("A question still without answer after this many working days is shown as waiting too long, and its managers are told."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        "people.Person", verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("space")
        verbose_name_plural = _("spaces")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("network:space", args=[self.slug])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class AudienceField(models.TextChoices):
    """Person attributes a space's audience may be restricted by."""

    DEPARTMENT = "department", _("department")
    BUSINESS_UNIT = "business_unit", _("business unit")
    LEGAL_ENTITY = "legal_entity", _("legal entity")
    COUNTRY = "country", _("country")
    SITE = "site", _("site")


class SegmentValue(models.Model):
    """One allowed value of a segment, for whatever is limited to some people: a space's
    audience, a role's scope, a campaign's scope. Rows of one owner combine as fields AND,
    values OR (site ∈ {Lyon} and department ∈ {Sales, Marketing}); no row: everyone.
    ``value`` holds the id of a Department, BusinessUnit, … depending on ``field``."""

    field = models.CharField(_("field"), max_length=20, choices=AudienceField.choices)
    value = models.BigIntegerField(_("value"))

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.field}={self.value}"

    @classmethod
    def covers(cls, person, owner: str) -> models.Exists:
        """SQL condition on the owner model (``owner`` is the name of the rows' foreign key
        to it, e.g. ``"space"``): its rows let ``person`` in — there is no field listed
        for which no row holds the person's value (so no row at all: everyone)."""
        matches_person = models.Q(pk__in=[])
        for field in AudienceField.values:
            value = getattr(person, f"{field}_id")
            if value is not None:
                matches_person |= models.Q(field=field, value=value)
        same_field = cls.objects.filter(**{owner: models.OuterRef(owner), "field": models.OuterRef("field")})
        unmatched_field = cls.objects.filter(**{owner: models.OuterRef("pk")}).exclude(
            models.Exists(same_field.filter(matches_person))
        )
        return ~models.Exists(unmatched_field)

    @classmethod
    def covers_sql(cls, person, owner: str, owner_column: str) -> tuple[str, list]:
        """``covers`` as SQL text and parameters, for a hand-written query in which the
        owner's id is ``owner_column`` (e.g. ``"s.id"``): the same rule, without the ORM's
        cost of building the expression (``access.space_ids`` runs on every page). The
        tests compare both on every relation of the permission matrix."""
        table = connection.ops.quote_name(cls._meta.db_table)
        owner = connection.ops.quote_name(cls._meta.get_field(owner).column)
        clauses, params = [], []
        for field in AudienceField.values:
            value = getattr(person, f"{field}_id")
            if value is not None:
                clauses.append("(u.field = %s AND u.value = %s)")
                params += [field, value]
        matches = " OR ".join(clauses) or "1 = 0"
        sql = (
            f"NOT EXISTS (SELECT 1 FROM {table} v WHERE v.{owner} = {owner_column} AND NOT EXISTS ("
            f"SELECT 1 FROM {table} u WHERE u.{owner} = v.{owner} AND u.field = v.field AND ({matches})))"
        )
        return sql, params


class SpaceAudience(SegmentValue):
    """One allowed value of a segment for a space's audience.

    A space without rows is for everyone. With rows, a person is in the audience when, for
    every field listed, their value is one of the listed values (fields AND, values OR):
    site ∈ {Lyon} and department ∈ {Sales, Marketing}. Rows rather than JSON so that the
    audience check is a plain SQL subquery on SQLite and PostgreSQL alike. ``value`` holds
    the id of a Department, BusinessUnit, … depending on ``field``.
    """

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="audience")

    class Meta:
        verbose_name = _("audience segment")
        verbose_name_plural = _("audience segments")
        constraints = [
            models.UniqueConstraint(fields=["space", "field", "value"], name="space_audience_unique")
        ]


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    MANAGER = "manager", _("Manager")
    EDITOR = "editor", _("Editor")
    MEMBER = "member", _("Member")


MANAGING_ROLES = frozenset({Role.OWNER, Role.MANAGER})
PUBLISHING_ROLES = frozenset({Role.OWNER, Role.MANAGER, Role.EDITOR})


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Member")
    INVITED = "invited", _("Invited")
    REQUESTED = "requested", _("Asked to join")
    LEFT = "left", _("Left")


class Membership(models.Model):
    """A person's relation to a space, kept after they leave (status ``left``)."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("status"), max_length=20, choices=MembershipStatus.choices)
    invited_by = models.ForeignKey(
        "people.Person", verbose_name=_("invited by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rules_accepted_at = models.DateTimeField(_("rules accepted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["space", "person"], name="membership_unique")]
        indexes = [models.Index(fields=["person", "status"]), models.Index(fields=["space", "status"])]

    def __str__(self):
        return f"{self.person_id} in {self.space_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == MembershipStatus.ACTIVE


class PostKind(models.TextChoices):
    DISCUSSION = "discussion", _("Discussion")
    QUESTION = "question", _("Question")
    ANNOUNCEMENT = "announcement", _("Announcement")
    ARTICLE = "article", _("Article")


class Post(models.Model):
    """Something a person wrote in a space, or on their profile (``space`` empty).

    ``body`` is the Markdown the author wrote; ``body_html`` is its sanitised rendering,
    computed once when written (``markdown.render``), so pages never render on read.
    """

    space = models.ForeignKey(Space, null=True, blank=True, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        "people.Person", verbose_name=_("author"), on_delete=models.CASCADE, related_name="posts"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PostKind.choices, default=PostKind.DISCUSSION)
    title = models.CharField(_("title"), max_length=POST_TITLE_MAX_LENGTH, blank=True)
    body = models.TextField(_("text"), max_length=POST_BODY_MAX_LENGTH, blank=True)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(_("posted"), default=timezone.now, editable=False)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        "people.Person", verbose_name=_("deleted by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pinned_at = models.DateTimeField(_("pinned"), null=True, blank=True)
    # A share: this post reposts ``shared_post`` with the sharer's words (``body``, maybe
    # empty). The original is shown only to readers who may read it.
    shared_post = models.ForeignKey(
        "self", verbose_name=_("shared post"), null=True, blank=True, on_delete=models.SET_NULL, related_name="shares"
    )
    # Questions: when an answer is expected (the space's delay in working days), the answer
    # the asker or a manager accepted, and when the managers, then the referents, were told
    # that the question waits too long (each once). Every question has ``due_at`` and no
    # other post does (``IS_QUESTION``).
    due_at = models.DateTimeField(_("answer expected by"), null=True, blank=True)
    accepted_comment = models.ForeignKey(
        "Comment", verbose_name=_("accepted answer"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When someone else than the asker first answered (a top-level comment neither deleted
    # nor hidden); NULL while the question waits. Kept by the actions that change a
    # comment (``network.actions.answered_refresh``), so that the waiting questions of a
    # reader's spaces are an index range, not a test of every question's comments.
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    referent_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Announcements: a scheduled one is read from ``publish_at`` on (before, only its
    # author and the space's managers see it; ``created_at`` is set to the same moment so
    # that feeds show it where it belongs). The people it mentions are told when it comes
    # out (``published_notified_at``, claimed once by ``announcements_publish``).
    publish_at = models.DateTimeField(_("published on"), null=True, blank=True)
    published_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    requires_confirmation = models.BooleanField(_("read confirmation asked"), default=False)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            models.Index(fields=["space", "-created_at"]),
            models.Index(fields=["author", "-created_at"]),
            models.Index(fields=["kind", "due_at"]),
            # Few posts are scheduled: the publisher's lookup stays an index range scan.
            models.Index(fields=["publish_at"]),
            # Feeds across spaces (home, tag, questions) walk the posts newest first and
            # stop after a page, instead of sorting every post the reader may read.
            models.Index(fields=["-created_at", "-id"], name="network_post_newest"),
            # The questions of a space (its counts and lists) without reading its other posts.
            models.Index(fields=["space", "due_at"], condition=models.Q(due_at__isnull=False), name="network_post_questions"),
            # The questions still waiting for an answer (home counts, unanswered and overdue lists).
            models.Index(
                fields=["space", "due_at"],
                condition=models.Q(due_at__isnull=False, answered_at__isnull=True, deleted_at__isnull=True),
                name="network_post_waiting",
            ),
        ]

    def __str__(self):
        return self.title or f"{self.get_kind_display()} {self.pk}"

    def get_absolute_url(self):
        # Remembered on the instance: a feed's template asks it several times per post.
        url = self.__dict__.get("_absolute_url")
        if url is None:
            if self.space_id is None:
                url = reverse("feed:post", args=[self.pk])
            else:
                url = reverse("network:post", args=[self.space.slug, self.pk])
            self.__dict__["_absolute_url"] = url
        return url

    @property
    def is_scheduled(self) -> bool:
        """Whether the post waits for its publication (readers do not see it yet)."""
        return self.publish_at is not None and self.publish_at > timezone.now()


# The questions: the posts with an expected answer time (post_create sets ``due_at`` for
# questions only). Written without ``kind``: the kind is a parameter of the statement, and
# a plan made for any value of it (a generic plan of a prepared statement) cannot use an
# index limited to ``kind = 'question'``. The indexes of questions are limited to
# ``due_at IS NOT NULL``, which holds whatever the parameters.
IS_QUESTION = models.Q(due_at__isnull=False)


def attachment_upload_to(attachment, filename):
    # A random name, without the author's file name or extension: the address on disk
    # tells nothing and cannot be guessed; the file is served only through a view.
    return f"attachments/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}"


MAX_ATTACHMENTS_PER_POST = 5


class Attachment(models.Model):
    """A file attached to a post. Readers of the post download it through
    ``views.attachment`` (never from MEDIA_URL); ``content_type`` is what the file's bytes
    say it is (``files.sniff``), not what the browser claimed."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("type"), max_length=120)
    created_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["post", "created_at"])]

    def __str__(self):
        return self.original_name

    @property
    def file_type(self):
        from .files import BY_CONTENT_TYPE, TEXT

        return BY_CONTENT_TYPE.get(self.content_type, TEXT)

    @property
    def family(self) -> str:
        return self.file_type.family

    @property
    def family_label(self) -> str:
        from .files import FAMILY_LABELS

        return FAMILY_LABELS[self.family]

    @property
    def is_image(self) -> bool:
        return self.family == "image"

    def get_absolute_url(self):
        return reverse("feed:attachment", args=[self.post_id, self.pk])


class ReadConfirmation(models.Model):
    """A reader confirmed having read an announcement that asks for it (once)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="confirmations")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed"), default=timezone.now)

    class Meta:
        verbose_name = _("read confirmation")
        verbose_name_plural = _("read confirmations")
        constraints = [models.UniqueConstraint(fields=["post", "person"], name="read_confirmation_unique")]


class PostRevision(models.Model):
    """A version of a post that an edit replaced: the history of what readers saw."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(_("title"), max_length=POST_TITLE_MAX_LENGTH, blank=True)
    body = models.TextField(_("text"))
    # When this version was replaced, and by whom.
    edited_at = models.DateTimeField(_("edited"), default=timezone.now)
    editor = models.ForeignKey(
        "people.Person", verbose_name=_("edited by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-edited_at", "-pk"]
        verbose_name = _("post revision")
        verbose_name_plural = _("post revisions")


COMMENT_BODY_MAX_LENGTH = 5_000


class Comment(models.Model):
    """A comment on a post, or a reply to a comment (one level: a reply has a top-level
    ``parent``; replies are not replied to). On a question, a top-level comment by
    someone else than the asker is an answer."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        "people.Person", verbose_name=_("author"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("reply to"), null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField(_("text"), max_length=COMMENT_BODY_MAX_LENGTH)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(_("posted"), default=timezone.now, editable=False)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        "people.Person", verbose_name=_("deleted by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["post", "created_at"])]

    def __str__(self):
        return f"{_('Comment')} {self.pk}"


class ReactionKind(models.TextChoices):
    LIKE = "like", _("Like")
    THANKS = "thanks", _("Thanks")
    INSIGHTFUL = "insightful", _("Insightful")
    CELEBRATE = "celebrate", _("Celebrate")
    SUPPORT = "support", _("Support")


# Shown beside each label; the label is what screen readers announce.
REACTION_EMOJI = {
    ReactionKind.LIKE: "👍",
    ReactionKind.THANKS: "🙏",
    ReactionKind.INSIGHTFUL: "💡",
    ReactionKind.CELEBRATE: "🎉",
    ReactionKind.SUPPORT: "💪",
}


class Reaction(models.Model):
    """One person's reaction of one kind to a post, or to one of its comments.

    ``post`` is always set (the comment's post for a comment), so that the reactions shown
    on a post page are one query."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reactions")
    kind = models.CharField(_("reaction"), max_length=20, choices=ReactionKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "post", "kind"], condition=models.Q(comment__isnull=True), name="reaction_unique_post"
            ),
            models.UniqueConstraint(
                fields=["person", "comment", "kind"], condition=models.Q(comment__isnull=False), name="reaction_unique_comment"
            ),
        ]
        indexes = [models.Index(fields=["post", "kind"])]


class Mention(models.Model):
    """A person mentioned in a post or a comment, remembered so that an edit tells only
    the people it adds."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "person"], condition=models.Q(comment__isnull=True), name="mention_unique_post"
            ),
            models.UniqueConstraint(
                fields=["comment", "person"], condition=models.Q(comment__isnull=False), name="mention_unique_comment"
            ),
        ]


class PostTag(models.Model):
    """A #tag written in a post. Tags are the people app's (skills and interests share
    them), so that a tag page can later show both posts and people."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="post_tags")
    tag = models.ForeignKey("people.Tag", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("post tag")
        verbose_name_plural = _("post tags")
        constraints = [models.UniqueConstraint(fields=["post", "tag"], name="post_tag_unique")]
        indexes = [models.Index(fields=["tag", "post"])]


class Follow(models.Model):
    """A person follows a colleague, a space or a tag: their posts come to the home feed."""

    follower = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="follows")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="followers")
    space = models.ForeignKey(Space, null=True, blank=True, on_delete=models.CASCADE, related_name="followers")
    tag = models.ForeignKey("people.Tag", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(person__isnull=False, space__isnull=True, tag__isnull=True)
                    | models.Q(person__isnull=True, space__isnull=False, tag__isnull=True)
                    | models.Q(person__isnull=True, space__isnull=True, tag__isnull=False)
                ),
                name="follow_one_target",
            ),
            models.UniqueConstraint(fields=["follower", "person"], condition=models.Q(person__isnull=False), name="follow_unique_person"),
            models.UniqueConstraint(fields=["follower", "space"], condition=models.Q(space__isnull=False), name="follow_unique_space"),
            models.UniqueConstraint(fields=["follower", "tag"], condition=models.Q(tag__isnull=False), name="follow_unique_tag"),
        ]


class FeedCursor(models.Model):
    """When a person last opened their home feed: posts newer than that are marked new.
    ``previous_seen_at`` is the mark before the last move, which the statement moving it
    returns (``actions.feed_seen``)."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="+", primary_key=True)
    seen_at = models.DateTimeField()
    previous_seen_at = models.DateTimeField(null=True, blank=True)


class PostRead(models.Model):
    """A person opened a post on a day (organisation's time zone): the ``read`` event is
    recorded at most once per person, post and day, which this unique key enforces."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "post", "day"], name="post_read_unique")]


class DailyVisit(models.Model):
    """A person came to the network on a day: ``visit`` is recorded once per person and day."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "day"], name="daily_visit_unique")]
