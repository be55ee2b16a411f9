"""Every write of the accompaniment programs.

One function per business action: keyword-only arguments, the acting person as
``actor``, one transaction, the permission check, the audit row (``ProgramLog``) where an
administrator or a referent decides something. A refused permission raises
``PermissionDenied``; bad input raises ``ValidationError``; in both cases nothing is
written. Each message is a sentence for the person.

Nothing here records a ledger event: holding a role, or asking the referents for
something, is not activity of the journey. Accepting a new-space request creates the
space through ``network.actions.space_create``, which records the requester's ``join``
as it does for any space they create.
"""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bascule.network import actions as network_actions
from bascule.network.models import SpaceKind, Visibility
from bascule.network.questions import add_working_days
from bascule.notify.actions import notification_send
from bascule.notify.models import NotificationKind
from bascule.people.models import Person

from . import queries
from .models import (
    REQUEST_BODY_MAX_LENGTH,
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
