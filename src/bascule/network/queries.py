"""Reads about spaces and posts, for pages (and later the API and the feed).

Everything starts from the querysets of ``bascule.access``; nothing here decides who may
see what. List queries fetch what their template shows in a fixed number of queries.
"""

from dataclasses import dataclass

from django.db.models import BooleanField, Case, Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value, When

from bascule.access import readable_spaces_q, visible_people, visible_posts, visible_spaces
from bascule.people.models import BusinessUnit, Country, Department, LegalEntity, Person, Site

from .models import AudienceField, Membership, MembershipStatus, Post, PostRevision, Space, SpaceKind

AUDIENCE_MODELS = {
    AudienceField.DEPARTMENT: Department,
    AudienceField.BUSINESS_UNIT: BusinessUnit,
    AudienceField.LEGAL_ENTITY: LegalEntity,
    AudienceField.COUNTRY: Country,
    AudienceField.SITE: Site,
}


def _active_member_count() -> Subquery:
    return Subquery(
        Membership.objects.filter(space=OuterRef("pk"), status=MembershipStatus.ACTIVE, person__departed_on__isnull=True)
        .order_by()
        .values("space")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def space_directory(viewer: Person, *, kind: str = "") -> QuerySet[Space]:
    """The spaces ``viewer`` may know, theirs first, then by name, in one query.

    Each space carries ``my_status`` (the viewer's membership status or None),
    ``can_read``, and ``member_count`` — None where the viewer may not read the space, so
    that no count of a private space reaches an outsider.
    """
    spaces = visible_spaces(viewer)
    if kind in SpaceKind.values:
        spaces = spaces.filter(kind=kind)
    readable = readable_spaces_q(viewer)
    return spaces.annotate(
        my_status=Subquery(Membership.objects.filter(space=OuterRef("pk"), person=viewer).values("status")[:1]),
        can_read=Case(When(readable, then=Value(True)), default=Value(False), output_field=BooleanField()),
        member_count=Case(When(readable, then=_active_member_count()), default=Value(None), output_field=IntegerField()),
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
    return Membership.objects.filter(
        space=space, status=MembershipStatus.ACTIVE, person__departed_on__isnull=True
    ).count()


def space_posts(viewer: Person, space: Space) -> QuerySet[Post]:
    """The posts of ``space`` that ``viewer`` may read: pinned first, then newest first."""
    return (
        visible_posts(viewer)
        .filter(space=space)
        .select_related("author")
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
