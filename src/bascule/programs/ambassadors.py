"""Pages of the ambassador program: campaigns, applying and nominating, validation by HR
and the manager, coverage of the sites, the ambassador's own page and training path.

Thin, as every view: fetch through ``ambassadors_queries`` (which decides who may see
what), call one action, render. An application a person may not see answers 404; an act
they may not do answers 403, bad input 400 and an act that clashes with where things
stand 409 — each with the action's own sentence, and nothing changed.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bascule.core.responses import forbidden as _denied, form_errors as _form_errors, person_or_404 as _person
from bascule.people.models import Site

from . import actions
from . import ambassadors_queries as aq
from . import queries
from .ambassadors_forms import ApplyForm, CampaignForm, DecisionForm, NominateForm, NominationAnswerForm
from .models import ApplicationStatus, RoleKind

TEMPLATES = "programs/ambassadors/"


def _problem(error: ValidationError) -> tuple[str, int]:
    """The sentence of a refused act and its status: 409 for a conflict, else 400."""
    return " ".join(error.messages), 409 if isinstance(error, actions.Conflict) else 400


# ---------------------------------------------------------------------------------------
# The program's home and campaigns
# ---------------------------------------------------------------------------------------


def home(request):
    """Open campaigns, my applications, what waits for my decision, and the way to the
    coverage page and my ambassador page."""
    person = _person(request)
    day = queries.today()
    groups = aq.campaigns(day)
    manages = aq.program_manager_test(person)
    managed = {c.pk for group in groups.values() for c in group if manages(c)}
    context = {
        "open": groups["open"],
        "upcoming": [c for c in groups["upcoming"] if c.pk in managed],
        "closed": groups["closed"][:10],
        "managed": managed,
        "applications": list(aq.applications_of(person)),
        "waiting": aq.waiting_for(person),
        "may_create": aq.may_create_campaign(person),
        "is_ambassador": aq.is_ambassador(person, day),
    }
    return render(request, TEMPLATES + "home.html", context)


def _campaign_or_404(campaign_id):
    campaign = aq.campaign_with_rules(campaign_id)
    if campaign is None:
        raise Http404
    return campaign


def _campaign_context(person, campaign, *, apply_form=None, nominate_form=None, problem=None):
    day = queries.today()
    status = campaign.status_on(day)
    mine = aq.application_of(campaign, person)
    is_manager = aq.is_program_manager(person, campaign)
    is_ambassador = aq.is_ambassador(person, day)
    problems = aq.eligibility_problems(campaign, person, day)
    context = {
        "campaign": campaign,
        "status": status,
        "rules": aq.rules_in_words(campaign),
        "targets": sorted(campaign.site_targets.all(), key=lambda t: t.site.name),
        "mine": mine,
        "is_manager": is_manager,
        "is_ambassador": is_ambassador,
        "problems": problems,
        "may_apply": status == "open" and mine is None and not is_ambassador and not problems,
        "apply_form": apply_form or ApplyForm(),
        "nominate_form": nominate_form or (NominateForm(viewer=person) if status == "open" else None),
        "problem": problem,
    }
    if is_manager:
        rows = aq.coverage(day)
        context["applications"] = aq.campaign_applications(campaign)
        context["suggestions"] = aq.suggested_candidates(campaign, day, short_sites=aq.short_site_ids(rows)) if status != "closed" else []
    return context


def campaign_detail(request, campaign_id: int):
    """A campaign: its pitch, who it is open to, applying and nominating; for its program
    managers, the applications and the suggested candidates."""
    person = _person(request)
    campaign = _campaign_or_404(campaign_id)
    return render(request, TEMPLATES + "campaign.html", _campaign_context(person, campaign))


def _campaign_form_page(request, person, *, campaign=None):
    sites = list(Site.objects.order_by("name"))
    initial = CampaignForm.initial_for(campaign) if campaign is not None else {"people_per_ambassador": 50}
    form = CampaignForm(request.POST or None, initial=initial, sites=sites)
    if request.method == "POST" and form.is_valid():
        try:
            if campaign is None:
                saved = actions.campaign_create(actor=person, **form.action_arguments())
            else:
                saved = actions.campaign_update(actor=person, campaign=campaign, **form.action_arguments())
        except PermissionDenied as error:
            return _denied(request, error)
        except ValidationError as error:
            _form_errors(form, error)
            status = _problem(error)[1]
        else:
            messages.success(request, _("The campaign is saved."))
            return redirect(saved)
    else:
        status = 400 if form.errors else 200
    context = {"form": form, "campaign": campaign, "site_fields": [form[name] for name in form.site_fields]}
    return render(request, TEMPLATES + "campaign_form.html", context, status=status)


def campaign_create(request):
    person = _person(request)
    if not aq.may_create_campaign(person):
        return _denied(request, PermissionDenied(_("Administrators and referents open ambassador campaigns.")))
    return _campaign_form_page(request, person)


def campaign_edit(request, campaign_id: int):
    person = _person(request)
    campaign = _campaign_or_404(campaign_id)
    if not aq.is_program_manager(person, campaign):
        return _denied(request, PermissionDenied(_("Only the program managers of this campaign change it.")))
    return _campaign_form_page(request, person, campaign=campaign)


@require_POST
def campaign_close(request, campaign_id: int):
    person = _person(request)
    campaign = _campaign_or_404(campaign_id)
    try:
        actions.campaign_close(actor=person, campaign=campaign)
    except PermissionDenied as error:
        return _denied(request, error)
    except ValidationError as error:
        message, status = _problem(error)
        return render(request, TEMPLATES + "campaign.html", _campaign_context(person, campaign, problem=message), status=status)
    messages.success(request, _("The campaign is closed. Applications already filed go on."))
    return redirect(campaign)


@require_POST
def campaign_apply(request, campaign_id: int):
    person = _person(request)
    campaign = _campaign_or_404(campaign_id)
    form = ApplyForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            application = actions.application_submit(actor=person, campaign=campaign, motivation=form.cleaned_data["motivation"])
        except PermissionDenied as error:
            return _denied(request, error)
        except ValidationError as error:
            message, status = _problem(error)
            if status == 409:
                context = _campaign_context(person, campaign, apply_form=form, problem=message)
                return render(request, TEMPLATES + "campaign.html", context, status=status)
            _form_errors(form, error)
        else:
            messages.success(request, _("Your application is sent. HR looks at it first, then your manager; you are told at each step."))
            return redirect(application)
    return render(request, TEMPLATES + "campaign.html", _campaign_context(person, campaign, apply_form=form), status=status)


@require_POST
def campaign_nominate(request, campaign_id: int):
    person = _person(request)
    campaign = _campaign_or_404(campaign_id)
    form = NominateForm(request.POST, viewer=person)
    status = 400
    if form.is_valid():
        try:
            actions.application_nominate(
                actor=person, campaign=campaign, candidate=form.cleaned_data["candidate"], note=form.cleaned_data["note"]
            )
        except PermissionDenied as error:
            return _denied(request, error)
        except ValidationError as error:
            message, status = _problem(error)
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is told of your nomination and confirms their interest.") % {"name": form.cleaned_data["candidate"].display_name},
            )
            return redirect(campaign)
    return render(request, TEMPLATES + "campaign.html", _campaign_context(person, campaign, nominate_form=form), status=status)


# ---------------------------------------------------------------------------------------
# Applications
# ---------------------------------------------------------------------------------------


def _application_or_404(person, application_id):
    application = aq.application_for(person, application_id)
    if application is None:
        raise Http404
    return application


def _application_context(person, application, *, decision_form=None, answer_form=None, problem=None):
    candidate = application.candidate
    is_candidate = person.pk == candidate.pk
    is_hr = aq.may_decide_as_hr(person, application)
    is_manager = aq.may_confirm_as_manager(person, application)
    is_program_manager = aq.is_program_manager(person, application.campaign)
    # Whoever only nominated the candidate follows the status, not the motivation, the
    # reasons or who decided: those are between the candidate, HR and the manager.
    sees_details = is_candidate or is_hr or is_manager or is_program_manager
    return {
        "application": application,
        "candidate": candidate,
        "history": aq.application_history(application) if sees_details else [],
        "sees_details": sees_details,
        "is_candidate": is_candidate,
        "may_hr": application.status == ApplicationStatus.AWAITING_HR and is_hr,
        "may_manager": application.status == ApplicationStatus.AWAITING_MANAGER and is_manager,
        "is_manager_of_campaign": is_program_manager,
        "hr_validators": aq.hr_validators_for(candidate),
        "manager": aq.manager_of(candidate),
        "decision_form": decision_form or DecisionForm(),
        "answer_form": answer_form or NominationAnswerForm(),
        "problem": problem,
    }


def application_detail(request, application_id: int):
    """An application, its steps and reasons; HR and the manager decide here."""
    person = _person(request)
    application = _application_or_404(person, application_id)
    return render(request, TEMPLATES + "application.html", _application_context(person, application))


def _application_act(request, application_id, act, *, form_class, success, form_key):
    """Run ``act(person, application, form)`` for a POST on an application; an
    application the person may not see is 404, as on its page."""
    person = _person(request)
    application = aq.application_for(person, application_id)
    if application is None:
        # An HR validator or a manager acting on an application outside their reach is
        # told why; anybody else learns nothing about it.
        if not (queries.holds_role(person, RoleKind.HR_VALIDATOR) or person.reports.exists()):
            raise Http404
        from .models import Application

        application = Application.objects.select_related("candidate__manager", "campaign").filter(pk=application_id).first()
        if application is None:
            raise Http404
    form = form_class(request.POST)
    status = 400
    if form.is_valid():
        try:
            act(person, application, form.cleaned_data)
        except PermissionDenied as error:
            return _denied(request, error)
        except ValidationError as error:
            message, status = _problem(error)
            if status == 409:
                context = _application_context(person, application, problem=message)
                return render(request, TEMPLATES + "application.html", context, status=409)
            _form_errors(form, error)
        else:
            messages.success(request, success(application))
            return redirect(application)
    context = _application_context(person, application, **{form_key: form})
    return render(request, TEMPLATES + "application.html", context, status=status)


@require_POST
def application_hr(request, application_id: int):
    def act(person, application, data):
        actions.application_hr_decide(
            actor=person, application=application, approve=data["decision"] == "approve", reason=data["reason"]
        )

    return _application_act(
        request, application_id, act, form_class=DecisionForm, form_key="decision_form",
        success=lambda a: _("Your decision is recorded; %(name)s is told.") % {"name": a.candidate.display_name},
    )


@require_POST
def application_manager(request, application_id: int):
    def act(person, application, data):
        actions.application_manager_decide(
            actor=person, application=application, confirm=data["decision"] == "approve", reason=data["reason"]
        )

    return _application_act(
        request, application_id, act, form_class=DecisionForm, form_key="decision_form",
        success=lambda a: _("Your decision is recorded; %(name)s is told.") % {"name": a.candidate.display_name},
    )


@require_POST
def application_answer(request, application_id: int):
    def act(person, application, data):
        actions.nomination_answer(
            actor=person, application=application, accept=data["answer"] == "accept", motivation=data["motivation"]
        )

    return _application_act(
        request, application_id, act, form_class=NominationAnswerForm, form_key="answer_form",
        success=lambda a: _("Your answer is recorded."),
    )


class _NoForm:
    """A POST without fields (withdraw)."""

    def __init__(self, data):
        self.cleaned_data = {}

    def is_valid(self):
        return True


@require_POST
def application_withdraw(request, application_id: int):
    return _application_act(
        request, application_id, lambda person, application, data: actions.application_withdraw(actor=person, application=application),
        form_class=_NoForm, form_key="answer_form", success=lambda a: _("Your application is withdrawn."),
    )


def validations(request):
    """The applications waiting for my decision, as HR validator or as manager."""
    person = _person(request)
    waiting = aq.waiting_for(person)
    return render(
        request, TEMPLATES + "validations.html",
        {"waiting": waiting, "is_hr": queries.holds_role(person, RoleKind.HR_VALIDATOR)},
    )


# ---------------------------------------------------------------------------------------
# Coverage, my ambassador page, the training path
# ---------------------------------------------------------------------------------------


def coverage(request):
    """Ambassadors per site against headcount and target, the largest gaps first."""
    person = _person(request)
    day = queries.today()
    rows = aq.coverage(day)
    is_manager = aq.may_create_campaign(person)
    context = {
        "rows": rows,
        "totals": aq.coverage_totals(rows),
        "per": aq.people_per_ambassador(day),
        "is_ambassador": aq.is_ambassador(person, day),
        "is_manager": is_manager,
        "activity": aq.program_activity(day) if is_manager else None,
        "k": settings.BASCULE_MIN_GROUP_SIZE,
        "open": aq.campaigns(day)["open"],
        "program": aq.program(),
    }
    return render(request, TEMPLATES + "coverage.html", context)


def ambassador_me(request):
    """My ambassador page: my badge, my scope, my e-mail signature, my spaces, my training
    path and what I did as an ambassador."""
    person = _person(request)
    assignments = aq.ambassador_assignments(person)
    context = {"assignments": assignments, "program": aq.program()}
    if assignments:
        context["activity"] = aq.ambassador_activity(person)
        context["signature"] = _("%(name)s — Ambassador of the %(organisation)s network · Ask me how it can help your team: %(url)s") % {
            "name": person.display_name,
            "organisation": settings.ORGANISATION_NAME,
            "url": request.build_absolute_uri(reverse("programs:help")),
        }
    return render(request, TEMPLATES + "me.html", context)


def training(request):
    """The advanced training path: a privilege of the ambassadors (and of the people who
    run the program)."""
    person = _person(request)
    if not (aq.is_ambassador(person) or aq.may_create_campaign(person)):
        return _denied(
            request,
            PermissionDenied(_("The advanced training path is for ambassadors. Become one through an open campaign.")),
        )
    return render(request, TEMPLATES + "training.html", {"program": aq.program()})
