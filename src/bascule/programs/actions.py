"""Every write of the accompaniment programs.

One function per business action: keyword-only arguments, the acting person as
``actor``, one transaction, the permission check, the audit row (``ProgramLog``) where an
administrator or a referent decides something. A refused permission raises
``PermissionDenied``; bad input raises ``ValidationError``; in both cases nothing is
written. Each message is a sentence for the person.

Holding a role, asking the referents for something, switching the accompaniment mode or
choosing one's accompaniment preferences is not activity of the journey: no ledger event.
Logging an accompaniment action records the accompanier's ``accompany`` event (initiatives
and recognition: see their section). Accepting a new-space request creates the space
through ``network.actions.space_create``, which records the requester's ``join`` as it does
for any space they create.
"""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bascule import access
from bascule.adoption.ledger import event_record
from bascule.adoption.models import EventKind, Stage
from bascule.network import actions as network_actions
from bascule.network.models import SpaceKind, Visibility
from bascule.network.questions import add_working_days
from bascule.notify.actions import notification_send
from bascule.notify.models import NotificationKind
from bascule.people.models import Person

from . import accompaniment_queries, queries
from .models import (
    REQUEST_BODY_MAX_LENGTH,
    AccompanimentAction,
    AccompanimentActionKind,
    AccompanimentModeChange,
    AccompanimentPreference,
    CharterAcceptance,
    CharterVersion,
    JourneyLook,
    Nudge,
    Playbook,
    REQUEST_TITLE_MAX_LENGTH,
    TRANSITIONS,
    ProgramLog,
    ProgramLogAction,
    Request,
    RequestComment,
    RequestKind,
    RequestRecipient,
    RequestStatus,
    RoleAssignment,
    RoleDescription,
    RoleKind,
    RoleScope,
    ScopeField,
)


def _require_present(actor: Person) -> None:
    if actor is None or actor.pk is None or actor.is_departed:
        raise PermissionDenied(_("Your account is closed."))


def _require_administrator(actor: Person) -> None:
    _require_present(actor)
    if not queries.is_administrator(actor):
        raise PermissionDenied(_("Only administrators name the people who hold a role or change what a role says."))


def navigation_forget(person_id: int) -> None:
    """Forget the cached "Programs" navigation entry of a person whose roles changed."""
    cache.delete(f"programs:nav:{person_id}")


# ---------------------------------------------------------------------------------------
# Roles
# ---------------------------------------------------------------------------------------


def _clean_scope(scope: dict[str, list[int]] | None) -> dict[str, list[int]]:
    scope = {name: sorted({int(v) for v in values}) for name, values in (scope or {}).items() if values}
    if set(scope) - set(ScopeField.values):
        raise ValidationError(_("A scope is limited by department, business unit, legal entity, country or site."))
    for name, ids in scope.items():
        known = set(queries.SCOPE_MODELS[name].objects.filter(pk__in=ids).values_list("pk", flat=True))
        if known != set(ids):
            raise ValidationError(_("Choose the scope's values from the lists."))
    return scope


@transaction.atomic
def role_assign(
    *,
    actor: Person,
    person: Person,
    kind: str,
    scope: dict[str, list[int]] | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> RoleAssignment:
    """``actor`` (an administrator) names ``person`` to role ``kind`` over ``scope``
    (``{field: [ids]}``; empty: everyone) from ``starts_on`` (today by default) to
    ``ends_on`` (none: until further notice)."""
    _require_administrator(actor)
    if kind not in RoleKind.values:
        raise ValidationError({"kind": _("Choose a role from the list.")})
    if person is None or person.is_departed:
        raise ValidationError({"person": _("Choose a colleague who is still with us.")})
    starts_on = starts_on or queries.today()
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("A role cannot end before it starts.")})
    scope = _clean_scope(scope)
    assignment = RoleAssignment.objects.create(
        person=person, kind=kind, starts_on=starts_on, ends_on=ends_on, created_by=actor, created_at=timezone.now()
    )
    RoleScope.objects.bulk_create(
        RoleScope(assignment=assignment, field=name, value=value) for name, ids in scope.items() for value in ids
    )
    ProgramLog.objects.create(
        actor=actor,
        action=ProgramLogAction.ROLE_ASSIGN,
        assignment=assignment,
        role_kind=kind,
        details={
            "person": person.pk,
            "scope": scope,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None,
        },
    )
    transaction.on_commit(lambda: navigation_forget(person.pk))
    return assignment


@transaction.atomic
def role_end(*, actor: Person, assignment: RoleAssignment, ends_on: datetime.date | None = None) -> RoleAssignment | None:
    """``actor`` (an administrator) ends ``assignment``: ``ends_on`` (today by default)
    is the last day it holds. An assignment that has not started by then is withdrawn
    (deleted; the audit row keeps what it was) and None is returned."""
    _require_administrator(actor)
    try:
        assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    except RoleAssignment.DoesNotExist:
        raise ValidationError(_("This role was already withdrawn.")) from None
    ends_on = ends_on or queries.today()
    if assignment.ends_on is not None and assignment.ends_on <= ends_on:
        raise ValidationError(
            _("This role already ends on %(day)s: nothing changed.") % {"day": assignment.ends_on.isoformat()}
        )
    details = {
        "person": assignment.person_id,
        "starts_on": assignment.starts_on.isoformat(),
        "ends_on": ends_on.isoformat(),
        "previous_ends_on": assignment.ends_on.isoformat() if assignment.ends_on else None,
        "withdrawn": ends_on < assignment.starts_on,
    }
    ProgramLog.objects.create(
        actor=actor, action=ProgramLogAction.ROLE_END, assignment=assignment, role_kind=assignment.kind, details=details
    )
    person_id = assignment.person_id
    transaction.on_commit(lambda: navigation_forget(person_id))
    if details["withdrawn"]:
        assignment.delete()
        return None
    assignment.ends_on = ends_on
    assignment.save(update_fields=["ends_on"])
    return assignment


@transaction.atomic
def role_description_edit(*, actor: Person, kind: str, description_en: str, description_fr: str) -> RoleDescription:
    """``actor`` (an administrator) writes what role ``kind`` is for, in both
    languages (empty: the default words)."""
    _require_administrator(actor)
    if kind not in RoleKind.values:
        raise ValidationError({"kind": _("Choose a role from the list.")})
    description_en, description_fr = (description_en or "").strip(), (description_fr or "").strip()
    if len(description_en) > 1000 or len(description_fr) > 1000:
        raise ValidationError(_("A role description has at most 1,000 characters."))
    row, _created = RoleDescription.objects.select_for_update().get_or_create(kind=kind)
    before = {"en": row.description_en, "fr": row.description_fr}
    row.description_en, row.description_fr = description_en, description_fr
    row.updated_at, row.updated_by = timezone.now(), actor
    row.save(update_fields=["description_en", "description_fr", "updated_at", "updated_by"])
    ProgramLog.objects.create(
        actor=actor,
        action=ProgramLogAction.DESCRIPTION_EDIT,
        role_kind=kind,
        details={"before": before, "after": {"en": description_en, "fr": description_fr}},
    )
    return row


# ---------------------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------------------


def _clean_text(value: str, field: str, *, required: bool, max_length: int, message: str) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: message})
    if len(value) > max_length:
        raise ValidationError({field: _("At most %(count)s characters.") % {"count": max_length}})
    return value


@transaction.atomic
def request_create(
    *,
    actor: Person,
    kind: str,
    title: str = "",
    body: str = "",
    space_name: str = "",
    space_purpose: str = "",
    space_kind: str = "",
    space_visibility: str = "",
    space=None,
    role_kind: str = "",
) -> Request:
    """``actor`` files a request with their referents (``queries.request_routing``:
    the referents whose scope contains them, else the administrators), who are told.

    - a suggestion needs words (``body``);
    - a new space needs a name, and a kind and visibility from the lists;
    - access to a space needs a private space ``actor`` may know of (``space``; a secret
      space cannot be asked for: it does not exist for them);
    - a role needs the role asked for.
    Its answer is expected within ``BASCULE_REQUEST_DELAY_DAYS`` working days."""
    _require_present(actor)
    if kind not in RequestKind.values:
        raise ValidationError({"kind": _("Choose what you are asking for.")})
    fields = {"kind": kind}
    body = _clean_text(
        body, "body", required=kind == RequestKind.SUGGESTION, max_length=REQUEST_BODY_MAX_LENGTH,
        message=_("Describe your suggestion: what would you improve or change, and why?"),
    )
    if kind == RequestKind.NEW_SPACE:
        space_name = _clean_text(
            " ".join((space_name or "").split()), "space_name", required=True, max_length=120,
            message=_("Give the space you would like a name."),
        )
        if space_kind not in SpaceKind.values or space_visibility not in Visibility.values:
            raise ValidationError(_("Choose a kind and a visibility from the lists."))
        fields.update(
            space_name=space_name,
            space_purpose=_clean_text(space_purpose, "space_purpose", required=False, max_length=500, message=""),
            space_kind=space_kind,
            space_visibility=space_visibility,
        )
        title = title or _("New space: %(name)s") % {"name": space_name}
    elif kind == RequestKind.SPACE_ACCESS:
        if space is None or not queries.requestable_spaces(actor).filter(pk=space.pk).exists():
            raise ValidationError({"space": _("Choose a private space from the list.")})
        fields["space"] = space
        title = title or _("Access to %(name)s") % {"name": space.name}
    elif kind == RequestKind.ROLE:
        if role_kind not in RoleKind.values:
            raise ValidationError({"role_kind": _("Choose the role you would like from the list.")})
        fields["role_kind"] = role_kind
        title = title or _("Role: %(role)s") % {"role": RoleKind(role_kind).label}
    title = _clean_text(
        title or " ".join(body.split())[:80], "title", required=True, max_length=REQUEST_TITLE_MAX_LENGTH,
        message=_("Give your request a title."),
    )
    recipients, fallback = queries.request_routing(actor)
    now = timezone.now()
    request = Request.objects.create(
        requester=actor,
        title=title,
        body=body,
        created_at=now,
        updated_at=now,
        due_at=add_working_days(now, settings.BASCULE_REQUEST_DELAY_DAYS),
        routed_to_fallback=fallback,
        **fields,
    )
    RequestRecipient.objects.bulk_create(RequestRecipient(request=request, person=p) for p in recipients)
    for recipient in recipients:
        notification_send(recipient=recipient, kind=NotificationKind.REQUEST_RECEIVED, actor=actor)
    return request


def _lock(request: Request) -> Request:
    return Request.objects.select_for_update().select_related("requester").get(pk=request.pk)


def _require_handler(actor: Person, request: Request) -> None:
    _require_present(actor)
    if not queries.may_handle_request(actor, request):
        raise PermissionDenied(
            _("This request is outside your scope: only the referents of %(name)s and the administrators handle it.")
            % {"name": request.requester.display_name}
        )


@transaction.atomic
def request_status_set(*, actor: Person, request: Request, status: str, message: str = "") -> Request:
    """``actor`` (a referent of the requester, or an administrator) moves ``request``
    to ``status`` (new → in progress → accepted or refused → done), with an optional
    message in the thread; the requester is told. Accepting a new-space request creates
    the space with the requester as its owner. Moving to the status it already has, or
    skipping a step, changes nothing and says why."""
    request = _lock(request)
    _require_handler(actor, request)
    if status not in RequestStatus.values:
        raise ValidationError(_("Choose a status from the list."))
    if status == request.status:
        raise ValidationError(
            _("This request is already “%(status)s”: nothing changed.") % {"status": request.get_status_display()}
        )
    if status not in TRANSITIONS[request.status]:
        raise ValidationError(
            _("A request that is “%(current)s” cannot become “%(status)s”.")
            % {"current": request.get_status_display(), "status": RequestStatus(status).label}
        )
    message = _clean_text(message, "message", required=False, max_length=REQUEST_BODY_MAX_LENGTH, message="")
    now = timezone.now()
    previous = request.status
    request.status, request.updated_at = status, now
    update_fields = ["status", "updated_at"]
    if status in (RequestStatus.ACCEPTED, RequestStatus.REFUSED):
        request.decided_at, request.decided_by = now, actor
        update_fields += ["decided_at", "decided_by"]
    if status == RequestStatus.DONE:
        request.closed_at = now
        update_fields.append("closed_at")
    if status == RequestStatus.ACCEPTED and request.kind == RequestKind.NEW_SPACE:
        request.created_space = network_actions.space_create(
            actor=request.requester,
            name=request.space_name,
            kind=request.space_kind or SpaceKind.COMMUNITY,
            visibility=request.space_visibility or Visibility.PUBLIC,
            purpose=request.space_purpose,
        )
        update_fields.append("created_space")
    if status == RequestStatus.ACCEPTED and request.kind == RequestKind.SPACE_ACCESS and request.space_id:
        _space_access_grant(actor, request)
    request.save(update_fields=update_fields)
    RequestComment.objects.create(request=request, author=actor, body=message, status=status, created_at=now)
    ProgramLog.objects.create(
        actor=actor,
        action=ProgramLogAction.REQUEST_STATUS,
        request=request,
        details={"from": previous, "to": status},
    )
    notification_send(
        recipient=request.requester,
        kind=NotificationKind.REQUEST_UPDATED,
        actor=actor,
        space=request.created_space if status == RequestStatus.ACCEPTED else None,
    )
    return request


def _space_access_grant(actor: Person, request: Request) -> None:
    """Accepting access to a private space opens the way in: an invitation when ``actor``
    manages the space, else a request to join that its managers decide
    (``network.actions.space_request_forward``). A space the requester may no longer
    know of is not opened to them."""
    space = access.visible_spaces(request.requester).filter(pk=request.space_id).first()
    if space is None:
        raise ValidationError(_("%(name)s may no longer see this space: it cannot be opened to them.") % {"name": request.requester.display_name})
    network_actions.space_request_forward(actor=actor, space=space, person=request.requester)


@transaction.atomic
def request_comment_add(*, actor: Person, request: Request, body: str) -> RequestComment:
    """``actor`` (the requester, or someone who handles the request) writes in its
    thread; the other side is told (the requester, or the people it was routed to)."""
    _require_present(actor)
    request = _lock(request)
    if not queries.may_see_request(actor, request):
        raise PermissionDenied(_("Only the requester and the people who handle this request write in its thread."))
    body = _clean_text(body, "body", required=True, max_length=REQUEST_BODY_MAX_LENGTH, message=_("Write a message."))
    now = timezone.now()
    comment = RequestComment.objects.create(request=request, author=actor, body=body, created_at=now)
    request.updated_at = now
    request.save(update_fields=["updated_at"])
    if actor.pk == request.requester_id:
        for recipient in queries.request_recipients(request):
            notification_send(recipient=recipient, kind=NotificationKind.REQUEST_FOLLOW_UP, actor=actor)
    else:
        notification_send(recipient=request.requester, kind=NotificationKind.REQUEST_REPLY, actor=actor)
    return comment


# ---------------------------------------------------------------------------------------
# Accompaniment
# ---------------------------------------------------------------------------------------

PLAYBOOK_TEXT_FIELDS = {
    "suggestion_en": 1000, "suggestion_fr": 1000,
    "message_en": 2000, "message_fr": 2000,
    "action_en": 1000, "action_fr": 1000,
    "resource_label_en": 200, "resource_label_fr": 200,
}


@transaction.atomic
def playbook_edit(*, actor: Person, stage: str, space=None, resource_url: str = "", **texts: str) -> Playbook:
    """``actor`` (an administrator) writes what helps someone at ``stage``, in both
    languages (an empty field: the other language's words, else the default): what to
    try next, the message template ({name}: the person's first name), the action
    suggested to accompaniers, a resource (title and link: a path of the site or an
    http(s) address) and a space to invite to (public or private, not archived: a secret
    space is nobody's suggestion)."""
    _require_administrator(actor)
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Choose a stage of the journey.")})
    unknown = set(texts) - set(PLAYBOOK_TEXT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown playbook fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    cleaned = {}
    for name, limit in PLAYBOOK_TEXT_FIELDS.items():
        value = (texts.get(name) or "").strip()
        if len(value) > limit:
            raise ValidationError({name: _("At most %(count)s characters.") % {"count": limit}})
        cleaned[name] = value
    resource_url = (resource_url or "").strip()
    if resource_url and not (
        (resource_url.startswith("/") and not resource_url.startswith("//"))
        or resource_url.startswith(("https://", "http://"))
    ):
        raise ValidationError({"resource_url": _("Give a link that starts with / (a page of this site) or https://.")})
    if len(resource_url) > 500:
        raise ValidationError({"resource_url": _("At most %(count)s characters.") % {"count": 500}})
    if space is not None and (space.visibility == Visibility.SECRET or space.archived_at is not None):
        raise ValidationError({"space": _("Choose a public or private space that is not archived.")})
    row, _created = Playbook.objects.select_for_update().get_or_create(stage=stage)
    for name, value in cleaned.items():
        setattr(row, name, value)
    row.resource_url, row.space = resource_url, space
    row.updated_at, row.updated_by = timezone.now(), actor
    row.save(update_fields=[*cleaned, "resource_url", "space", "updated_at", "updated_by"])
    transaction.on_commit(accompaniment_queries.playbooks_forget)
    return row


ACCOMPANIMENT_JUSTIFICATION_MIN_LENGTH = 20


@transaction.atomic
def accompaniment_mode_set(*, actor: Person, enabled: bool, justification: str) -> AccompanimentModeChange:
    """``actor`` (an administrator) switches the accompaniment mode on or off, saying
    why (shown to every employee on the transparency page, with the history). While it
    is on, ambassadors and referents see the stage of the people of their scope who did
    not opt out, and every look is logged."""
    _require_administrator(actor)
    justification = " ".join((justification or "").split())
    if len(justification) < ACCOMPANIMENT_JUSTIFICATION_MIN_LENGTH:
        raise ValidationError(
            {"justification": _("Say why, in a sentence of at least %(count)s characters: every employee will read it.")
             % {"count": ACCOMPANIMENT_JUSTIFICATION_MIN_LENGTH}}
        )
    if len(justification) > 2000:
        raise ValidationError({"justification": _("At most %(count)s characters.") % {"count": 2000}})
    current = AccompanimentModeChange.objects.select_for_update().first()
    if bool(current and current.enabled) == bool(enabled):
        raise ValidationError(
            _("The accompaniment mode is already on: nothing changed.") if enabled
            else _("The accompaniment mode is already off: nothing changed.")
        )
    return AccompanimentModeChange.objects.create(
        enabled=bool(enabled), justification=justification, actor=actor, created_at=timezone.now()
    )


@transaction.atomic
def accompaniment_preference_set(*, actor: Person, opted_out: bool, nudges_off: bool) -> AccompanimentPreference:
    """``actor`` chooses whether ambassadors and referents may accompany them (opted
    out: they never appear in a queue and nobody may open their journey) and whether
    they receive nudges."""
    _require_present(actor)
    preference, _created = AccompanimentPreference.objects.select_for_update().get_or_create(person=actor)
    preference.opted_out, preference.nudges_off = bool(opted_out), bool(nudges_off)
    preference.updated_at = timezone.now()
    preference.save(update_fields=["opted_out", "nudges_off", "updated_at"])
    return preference


def _require_accompanier(actor: Person, person: Person) -> str:
    from .accompaniment_queries import accompanying_role

    _require_present(actor)
    role = accompanying_role(actor, person)
    if role is None:
        raise PermissionDenied(
            _("Only the ambassadors and referents of a person's scope see their journey, while the accompaniment "
              "mode is on, and only if the person agreed to be accompanied.")
        )
    return role


@transaction.atomic
def journey_look_record(*, actor: Person, person: Person) -> JourneyLook:
    """``actor`` (an ambassador or referent of ``person``'s scope, in accompaniment mode)
    opens ``person``'s journey: the look is recorded, and shown to ``person``."""
    role = _require_accompanier(actor, person)
    return JourneyLook.objects.create(person=person, viewer=actor, role_kind=role, looked_at=timezone.now())


@transaction.atomic
def accompany_log(*, actor: Person, person: Person, kind: str, note: str = "", stage: str = "") -> AccompanimentAction:
    """``actor`` (an ambassador or referent of ``person``'s scope, in accompaniment mode)
    logs what they did for ``person``; records ``actor``'s ``accompany`` event. The
    person sees it, note included, on their journey."""
    _require_accompanier(actor, person)
    if kind not in AccompanimentActionKind.values:
        raise ValidationError({"kind": _("Choose what you did from the list.")})
    note = " ".join((note or "").split())
    if len(note) > 500:
        raise ValidationError({"note": _("At most %(count)s characters.") % {"count": 500}})
    action = AccompanimentAction.objects.create(
        person=person, accompanier=actor, kind=kind, note=note,
        stage=stage if stage in Stage.values else "", created_at=timezone.now(),
    )
    event_record(person=actor, kind=EventKind.ACCOMPANY, about=action)
    return action


@transaction.atomic
def nudge_record(*, person: Person, stage: str, subject: str, body: str, now=None) -> Nudge | None:
    """Record a nudge to ``person`` if they may receive one now: not turned off, and
    none within BASCULE_NUDGE_INTERVAL_DAYS (checked under a lock on the person, so two
    workers never nudge twice). Returns None when they may not; the caller e-mails it
    on commit."""
    now = now or timezone.now()
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if AccompanimentPreference.objects.filter(person=person, nudges_off=True).exists():
        return None
    since = now - datetime.timedelta(days=settings.BASCULE_NUDGE_INTERVAL_DAYS)
    if Nudge.objects.filter(person=person, sent_at__gt=since).exists():
        return None
    return Nudge.objects.create(person=person, stage=stage, subject=subject[:200], body=body, sent_at=now)


# ---------------------------------------------------------------------------------------
# Charter
# ---------------------------------------------------------------------------------------


@transaction.atomic
def charter_publish(
    *, actor: Person, text_en: str, text_fr: str, changes_en: str = "", changes_fr: str = ""
) -> CharterVersion:
    """``actor`` (an administrator) publishes a new version of the charter, in both
    languages; everyone accepts it at their next page (``charter.CharterMiddleware``)."""
    from .charter import charter_latest_remember

    _require_administrator(actor)
    text_en, text_fr = (text_en or "").strip(), (text_fr or "").strip()
    if not text_en or not text_fr:
        raise ValidationError(_("Write the charter in both languages: everyone reads it in their own."))
    if len(text_en) > 20000 or len(text_fr) > 20000:
        raise ValidationError(_("A charter has at most 20,000 characters in each language."))
    changes_en, changes_fr = (changes_en or "").strip(), (changes_fr or "").strip()
    if len(changes_en) > 500 or len(changes_fr) > 500:
        raise ValidationError(_("Say what changed in at most 500 characters."))
    latest = CharterVersion.objects.select_for_update().order_by("-number").first()
    version = CharterVersion.objects.create(
        number=(latest.number + 1) if latest else 1,
        text_en=text_en, text_fr=text_fr, changes_en=changes_en, changes_fr=changes_fr,
        published_at=timezone.now(), published_by=actor,
    )
    transaction.on_commit(lambda: charter_latest_remember(version.number))
    return version


@transaction.atomic
def charter_accept(*, actor: Person, version: CharterVersion) -> CharterAcceptance:
    """``actor`` accepts ``version`` of the charter, which must be the one in force."""
    _require_present(actor)
    latest = CharterVersion.objects.order_by("-number").first()
    if latest is None or latest.pk != version.pk:
        raise ValidationError(_("A newer version of the charter was published: read it before accepting."))
    acceptance, _created = CharterAcceptance.objects.get_or_create(
        person=actor, version=version, defaults={"accepted_at": timezone.now()}
    )
    return acceptance


# ---------------------------------------------------------------------------------------
# Initiatives and recognition
# ---------------------------------------------------------------------------------------
# Ledger: launching with a new space records the lead's ``join`` (network's space_create);
# linking a space one already owns, keeping a blockers log and reviewing are not activity
# of the journey. Publishing a case study records ``post`` for its lead (a contribution);
# thanking a colleague records ``recognize`` (a promotion).

# Imported here rather than at the top so that this section stays self-contained.
from bascule.adoption.ledger import event_record  # noqa: E402
from bascule.adoption.models import EventKind  # noqa: E402

from . import initiatives_queries  # noqa: E402
from .models import (  # noqa: E402
    BLOCKER_MAX_LENGTH,
    CASE_STUDY_PART_MAX_LENGTH,
    CASE_STUDY_TAGS_MAX,
    INITIATIVE_TITLE_MAX_LENGTH,
    THANKS_MAX_LENGTH,
    BlockerStatus,
    CaseStudy,
    CaseStudyStatus,
    ContributorConsent,
    Initiative,
    InitiativeBlocker,
    Recognition,
)


@transaction.atomic
def initiative_launch(
    *,
    actor: Person,
    title: str,
    space=None,
    space_name: str = "",
    purpose: str = "",
    rules: str = "",
    visibility: str = Visibility.PUBLIC,
) -> Initiative:
    """``actor`` becomes the lead of a new initiative: on ``space`` (a space they own, not
    yet an initiative), else on a new project space named ``space_name`` created for it
    through ``network.actions.space_create``."""
    _require_present(actor)
    title = _clean_text(
        " ".join((title or "").split()), "title", required=True, max_length=INITIATIVE_TITLE_MAX_LENGTH,
        message=_("Give your initiative a title."),
    )
    if space is not None:
        if not initiatives_queries.owned_spaces(actor).filter(pk=space.pk).exists():
            raise ValidationError({"space": _("Choose one of the spaces you own that is not an initiative yet.")})
    else:
        space = network_actions.space_create(
            actor=actor,
            name=space_name or title,
            kind=SpaceKind.PROJECT,
            visibility=visibility,
            purpose=_clean_text(purpose, "purpose", required=False, max_length=500, message=""),
            rules=_clean_text(rules, "rules", required=False, max_length=5000, message=""),
        )
    return Initiative.objects.create(title=title, lead=actor, space=space, created_at=timezone.now())


def _require_blockers_access(actor: Person, initiative) -> None:
    _require_present(actor)
    if not initiatives_queries.may_see_blockers(actor, initiative):
        raise PermissionDenied(_("Only the initiative's lead and the referents of their scope keep its blockers log."))


@transaction.atomic
def blocker_add(*, actor: Person, initiative, text: str):
    """The lead, or a referent of the lead's scope, notes an obstacle in the log."""
    _require_blockers_access(actor, initiative)
    text = _clean_text(
        text, "text", required=True, max_length=BLOCKER_MAX_LENGTH,
        message=_("Describe the blocker: what stands in the way?"),
    )
    return InitiativeBlocker.objects.create(initiative=initiative, author=actor, text=text, created_at=timezone.now())


@transaction.atomic
def blocker_resolve(*, actor: Person, blocker):
    """The lead, or a referent of the lead's scope, marks a blocker resolved."""
    blocker = InitiativeBlocker.objects.select_for_update().select_related("initiative__lead").get(pk=blocker.pk)
    _require_blockers_access(actor, blocker.initiative)
    if blocker.status == BlockerStatus.RESOLVED:
        raise ValidationError(_("This blocker is already resolved: nothing changed."))
    blocker.status, blocker.resolved_at, blocker.resolved_by = BlockerStatus.RESOLVED, timezone.now(), actor
    blocker.save(update_fields=["status", "resolved_at", "resolved_by"])
    return blocker


def _require_lead(actor: Person, initiative) -> None:
    _require_present(actor)
    if initiative.lead_id != actor.pk:
        raise PermissionDenied(_("Only the initiative's lead writes its case study."))


def _clean_tags(tags) -> str:

    if isinstance(tags, str):
        tags = tags.split(",")
    slugs = []
    for name in tags or []:
        slug = initiatives_queries.tag_slug(name)
        if slug and slug not in slugs:
            slugs.append(slug)
    if len(slugs) > CASE_STUDY_TAGS_MAX:
        raise ValidationError({"tags": _("At most %(count)s business-context tags.") % {"count": CASE_STUDY_TAGS_MAX}})
    return f",{','.join(slugs)}," if slugs else ""


@transaction.atomic
def case_study_save(
    *,
    actor: Person,
    initiative,
    title: str,
    context: str = "",
    actions_taken: str = "",
    results: str = "",
    lessons: str = "",
    contact: Person | None = None,
    tags="",
):
    """The lead writes (or rewrites) the draft of their initiative's case study. Parts may
    stay empty in a draft; a submitted or published one is not edited."""
    _require_lead(actor, initiative)
    case_study = CaseStudy.objects.select_for_update().filter(initiative=initiative).first()
    if case_study is not None and case_study.status != CaseStudyStatus.DRAFT:
        raise ValidationError(_("This case study is %(status)s: it is no longer edited.") % {
            "status": case_study.get_status_display().lower()})
    if contact is not None and contact.is_departed:
        raise ValidationError({"contact": _("Choose a contact who is still with us.")})
    fields = {
        "title": _clean_text(" ".join((title or "").split()), "title", required=True,
                             max_length=INITIATIVE_TITLE_MAX_LENGTH, message=_("Give the case study a title.")),
        "context": _clean_text(context, "context", required=False, max_length=CASE_STUDY_PART_MAX_LENGTH, message=""),
        "actions_taken": _clean_text(actions_taken, "actions_taken", required=False,
                                     max_length=CASE_STUDY_PART_MAX_LENGTH, message=""),
        "results": _clean_text(results, "results", required=False, max_length=CASE_STUDY_PART_MAX_LENGTH, message=""),
        "lessons": _clean_text(lessons, "lessons", required=False, max_length=CASE_STUDY_PART_MAX_LENGTH, message=""),
        "contact": contact,
        "tags": _clean_tags(tags),
        "updated_at": timezone.now(),
    }
    if case_study is None:
        case_study = CaseStudy(initiative=initiative)
    for name, value in fields.items():
        setattr(case_study, name, value)
    case_study.folded = initiatives_queries.case_study_folded(case_study)
    case_study.save()
    return case_study


@transaction.atomic
def case_study_submit(*, actor: Person, case_study):
    """The lead submits a complete draft for review: every part written, a contact, at
    least one business-context tag."""
    case_study = CaseStudy.objects.select_for_update().select_related("initiative").get(pk=case_study.pk)
    _require_lead(actor, case_study.initiative)
    if case_study.status != CaseStudyStatus.DRAFT:
        raise ValidationError(_("This case study is already %(status)s: nothing changed.") % {
            "status": case_study.get_status_display().lower()})
    missing = [
        label for label, present in (
            (_("context"), case_study.context), (_("what was done"), case_study.actions_taken),
            (_("results"), case_study.results), (_("lessons"), case_study.lessons),
            (_("a contact"), case_study.contact_id), (_("a business-context tag"), case_study.tag_list),
        ) if not present
    ]
    if missing:
        raise ValidationError(_("Before submitting, complete: %(missing)s.") % {"missing": ", ".join(missing)})
    now = timezone.now()
    case_study.status, case_study.submitted_at, case_study.updated_at = CaseStudyStatus.SUBMITTED, now, now
    case_study.save(update_fields=["status", "submitted_at", "updated_at"])
    return case_study


@transaction.atomic
def case_study_review(*, actor: Person, case_study, approve: bool, note: str = ""):
    """A community manager of the lead's scope (or an administrator) publishes a submitted
    case study, with an optional note, or sends it back to draft with a reason. The lead
    is told; publishing records ``post`` for the lead."""
    case_study = CaseStudy.objects.select_for_update().select_related("initiative__lead").get(pk=case_study.pk)
    _require_present(actor)
    if not initiatives_queries.may_review(actor, case_study):
        raise PermissionDenied(
            _("Only a community manager of the lead's scope, or an administrator, reviews this case study.")
        )
    if case_study.status != CaseStudyStatus.SUBMITTED:
        raise ValidationError(_("This case study is not waiting for a review: nothing changed."))
    note = _clean_text(
        note, "note", required=not approve, max_length=1000,
        message=_("Say why you send it back, so that the lead knows what to change."),
    )
    now = timezone.now()
    case_study.review_note, case_study.reviewed_by, case_study.reviewed_at, case_study.updated_at = note, actor, now, now
    case_study.status = CaseStudyStatus.PUBLISHED if approve else CaseStudyStatus.DRAFT
    fields = ["status", "review_note", "reviewed_by", "reviewed_at", "updated_at"]
    if approve:
        case_study.published_at = now
        fields.append("published_at")
        event_record(person=case_study.initiative.lead, kind=EventKind.POST, about=case_study, occurred_at=now)
    case_study.save(update_fields=fields)
    notification_send(recipient=case_study.initiative.lead, kind=NotificationKind.CASE_STUDY_REVIEWED, actor=actor)
    return case_study


@transaction.atomic
def recognize(*, actor: Person, recipient: Person, message: str):
    """``actor`` thanks ``recipient`` publicly in a few words (records ``recognize``); the
    colleague is told and the thanks shows on their profile."""
    _require_present(actor)
    if recipient is None or recipient.pk is None or recipient.is_departed:
        raise ValidationError(_("Choose a colleague who is still with us."))
    if recipient.pk == actor.pk:
        raise ValidationError(_("Thanks go to a colleague, not to yourself."))
    message = _clean_text(
        " ".join((message or "").split()), "message", required=True, max_length=THANKS_MAX_LENGTH,
        message=_("Write a few words of thanks."),
    )
    now = timezone.now()
    recognition = Recognition.objects.create(author=actor, recipient=recipient, message=message, created_at=now)
    event_record(person=actor, kind=EventKind.RECOGNIZE, about=recognition, occurred_at=now)
    notification_send(recipient=recipient, kind=NotificationKind.RECOGNITION, actor=actor)
    return recognition


@transaction.atomic
def contributor_consent_set(*, actor: Person, shown: bool):
    """``actor`` agrees (or no longer agrees) to appear among the top contributors."""
    _require_present(actor)
    row, _created = ContributorConsent.objects.select_for_update().get_or_create(person=actor)
    row.shown, row.updated_at = bool(shown), timezone.now()
    row.save(update_fields=["shown", "updated_at"])
    return row


# The ambassador program's actions live in ambassadors_actions.py; importing them here
# keeps one place to look for every write of the programs.
from .ambassadors_actions import (  # noqa: E402,F401
    Conflict,
    application_hr_decide,
    application_manager_decide,
    application_nominate,
    application_submit,
    application_withdraw,
    campaign_close,
    campaign_create,
    campaign_update,
    nomination_answer,
    program_spaces_ensure,
)
