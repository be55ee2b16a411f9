"""Reads of the accompaniment programs: roles and scopes, who can help whom, requests.

Scopes follow the rule of a space's audience (``network.models.SpaceAudience``): an
assignment without scope rows covers everyone; with rows, a person is in the scope when,
for every field listed, their value is one of the listed values (fields AND, values OR).
Days are calendar days in the organisation's time zone.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from bascule import access
from bascule.adoption.ledger import local_day
from bascule.network.models import MANAGING_ROLES, Membership, MembershipStatus, Space, Visibility
from bascule.people.models import BusinessUnit, Country, Department, LegalEntity, Person, Site

from .descriptions import DEFAULT_DESCRIPTIONS
from .models import (
    OPEN_STATUSES,
    Request,
    RequestComment,
    RequestKind,
    RequestRecipient,
    RoleAssignment,
    RoleDescription,
    RoleKind,
    RoleScope,
    ScopeField,
)

SCOPE_FIELDS = tuple(ScopeField.values)
# The model behind each scope field, to name its values.
SCOPE_MODELS = {
    ScopeField.DEPARTMENT: Department,
    ScopeField.BUSINESS_UNIT: BusinessUnit,
    ScopeField.LEGAL_ENTITY: LegalEntity,
    ScopeField.COUNTRY: Country,
    ScopeField.SITE: Site,
}


def today() -> datetime.date:
    """Today in the organisation's time zone."""
    return local_day(timezone.now())


# ---------------------------------------------------------------------------------------
# Roles and scopes
# ---------------------------------------------------------------------------------------


def active_q(day: datetime.date, prefix: str = "") -> Q:
    """Condition on RoleAssignment (through ``prefix``): active on ``day``."""
    return Q(**{f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day})
    )


def scope_of(assignment: RoleAssignment) -> dict[str, set[int]]:
    """``{field: {ids}}`` of an assignment's scope; empty for everyone. Uses the
    prefetched ``scope`` rows when there are."""
    scope: dict[str, set[int]] = defaultdict(set)
    for row in assignment.scope.all():
        scope[row.field].add(row.value)
    return dict(scope)


def _person_in_scope(scope: dict[str, set[int]], person: Person) -> bool:
    return all(getattr(person, f"{name}_id") in values for name, values in scope.items())


def scope_contains(assignment: RoleAssignment, person: Person) -> bool:
    """Whether ``person`` is in the scope of ``assignment`` (whatever its dates)."""
    return _person_in_scope(scope_of(assignment), person)


def _scope_filter(scope: dict[str, set[int]], prefix: str = "") -> Q:
    """Condition on Person (through ``prefix``) for the people of ``scope``."""
    condition = Q()
    for name, values in scope.items():
        condition &= Q(**{f"{prefix}{name}_id__in": sorted(values)})
    return condition


def people_in_scope(assignment: RoleAssignment) -> QuerySet[Person]:
    """The people, still with us, in the scope of ``assignment``."""
    return Person.objects.filter(departed_on__isnull=True).filter(_scope_filter(scope_of(assignment)))


def _covers(person: Person) -> Exists:
    """SQL condition on RoleAssignment: its scope contains ``person`` — there is no field
    listed in its scope for which no row holds the person's value."""
    return RoleScope.covers(person, "assignment")


def roles_for(person: Person, kind: str | None = None, day: datetime.date | None = None) -> QuerySet[RoleAssignment]:
    """The role assignments ``person`` holds on ``day`` (today by default), of ``kind``
    or of every kind, with their scope rows."""
    assignments = RoleAssignment.objects.filter(person=person).filter(active_q(day or today()))
    if kind is not None:
        assignments = assignments.filter(kind=kind)
    return assignments.prefetch_related("scope")


def holds_role(person: Person | None, kind: str, day: datetime.date | None = None) -> bool:
    """Whether ``person`` holds a role of ``kind`` on ``day``, whatever its scope."""
    if person is None or person.pk is None:
        return False
    return RoleAssignment.objects.filter(person=person, kind=kind).filter(active_q(day or today())).exists()


def holders_for(person: Person, kind: str, day: datetime.date | None = None) -> QuerySet[Person]:
    """The people still with us who hold a role of ``kind`` on ``day`` with a scope that
    contains ``person`` (my referents, the ambassadors of my site…), in one SQL query."""
    covering = RoleAssignment.objects.filter(person=OuterRef("pk"), kind=kind).filter(active_q(day or today()))
    covering = covering.filter(_covers(person))
    return Person.objects.filter(departed_on__isnull=True).filter(Exists(covering))


def administrators() -> list[Person]:
    """The people requests fall back to: the holders of the administrator role, else the
    Django superusers who have a person."""
    holders = list(
        Person.objects.filter(departed_on__isnull=True, user__is_active=True).filter(
            Exists(RoleAssignment.objects.filter(person=OuterRef("pk"), kind=RoleKind.ADMINISTRATOR).filter(active_q(today())))
        )
    )
    if holders:
        return holders
    return list(Person.objects.filter(departed_on__isnull=True, user__is_active=True, user__is_superuser=True))


def is_administrator(person: Person | None) -> bool:
    """Administrators of the programs: holders of the administrator role, and the
    operators of the platform (Django staff)."""
    if person is None or person.pk is None or person.is_departed:
        return False
    return person.user.is_staff or person.user.is_superuser or holds_role(person, RoleKind.ADMINISTRATOR)


def _values_names(scopes: list[dict[str, set[int]]]) -> dict[tuple[str, int], str]:
    """Names of every value of ``scopes``, one query per field that appears."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for scope in scopes:
        for name, values in scope.items():
            wanted[name] |= values
    names = {}
    for name, ids in wanted.items():
        for pk, label in SCOPE_MODELS[name].objects.filter(pk__in=ids).values_list("pk", "name"):
            names[(name, pk)] = label
    return names


def scope_words(scope: dict[str, set[int]], names: dict[tuple[str, int], str]) -> str:
    """A scope in words: "Sales · Lyon", "Sales or Marketing · Lyon", "Everyone"."""
    if not scope:
        return _("Everyone")
    parts = []
    for name in SCOPE_FIELDS:
        if name in scope:
            labels = sorted(names.get((name, value), "?") for value in scope[name])
            parts.append(_(" or ").join(labels))
    return " · ".join(parts)


def describe_scopes(assignments) -> None:
    """Set ``scope_words`` on each of ``assignments`` (scope rows prefetched)."""
    scopes = [scope_of(assignment) for assignment in assignments]
    names = _values_names(scopes)
    for assignment, scope in zip(assignments, scopes):
        assignment.scope_words = scope_words(scope, names)


def role_descriptions() -> dict[str, str]:
    """{kind: description} in the current language: the administrators' words, else the
    other language's, else the default."""
    written = {row.kind: row for row in RoleDescription.objects.all()}
    french = (get_language() or "en").startswith("fr")
    descriptions = {}
    for kind in RoleKind.values:
        row = written.get(kind)
        text = ""
        if row is not None:
            text = (row.description_fr or row.description_en) if french else (row.description_en or row.description_fr)
        descriptions[kind] = text or str(DEFAULT_DESCRIPTIONS[kind])
    return descriptions


def role_description_rows() -> dict[str, RoleDescription | None]:
    """{kind: the administrators' RoleDescription or None}, for the edit forms."""
    written = {row.kind: row for row in RoleDescription.objects.all()}
    return {kind: written.get(kind) for kind in RoleKind.values}


@dataclass
class RoleGroup:
    kind: str
    label: str
    description: str
    assignments: list = field(default_factory=list)


def governance(day: datetime.date | None = None, include_past: bool = False) -> list[RoleGroup]:
    """Every role with its description and its holders (current and future; past too
    with ``include_past``), scopes described in words. Three queries plus one per field
    named in a scope."""
    day = day or today()
    assignments = RoleAssignment.objects.select_related("person").prefetch_related("scope")
    if not include_past:
        assignments = assignments.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    assignments = list(assignments.order_by("kind", "person__display_name", "starts_on", "pk"))
    describe_scopes(assignments)
    descriptions = role_descriptions()
    groups = {kind: RoleGroup(kind, label, descriptions[kind]) for kind, label in RoleKind.choices}
    for assignment in assignments:
        assignment.is_active = assignment.is_active_on(day)
        groups[assignment.kind].assignments.append(assignment)
    return list(groups.values())


def scope_choices() -> dict[str, list[tuple[int, str]]]:
    """{field: [(id, name)]}: the values a scope may be limited to."""
    return {name: list(model.objects.values_list("pk", "name")) for name, model in SCOPE_MODELS.items()}


# ---------------------------------------------------------------------------------------
# Who can help me
# ---------------------------------------------------------------------------------------


@dataclass
class Helper:
    person: Person
    kind: str
    label: str
    description: str
    # For a manager of my spaces: the spaces they run.
    spaces: list = field(default_factory=list)


@dataclass
class HelpPage:
    referents: list[Helper]
    ambassadors: list[Helper]
    community_managers: list[Helper]
    fallback: list[Helper]

    @property
    def is_empty(self) -> bool:
        return not (self.referents or self.ambassadors or self.community_managers)


def who_can_help(person: Person) -> HelpPage:
    """My referents, the ambassadors of my scope, and the community managers of my
    spaces (the holders of that role covering me, and the owners and managers of the
    spaces I am an active member of). With nobody to show, the administrators."""
    descriptions = role_descriptions()
    labels = dict(RoleKind.choices)

    def helpers(people, kind):
        return [Helper(p, kind, labels[kind], descriptions[kind]) for p in people if p.pk != person.pk]

    referents = helpers(holders_for(person, RoleKind.REFERENT), RoleKind.REFERENT)
    ambassadors = helpers(holders_for(person, RoleKind.AMBASSADOR), RoleKind.AMBASSADOR)
    managers: dict[int, Helper] = {
        helper.person.pk: helper
        for helper in helpers(holders_for(person, RoleKind.COMMUNITY_MANAGER), RoleKind.COMMUNITY_MANAGER)
    }
    my_spaces = Membership.objects.filter(person=person, status=MembershipStatus.ACTIVE, space__archived_at__isnull=True)
    running = (
        Membership.objects.filter(
            space__in=my_spaces.values("space"), status=MembershipStatus.ACTIVE, role__in=MANAGING_ROLES,
            person__departed_on__isnull=True,
        )
        .exclude(person=person)
        .select_related("person", "space")
        .order_by("person__display_name", "space__name")
    )
    for membership in running:
        helper = managers.get(membership.person_id)
        if helper is None:
            helper = managers[membership.person_id] = Helper(
                membership.person, RoleKind.COMMUNITY_MANAGER, labels[RoleKind.COMMUNITY_MANAGER],
                descriptions[RoleKind.COMMUNITY_MANAGER],
            )
        helper.spaces.append(membership.space)
    community_managers = sorted(managers.values(), key=lambda h: h.person.display_name)
    page = HelpPage(referents, ambassadors, community_managers, [])
    if page.is_empty or not referents:
        page.fallback = helpers(administrators(), RoleKind.ADMINISTRATOR)
    return page


# ---------------------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------------------


def request_routing(requester: Person) -> tuple[list[Person], bool]:
    """Who a request of ``requester`` goes to: the referents whose scope contains them,
    else the administrators; and whether it fell back."""
    referents = [p for p in holders_for(requester, RoleKind.REFERENT) if p.pk != requester.pk]
    if referents:
        return referents, False
    return [p for p in administrators() if p.pk != requester.pk] or administrators(), True


def may_handle_request(person: Person | None, request: Request) -> bool:
    """Whether ``person`` may move ``request`` along: a person it was routed to, a
    referent whose scope contains the requester today, or an administrator."""
    if person is None or person.pk is None or person.is_departed:
        return False
    if RequestRecipient.objects.filter(request=request, person=person).exists():
        return True
    if any(scope_contains(a, request.requester) for a in roles_for(person, RoleKind.REFERENT)):
        return True
    return is_administrator(person)


def may_see_request(person: Person | None, request: Request) -> bool:
    """The requester, and whoever may handle it."""
    if person is None or person.pk is None or person.is_departed:
        return False
    return request.requester_id == person.pk or may_handle_request(person, request)


def request_for(person: Person | None, request_id) -> Request | None:
    """The request ``request_id`` with its requester and spaces, if ``person`` may see
    it; else None (the page answers 404: a request is nobody else's business)."""
    try:
        request = Request.objects.select_related("requester", "space", "created_space", "decided_by").get(pk=request_id)
    except (Request.DoesNotExist, ValueError, TypeError):
        return None
    return request if may_see_request(person, request) else None


def space_access_state(request: Request) -> str:
    """For a request of access to a space: where the requester stands in it now, as
    shown ("Member", "Invited", "Asked to join"), or "" (none, or they left)."""
    if request.kind != RequestKind.SPACE_ACCESS or request.space_id is None:
        return ""
    status = (
        Membership.objects.filter(space_id=request.space_id, person_id=request.requester_id)
        .exclude(status=MembershipStatus.LEFT)
        .values_list("status", flat=True)
        .first()
    )
    return str(MembershipStatus(status).label) if status else ""


def request_thread(request: Request) -> list[RequestComment]:
    """The messages of a request, oldest first, with their authors."""
    return list(RequestComment.objects.filter(request=request).select_related("author"))


def request_recipients(request: Request) -> list[Person]:
    return list(Person.objects.filter(pk__in=RequestRecipient.objects.filter(request=request).values("person")))


def requests_of(person: Person) -> QuerySet[Request]:
    """My requests, newest first."""
    return Request.objects.filter(requester=person).select_related("space", "created_space")


def inbox(person: Person, now=None) -> QuerySet[Request]:
    """The requests routed to ``person``: open ones first, the overdue at the top (oldest
    due first), then the others, newest first."""
    now = now or timezone.now()
    routed = Request.objects.filter(Exists(RequestRecipient.objects.filter(request=OuterRef("pk"), person=person)))
    return routed.select_related("requester", "space").order_by(
        F("decided_at").asc(nulls_first=True), "due_at", "-created_at"
    )


def overdue_requests(person: Person, now=None) -> QuerySet[Request]:
    """Requests routed to ``person`` still waiting for a decision after their delay."""
    now = now or timezone.now()
    return inbox(person, now).filter(status__in=OPEN_STATUSES, due_at__lt=now)


def requestable_spaces(person: Person) -> QuerySet[Space]:
    """Private spaces ``person`` may know exist and is not an active member of: the ones
    an access request may be about. Secret spaces never appear."""
    return (
        access.visible_spaces(person)
        .filter(visibility=Visibility.PRIVATE, archived_at__isnull=True)
        .exclude(Exists(Membership.objects.filter(space=OuterRef("pk"), person=person, status=MembershipStatus.ACTIVE)))
        .order_by("name")
    )


@dataclass
class ScopeVolume:
    """Requests filed by the people of one scope. Counts below the smallest group size
    are None (shown as "fewer than k")."""

    scope_words: str
    filed: int | None
    requesters: int | None
    open: int | None
    overdue: int | None
    handled: int | None
    average_days: float | None

    @property
    def counts(self) -> list[int | None]:
        return [self.filed, self.requesters, self.open, self.overdue, self.handled]


def _k_anonymous(value: int, k: int) -> int | None:
    return value if value == 0 or value >= k else None


def volumes_by_scope(person: Person, now=None) -> list[ScopeVolume]:
    """For each scope ``person`` is referent of (every referent's scope for an
    administrator, and everyone): requests filed, requesters, still open, overdue,
    handled, and the average days to a decision. k-anonymous: every count below
    ``BASCULE_MIN_GROUP_SIZE`` is hidden (a handful of requests from a small scope
    points at people), with the complementary cell of open = filed − handled; the
    average delay only over at least k decisions. One query per scope."""
    now = now or timezone.now()
    k = settings.BASCULE_MIN_GROUP_SIZE
    if is_administrator(person):
        assignments = list(
            RoleAssignment.objects.filter(kind=RoleKind.REFERENT).filter(active_q(today())).prefetch_related("scope")
        )
    else:
        assignments = list(roles_for(person, RoleKind.REFERENT))
    scopes: dict[frozenset, dict[str, set[int]]] = {}
    if is_administrator(person):
        scopes[frozenset()] = {}
    for assignment in assignments:
        scope = scope_of(assignment)
        scopes[frozenset((name, frozenset(values)) for name, values in scope.items())] = scope
    names = _values_names(list(scopes.values()))
    rows = []
    for scope in scopes.values():
        requests = Request.objects.filter(_scope_filter(scope, "requester__"))
        stats = requests.aggregate(
            filed=Count("pk"),
            requesters=Count("requester", distinct=True),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_at__lt=now)),
            handled=Count("pk", filter=Q(decided_at__isnull=False)),
        )
        delays = [
            (decided - created).total_seconds() / 86400
            for created, decided in requests.filter(decided_at__isnull=False).values_list("created_at", "decided_at")
        ] if stats["handled"] >= k else []
        open_count = _k_anonymous(stats["open"], k)
        handled = _k_anonymous(stats["handled"], k)
        # filed = open + handled (+ nothing else): hiding one alone would not hide it.
        if (open_count is None) != (handled is None):
            open_count = handled = None
        rows.append(
            ScopeVolume(
                scope_words=scope_words(scope, names),
                filed=_k_anonymous(stats["filed"], k),
                requesters=_k_anonymous(stats["requesters"], k),
                open=open_count,
                overdue=_k_anonymous(stats["overdue"], k),
                handled=handled,
                average_days=round(sum(delays) / len(delays), 1) if delays else None,
            )
        )
    rows.sort(key=lambda row: (row.scope_words != _("Everyone"), row.scope_words))
    return rows


def referent_assignments(person: Person) -> list[RoleAssignment]:
    """``person``'s current referent assignments, scopes described in words."""
    assignments = list(roles_for(person, RoleKind.REFERENT))
    describe_scopes(assignments)
    return assignments


def request_delay_days() -> int:
    """Working days within which a request is expected to be decided."""
    return settings.BASCULE_REQUEST_DELAY_DAYS


def min_group_size() -> int:
    return settings.BASCULE_MIN_GROUP_SIZE


def navigation_entry(person: Person | None) -> bool:
    """Whether the "Programs" navigation entry shows for ``person``: they hold a
    governance role today, or administer the platform. Shown on every page, so cached
    for each person until their roles change (``actions.navigation_forget``) or for a
    few minutes: pages then pay no query for it."""
    if person is None or person.pk is None:
        return False
    from django.core.cache import cache

    key = f"programs:nav:{person.pk}"
    entry = cache.get(key)
    if entry is None:
        entry = bool(
            person.user.is_staff
            or person.user.is_superuser
            or RoleAssignment.objects.filter(person=person).filter(active_q(today())).exists()
        )
        cache.set(key, entry, 300)
    return entry
