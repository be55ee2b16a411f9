"""Reads of initiatives, case studies and recognition.

Who sees what (docs/architecture.md, "Initiatives and recognition"):

- an initiative is seen by its lead, by the referents and community managers whose scope
  contains the lead, and by the administrators; and only when its space is visible to the
  viewer (``access.visible_spaces``: a secret space stays unknown to non-members, the
  initiative with it);
- the launch checklist's content facts (posts, invitations, questions) are counts of the
  space's content: shown only to people who may read the space (``access.readable_spaces``);
- the blockers log is seen by the lead and by the referents whose scope contains the lead,
  nobody else (not even administrators or community managers);
- a published case study is read by every employee: it is a publication of its own,
  written to be shared and reviewed by a community manager. The space it came from is
  named and linked only for people to whom that space is visible.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from bascule import access
from bascule.adoption.models import DailyActivity
from bascule.network.models import Comment, Membership, MembershipStatus, Post, PostKind, Role, Space
from bascule.people.models import Person
from bascule.search.text import fold

from . import queries
from .models import (
    CaseStudy,
    CaseStudyStatus,
    ContributorConsent,
    Initiative,
    InitiativeBlocker,
    Recognition,
    RoleAssignment,
    RoleKind,
)

# Invitations that tick "first members invited" on the launch checklist.
MIN_INVITED = 3
# Periods offered for top contributors, in days (``periods()`` keeps those the retention
# of per-person rollups still covers).
PERIODS = (30, 90, 365)
TOP_SIZE = 10

OVERSEERS = (RoleKind.REFERENT, RoleKind.COMMUNITY_MANAGER)


def _present(person: Person | None) -> bool:
    return person is not None and person.pk is not None and not person.is_departed


def _covering_roles(person: Person, kinds) -> list[RoleAssignment]:
    return [a for a in queries.roles_for(person) if a.kind in kinds]


def _covers(person: Person, lead: Person, kinds) -> bool:
    return any(queries.scope_contains(a, lead) for a in _covering_roles(person, kinds))


def is_referent_of(person: Person | None, lead: Person) -> bool:
    """A referent whose scope contains ``lead`` today."""
    return _present(person) and _covers(person, lead, (RoleKind.REFERENT,))


def may_oversee(person: Person | None, lead: Person) -> bool:
    """Referents and community managers of the lead's scope, and administrators."""
    if not _present(person):
        return False
    return _covers(person, lead, OVERSEERS) or queries.is_administrator(person)


def may_see_blockers(person: Person | None, initiative: Initiative) -> bool:
    if not _present(person):
        return False
    return initiative.lead_id == person.pk or is_referent_of(person, initiative.lead)


def may_review(person: Person | None, case_study: CaseStudy) -> bool:
    """Community managers whose scope contains the lead, and administrators; never the
    lead themself."""
    if not _present(person) or case_study.initiative.lead_id == person.pk:
        return False
    lead = case_study.initiative.lead
    return _covers(person, lead, (RoleKind.COMMUNITY_MANAGER,)) or queries.is_administrator(person)


def _overseen_leads_q(person: Person, kinds) -> Q | None:
    """Condition on Initiative: its lead is in the scope of one of ``person``'s roles of
    ``kinds``; None when they hold none. Everything for administrators."""
    if queries.is_administrator(person):
        return Q()
    condition = None
    for assignment in _covering_roles(person, kinds):
        one = queries._scope_filter(queries.scope_of(assignment), prefix="lead__")
        condition = one if condition is None else condition | one
    return condition


def owned_spaces(person: Person) -> QuerySet[Space]:
    """Spaces ``person`` owns, not archived and not already an initiative: the ones they
    may link when launching one."""
    return (
        Space.objects.filter(
            Exists(
                Membership.objects.filter(
                    space=OuterRef("pk"), person=person, role=Role.OWNER, status=MembershipStatus.ACTIVE
                )
            ),
            archived_at__isnull=True,
        )
        .exclude(Exists(Initiative.objects.filter(space=OuterRef("pk"))))
        .order_by("name")
    )


def _with_facts(initiatives: QuerySet[Initiative], viewer: Person) -> QuerySet[Initiative]:
    """Annotate what the checklist needs, in the same query whatever the number of rows."""
    live = Post.objects.filter(space=OuterRef("space"), deleted_at__isnull=True)
    return initiatives.select_related("lead", "space").annotate(
        has_post=Exists(live),
        has_question=Exists(live.filter(kind=PostKind.QUESTION)),
        invited=Coalesce(
            Count(
                "space__memberships",
                filter=Q(space__memberships__invited_by__isnull=False)
                & Q(space__memberships__status__in=[MembershipStatus.ACTIVE, MembershipStatus.INVITED]),
                distinct=True,
            ),
            Value(0),
        ),
        readable=Exists(access.readable_spaces(viewer).filter(pk=OuterRef("space"))),
        open_blockers=Count("blockers", filter=Q(blockers__status="open"), distinct=True),
    )


def initiatives_for(viewer: Person) -> QuerySet[Initiative]:
    """The initiatives ``viewer`` leads or oversees (referent or community manager of the
    lead's scope, administrator) whose space is visible to them, newest first."""
    condition = Q(lead=viewer)
    overseen = _overseen_leads_q(viewer, OVERSEERS)
    if overseen is not None:
        condition |= overseen & Q(space__in=access.visible_spaces(viewer).values("pk"))
    return _with_facts(Initiative.objects.filter(condition), viewer).order_by("-created_at", "-pk")


def initiative_for(viewer: Person | None, initiative_id) -> Initiative | None:
    """The initiative if ``viewer`` may see it, with its checklist facts; else None (404)."""
    if not _present(viewer):
        return None
    try:
        return initiatives_for(viewer).get(pk=initiative_id)
    except (Initiative.DoesNotExist, ValueError, TypeError):
        return None


@dataclass
class ChecklistItem:
    key: str
    label: str
    done: bool | None  # None: not shown to this viewer (content of a space they cannot read)
    hint: str


def checklist(initiative: Initiative) -> list[ChecklistItem]:
    """The launch checklist of an initiative annotated by ``initiatives_for``: each item
    ticks itself from the facts of the space."""
    space, readable = initiative.space, initiative.readable
    return [
        ChecklistItem("purpose", _("Purpose"), bool(space.purpose), _("Say in one sentence what the space is for.")),
        ChecklistItem("rules", _("Rules"), bool(space.rules), _("Write the few rules members accept when joining.")),
        ChecklistItem(
            "seed", _("Seed content"), initiative.has_post if readable else None,
            _("Post something useful before inviting people: nobody likes an empty room."),
        ),
        ChecklistItem(
            "invited", _("First members invited"), initiative.invited >= MIN_INVITED if readable else None,
            _("Invite at least %(count)s colleagues who care about the project.") % {"count": MIN_INVITED},
        ),
        ChecklistItem(
            "question", _("First question asked"), initiative.has_question if readable else None,
            _("Ask a question: it is the easiest way for members to take part."),
        ),
    ]


def blockers(initiative: Initiative) -> list[InitiativeBlocker]:
    return list(initiative.blockers.select_related("author", "resolved_by"))


# ---------------------------------------------------------------------------------------
# Case studies
# ---------------------------------------------------------------------------------------


def tag_slug(name: str) -> str:
    """A business-context tag as stored: folded, words joined by hyphens."""
    return "-".join(fold(name).replace(",", " ").split())[:40]


def case_study_folded(case_study: CaseStudy) -> str:
    parts = [case_study.title, case_study.context, case_study.actions_taken, case_study.results, case_study.lessons]
    parts.append(case_study.tags.replace(",", " ").replace("-", " "))
    return fold(" ".join(parts))


def _library_rows(viewer: Person) -> QuerySet[CaseStudy]:
    return CaseStudy.objects.select_related("initiative__space", "initiative__lead", "contact").annotate(
        space_visible=Exists(access.visible_spaces(viewer).filter(pk=OuterRef("initiative__space")))
    )


def library(viewer: Person, *, text: str = "", tag: str = "") -> QuerySet[CaseStudy]:
    """Published case studies, newest first; ``text``: every word must appear, accents and
    case folded; ``tag``: one business-context tag."""
    rows = _library_rows(viewer).filter(status=CaseStudyStatus.PUBLISHED)
    for word in fold(text).split()[:10]:
        rows = rows.filter(folded__contains=word)
    if tag:
        rows = rows.filter(tags__contains=f",{tag_slug(tag)},")
    return rows.order_by("-published_at", "-pk")


def library_tags() -> list[tuple[str, int]]:
    """The business-context tags of published case studies with how many carry each."""
    counts: dict[str, int] = {}
    for tags in CaseStudy.objects.filter(status=CaseStudyStatus.PUBLISHED).values_list("tags", flat=True):
        for tag in filter(None, tags.split(",")):
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts.items())


def case_study_for(viewer: Person | None, case_study_id) -> CaseStudy | None:
    """A published case study for everyone; a draft or a submitted one for the people who
    see its initiative. Else None (404)."""
    if not _present(viewer):
        return None
    try:
        found = _library_rows(viewer).get(pk=case_study_id)
    except (CaseStudy.DoesNotExist, ValueError, TypeError):
        return None
    if found.status == CaseStudyStatus.PUBLISHED or found.initiative.lead_id == viewer.pk:
        return found
    # Before publication: the people who see the initiative (its referents, community
    # managers and administrators, if its space is visible to them).
    return found if initiatives_for(viewer).filter(pk=found.initiative_id).exists() else None


def review_queue(viewer: Person) -> QuerySet[CaseStudy]:
    """Submitted case studies ``viewer`` may review (community manager of the lead's
    scope, administrator)."""
    condition = _overseen_leads_q(viewer, (RoleKind.COMMUNITY_MANAGER,))
    if condition is None:
        return CaseStudy.objects.none()
    initiatives = Initiative.objects.filter(condition)
    return (
        _library_rows(viewer)
        .filter(status=CaseStudyStatus.SUBMITTED, initiative__in=initiatives.values("pk"))
        .exclude(initiative__lead=viewer)
        .order_by("submitted_at", "pk")
    )


# ---------------------------------------------------------------------------------------
# Recognition
# ---------------------------------------------------------------------------------------


def recognitions_of(person: Person, limit: int = 10) -> list[Recognition]:
    """The thanks ``person`` received, newest first (public, like a profile)."""
    return list(Recognition.objects.filter(recipient=person).select_related("author")[:limit])


def periods() -> list[int]:
    """The periods of ``PERIODS`` whose days are all still in the per-person rollups
    (``BASCULE_EVENT_RETENTION_DAYS``; 0 keeps everything)."""
    retention = settings.BASCULE_EVENT_RETENTION_DAYS
    return [days for days in PERIODS if not retention or days <= retention] or [PERIODS[0]]


def consents(person: Person) -> bool:
    return ContributorConsent.objects.filter(person=person, shown=True).exists()


@dataclass
class Contributor:
    person: Person
    contributions: int


def _consenting() -> QuerySet[Person]:
    return Person.objects.filter(departed_on__isnull=True, contributor_consent__shown=True)


def top_contributors(*, since: datetime.date, until: datetime.date, space: Space | None = None) -> list[Contributor]:
    """The people with the most posts, comments and answers from ``since`` to ``until``
    (both included), among those who agreed to be shown: over the network from the daily
    rollups, in a space from its posts and comments. The caller checks that the viewer may
    read ``space``."""
    people = _consenting()
    if space is None:
        rows = (
            DailyActivity.objects.filter(day__gte=since, day__lte=until, person__in=people.values("pk"))
            .values("person")
            .annotate(total=Sum(F("post") + F("comment") + F("answer")))
            .filter(total__gt=0)
            .order_by("-total", "person")[:TOP_SIZE]
        )
        totals = {row["person"]: row["total"] for row in rows}
    else:
        totals = {}
        window = Q(created_at__date__gte=since, created_at__date__lte=until, deleted_at__isnull=True)
        for model, path in ((Post, "space"), (Comment, "post__space")):
            counted = (
                model.objects.filter(window, **{path: space}, author__in=people.values("pk"))
                .values("author")
                .annotate(total=Count("pk"))
            )
            for row in counted:
                totals[row["author"]] = totals.get(row["author"], 0) + row["total"]
    found = Person.objects.in_bulk(list(totals))
    ranked = sorted(totals.items(), key=lambda item: (-item[1], found[item[0]].display_name))
    return [Contributor(found[pk], total) for pk, total in ranked[:TOP_SIZE]]
