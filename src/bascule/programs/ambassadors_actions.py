"""Every write of the ambassador program (re-exported by ``actions.py``).

Conventions of ``actions.py``: keyword-only arguments, the acting person as ``actor``,
one transaction, the permission check, an audit row (``AmbassadorLog``) for every act.
A refused permission raises ``PermissionDenied`` (pages answer 403); bad input raises
``ValidationError`` (400); an act that clashes with where things stand — a campaign
that is not open, a second application, a decision already taken — raises ``Conflict``
(409). In every case nothing is written, and the message is a sentence for the person.

Ledger events: nominating a colleague records ``invite`` for the nominator (bringing a
colleague in is promotion, as inviting to a space is). An accepted ambassador joins the
ambassadors' space and the early-news space through ``network.actions`` (invited by a
manager of the space, who records ``invite``, and joined at once: ``join`` for the
ambassador). Applying, answering a nomination, and HR's and the manager's decisions are
not activity of the journey and record nothing, like the requests to referents. The
ambassadors' own activity is the ``accompany`` events of the accompaniment queue.

Dates: ``today`` (a day in the organisation's time zone) defaults to today; the demo
passes past days to tell a campaign's story.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bascule import access
from bascule.adoption.ledger import event_record
from bascule.adoption.models import EventKind
from bascule.network import actions as network_actions
from bascule.network.models import JoinPolicy, MANAGING_ROLES, Membership, MembershipStatus, SpaceKind, Visibility
from bascule.notify.actions import notification_send
from bascule.notify.models import NotificationKind
from bascule.people.models import Person, Site

from . import ambassadors_queries as aq
from . import queries
from .models import (
    CAMPAIGN_PITCH_MAX_LENGTH,
    CAMPAIGN_TITLE_MAX_LENGTH,
    DEFAULT_PEOPLE_PER_AMBASSADOR,
    MOTIVATION_MAX_LENGTH,
    REASON_MAX_LENGTH,
    AmbassadorLog,
    AmbassadorLogAction,
    AmbassadorProgram,
    Application,
    ApplicationStatus,
    Campaign,
    CampaignRule,
    CampaignRuleKind,
    CampaignScope,
    CampaignSiteTarget,
    ProgramLog,
    ProgramLogAction,
    RoleAssignment,
    RoleKind,
    RoleScope,
    ScopeField,
)

MAX_TENURE_MONTHS = 600
MAX_SITE_TARGET = 1000


class Conflict(ValidationError):
    """The act clashes with where things stand (pages answer 409 Conflict)."""


def _require_present(actor: Person) -> None:
    if actor is None or actor.pk is None or actor.is_departed:
        raise PermissionDenied(_("Your account is closed."))


def _log(*, actor, action, campaign=None, application=None, reason="", now=None) -> None:
    AmbassadorLog.objects.create(
        actor=actor, action=action, campaign=campaign, application=application, reason=reason,
        created_at=now or timezone.now(),
    )


def _text(value: str, field: str, *, required: bool, max_length: int, message: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: message})
    if len(value) > max_length:
        raise ValidationError({field: _("At most %(count)s characters.") % {"count": max_length}})
    return value


def _clean_ids(values: dict[str, list[int]] | None, message: str) -> dict[str, list[int]]:
    cleaned = {name: sorted({int(v) for v in ids}) for name, ids in (values or {}).items() if ids}
    if set(cleaned) - set(ScopeField.values):
        raise ValidationError(message)
    for name, ids in cleaned.items():
        if set(queries.SCOPE_MODELS[name].objects.filter(pk__in=ids).values_list("pk", flat=True)) != set(ids):
            raise ValidationError(_("Choose the values from the lists."))
    return cleaned


# ---------------------------------------------------------------------------------------
# Campaigns
# ---------------------------------------------------------------------------------------


def _campaign_fields(
    *, title, pitch, opens_on, closes_on, scope, excluded, min_tenure_months, site_targets, people_per_ambassador, today
):
    title = _text(" ".join((title or "").split()), "title", required=True, max_length=CAMPAIGN_TITLE_MAX_LENGTH,
                  message=_("Give the campaign a title."))
    pitch = _text(pitch, "pitch", required=True, max_length=CAMPAIGN_PITCH_MAX_LENGTH,
                  message=_("Write the pitch: why colleagues would want to become ambassadors."))
    if opens_on is None or closes_on is None:
        raise ValidationError({"opens_on": _("Give the opening and closing dates.")})
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("A campaign cannot close before it opens.")})
    if closes_on < today:
        raise ValidationError({"closes_on": _("A campaign cannot close in the past.")})
    scope = _clean_ids(scope, _("A scope is limited by department, business unit, legal entity, country or site."))
    excluded = _clean_ids(excluded, _("A rule excludes departments, business units, legal entities, countries or sites."))
    if min_tenure_months is not None and not 0 <= int(min_tenure_months) <= MAX_TENURE_MONTHS:
        raise ValidationError({"min_tenure_months": _("Give a number of months between 0 and 600.")})
    people_per_ambassador = int(people_per_ambassador or DEFAULT_PEOPLE_PER_AMBASSADOR)
    if not 1 <= people_per_ambassador <= 10000:
        raise ValidationError({"people_per_ambassador": _("Give a number of people between 1 and 10,000.")})
    targets = {int(site): int(target) for site, target in (site_targets or {}).items() if target is not None}
    if any(not 0 <= target <= MAX_SITE_TARGET for target in targets.values()):
        raise ValidationError(_("A site's target is between 0 and 1,000 ambassadors."))
    if set(Site.objects.filter(pk__in=list(targets)).values_list("pk", flat=True)) != set(targets):
        raise ValidationError(_("Choose the values from the lists."))
    return title, pitch, scope, excluded, int(min_tenure_months or 0), targets, people_per_ambassador


def _campaign_rows_write(campaign: Campaign, *, scope, excluded, min_tenure_months, targets) -> None:
    CampaignScope.objects.filter(campaign=campaign).delete()
    CampaignRule.objects.filter(campaign=campaign).delete()
    CampaignSiteTarget.objects.filter(campaign=campaign).delete()
    CampaignScope.objects.bulk_create(
        CampaignScope(campaign=campaign, field=name, value=value) for name, ids in scope.items() for value in ids
    )
    rules = [
        CampaignRule(campaign=campaign, kind=CampaignRuleKind.EXCLUDE, field=name, value=value)
        for name, ids in excluded.items() for value in ids
    ]
    if min_tenure_months:
        rules.append(CampaignRule(campaign=campaign, kind=CampaignRuleKind.MIN_TENURE_MONTHS, value=min_tenure_months))
    CampaignRule.objects.bulk_create(rules)
    CampaignSiteTarget.objects.bulk_create(
        CampaignSiteTarget(campaign=campaign, site_id=site, target=target) for site, target in targets.items()
    )


def _require_scope_manager(actor: Person, scope: dict[str, list[int]]) -> None:
    if not aq.may_manage_scope(actor, {name: set(ids) for name, ids in scope.items()}):
        raise PermissionDenied(
            _("You run campaigns within your scope as a referent; administrators run them for everyone.")
        )


def program_spaces_ensure(*, actor: Person) -> AmbassadorProgram:
    """The ambassadors' community space and the early-news space, created by ``actor``
    (their owner; both private and joined by invitation) the first time they are needed."""
    row = AmbassadorProgram.objects.select_for_update().order_by("pk").first()
    if row is None:
        row = AmbassadorProgram.objects.create()
    fields = []
    if row.ambassadors_space_id is None:
        row.ambassadors_space = network_actions.space_create(
            actor=actor, name=_("Ambassadors"), kind=SpaceKind.COMMUNITY, visibility=Visibility.PRIVATE,
            join_policy=JoinPolicy.INVITE,
            purpose=_("The ambassadors' own community: share what works, ask each other, prepare the next steps together."),
        )
        fields.append("ambassadors_space")
    if row.early_news_space_id is None:
        row.early_news_space = network_actions.space_create(
            actor=actor, name=_("Early news for ambassadors"), kind=SpaceKind.EDITORIAL, visibility=Visibility.PRIVATE,
            join_policy=JoinPolicy.INVITE,
            purpose=_("What is coming to the network, told to the ambassadors first so they can prepare their colleagues."),
        )
        fields.append("early_news_space")
    if fields:
        row.save(update_fields=fields)
    return row


@transaction.atomic
def campaign_create(
    *,
    actor: Person,
    title: str,
    pitch: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    scope: dict[str, list[int]] | None = None,
    excluded: dict[str, list[int]] | None = None,
    min_tenure_months: int | None = None,
    site_targets: dict[int, int] | None = None,
    people_per_ambassador: int = DEFAULT_PEOPLE_PER_AMBASSADOR,
    today: datetime.date | None = None,
) -> Campaign:
    """``actor`` (an administrator, or a referent within their scope) opens a campaign
    for the people of ``scope`` minus the ``excluded`` segments, with at least
    ``min_tenure_months`` months in the company, aiming at ``site_targets``
    (``{site id: target}``; else one ambassador per ``people_per_ambassador`` people).
    The program's spaces are created with the first campaign."""
    _require_present(actor)
    today = today or queries.today()
    title, pitch, scope, excluded, months, targets, per = _campaign_fields(
        title=title, pitch=pitch, opens_on=opens_on, closes_on=closes_on, scope=scope, excluded=excluded,
        min_tenure_months=min_tenure_months, site_targets=site_targets, people_per_ambassador=people_per_ambassador,
        today=today,
    )
    _require_scope_manager(actor, scope)
    now = timezone.now()
    campaign = Campaign.objects.create(
        title=title, pitch=pitch, opens_on=opens_on, closes_on=closes_on, people_per_ambassador=per,
        created_by=actor, created_at=now, updated_at=now,
    )
    _campaign_rows_write(campaign, scope=scope, excluded=excluded, min_tenure_months=months, targets=targets)
    _log(actor=actor, action=AmbassadorLogAction.CAMPAIGN_CREATE, campaign=campaign, now=now)
    program_spaces_ensure(actor=actor)
    return campaign


@transaction.atomic
def campaign_update(
    *,
    actor: Person,
    campaign: Campaign,
    title: str,
    pitch: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    scope: dict[str, list[int]] | None = None,
    excluded: dict[str, list[int]] | None = None,
    min_tenure_months: int | None = None,
    site_targets: dict[int, int] | None = None,
    people_per_ambassador: int = DEFAULT_PEOPLE_PER_AMBASSADOR,
    today: datetime.date | None = None,
) -> Campaign:
    """A program manager of ``campaign`` changes it (within their own scope). Applications
    already filed stay as they are. A closed campaign is not edited any more."""
    _require_present(actor)
    today = today or queries.today()
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not aq.is_program_manager(actor, campaign):
        raise PermissionDenied(_("Only the program managers of this campaign change it."))
    if campaign.status_on(today) == "closed":
        raise Conflict(_("This campaign is closed: it is kept as it was."))
    title, pitch, scope, excluded, months, targets, per = _campaign_fields(
        title=title, pitch=pitch, opens_on=opens_on, closes_on=closes_on, scope=scope, excluded=excluded,
        min_tenure_months=min_tenure_months, site_targets=site_targets, people_per_ambassador=people_per_ambassador,
        today=today,
    )
    _require_scope_manager(actor, scope)
    campaign.title, campaign.pitch, campaign.opens_on, campaign.closes_on = title, pitch, opens_on, closes_on
    campaign.people_per_ambassador, campaign.updated_at = per, timezone.now()
    campaign.save(update_fields=["title", "pitch", "opens_on", "closes_on", "people_per_ambassador", "updated_at"])
    _campaign_rows_write(campaign, scope=scope, excluded=excluded, min_tenure_months=months, targets=targets)
    _log(actor=actor, action=AmbassadorLogAction.CAMPAIGN_EDIT, campaign=campaign)
    return campaign


@transaction.atomic
def campaign_close(*, actor: Person, campaign: Campaign, today: datetime.date | None = None) -> Campaign:
    """A program manager closes an open campaign now: yesterday becomes its last day.
    Applications already filed go on through validation."""
    _require_present(actor)
    today = today or queries.today()
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not aq.is_program_manager(actor, campaign):
        raise PermissionDenied(_("Only the program managers of this campaign close it."))
    status = campaign.status_on(today)
    if status == "closed":
        raise Conflict(_("This campaign closed on %(day)s already.") % {"day": campaign.closes_on.isoformat()})
    if status == "upcoming":
        raise Conflict(_("This campaign has not opened yet: change its dates instead."))
    campaign.closes_on = max(today - datetime.timedelta(days=1), campaign.opens_on)
    campaign.updated_at = timezone.now()
    campaign.save(update_fields=["closes_on", "updated_at"])
    _log(actor=actor, action=AmbassadorLogAction.CAMPAIGN_CLOSE, campaign=campaign)
    return campaign


# ---------------------------------------------------------------------------------------
# Applications and nominations
# ---------------------------------------------------------------------------------------


def _require_open(campaign: Campaign, today: datetime.date) -> None:
    status = campaign.status_on(today)
    if status == "upcoming":
        raise Conflict(_("This campaign opens on %(day)s: come back then.") % {"day": campaign.opens_on.isoformat()})
    if status == "closed":
        raise Conflict(
            _("This campaign closed on %(day)s: it no longer takes applications.") % {"day": campaign.closes_on.isoformat()}
        )


def _campaign(campaign: Campaign) -> Campaign:
    return Campaign.objects.prefetch_related("scope", "rules").get(pk=campaign.pk)


def _tell_validators(application: Application) -> None:
    """HR validators of the candidate are told; with none, the administrators, so that
    they name one."""
    recipients = aq.hr_validators_for(application.candidate) or queries.administrators()
    for recipient in recipients:
        notification_send(recipient=recipient, kind=NotificationKind.AMBASSADOR_TO_VALIDATE, actor=application.candidate)


def _create_application(**fields) -> Application:
    try:
        with transaction.atomic():
            return Application.objects.create(**fields)
    except IntegrityError:
        raise Conflict(_("There is already an application for this person to this campaign.")) from None


@transaction.atomic
def application_submit(
    *, actor: Person, campaign: Campaign, motivation: str, today: datetime.date | None = None
) -> Application:
    """``actor`` applies to ``campaign`` with a motivation; the HR validators of their
    scope are told. The campaign must be open, ``actor`` eligible, not an ambassador
    already, and without an application to it."""
    _require_present(actor)
    today = today or queries.today()
    campaign = _campaign(campaign)
    _require_open(campaign, today)
    existing = aq.application_of(campaign, actor)
    if existing is not None:
        if existing.status == ApplicationStatus.NOMINATED:
            raise Conflict(_("A colleague nominated you for this campaign: answer the nomination instead."))
        raise Conflict(
            _("You already applied to this campaign (%(status)s).") % {"status": existing.get_status_display().lower()}
        )
    if aq.is_ambassador(actor, today):
        raise Conflict(_("You are already an ambassador."))
    problems = aq.eligibility_problems(campaign, actor, today)
    if problems or not aq.is_eligible(campaign, actor, today):
        raise PermissionDenied(" ".join([_("This campaign is not open to you."), *problems]))
    motivation = _text(motivation, "motivation", required=True, max_length=MOTIVATION_MAX_LENGTH,
                       message=_("Tell us in a few words why you would like to become an ambassador."))
    now = timezone.now()
    application = _create_application(
        campaign=campaign, candidate=actor, motivation=motivation, status=ApplicationStatus.AWAITING_HR,
        created_at=now, submitted_at=now, updated_at=now,
    )
    _log(actor=actor, action=AmbassadorLogAction.APPLY, application=application, campaign=campaign, now=now)
    _tell_validators(application)
    return application


@transaction.atomic
def application_nominate(
    *, actor: Person, campaign: Campaign, candidate: Person, note: str = "", today: datetime.date | None = None
) -> Application:
    """``actor`` nominates ``candidate`` to ``campaign`` (records ``invite`` for
    ``actor``); the candidate is told and confirms their interest, or declines."""
    _require_present(actor)
    today = today or queries.today()
    campaign = _campaign(campaign)
    if candidate is None or candidate.is_departed or not access.visible_people(actor).filter(pk=candidate.pk).exists():
        raise ValidationError({"email": _("Choose a colleague who is still with us.")})
    if candidate.pk == actor.pk:
        raise ValidationError({"email": _("To volunteer yourself, apply with your motivation.")})
    _require_open(campaign, today)
    if aq.application_of(campaign, candidate) is not None:
        raise Conflict(_("%(name)s already has an application to this campaign.") % {"name": candidate.display_name})
    if aq.is_ambassador(candidate, today):
        raise Conflict(_("%(name)s is already an ambassador.") % {"name": candidate.display_name})
    if not aq.is_eligible(campaign, candidate, today):
        raise ValidationError(
            {"email": _("%(name)s is not among the people this campaign is open to.") % {"name": candidate.display_name}}
        )
    note = _text(note, "note", required=False, max_length=MOTIVATION_MAX_LENGTH)
    now = timezone.now()
    application = _create_application(
        campaign=campaign, candidate=candidate, nominated_by=actor, nomination_note=note,
        status=ApplicationStatus.NOMINATED, created_at=now, updated_at=now,
    )
    _log(actor=actor, action=AmbassadorLogAction.NOMINATE, application=application, campaign=campaign, reason=note, now=now)
    event_record(person=actor, kind=EventKind.INVITE, about=application, occurred_at=now)
    notification_send(recipient=candidate, kind=NotificationKind.AMBASSADOR_NOMINATED, actor=actor)
    return application


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("candidate__manager", "campaign", "nominated_by")
        .get(pk=application.pk)
    )


def _already(application: Application) -> Conflict:
    """The conflict for an application that is past the step asked for."""
    status = application.status
    if status == ApplicationStatus.REFUSED_BY_HR:
        return Conflict(_("HR did not approve this application: it cannot go further."))
    if status == ApplicationStatus.REFUSED_BY_MANAGER:
        return Conflict(_("The manager did not confirm this application: it cannot go further."))
    if status == ApplicationStatus.ACCEPTED:
        return Conflict(_("This application is accepted already."))
    if status in (ApplicationStatus.WITHDRAWN, ApplicationStatus.DECLINED):
        return Conflict(_("This application was withdrawn: there is nothing to decide."))
    if status == ApplicationStatus.NOMINATED:
        return Conflict(_("The colleague has not confirmed their interest yet."))
    if status == ApplicationStatus.AWAITING_HR:
        return Conflict(_("HR has not approved this application yet: the manager confirms after HR."))
    return Conflict(_("HR approved this application already; it now waits for the manager."))


@transaction.atomic
def nomination_answer(
    *, actor: Person, application: Application, accept: bool, motivation: str = "", today: datetime.date | None = None
) -> Application:
    """The nominated colleague confirms their interest with a motivation (the HR
    validators are told), or declines (nothing more happens)."""
    _require_present(actor)
    today = today or queries.today()
    application = _lock(application)
    if application.candidate_id != actor.pk:
        raise PermissionDenied(_("Only the nominated colleague answers a nomination."))
    if application.status != ApplicationStatus.NOMINATED:
        raise Conflict(_("You already answered this nomination."))
    now = timezone.now()
    if not accept:
        application.status, application.updated_at = ApplicationStatus.DECLINED, now
        application.save(update_fields=["status", "updated_at"])
        _log(actor=actor, action=AmbassadorLogAction.NOMINATION_DECLINE, application=application, now=now)
        return application
    campaign = _campaign(application.campaign)
    _require_open(campaign, today)
    if aq.is_ambassador(actor, today):
        raise Conflict(_("You are already an ambassador."))
    problems = aq.eligibility_problems(campaign, actor, today)
    if problems or not aq.is_eligible(campaign, actor, today):
        raise PermissionDenied(" ".join([_("This campaign is not open to you."), *problems]))
    motivation = _text(motivation, "motivation", required=True, max_length=MOTIVATION_MAX_LENGTH,
                       message=_("Tell us in a few words why you would like to become an ambassador."))
    application.status, application.motivation = ApplicationStatus.AWAITING_HR, motivation
    application.submitted_at = application.updated_at = now
    application.save(update_fields=["status", "motivation", "submitted_at", "updated_at"])
    _log(actor=actor, action=AmbassadorLogAction.NOMINATION_ACCEPT, application=application, now=now)
    _tell_validators(application)
    return application


@transaction.atomic
def application_withdraw(*, actor: Person, application: Application) -> Application:
    """The candidate withdraws an application still waiting for a decision."""
    _require_present(actor)
    application = _lock(application)
    if application.candidate_id != actor.pk:
        raise PermissionDenied(_("Only the candidate withdraws their application."))
    if application.status not in (ApplicationStatus.AWAITING_HR, ApplicationStatus.AWAITING_MANAGER):
        raise _already(application)
    application.status, application.updated_at = ApplicationStatus.WITHDRAWN, timezone.now()
    application.save(update_fields=["status", "updated_at"])
    _log(actor=actor, action=AmbassadorLogAction.WITHDRAW, application=application)
    return application


def _reason(reason: str) -> str:
    return _text(reason, "reason", required=True, max_length=REASON_MAX_LENGTH,
                 message=_("Give a reason: the candidate reads it."))


@transaction.atomic
def application_hr_decide(*, actor: Person, application: Application, approve: bool, reason: str) -> Application:
    """An HR validator of the candidate's scope approves (the manager confirms next, and
    is told) or refuses (final) an application waiting for HR, with a reason the
    candidate reads."""
    _require_present(actor)
    application = _lock(application)
    candidate = application.candidate
    if actor.pk == candidate.pk:
        raise PermissionDenied(_("You cannot validate your own application."))
    if not aq.may_decide_as_hr(actor, application):
        raise PermissionDenied(
            _("%(name)s is outside your scope: only the HR validators of their scope decide on this application.")
            % {"name": candidate.display_name}
        )
    if application.status != ApplicationStatus.AWAITING_HR:
        raise _already(application)
    reason = _reason(reason)
    now = timezone.now()
    application.hr_decided_by, application.hr_decided_at, application.hr_reason = actor, now, reason
    application.status = ApplicationStatus.AWAITING_MANAGER if approve else ApplicationStatus.REFUSED_BY_HR
    application.updated_at = now
    application.save(update_fields=["status", "hr_decided_by", "hr_decided_at", "hr_reason", "updated_at"])
    _log(
        actor=actor, action=AmbassadorLogAction.HR_APPROVE if approve else AmbassadorLogAction.HR_REFUSE,
        application=application, reason=reason, now=now,
    )
    if approve:
        notification_send(recipient=candidate, kind=NotificationKind.AMBASSADOR_APPROVED_BY_HR, actor=actor)
        manager = aq.manager_of(candidate)
        for recipient in [manager] if manager is not None else queries.administrators():
            if recipient.pk != candidate.pk:
                notification_send(recipient=recipient, kind=NotificationKind.AMBASSADOR_TO_CONFIRM, actor=candidate)
    else:
        notification_send(recipient=candidate, kind=NotificationKind.AMBASSADOR_REFUSED, actor=actor)
    return application


def _ambassador_scope(campaign: Campaign, candidate: Person) -> dict[str, list[int]]:
    """The campaign's scope at the candidate's site: an ambassador helps the colleagues
    around them (their "Who can help me" page, the accompaniment queue of their site)."""
    scope = {name: sorted(values) for name, values in aq.campaign_scope(campaign).items()}
    if candidate.site_id is not None:
        scope[ScopeField.SITE] = [candidate.site_id]
    return scope


def _ambassador_role_give(*, actor: Person, application: Application, today: datetime.date) -> RoleAssignment:
    from .actions import navigation_forget

    candidate = application.candidate
    scope = _ambassador_scope(application.campaign, candidate)
    assignment = RoleAssignment.objects.create(
        person=candidate, kind=RoleKind.AMBASSADOR, starts_on=today, created_by=actor, created_at=timezone.now()
    )
    RoleScope.objects.bulk_create(
        RoleScope(assignment=assignment, field=name, value=value) for name, ids in scope.items() for value in ids
    )
    ProgramLog.objects.create(
        actor=actor, action=ProgramLogAction.ROLE_ASSIGN, assignment=assignment, role_kind=RoleKind.AMBASSADOR,
        details={
            "person": candidate.pk, "scope": scope, "starts_on": today.isoformat(), "ends_on": None,
            "campaign": application.campaign_id, "application": application.pk,
        },
    )
    transaction.on_commit(lambda: navigation_forget(candidate.pk))
    return assignment


def _space_member_make(space, person: Person, preferred: Person | None) -> None:
    """Make ``person`` an active member of ``space`` through the network's actions: a
    manager of the space invites them (``preferred`` when they manage it), and they join."""
    if space is None or space.is_archived:
        return
    membership = access.membership_of(person, space)
    if membership is not None and membership.status == MembershipStatus.ACTIVE:
        return
    if membership is None or membership.status != MembershipStatus.INVITED:
        inviter = preferred if preferred is not None and access.may_manage(preferred, space) else None
        if inviter is None:
            manager = (
                Membership.objects.filter(
                    space=space, status=MembershipStatus.ACTIVE, role__in=MANAGING_ROLES, person__departed_on__isnull=True
                ).select_related("person").order_by("pk").first()
            )
            if manager is None:
                return
            inviter = manager.person
        network_actions.space_invite(actor=inviter, space=space, person=person)
    network_actions.space_invitation_accept(actor=person, space=space, accept_rules=True)


@transaction.atomic
def application_manager_decide(
    *, actor: Person, application: Application, confirm: bool, reason: str, today: datetime.date | None = None
) -> Application:
    """The candidate's manager (an administrator when none is recorded) confirms an
    application HR approved, or does not, with a reason the candidate reads. Confirmed,
    the candidate becomes an ambassador: the ambassador role over the campaign's scope
    at their site from today, membership of the ambassadors' space and of the
    early-news space; they are told."""
    _require_present(actor)
    today = today or queries.today()
    application = _lock(application)
    candidate = application.candidate
    if actor.pk == candidate.pk:
        raise PermissionDenied(_("You cannot confirm your own application."))
    if not aq.may_confirm_as_manager(actor, application):
        manager = aq.manager_of(candidate)
        if manager is not None:
            raise PermissionDenied(
                _("%(name)s does not report to you: only their manager, %(manager)s, confirms this application.")
                % {"name": candidate.display_name, "manager": manager.display_name}
            )
        raise PermissionDenied(
            _("%(name)s has no manager on record: an administrator confirms this application.")
            % {"name": candidate.display_name}
        )
    if application.status != ApplicationStatus.AWAITING_MANAGER:
        raise _already(application)
    reason = _reason(reason)
    now = timezone.now()
    application.manager_decided_by, application.manager_decided_at, application.manager_reason = actor, now, reason
    application.status = ApplicationStatus.ACCEPTED if confirm else ApplicationStatus.REFUSED_BY_MANAGER
    application.updated_at = now
    fields = ["status", "manager_decided_by", "manager_decided_at", "manager_reason", "updated_at"]
    if confirm:
        application.assignment = _ambassador_role_give(actor=actor, application=application, today=today)
        fields.append("assignment")
    application.save(update_fields=fields)
    _log(
        actor=actor, action=AmbassadorLogAction.MANAGER_CONFIRM if confirm else AmbassadorLogAction.MANAGER_REFUSE,
        application=application, reason=reason, now=now,
    )
    if confirm:
        program = AmbassadorProgram.objects.select_related("ambassadors_space", "early_news_space").order_by("pk").first()
        if program is not None:
            owner = application.campaign.created_by
            _space_member_make(program.ambassadors_space, candidate, owner)
            _space_member_make(program.early_news_space, candidate, owner)
        notification_send(recipient=candidate, kind=NotificationKind.AMBASSADOR_ACCEPTED, actor=actor)
    else:
        notification_send(recipient=candidate, kind=NotificationKind.AMBASSADOR_REFUSED, actor=actor)
    return application
