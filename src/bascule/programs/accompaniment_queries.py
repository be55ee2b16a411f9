"""Reads of the accompaniment: playbooks, the mode, people's own choices, and the
queue of ambassadors and referents.

Privacy (DESIGN.md): an individual stage is shown to the person, and to nobody else
except an ambassador or referent whose current scope contains the person, while the
accompaniment mode is on, when the person did not opt out; each such look is logged by
the view through ``actions.journey_look_record``. Managers and HR see no stage at all:
holding the HR validator role, or being someone's manager, gives nothing here.
"""

import datetime
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bascule.adoption.models import Stage, StageChange
from bascule.network.models import Space
from bascule.people.models import Person

from .models import (
    AccompanimentAction,
    AccompanimentModeChange,
    AccompanimentPreference,
    JourneyLook,
    Nudge,
    Playbook,
    RoleAssignment,
    RoleKind,
)
from .playbooks import DEFAULT_PLAYBOOKS
from .queries import _scope_filter, active_q, describe_scopes, roles_for, scope_of, today

# The roles that accompany people, and so may see the stage of the people of their scope
# in accompaniment mode.
ACCOMPANYING_ROLES = (RoleKind.AMBASSADOR, RoleKind.REFERENT)
# Someone in participation for this long is "stuck".
STUCK_AFTER_DAYS = 8 * 7


class QueueReason:
    NEW = "new"
    STUCK = "stuck"
    SILENT = "silent"


QUEUE_REASONS = {
    QueueReason.NEW: _("New: discovering the network"),
    QueueReason.STUCK: _("Stuck: reading for eight weeks or more"),
    QueueReason.SILENT: _("Silent: no activity lately"),
}


# ---------------------------------------------------------------------------------------
# Playbooks
# ---------------------------------------------------------------------------------------


@dataclass
class ResolvedPlaybook:
    """A stage's playbook in the current language: the administrators' words, else the
    other language's, else the default."""

    stage: str
    stage_label: str
    suggestion: str
    message: str
    action: str
    resource_label: str
    resource_url: str
    space: Space | None
    edited: bool


def _pick(row: Playbook | None, name: str, french: bool, default: str) -> str:
    if row is not None:
        english, french_text = getattr(row, f"{name}_en"), getattr(row, f"{name}_fr")
        text = (french_text or english) if french else (english or french_text)
        if text:
            return text
    return str(default)


# The playbooks' rows are read by every home page (the journey card) and change when an
# administrator edits one: kept in the shared cache, forgotten by that edit, and for a
# minute at most otherwise (a space archived since stops being suggested within it).
PLAYBOOKS_CACHE_KEY = "programs:playbooks"
PLAYBOOKS_CACHE_SECONDS = 60


def playbooks_forget() -> None:
    cache.delete(PLAYBOOKS_CACHE_KEY)


def playbooks() -> dict[str, ResolvedPlaybook]:
    """{stage: playbook} for every stage, in the current language. One query, or none
    while the rows are in the cache."""
    cached = cache.get(PLAYBOOKS_CACHE_KEY)
    if cached is None:
        cached = list(Playbook.objects.select_related("space"))
        cache.set(PLAYBOOKS_CACHE_KEY, cached, PLAYBOOKS_CACHE_SECONDS)
    rows = {row.stage: row for row in cached}
    french = (get_language() or "en").startswith("fr")
    resolved = {}
    for stage, label in Stage.choices:
        row, default = rows.get(stage), DEFAULT_PLAYBOOKS[stage]
        resource_url = (row.resource_url if row is not None and row.resource_url else "") or str(default.resource_url)
        resolved[stage] = ResolvedPlaybook(
            stage=stage,
            stage_label=str(label),
            suggestion=_pick(row, "suggestion", french, default.suggestion),
            message=_pick(row, "message", french, default.message),
            action=_pick(row, "action", french, default.action),
            resource_label=_pick(row, "resource_label", french, default.resource_label),
            resource_url=resource_url,
            space=row.space if row is not None and row.space and row.space.archived_at is None else None,
            edited=row is not None,
        )
    return resolved


def playbook_rows() -> dict[str, Playbook | None]:
    """{stage: the administrators' Playbook or None}, for the edit forms."""
    rows = {row.stage: row for row in Playbook.objects.select_related("space", "updated_by")}
    return {stage: rows.get(stage) for stage in Stage.values}


def message_text(playbook: ResolvedPlaybook, person: Person) -> str:
    """The playbook's message template for ``person`` ({name} is their first name)."""
    return playbook.message.replace("{name}", person.first_name or person.display_name)


# ---------------------------------------------------------------------------------------
# The mode
# ---------------------------------------------------------------------------------------


def mode_state() -> AccompanimentModeChange | None:
    """The latest switch of the accompaniment mode, or None (never switched: off)."""
    return AccompanimentModeChange.objects.select_related("actor").first()


def mode_is_on() -> bool:
    state = mode_state()
    return bool(state and state.enabled)


def mode_history(limit: int = 50) -> list[AccompanimentModeChange]:
    return list(AccompanimentModeChange.objects.select_related("actor")[:limit])


# ---------------------------------------------------------------------------------------
# People's own choices, and what is recorded about them
# ---------------------------------------------------------------------------------------


def preference_for(person: Person) -> AccompanimentPreference:
    """The person's choices; the defaults (accompanied, nudged) when they made none."""
    found = AccompanimentPreference.objects.filter(person=person).first()
    return found or AccompanimentPreference(person=person)


def looks_at(person: Person, limit: int | None = 50) -> list[JourneyLook]:
    """Who opened ``person``'s journey from an accompaniment queue, newest first."""
    looks = JourneyLook.objects.filter(person=person).select_related("viewer")
    return list(looks[:limit] if limit else looks)


def actions_about(person: Person, limit: int | None = 50) -> list[AccompanimentAction]:
    """What accompaniers logged having done for ``person``, newest first."""
    actions = AccompanimentAction.objects.filter(person=person).select_related("accompanier")
    return list(actions[:limit] if limit else actions)


def nudges_of(person: Person, limit: int | None = 20) -> list[Nudge]:
    nudges = Nudge.objects.filter(person=person)
    return list(nudges[:limit] if limit else nudges)


# ---------------------------------------------------------------------------------------
# Who may accompany whom
# ---------------------------------------------------------------------------------------


def accompanier_assignments(person: Person | None, day: datetime.date | None = None) -> list[RoleAssignment]:
    """``person``'s current ambassador and referent assignments, scopes in words."""
    if person is None or person.pk is None or person.is_departed:
        return []
    assignments = [a for kind in ACCOMPANYING_ROLES for a in roles_for(person, kind, day)]
    describe_scopes(assignments)
    return assignments


def _opted_out() -> Exists:
    return Exists(AccompanimentPreference.objects.filter(person=OuterRef("pk"), opted_out=True))


def accompanying_role(viewer: Person | None, person: Person) -> str | None:
    """The role under which ``viewer`` may open ``person``'s journey (ambassador or
    referent), or None: the mode must be on, ``viewer`` must hold one of those roles
    today with a scope containing ``person``, and ``person`` must not have opted out
    (nor be ``viewer``, nor have left)."""
    if viewer is None or person is None or viewer.pk == person.pk or person.is_departed or not mode_is_on():
        return None
    if preference_for(person).opted_out:
        return None
    for assignment in accompanier_assignments(viewer):
        scope = scope_of(assignment)
        if all(getattr(person, f"{name}_id") in values for name, values in scope.items()):
            return assignment.kind
    return None


@dataclass
class QueueEntry:
    person: Person
    stage: str
    stage_label: str
    since: datetime.date
    reason: str
    reason_label: str
    playbook: ResolvedPlaybook


def queue(viewer: Person, day: datetime.date | None = None, limit: int = 200) -> list[QueueEntry]:
    """The people of ``viewer``'s ambassador and referent scopes who may need a hand:
    new (discovery), stuck (participation for eight weeks or more) or silent
    (disappointment), as the stage history recorded them, with the playbook's suggested
    action. Only in accompaniment mode; never the people who opted out. Three queries
    whatever the number of people (the roles, the people with their last stage, the
    playbooks).

    The stage history is recorded every night for everyone (adoption's daily task), so
    the queue reads one row per person instead of computing everyone's journey."""
    if not mode_is_on():
        return []
    assignments = accompanier_assignments(viewer, day)
    if not assignments:
        return []
    day = day or today()
    scopes = reduce(or_, (_scope_filter(scope_of(a)) for a in assignments))
    last = StageChange.objects.filter(person=OuterRef("pk"), day__lte=day).order_by("-day")
    stuck_before = day - datetime.timedelta(days=STUCK_AFTER_DAYS)
    people = (
        Person.objects.filter(scopes, departed_on__isnull=True)
        .exclude(pk=viewer.pk)
        .exclude(_opted_out())
        .annotate(stage=Subquery(last.values("stage")[:1]), since=Subquery(last.values("day")[:1]))
        .filter(
            Q(stage=Stage.DISCOVERY)
            | Q(stage=Stage.DISAPPOINTMENT)
            | Q(stage=Stage.PARTICIPATION, since__lte=stuck_before)
        )
        .select_related("site", "department")
        .order_by("since", "display_name", "pk")[:limit]
    )
    books = playbooks()
    reasons = {Stage.DISCOVERY: QueueReason.NEW, Stage.PARTICIPATION: QueueReason.STUCK, Stage.DISAPPOINTMENT: QueueReason.SILENT}
    entries = []
    for person in people:
        reason = reasons[person.stage]
        entries.append(
            QueueEntry(
                person=person,
                stage=person.stage,
                stage_label=str(Stage(person.stage).label),
                since=person.since,
                reason=reason,
                reason_label=str(QUEUE_REASONS[reason]),
                playbook=books[person.stage],
            )
        )
    return entries


def actions_by(accompanier: Person, limit: int = 20) -> list[AccompanimentAction]:
    """What ``accompanier`` logged lately (their own activity)."""
    return list(AccompanimentAction.objects.filter(accompanier=accompanier).select_related("person")[:limit])


# ---------------------------------------------------------------------------------------
# Nudges
# ---------------------------------------------------------------------------------------


# Not "information": someone who never came is reached by the organisation's own
# invitation; Bascule does not e-mail people about a network they have not opened.
NUDGED_STAGES = tuple(stage for stage in Stage.values if stage != Stage.INFORMATION)


def people_to_nudge(now: datetime.datetime | None = None, day: datetime.date | None = None) -> QuerySet[Person]:
    """People due a nudge: still with us, able to log in, with an e-mail address, who did
    not turn nudges off, nudged not within BASCULE_NUDGE_INTERVAL_DAYS, whose recorded
    stage (annotated as ``stage``) is past information."""
    now = now or timezone.now()
    day = day or today()
    interval = datetime.timedelta(days=settings.BASCULE_NUDGE_INTERVAL_DAYS)
    last = StageChange.objects.filter(person=OuterRef("pk"), day__lte=day).order_by("-day")
    return (
        Person.objects.filter(departed_on__isnull=True, user__is_active=True)
        .exclude(user__email="")
        .exclude(Exists(AccompanimentPreference.objects.filter(person=OuterRef("pk"), nudges_off=True)))
        .exclude(Exists(Nudge.objects.filter(person=OuterRef("pk"), sent_at__gt=now - interval)))
        .annotate(stage=Subquery(last.values("stage")[:1]))
        .filter(stage__in=NUDGED_STAGES)
        .select_related("user")
        .order_by("pk")
    )


def next_nudge_after(person: Person) -> datetime.datetime | None:
    """When ``person`` may be nudged again (None: whenever due)."""
    last = Nudge.objects.filter(person=person).values_list("sent_at", flat=True).first()
    return last + datetime.timedelta(days=settings.BASCULE_NUDGE_INTERVAL_DAYS) if last else None


def accompanier_count_active() -> int:
    """How many ambassadors and referents hold their role today (for the transparency
    page: a count of role holders, not of people measured)."""
    return (
        Person.objects.filter(departed_on__isnull=True)
        .filter(Exists(RoleAssignment.objects.filter(person=OuterRef("pk"), kind__in=ACCOMPANYING_ROLES).filter(active_q(today()))))
        .count()
    )


# ---------------------------------------------------------------------------------------
# Everything Bascule records about me
# ---------------------------------------------------------------------------------------


def _when(moment) -> str | None:
    from bascule.adoption.queries import utc_text

    return utc_text(moment) if moment else None


def _day(value) -> str | None:
    return value.isoformat() if value else None


def personal_records(person: Person) -> dict:
    """Everything Bascule records about ``person``, for their own download: profile,
    spaces, what they wrote, follows and reactions, notification and accompaniment
    settings, roles, requests, the adoption records (events still kept, rollups, stage
    history), who looked at their journey, what accompaniers logged for them, what they
    logged as an accompanier, and the nudges sent. Only ``person``'s own rows: other
    people appear by display name only where they acted on this person's records."""
    from bascule.adoption.personal import adoption_records
    from bascule.interop.models import ApiToken
    from bascule.network.models import Comment, Follow, Membership, Post, Reaction
    from bascule.notify.queries import notification_preference_for

    from .models import Request

    person = (
        Person.objects.select_related("user", "department", "business_unit", "legal_entity", "country", "site", "manager")
        .prefetch_related("languages", "skills", "interests")
        .get(pk=person.pk)
    )
    notification = notification_preference_for(person)
    preference = preference_for(person)
    return {
        "format": "bascule-personal-data/1",
        "generated_at": _when(timezone.now()),
        "profile": {
            "email": person.user.email,
            "external_id": person.external_id,
            "display_name": person.display_name,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "title": person.title,
            "department": person.department.name if person.department else None,
            "business_unit": person.business_unit.name if person.business_unit else None,
            "legal_entity": person.legal_entity.name if person.legal_entity else None,
            "country": person.country.name if person.country else None,
            "site": person.site.name if person.site else None,
            "manager": person.manager.display_name if person.manager else None,
            "languages": [language.code for language in person.languages.all()],
            "skills": [tag.name for tag in person.skills.all()],
            "interests": [tag.name for tag in person.interests.all()],
            "bio": person.bio,
            "phone": person.phone,
            "has_photo": bool(person.photo),
            "preferred_language": person.preferred_language,
            "timezone": person.timezone,
            "start_date": _day(person.start_date),
            "departed_on": _day(person.departed_on),
            "created_at": _when(person.created_at),
            "last_login": _when(person.user.last_login),
        },
        "memberships": [
            {"space": m.space.name, "role": m.role, "status": m.status, "joined_at": _when(m.joined_at)}
            for m in Membership.objects.filter(person=person).select_related("space").order_by("pk")
        ],
        "posts": [
            {"id": p.pk, "space": p.space.name if p.space else None, "kind": p.kind, "title": p.title, "body": p.body,
             "created_at": _when(p.created_at)}
            for p in Post.objects.filter(author=person).select_related("space").order_by("pk")
        ],
        "comments": [
            {"id": c.pk, "post": c.post_id, "body": c.body, "created_at": _when(c.created_at)}
            for c in Comment.objects.filter(author=person).order_by("pk")
        ],
        "reactions": [
            {"post": r.post_id, "comment": r.comment_id, "kind": r.kind, "created_at": _when(r.created_at)}
            for r in Reaction.objects.filter(person=person).order_by("pk")
        ],
        "follows": [
            {
                "person": f.person.display_name if f.person else None,
                "space": f.space.name if f.space else None,
                "tag": f.tag.name if f.tag else None,
                "created_at": _when(f.created_at),
            }
            for f in Follow.objects.filter(follower=person).select_related("person", "space", "tag").order_by("pk")
        ],
        "notification_settings": {
            "digest_frequency": notification.digest_frequency,
            "email_mentions": notification.email_mentions,
            "email_answers": notification.email_answers,
        },
        "api_tokens": [
            {"name": t.name, "created_at": _when(t.created_at), "last_used_at": _when(t.last_used_at),
             "revoked_at": _when(t.revoked_at)}
            for t in ApiToken.objects.filter(person=person).order_by("pk")
        ],
        "roles": [
            {"role": a.kind, "starts_on": _day(a.starts_on), "ends_on": _day(a.ends_on)}
            for a in RoleAssignment.objects.filter(person=person).order_by("starts_on", "pk")
        ],
        "requests": [
            {"kind": r.kind, "status": r.status, "title": r.title, "body": r.body, "created_at": _when(r.created_at)}
            for r in Request.objects.filter(requester=person).order_by("pk")
        ],
        "adoption": adoption_records(person),
        "accompaniment": {
            "opted_out": preference.opted_out,
            "nudges_off": preference.nudges_off,
            "journey_looks": [
                {"who": look.viewer.display_name, "as": look.role_kind, "at": _when(look.looked_at)}
                for look in looks_at(person, limit=None)
            ],
            "actions_about_me": [
                {"who": a.accompanier.display_name, "what": a.kind, "note": a.note, "stage": a.stage or None,
                 "at": _when(a.created_at)}
                for a in actions_about(person, limit=None)
            ],
            "actions_i_logged": [
                {"for": a.person.display_name, "what": a.kind, "note": a.note, "at": _when(a.created_at)}
                for a in AccompanimentAction.objects.filter(accompanier=person).select_related("person")
            ],
            "nudges": [
                {"stage": n.stage, "subject": n.subject, "body": n.body, "sent_at": _when(n.sent_at)}
                for n in nudges_of(person, limit=None)
            ],
        },
    }
