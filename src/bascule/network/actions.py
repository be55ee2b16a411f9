"""Every write to spaces, memberships and posts.

One function per business action: keyword-only arguments, the acting person as ``actor``,
one transaction, the permission check through ``bascule.access``, and the ledger event
recorded in the same transaction. A refused permission raises ``PermissionDenied``; bad
input raises ``ValidationError``; in both cases nothing is written. Each message is a
sentence for the person.

Ledger events: ``join`` when a person becomes an active member (the creator of a space,
an open join, an approved request, an accepted invitation); ``invite`` for the person who
invites; ``post`` for every post (a question is a contribution too); ``comment`` for a
comment or reply, ``answer`` instead for a top-level comment on a question; ``react`` when
a reaction is added (not when it is undone); ``share`` for a share (not ``post`` as well).
``mention`` for the author, once for each
person a post or comment mentions (an edit records only the people it adds). Requests,
refusals, leaving, edits, deletions, pins and archiving are not activity of the
journey and record nothing.

Notifications (``notification_send``, in the same transaction) and search index updates
(``index_update``/``index_remove``) are written here too, so that every surface that
writes (pages, API, importers) tells and indexes the same way.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bascule import access
from bascule.adoption.ledger import event_record
from bascule.adoption.models import EventKind
from bascule.notify.actions import notification_send, unread_counts_forget
from bascule.notify.models import NotificationKind
from bascule.people.actions import tag_get_or_create
from bascule.people.models import Person
from bascule.search.index import index_remove, index_update

from . import files as filetypes
from . import markdown
from .questions import DEFAULT_ANSWER_DELAY_DAYS, add_working_days
from .referents import space_referents
from .models import (
    COMMENT_BODY_MAX_LENGTH,
    MANAGING_ROLES,
    MAX_ATTACHMENTS_PER_POST,
    POST_BODY_MAX_LENGTH,
    POST_TITLE_MAX_LENGTH,
    Attachment,
    AudienceField,
    Comment,
    DailyVisit,
    FeedCursor,
    Follow,
    JoinPolicy,
    Membership,
    Mention,
    MembershipStatus,
    Post,
    PostKind,
    PostRead,
    PostRevision,
    PostTag,
    Reaction,
    ReactionKind,
    ReadConfirmation,
    Role,
    Space,
    SpaceAudience,
    SpaceKind,
    Visibility,
)

# Addresses under /spaces/ that are pages, not spaces.
RESERVED_SLUGS = frozenset({"new", "preview"})


def _require_present(actor: Person) -> None:
    if actor is None or actor.is_departed:
        raise PermissionDenied(_("Your account is closed."))


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "space"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Space.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def space_create(
    *,
    actor: Person,
    name: str,
    kind: str = SpaceKind.COMMUNITY,
    visibility: str = Visibility.PUBLIC,
    join_policy: str | None = None,
    purpose: str = "",
    rules: str = "",
    audience: dict[str, list[int]] | None = None,
) -> Space:
    """Create a space; ``actor`` becomes its owner (records ``join`` for them).

    ``audience`` maps person fields (department, business_unit, legal_entity, country,
    site) to the ids allowed. Private spaces are joined on request or by invitation and
    secret spaces by invitation only; without ``join_policy`` the most open one allowed.
    """
    _require_present(actor)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Give the space a name."))
    if len(name) > 120:
        raise ValidationError(_("A space name has at most 120 characters."))
    if kind not in SpaceKind.values or visibility not in Visibility.values:
        raise ValidationError(_("Choose a kind and a visibility from the list."))
    allowed_policies = {
        Visibility.PUBLIC: [JoinPolicy.OPEN, JoinPolicy.REQUEST, JoinPolicy.INVITE],
        Visibility.PRIVATE: [JoinPolicy.REQUEST, JoinPolicy.INVITE],
        Visibility.SECRET: [JoinPolicy.INVITE],
    }[visibility]
    join_policy = join_policy or allowed_policies[0]
    if join_policy not in allowed_policies:
        raise ValidationError(
            _("A private space is joined on request or by invitation; a secret space by invitation only.")
        )
    audience = {field: sorted(set(ids)) for field, ids in (audience or {}).items() if ids}
    if set(audience) - set(AudienceField.values):
        raise ValidationError(_("An audience is limited by department, business unit, legal entity, country or site."))
    now = timezone.now()
    space = Space.objects.create(
        name=name,
        slug=_unique_slug(name),
        kind=kind,
        visibility=visibility,
        join_policy=join_policy,
        purpose=(purpose or "").strip(),
        rules=(rules or "").strip(),
        created_at=now,
        created_by=actor,
    )
    SpaceAudience.objects.bulk_create(
        SpaceAudience(space=space, field=field, value=value) for field, ids in audience.items() for value in ids
    )
    Membership.objects.create(
        space=space,
        person=actor,
        role=Role.OWNER,
        status=MembershipStatus.ACTIVE,
        rules_accepted_at=now if space.rules else None,
        joined_at=now,
    )
    event_record(person=actor, kind=EventKind.JOIN, about=space, occurred_at=now)
    index_update(space)
    return space


def _check_rules(space: Space, accept_rules: bool) -> None:
    if space.rules and not accept_rules:
        raise ValidationError(_("Accept the rules of this space to join it."))


def _activate(membership: Membership, *, person: Person, space: Space, accept_rules: bool = False) -> Membership:
    now = timezone.now()
    membership.status = MembershipStatus.ACTIVE
    membership.joined_at = now
    membership.left_at = None
    fields = ["status", "joined_at", "left_at"]
    if accept_rules and space.rules:
        membership.rules_accepted_at = now
        fields.append("rules_accepted_at")
    membership.save(update_fields=fields)
    event_record(person=person, kind=EventKind.JOIN, about=space, occurred_at=now)
    return membership


@transaction.atomic
def space_join(*, actor: Person, space: Space, accept_rules: bool = False) -> Membership:
    """Join an open space (records ``join``), or ask to join an on-request space (no event
    until a manager approves). Holding an invitation, this accepts it. Spaces with rules
    are joined only by accepting them."""
    _require_present(actor)
    membership = Membership.objects.select_for_update().filter(space=space, person=actor).first()
    if access.may_accept_invitation(actor, space, membership):
        _check_rules(space, accept_rules)
        return _activate(membership, person=actor, space=space, accept_rules=accept_rules)
    if membership is not None and membership.status == MembershipStatus.ACTIVE:
        raise ValidationError(_("You are already a member of this space."))
    if membership is not None and membership.status == MembershipStatus.REQUESTED:
        raise ValidationError(_("Your request to join is waiting for a manager."))
    if not access.may_join(actor, space, membership):
        if space.is_archived:
            raise PermissionDenied(_("This space is archived: nobody joins it any more."))
        raise PermissionDenied(_("This space is open by invitation only."))
    _check_rules(space, accept_rules)
    now = timezone.now()
    if membership is None:
        membership = Membership(space=space, person=actor, role=Role.MEMBER, created_at=now)
    else:
        membership.role = Role.MEMBER
    membership.rules_accepted_at = now if accept_rules and space.rules else None
    if space.join_policy == JoinPolicy.REQUEST:
        return _join_requested(membership, space)
    membership.status = MembershipStatus.ACTIVE
    membership.joined_at = now
    membership.left_at = None
    membership.save()
    event_record(person=actor, kind=EventKind.JOIN, about=space, occurred_at=now)
    return membership


def _join_requested(membership: Membership, space: Space) -> Membership:
    """``membership`` now asks to join ``space``; its managers are told (no event until
    one of them approves)."""
    membership.status = MembershipStatus.REQUESTED
    membership.save()
    for manager in _managers(space):
        notification_send(recipient=manager, kind=NotificationKind.JOIN_REQUEST, actor=membership.person, space=space)
    return membership


def _managers(space: Space) -> list[Person]:
    """The active owners and managers of ``space``, still with the organisation."""
    return list(
        Person.objects.filter(
            memberships__space=space,
            memberships__status=MembershipStatus.ACTIVE,
            memberships__role__in=MANAGING_ROLES,
            departed_on__isnull=True,
        ).order_by("pk")
    )


def _managed_membership(actor: Person, membership: Membership, status: str, stale: str = "") -> Membership:
    """``membership`` locked, once ``actor`` may manage its space and while it still has
    ``status`` (``stale``, with the person's name, says otherwise)."""
    _require_present(actor)
    if not access.may_manage(actor, membership.space):
        raise PermissionDenied(_("Only the managers of this space may do this."))
    if membership.space.is_archived:
        raise PermissionDenied(_("This space is archived."))
    locked = Membership.objects.select_for_update().select_related("space", "person").get(pk=membership.pk)
    if locked.status != status:
        raise ValidationError((stale or _("This request was already handled.")) % {"name": locked.person.display_name})
    return locked


@transaction.atomic
def space_request_approve(*, actor: Person, membership: Membership) -> Membership:
    """A manager approves a request to join: the person becomes a member (records ``join``
    for them; they accepted the rules when asking). A request passed on by a referent
    (``space_request_forward``) came without the rules accepted: approving it invites the
    person, who joins by accepting them."""
    membership = _managed_membership(actor, membership, MembershipStatus.REQUESTED)
    space = membership.space
    if space.rules and membership.rules_accepted_at is None:
        return _invite(actor, space, membership)
    notification_send(recipient=membership.person, kind=NotificationKind.REQUEST_APPROVED, actor=actor, space=space)
    return _activate(membership, person=membership.person, space=space)


@transaction.atomic
def space_request_refuse(*, actor: Person, membership: Membership) -> None:
    """A manager refuses a request to join; the person may ask again later."""
    membership = _managed_membership(actor, membership, MembershipStatus.REQUESTED)
    membership.delete()


@transaction.atomic
def space_invite(*, actor: Person, space: Space, person: Person) -> Membership:
    """A manager invites ``person`` (records ``invite`` for the manager). The invited person
    sees the space, even a secret one, and joins by accepting."""
    _require_present(actor)
    if not access.may_manage(actor, space):
        raise PermissionDenied(_("Only the managers of this space may invite."))
    if space.is_archived:
        raise PermissionDenied(_("This space is archived."))
    if person.is_departed:
        raise ValidationError(_("%(name)s has left the organisation.") % {"name": person.display_name})
    membership = Membership.objects.select_for_update().filter(space=space, person=person).first()
    if membership is not None and membership.status == MembershipStatus.ACTIVE:
        raise ValidationError(_("%(name)s is already a member.") % {"name": person.display_name})
    if membership is not None and membership.status == MembershipStatus.INVITED:
        raise ValidationError(_("%(name)s is already invited.") % {"name": person.display_name})
    return _invite(actor, space, membership or Membership(space=space, person=person))


def _invite(actor: Person, space: Space, membership: Membership) -> Membership:
    # A former manager comes back as a member; an invitation answers a pending request too.
    membership.role = Role.MEMBER
    membership.status = MembershipStatus.INVITED
    membership.invited_by = actor
    membership.save()
    event_record(person=actor, kind=EventKind.INVITE, about=space)
    notification_send(recipient=membership.person, kind=NotificationKind.INVITATION, actor=actor, space=space)
    return membership


@transaction.atomic
def space_request_forward(*, actor: Person, space: Space, person: Person) -> Membership | None:
    """A referent accepted ``person``'s request for access to the private ``space``
    (programs): managing it, they invite ``person``, who joins by accepting its rules;
    otherwise ``person`` now asks to join, whatever its join policy, and its managers
    approve or refuse it on the members page (they are told; no event until then). None
    when ``person`` is already a member, invited or waiting."""
    _require_present(actor)
    if space.is_archived:
        raise ValidationError(_("This space is archived: nobody joins it any more."))
    if person.is_departed:
        raise ValidationError(_("%(name)s has left the organisation.") % {"name": person.display_name})
    membership = Membership.objects.select_for_update().filter(space=space, person=person).first()
    if membership is not None and membership.status in (
        MembershipStatus.ACTIVE, MembershipStatus.INVITED, MembershipStatus.REQUESTED
    ):
        return None
    membership = membership or Membership(space=space, person=person, created_at=timezone.now())
    if access.may_manage(actor, space):
        return _invite(actor, space, membership)
    membership.role = Role.MEMBER
    membership.rules_accepted_at = None
    return _join_requested(membership, space)


@transaction.atomic
def space_invitation_accept(*, actor: Person, space: Space, accept_rules: bool = False) -> Membership:
    """The invited person accepts and becomes a member (records ``join``)."""
    _require_present(actor)
    membership = Membership.objects.select_for_update().filter(space=space, person=actor).first()
    if not access.may_accept_invitation(actor, space, membership):
        raise PermissionDenied(_("You have no invitation to this space."))
    _check_rules(space, accept_rules)
    return _activate(membership, person=actor, space=space, accept_rules=accept_rules)


@transaction.atomic
def space_leave(*, actor: Person, space: Space) -> None:
    """Leave a space (the membership is kept as ``left``), or withdraw a request or decline
    an invitation (forgotten). The last owner stays until they name another owner."""
    _require_present(actor)
    membership = Membership.objects.select_for_update().filter(space=space, person=actor).first()
    if membership is None or membership.status == MembershipStatus.LEFT:
        raise ValidationError(_("You are not a member of this space."))
    if membership.status in {MembershipStatus.INVITED, MembershipStatus.REQUESTED}:
        membership.delete()
        return
    if membership.role == Role.OWNER and not (
        Membership.objects.filter(space=space, role=Role.OWNER, status=MembershipStatus.ACTIVE)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise PermissionDenied(_("You are the only owner of this space: name another owner before you leave."))
    membership.status = MembershipStatus.LEFT
    membership.left_at = timezone.now()
    membership.save(update_fields=["status", "left_at"])


def _managed_member(actor: Person, membership: Membership) -> tuple[Membership, str | None]:
    """The active ``membership`` locked, and the actor's own role in its space, once
    ``actor`` may manage the space; only an owner touches an owner's membership, and
    nobody their own here (leaving is theirs)."""
    locked = _managed_membership(actor, membership, MembershipStatus.ACTIVE, _("%(name)s is not a member any more."))
    if locked.person_id == actor.pk:
        raise ValidationError(_("You cannot change your own membership here."))
    actor_role = Membership.objects.filter(space_id=locked.space_id, person=actor).values_list("role", flat=True).first()
    if locked.role == Role.OWNER and actor_role != Role.OWNER:
        raise PermissionDenied(_("Only an owner may change what another owner may do."))
    return locked, actor_role


@transaction.atomic
def membership_role_set(*, actor: Person, membership: Membership, role: str) -> Membership:
    """A manager names a member editor (publishes articles and announcements) or
    manager, or makes them a plain member again; an owner may also name other owners.
    The actor keeps their own role, so a space always keeps an owner."""
    if role not in Role.values:
        raise ValidationError(_("Choose one of the roles offered."))
    membership, actor_role = _managed_member(actor, membership)
    if role == Role.OWNER and actor_role != Role.OWNER:
        raise PermissionDenied(_("Only an owner may name another owner."))
    if membership.person.is_departed:
        raise ValidationError(_("%(name)s has left the organisation.") % {"name": membership.person.display_name})
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, actor: Person, membership: Membership) -> None:
    """A manager takes someone out of the space (kept as ``left``, as when they leave):
    they read it no more if it is private or secret, and may be invited again."""
    membership, _actor_role = _managed_member(actor, membership)
    membership.status = MembershipStatus.LEFT
    membership.role = Role.MEMBER
    membership.left_at = timezone.now()
    membership.save(update_fields=["status", "role", "left_at"])


@transaction.atomic
def space_archive(*, actor: Person, space: Space) -> Space:
    """Archive a space: it stays readable, and nobody posts, joins or edits any more."""
    _require_present(actor)
    if not access.may_manage(actor, space):
        raise PermissionDenied(_("Only the managers of this space may archive it."))
    if space.is_archived:
        return space
    space.archived_at = timezone.now()
    space.save(update_fields=["archived_at"])
    index_update(space)
    return space


# ---------------------------------------------------------------------------------------
# Mentions and tags, parsed when a text is written.
#
# A mention is ``@`` followed by the local part of a colleague's e-mail address
# (``@camille.martin`` for camille.martin@example.com): readable in the text, typed or
# inserted by the autocomplete, and stable when a display name changes. The rendered
# text shows the display name, linked to the profile.
# ---------------------------------------------------------------------------------------

MAX_MENTIONS = 50
MAX_TAGS = 20


def handle_of(person: Person) -> str:
    """The handle that mentions ``person``: the local part of their e-mail address."""
    return person.user.email.split("@", 1)[0].lower()


def _resolve_handles(handles: list[str]) -> dict[str, Person]:
    if not handles:
        return {}
    if len(handles) > MAX_MENTIONS:
        raise ValidationError({"body": _("Mention at most %(limit)s people in one text.") % {"limit": MAX_MENTIONS}})
    condition = Q()
    for handle in handles:
        condition |= Q(user__email__istartswith=f"{handle}@")
    found = defaultdict(list)
    for person in Person.objects.filter(condition).select_related("user"):
        found[handle_of(person)].append(person)
    unknown = [h for h in handles if not found.get(h)]
    if unknown:
        raise ValidationError(
            {
                "body": _(
                    "Nobody here answers to %(handles)s. Choose a colleague in the suggestions, or write the "
                    "beginning of their e-mail address, such as @camille.martin."
                )
                % {"handles": ", ".join(f"@{h}" for h in unknown)}
            }
        )
    ambiguous = [h for h in handles if len(found[h]) > 1]
    if ambiguous:
        raise ValidationError(
            {"body": _("Several colleagues answer to %(handles)s: choose one in the suggestions.")
             % {"handles": ", ".join(f"@{h}" for h in ambiguous)}}
        )
    return {h: found[h][0] for h in handles}


def _written(body: str) -> tuple[str, dict[str, Person], list[str]]:
    """The sanitised HTML of ``body`` with its mentions and tags linked, the people it
    mentions and the tags it names. An unknown mention is a ValidationError."""
    handles, tags = markdown.references(body)
    people = _resolve_handles(handles)
    html = markdown.render(
        body,
        mentions={h: (p.display_name, p.get_absolute_url()) for h, p in people.items()},
        link_tags=True,
    )
    return html, people, tags[:MAX_TAGS]


def _mentions_record(
    *, actor: Person, post: Post, people: dict[str, Person], comment: Comment | None = None
) -> None:
    """Remember the people newly mentioned by ``post`` (or its ``comment``): record
    ``mention`` for the author once per person, and tell each of them.

    Someone who may not read the post yet (mentioned in a private space before being
    invited) gets the notification too, held back: ``access.visible_notifications`` keeps
    it out of their list, count, e-mails and digests — so it reveals nothing — until they
    may read the post (they joined), when it appears. The author is warned on the page
    (``queries.mentioned_without_access``). While the post is scheduled nobody is told
    yet: ``announcements_publish`` tells the people it mentions when it comes out."""
    people = {p.pk: p for p in people.values() if p.pk != actor.pk}
    if not people:
        return
    already = set(
        Mention.objects.filter(post=post, comment=comment, person__in=list(people)).values_list("person_id", flat=True)
    )
    for person_id, person in people.items():
        if person_id in already:
            continue
        Mention.objects.create(post=post, comment=comment, person=person)
        event_record(person=actor, kind=EventKind.MENTION, about=comment or post)
        if not post.is_scheduled:
            notification_send(
                recipient=person,
                kind=NotificationKind.MENTION,
                actor=actor,
                space=post.space,
                post=post,
                comment_id=comment.pk if comment is not None else None,
            )


def member_counts_forget(**kwargs) -> None:
    """The member counts of lists of spaces (``queries.member_counts``) are counted again
    once this transaction commits: a membership or a person was saved (a signal). After
    the first, each delete finds nothing to remove (an HR import of 10,000 people: about
    0.2 s in all, with the file cache)."""
    transaction.on_commit(_member_counts_delete)


def _member_counts_delete() -> None:
    from .queries import MEMBER_COUNTS_CACHE_KEY

    cache.delete(MEMBER_COUNTS_CACHE_KEY)


def _tags_set(post: Post, names: list[str]) -> None:
    """The post's tags become ``names`` (people.Tag, created when new)."""
    tags = {tag.pk: tag for tag in (tag_get_or_create(name=name) for name in names)}
    PostTag.objects.filter(post=post).exclude(tag__in=list(tags)).delete()
    existing = set(PostTag.objects.filter(post=post).values_list("tag_id", flat=True))
    PostTag.objects.bulk_create([PostTag(post=post, tag=tag) for pk, tag in tags.items() if pk not in existing])


def _clean_post(*, kind: str, title: str, body: str) -> tuple[str, str]:
    title = " ".join((title or "").split())
    body = (body or "").strip()
    errors = {}
    if kind not in PostKind.values:
        errors["kind"] = _("Choose what kind of post this is.")
    if not body:
        errors["body"] = _("Write something before posting.")
    elif len(body) > POST_BODY_MAX_LENGTH:
        errors["body"] = _("A post has at most %(limit)s characters; this one has %(count)s.") % {
            "limit": f"{POST_BODY_MAX_LENGTH:,}",
            "count": f"{len(body):,}",
        }
    if kind == PostKind.ARTICLE and not title:
        errors["title"] = _("An article needs a title.")
    elif len(title) > POST_TITLE_MAX_LENGTH:
        errors["title"] = _("A title has at most %(limit)s characters.") % {"limit": POST_TITLE_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    return title, body


# ---------------------------------------------------------------------------------------
# Attachments: checked whole (count, size, real type) before anything is written, so that
# a refused file leaves no post behind; stored under a random name; removed files are
# deleted from disk once the transaction is committed. A deleted post keeps its files
# (deletion is soft) but nobody downloads them: the view asks ``access_post``.
# ---------------------------------------------------------------------------------------


def _attachments_check(uploads, *, already: int = 0) -> list[tuple[object, filetypes.FileType]]:
    """Each upload with its real type; a ValidationError on ``files`` that names the
    first file refused and why."""
    uploads = [u for u in (uploads or []) if u is not None]
    if already + len(uploads) > MAX_ATTACHMENTS_PER_POST:
        raise ValidationError(
            {"files": _("A post has at most %(limit)s files; remove some before adding others.")
             % {"limit": MAX_ATTACHMENTS_PER_POST}}
        )
    limit = settings.BASCULE_MAX_UPLOAD_BYTES
    checked = []
    for upload in uploads:
        name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:255] or _("file")
        if upload.size > limit:
            raise ValidationError(
                {"files": _("%(name)s is %(size)s; the limit is %(limit)s per file.")
                 % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}}
            )
        if upload.size == 0:
            raise ValidationError({"files": _("%(name)s is empty.") % {"name": name}})
        file_type = filetypes.sniff(upload, name)
        if file_type is None:
            raise ValidationError(
                {"files": _("%(name)s cannot be attached: add PDF files, images (JPEG, PNG, GIF, WebP), text or CSV "
                            "files, or Office and OpenDocument documents.") % {"name": name}}
            )
        upload.name = name
        checked.append((upload, file_type))
    return checked


def _attachments_store(post: Post, checked) -> list[Attachment]:
    """Write the checked files of ``post``; a failure removes the files already written."""
    created: list[Attachment] = []
    try:
        for upload, file_type in checked:
            attachment = Attachment(
                post=post, original_name=upload.name, size=upload.size, content_type=file_type.content_type
            )
            upload.seek(0)
            attachment.file.save("upload", upload, save=False)
            attachment.save()
            created.append(attachment)
    except Exception:
        for attachment in created:
            attachment.file.delete(save=False)
        raise
    # Should the caller's transaction roll back later, these files stay on disk with no
    # row pointing to them: unreachable (random names, served only through a row), and
    # rare enough (every check ran before) not to warrant more machinery.
    return created


@transaction.atomic
def post_create(
    *,
    actor: Person,
    space: Space | None,
    kind: str = PostKind.DISCUSSION,
    title: str = "",
    body: str,
    files=(),
    publish_at: datetime.datetime | None = None,
    requires_confirmation: bool = False,
) -> Post:
    """Publish a post in ``space`` (or on the actor's profile when ``space`` is None) with
    up to five ``files``; records ``post``. The Markdown is rendered and sanitised once,
    here. An announcement may wait until ``publish_at`` (only its author and the space's
    managers see it before) and may ask readers to confirm they read it."""
    _require_present(actor)
    title, body = _clean_post(kind=kind, title=title, body=body)
    now = timezone.now()
    publish_at = _clean_schedule(kind=kind, publish_at=publish_at, now=now)
    if requires_confirmation and kind != PostKind.ANNOUNCEMENT:
        raise ValidationError({"requires_confirmation": _("Only announcements ask for a read confirmation.")})
    checked = _attachments_check(files)
    if not access.may_post(actor, space, kind):
        if space is not None and space.is_archived:
            raise PermissionDenied(_("This space is archived: nobody posts in it any more."))
        if space is not None and access.may_post(actor, space):
            raise PermissionDenied(
                _("Only the editors and managers of this space publish a %(kind)s.")
                % {"kind": PostKind(kind).label.lower()}
            )
        raise PermissionDenied(_("Join this space to post in it."))
    body_html, mentioned, tags = _written(body)
    due_at = None
    if kind == PostKind.QUESTION:
        due_at = add_working_days(now, space.answer_delay_days if space is not None else DEFAULT_ANSWER_DELAY_DAYS)
    post = Post.objects.create(
        space=space,
        author=actor,
        kind=kind,
        title=title,
        body=body,
        body_html=body_html,
        created_at=publish_at or now,
        due_at=due_at,
        publish_at=publish_at,
        requires_confirmation=requires_confirmation,
    )
    event_record(person=actor, kind=EventKind.POST, about=post, occurred_at=now)
    _tags_set(post, tags)
    _mentions_record(actor=actor, post=post, people=mentioned)
    _attachments_store(post, checked)
    index_update(post)
    return post


# A schedule further than this is most likely a typo in the year.
MAX_SCHEDULE_DAYS = 366


def _clean_schedule(*, kind: str, publish_at, now) -> datetime.datetime | None:
    """The moment a scheduled announcement comes out, or None to publish at once (also
    for a moment already past)."""
    if publish_at is None or publish_at <= now:
        return None
    if kind != PostKind.ANNOUNCEMENT:
        raise ValidationError({"publish_at": _("Only announcements can be scheduled.")})
    if publish_at > now + datetime.timedelta(days=MAX_SCHEDULE_DAYS):
        raise ValidationError({"publish_at": _("Schedule an announcement at most a year ahead.")})
    return publish_at


@transaction.atomic
def post_edit(
    *, actor: Person, post: Post, title: str, body: str, files_added=(), files_removed: list[int] = ()
) -> Post:
    """The author changes their post; the replaced version is kept as a PostRevision.
    ``files_added`` are attached (five at most in all); the attachments whose ids are in
    ``files_removed`` are deleted, their files too. An edit is not a new contribution: no
    event."""
    _require_present(actor)
    if not access.may_edit_post(actor, post):
        raise PermissionDenied(_("Only the author may edit this post."))
    title, body = _clean_post(kind=post.kind, title=title, body=body)
    removed = list(Attachment.objects.filter(post=post, pk__in=[int(pk) for pk in files_removed or []]))
    kept = Attachment.objects.filter(post=post).exclude(pk__in=[a.pk for a in removed]).count()
    checked = _attachments_check(files_added, already=kept)
    if removed:
        Attachment.objects.filter(pk__in=[a.pk for a in removed]).delete()
        names, storage = [a.file.name for a in removed], Attachment._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in names])
    _attachments_store(post, checked)
    if title == post.title and body == post.body:
        return post
    body_html, mentioned, tags = _written(body)
    now = timezone.now()
    PostRevision.objects.create(post=post, title=post.title, body=post.body, edited_at=now, editor=actor)
    post.title, post.body, post.body_html, post.edited_at = title, body, body_html, now
    post.save(update_fields=["title", "body", "body_html", "edited_at"])
    _tags_set(post, tags)
    _mentions_record(actor=actor, post=post, people=mentioned)
    index_update(post)
    return post


@transaction.atomic
def post_delete(*, actor: Person, post: Post) -> Post:
    """Delete a post (kept, hidden from everyone): its author or the space's managers."""
    _require_present(actor)
    if not access.may_delete_post(actor, post):
        raise PermissionDenied(_("Only the author or the managers of this space may delete this post."))
    post.deleted_at = timezone.now()
    post.deleted_by = actor
    post.save(update_fields=["deleted_at", "deleted_by"])
    index_remove(post)
    unread_counts_forget()  # notifications about it no longer count
    return post


@transaction.atomic
def post_pin(*, actor: Person, post: Post, pinned: bool = True) -> Post:
    """Pin a post at the top of its space, or unpin it: the space's managers."""
    _require_present(actor)
    if not access.may_pin_post(actor, post):
        raise PermissionDenied(_("Only the managers of this space may pin posts."))
    post.pinned_at = timezone.now() if pinned else None
    post.save(update_fields=["pinned_at"])
    return post


# ---------------------------------------------------------------------------------------
# Comments, reactions, shares
# ---------------------------------------------------------------------------------------


def _clean_comment(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something before sending your comment.")})
    if len(body) > COMMENT_BODY_MAX_LENGTH:
        raise ValidationError(
            {
                "body": _("A comment has at most %(limit)s characters; this one has %(count)s.")
                % {"limit": f"{COMMENT_BODY_MAX_LENGTH:,}", "count": f"{len(body):,}"}
            }
        )
    return body


def is_answer(post: Post, parent: Comment | None) -> bool:
    """A top-level comment on a question is an answer."""
    return post.kind == PostKind.QUESTION and parent is None


def answered_refresh(post_ids=None) -> int:
    """Recompute ``Post.answered_at`` of the questions ``post_ids`` (every question when
    None): the moment of the first top-level comment by someone else than the asker that
    is neither deleted nor hidden by a moderator, or NULL. Called in their transaction by
    the actions that create, delete, hide or restore a comment, and by bulk loaders.
    Returns how many questions were looked at."""
    from .queries import _not_hidden

    first_answer = (
        Comment.objects.filter(post=OuterRef("pk"), parent__isnull=True, deleted_at__isnull=True)
        .filter(_not_hidden())
        .exclude(author=OuterRef("author"))
        .order_by("created_at", "pk")
        .values("created_at")[:1]
    )
    questions = Post.objects.filter(kind=PostKind.QUESTION)
    if post_ids is not None:
        questions = questions.filter(pk__in=post_ids)
    return questions.update(answered_at=Subquery(first_answer))


@transaction.atomic
def comment_create(*, actor: Person, post: Post, body: str, parent: Comment | None = None) -> Comment:
    """Comment on ``post``, or reply to one of its top-level comments (``parent``).

    Records ``answer`` for a top-level comment on a question, ``comment`` otherwise. The
    post's author is told (``answer`` or ``reply``), and the parent comment's author
    (``reply``)."""
    _require_present(actor)
    body = _clean_comment(body)
    if not access.may_comment(actor, post):
        if post.space_id is not None and post.space.is_archived:
            raise PermissionDenied(_("This space is archived: nobody comments in it any more."))
        raise PermissionDenied(_("You may not comment on this post."))
    if parent is not None:
        if parent.post_id != post.pk or parent.deleted_at is not None:
            raise ValidationError(_("This comment is no longer there."))
        if parent.parent_id is not None:
            raise ValidationError(_("Reply to the comment at the top of the thread: replies are not replied to."))
    body_html, mentioned, _tags = _written(body)
    now = timezone.now()
    comment = Comment.objects.create(
        post=post, author=actor, parent=parent, body=body, body_html=body_html, created_at=now
    )
    _mentions_record(actor=actor, post=post, comment=comment, people=mentioned)
    answer = is_answer(post, parent)
    event_record(person=actor, kind=EventKind.ANSWER if answer else EventKind.COMMENT, about=comment, occurred_at=now)
    if answer and post.answered_at is None and actor.pk != post.author_id:
        answered_refresh([post.pk])
        post.answered_at = now
    told = set()
    if parent is not None:
        notification_send(
            recipient=parent.author, kind=NotificationKind.REPLY, actor=actor, space=post.space, post=post, comment_id=comment.pk
        )
        told.add(parent.author_id)
    if post.author_id not in told:
        notification_send(
            recipient=post.author,
            kind=NotificationKind.ANSWER if answer else NotificationKind.REPLY,
            actor=actor,
            space=post.space,
            post=post,
            comment_id=comment.pk,
        )
    index_update(comment)
    return comment


@transaction.atomic
def comment_edit(*, actor: Person, comment: Comment, body: str) -> Comment:
    """The author changes their comment. Not a new contribution: no event."""
    _require_present(actor)
    if not access.may_edit_comment(actor, comment):
        raise PermissionDenied(_("Only the author may edit this comment."))
    body = _clean_comment(body)
    if body == comment.body:
        return comment
    body_html, mentioned, _tags = _written(body)
    comment.body, comment.body_html, comment.edited_at = body, body_html, timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    _mentions_record(actor=actor, post=comment.post, comment=comment, people=mentioned)
    index_update(comment)
    return comment


@transaction.atomic
def comment_delete(*, actor: Person, comment: Comment) -> Comment:
    """Delete a comment (kept, hidden): its author or the space's managers. Its replies stay
    under a "deleted comment" line."""
    _require_present(actor)
    if not access.may_delete_comment(actor, comment):
        raise PermissionDenied(_("Only the author or the managers of this space may delete this comment."))
    comment.deleted_at = timezone.now()
    comment.deleted_by = actor
    comment.save(update_fields=["deleted_at", "deleted_by"])
    if comment.parent_id is None:
        answered_refresh([comment.post_id])
    index_remove(comment)
    unread_counts_forget()
    return comment


@transaction.atomic
def reaction_toggle(*, actor: Person, post: Post, kind: str, comment: Comment | None = None) -> bool:
    """Add the reaction ``kind`` of ``actor`` to ``post`` (or to its ``comment``), or take it
    back when it is already there (undo). Returns whether the reaction is now there.
    Records ``react`` when added only."""
    _require_present(actor)
    if kind not in ReactionKind.values:
        raise ValidationError(_("Choose a reaction from the list."))
    if not access.may_react(actor, post):
        raise PermissionDenied(_("You may not react to this post."))
    if comment is not None and (comment.post_id != post.pk or comment.deleted_at is not None):
        raise ValidationError(_("This comment is no longer there."))
    existing = Reaction.objects.select_for_update().filter(person=actor, post=post, comment=comment, kind=kind)
    if existing.exists():
        existing.delete()
        return False
    now = timezone.now()
    Reaction.objects.create(person=actor, post=post, comment=comment, kind=kind, created_at=now)
    event_record(person=actor, kind=EventKind.REACT, about=comment or post, occurred_at=now)
    return True


@transaction.atomic
def post_share(*, actor: Person, post: Post, space: Space | None, body: str = "") -> Post:
    """Share ``post`` into ``space`` (or on the actor's profile when None), with the
    actor's words; records ``share``. Sharing a share shares its original. Readers of the
    share who may not read the original see that it is not available to them."""
    _require_present(actor)
    if post.shared_post_id is not None:
        original = post.shared_post
        if original is None or not access.may_share(actor, original):
            raise PermissionDenied(_("You may not share this post."))
        post = original
    if not access.may_share(actor, post):
        raise PermissionDenied(_("You may not share this post."))
    body = (body or "").strip()
    if len(body) > POST_BODY_MAX_LENGTH:
        raise ValidationError(
            {"body": _("A post has at most %(limit)s characters; this one has %(count)s.")
             % {"limit": f"{POST_BODY_MAX_LENGTH:,}", "count": f"{len(body):,}"}}
        )
    if not access.may_post(actor, space, PostKind.DISCUSSION):
        if space is not None and space.is_archived:
            raise PermissionDenied(_("This space is archived: nobody posts in it any more."))
        raise PermissionDenied(_("Join this space to share in it."))
    body_html, mentioned, tags = _written(body)
    now = timezone.now()
    share = Post.objects.create(
        space=space,
        author=actor,
        kind=PostKind.DISCUSSION,
        body=body,
        body_html=body_html,
        shared_post=post,
        created_at=now,
    )
    event_record(person=actor, kind=EventKind.SHARE, about=share, occurred_at=now)
    _tags_set(share, tags)
    _mentions_record(actor=actor, post=share, people=mentioned)
    index_update(share)
    return share


# ---------------------------------------------------------------------------------------
# Questions
# ---------------------------------------------------------------------------------------


@transaction.atomic
def answer_accept(*, actor: Person, post: Post, comment: Comment) -> Post:
    """The asker or a manager of the space accepts ``comment`` as the answer to the
    question ``post`` (replacing an earlier choice); its author is told (``accepted``).

    No ledger event: DESIGN.md has no kind for it, and the answer itself was recorded
    (``answer``) when it was written."""
    _require_present(actor)
    if not access.may_accept_answer(actor, post):
        raise PermissionDenied(_("Only the person who asked, or a manager of this space, accepts an answer."))
    if comment.post_id != post.pk or comment.deleted_at is not None or comment.parent_id is not None:
        raise ValidationError(_("Choose one of the answers to this question."))
    if comment.author_id == post.author_id:
        raise ValidationError(_("An answer by the person who asked cannot be the accepted one."))
    if post.accepted_comment_id == comment.pk:
        return post
    post.accepted_comment = comment
    post.save(update_fields=["accepted_comment"])
    notification_send(
        recipient=comment.author, kind=NotificationKind.ACCEPTED, actor=actor, space=post.space, post=post, comment_id=comment.pk
    )
    return post


def questions_overdue_notify(*, now=None) -> tuple[int, int]:
    """Tell the managers of a space, once, about each question of it that is still without
    answer after its delay (``overdue_question``); after a second delay as long as the
    first, tell the space's referents (``network.referents.space_referents``), once.
    Returns how many questions reached (managers, referents).

    Each question is handled in its own transaction and claimed with a conditional update,
    so that two workers running at once never tell anybody twice."""
    from .queries import overdue_questions_to_notify, questions_for_referents

    now = now or timezone.now()
    managers_told = referents_told = 0
    for post in overdue_questions_to_notify(now):
        with transaction.atomic():
            if not Post.objects.filter(pk=post.pk, overdue_notified_at__isnull=True).update(overdue_notified_at=now):
                continue
            for manager in _managers(post.space):
                notification_send(recipient=manager, kind=NotificationKind.OVERDUE_QUESTION, space=post.space, post=post)
            managers_told += 1
    for post in questions_for_referents(now):
        second_due = add_working_days(post.due_at, post.space.answer_delay_days)
        if second_due > now:
            continue
        with transaction.atomic():
            if not Post.objects.filter(pk=post.pk, referent_notified_at__isnull=True).update(referent_notified_at=now):
                continue
            referents = space_referents(post.space)
            for referent in referents:
                notification_send(recipient=referent, kind=NotificationKind.OVERDUE_QUESTION, space=post.space, post=post)
            referents_told += bool(referents)
    return managers_told, referents_told


# ---------------------------------------------------------------------------------------
# Follows and the feed
# ---------------------------------------------------------------------------------------


def _follow_target(actor: Person, *, person=None, space=None, tag=None) -> dict:
    targets = {k: v for k, v in {"person": person, "space": space, "tag": tag}.items() if v is not None}
    if len(targets) != 1:
        raise ValidationError(_("Follow one colleague, space or tag at a time."))
    if person is not None and (person.pk == actor.pk or person.is_departed):
        raise ValidationError(_("You cannot follow this person."))
    if space is not None and not access.may_read_space(actor, space):
        raise PermissionDenied(_("Join this space to follow it."))
    return targets


@transaction.atomic
def follow(*, actor: Person, person: Person | None = None, space: Space | None = None, tag=None) -> Follow:
    """Follow a colleague, a space (one may read) or a tag; records ``follow``. Following
    again changes nothing."""
    _require_present(actor)
    targets = _follow_target(actor, person=person, space=space, tag=tag)
    existing = Follow.objects.filter(follower=actor, **targets).first()
    if existing is not None:
        return existing
    (about,) = targets.values()
    now = timezone.now()
    created = Follow.objects.create(follower=actor, created_at=now, **targets)
    event_record(person=actor, kind=EventKind.FOLLOW, about=about, occurred_at=now)
    return created


@transaction.atomic
def unfollow(*, actor: Person, person: Person | None = None, space: Space | None = None, tag=None) -> None:
    """Stop following (no event)."""
    _require_present(actor)
    targets = {k: v for k, v in {"person": person, "space": space, "tag": tag}.items() if v is not None}
    if len(targets) != 1:
        raise ValidationError(_("Follow one colleague, space or tag at a time."))
    Follow.objects.filter(follower=actor, **targets).delete()


def feed_seen(*, actor: Person, at=None):
    """Remember that ``actor`` saw their feed up to ``at``; returns the previous moment
    (None the first time), so that the page marks what is new since.

    One statement on every home page: the UPDATE moves the mark and keeps the one it
    replaces, which it returns (a read then an update was two round trips; a transaction
    around a locked read, four). The first time, the row is created."""
    at = at or timezone.now()
    table = FeedCursor._meta
    quote = connection.ops.quote_name
    seen, previous, person = (quote(table.get_field(name).column) for name in ("seen_at", "previous_seen_at", "person"))
    # A raw queryset, for the fields' conversions of what RETURNING gives back.
    moved = FeedCursor.objects.raw(
        f"UPDATE {quote(table.db_table)} SET {previous} = {seen}, {seen} = %s WHERE {person} = %s "
        f"RETURNING {person}, {previous}",
        [at, actor.pk],
    )
    for cursor in moved:
        return cursor.previous_seen_at
    with transaction.atomic():
        FeedCursor.objects.update_or_create(person=actor, defaults={"seen_at": at})
    return None


# ---------------------------------------------------------------------------------------
# Reading and visiting: recorded at most once per person and object (or person) and day.
# One indexed lookup answers "already recorded" (for a visit, a cache key even spares it);
# the unique key of the table keeps it exact when two requests arrive at once (the second
# insert fails inside a savepoint and records nothing).
# ---------------------------------------------------------------------------------------


def _local_day(now):
    return timezone.localdate(now)


def post_read(*, actor: Person, post: Post, now=None) -> bool:
    """``actor`` opened ``post``: records ``read`` once per person, post and day.
    Returns whether it was recorded now."""
    if actor is None or actor.is_departed:
        return False
    now = now or timezone.now()
    day = _local_day(now)
    # The common case (already read today) is this one indexed query.
    if PostRead.objects.filter(person=actor, post=post, day=day).exists():
        return False
    try:
        with transaction.atomic():
            PostRead.objects.create(person=actor, post=post, day=day)
            event_record(person=actor, kind=EventKind.READ, about=post, occurred_at=now)
    except IntegrityError:
        return False
    return True


def visit_record(*, actor: Person, now=None) -> bool:
    """``actor`` came to the network: records ``visit`` once per person and day. A cache
    key per person and day answers the later requests of the day without the database."""
    if actor is None or actor.is_departed:
        return False
    now = now or timezone.now()
    day = _local_day(now)
    key = f"network:visit:{actor.pk}:{day.isoformat()}"
    if cache.get(key):
        return False
    try:
        with transaction.atomic():
            DailyVisit.objects.create(person=actor, day=day)
            event_record(person=actor, kind=EventKind.VISIT, occurred_at=now)
        recorded = True
    except IntegrityError:
        recorded = False
    cache.set(key, True, 26 * 3600)
    return recorded


# ---------------------------------------------------------------------------------------
# Announcements: scheduled publication and read confirmations.
# ---------------------------------------------------------------------------------------


def announcements_publish(*, now=None) -> int:
    """For each scheduled post whose moment came: index it (and its comments) for search,
    and tell the people it mentions who may now read it. Returns how many posts came out.

    Readers see a scheduled post as soon as ``publish_at`` passes (``access.visible_posts``
    compares it with the clock): this only does what cannot be a filter. Each post is
    handled in its own transaction and claimed with a conditional update, so that two
    workers running at once never tell anybody twice."""
    from .queries import announcements_to_publish

    now = now or timezone.now()
    published = 0
    for post in announcements_to_publish(now):
        with transaction.atomic():
            if not Post.objects.filter(pk=post.pk, published_notified_at__isnull=True).update(published_notified_at=now):
                continue
            if post.deleted_at is None:
                mentioned = Person.objects.filter(pk__in=Mention.objects.filter(post=post).values("person"))
                for person in mentioned.order_by("pk"):
                    if person.pk != post.author_id and access.may_read_post(person, post):
                        notification_send(
                            recipient=person, kind=NotificationKind.MENTION, actor=post.author, space=post.space, post=post
                        )
                index_update(post)
                for comment in post.comments.filter(deleted_at__isnull=True).select_related("post"):
                    index_update(comment)
            published += 1
    return published


@transaction.atomic
def announcement_confirm(*, actor: Person, post: Post, now=None) -> ReadConfirmation:
    """``actor`` confirms having read the announcement ``post`` (once; confirming again
    changes nothing). Records ``read`` unless already recorded today (``post_read``)."""
    _require_present(actor)
    if not access.may_confirm_read(actor, post):
        raise PermissionDenied(_("This announcement does not ask you for a read confirmation."))
    now = now or timezone.now()
    confirmation, _created = ReadConfirmation.objects.get_or_create(
        post=post, person=actor, defaults={"confirmed_at": now}
    )
    post_read(actor=actor, post=post, now=now)
    return confirmation
