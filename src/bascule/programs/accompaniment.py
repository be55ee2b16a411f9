"""Accompaniment pages for ambassadors, referents and administrators: the queue, the
journey of someone of one's scope (each look logged and shown to the person), logging
an action, the mode's switch, and the playbooks.

A journey that the viewer may not open answers 404, whatever the reason (mode off,
outside the scope, opted out): it tells nothing about the person.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bascule import access
from bascule.adoption.personal import personal_journey
from bascule.adoption.models import Stage
from bascule.core.responses import forbidden as _denied, form_errors as _form_errors, person_or_404 as _person

from . import accompaniment_queries as accompaniment
from . import actions, queries
from .accompaniment_forms import AccompanyForm, ModeForm, PlaybookForm


def _home_context(person, mode_form=None):
    is_admin = queries.is_administrator(person)
    assignments = accompaniment.accompanier_assignments(person)
    mode = accompaniment.mode_state()
    return {
        "is_admin": is_admin,
        "assignments": assignments,
        "mode": mode,
        "mode_on": bool(mode and mode.enabled),
        "history": accompaniment.mode_history(10) if is_admin else [],
        "mode_form": mode_form or (ModeForm(initial={"enabled": "off" if mode and mode.enabled else "on"}) if is_admin else None),
        "queue": accompaniment.queue(person) if assignments else [],
        "recent": accompaniment.actions_by(person) if assignments else [],
    }


def home(request):
    """The queue of the people of my scopes who may need a hand (ambassadors and
    referents, in accompaniment mode); the mode's switch for administrators."""
    person = _person(request)
    context = _home_context(person)
    if not (context["is_admin"] or context["assignments"]):
        return _denied(request, _("Accompaniment is for ambassadors, referents and administrators."))
    return render(request, "programs/accompaniment/home.html", context)


@require_POST
def mode_set(request):
    person = _person(request)
    if not queries.is_administrator(person):
        return _denied(request, _("Only administrators switch the accompaniment mode."))
    form = ModeForm(request.POST)
    if form.is_valid():
        try:
            change = actions.accompaniment_mode_set(
                actor=person, enabled=form.cleaned_data["enabled"], justification=form.cleaned_data["justification"]
            )
        except PermissionDenied as error:
            return _denied(request, str(error))
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("The accompaniment mode is on. Every employee sees it, and why, on the transparency page.")
                if change.enabled else _("The accompaniment mode is off: nobody sees anyone's stage any more."),
            )
            return redirect("accompaniment:home")
    return render(request, "programs/accompaniment/home.html", _home_context(person, mode_form=form), status=400)


def _accompanied_or_404(viewer, person_id):
    """The person ``person_id`` if ``viewer`` may open their journey now, else 404."""
    person = access.access_person(viewer, person_id)
    if accompaniment.accompanying_role(viewer, person) is None:
        raise Http404
    return person


def person_journey(request, person_id: int):
    """The journey of someone of my scope, opened from my queue: the look is logged and
    the person sees it."""
    viewer = _person(request)
    person = _accompanied_or_404(viewer, person_id)
    actions.journey_look_record(actor=viewer, person=person)
    return render(request, "programs/accompaniment/person.html", _person_context(viewer, person))


def _person_context(viewer, person, form=None):
    journey = personal_journey(person, queries.today())
    playbook = accompaniment.playbooks()[journey.stage.stage] if journey.stage else None
    return {
        "who": person,
        "journey": journey,
        "playbook": playbook,
        "message": accompaniment.message_text(playbook, person) if playbook else "",
        "form": form or AccompanyForm(),
        "actions": accompaniment.actions_about(person, limit=10),
    }


@require_POST
def accompany(request, person_id: int):
    """Log what I did for someone of my scope (records my ``accompany`` event)."""
    viewer = _person(request)
    person = _accompanied_or_404(viewer, person_id)
    form = AccompanyForm(request.POST)
    if form.is_valid():
        journey = personal_journey(person, queries.today())
        try:
            actions.accompany_log(
                actor=viewer, person=person, kind=form.cleaned_data["kind"], note=form.cleaned_data["note"],
                stage=journey.stage.stage if journey.stage else "",
            )
        except PermissionDenied as error:
            return _denied(request, str(error))
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Logged. %(name)s sees it on their journey.") % {"name": person.display_name})
            return redirect("accompaniment:home")
    return render(request, "programs/accompaniment/person.html", _person_context(viewer, person, form), status=400)


def playbooks(request):
    """What helps someone at each stage. Everyone may read; administrators edit."""
    person = _person(request)
    is_admin = queries.is_administrator(person)
    books = accompaniment.playbooks()
    forms = {}
    if is_admin:
        rows = accompaniment.playbook_rows()
        for stage in Stage.values:
            row = rows[stage]
            initial = _default_initial(stage)
            if row is not None:
                initial = {name: getattr(row, name) for name in actions.PLAYBOOK_TEXT_FIELDS}
                initial |= {"resource_url": row.resource_url, "space": row.space_id}
            forms[stage] = PlaybookForm(initial=initial, prefix=stage)
    entries = [(books[stage], forms.get(stage)) for stage in Stage.values]
    return render(request, "programs/accompaniment/playbooks.html", {"entries": entries, "is_admin": is_admin})


def _default_initial(stage: str) -> dict:
    """Bascule's default words in both languages, so that an administrator edits them
    rather than starting from a blank page."""
    from django.utils import translation

    from .playbooks import DEFAULT_PLAYBOOKS

    default = DEFAULT_PLAYBOOKS[stage]
    initial = {"resource_url": str(default.resource_url)}
    for language in ("en", "fr"):
        with translation.override(language):
            for name in ("suggestion", "message", "action", "resource_label"):
                initial[f"{name}_{language}"] = str(getattr(default, name))
    return initial


@require_POST
def playbook_edit(request, stage: str):
    person = _person(request)
    if stage not in Stage.values:
        raise Http404
    if not queries.is_administrator(person):
        return _denied(request, _("Only administrators edit the playbooks."))
    form = PlaybookForm(request.POST, prefix=stage)
    if not form.is_valid():
        messages.error(request, " ".join(f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()))
        return redirect(reverse("accompaniment:playbooks") + f"#stage-{stage}")
    try:
        actions.playbook_edit(actor=person, stage=stage, **form.cleaned_data)
    except PermissionDenied as error:
        return _denied(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The playbook of the stage %(stage)s is saved.") % {"stage": Stage(stage).label})
    return redirect(reverse("accompaniment:playbooks") + f"#stage-{stage}")


def charter_admin(request):
    """Publish a new version of the charter (administrators); the versions so far with
    how many people accepted each."""
    from django.db.models import Count

    from . import charter as charter_module
    from .accompaniment_forms import CharterForm
    from .models import CharterVersion

    person = _person(request)
    if not queries.is_administrator(person):
        return _denied(request, _("Only administrators publish the charter."))
    latest = charter_module.charter_latest()
    initial = {"text_en": latest.text_en, "text_fr": latest.text_fr} if latest else None
    form = CharterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = actions.charter_publish(actor=person, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("Version %(number)s of the charter is published: everyone accepts it at their next page.")
                % {"number": version.number},
            )
            return redirect("accompaniment:charter_admin")
    versions = CharterVersion.objects.select_related("published_by").annotate(accepted=Count("acceptances")).order_by("-number")
    return render(
        request, "programs/accompaniment/charter_admin.html", {"form": form, "versions": versions},
        status=400 if form.errors else 200,
    )
