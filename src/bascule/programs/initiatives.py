"""Initiatives, the case-study library and recognition: pages. Thin like ``views.py``:
read through ``initiatives_queries`` (which applies access.py), call one action, render.

What a person may not see answers 404; what they see but may not do answers 403 with the
action's own sentence; bad input answers 400 with the form and its message.
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bascule import access
from bascule.network.models import Visibility

from . import actions, queries
from . import initiatives_queries as iq
from .models import (
    BLOCKER_MAX_LENGTH,
    CASE_STUDY_PART_MAX_LENGTH,
    INITIATIVE_TITLE_MAX_LENGTH,
    THANKS_MAX_LENGTH,
    CaseStudy,
    CaseStudyStatus,
    InitiativeBlocker,
    RoleKind,
)
from .views import _denied, _error_message, _form_errors, _person

# ---------------------------------------------------------------------------------------
# Forms (parse only: the rules live in the actions)
# ---------------------------------------------------------------------------------------


class LaunchForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title of the initiative"), max_length=INITIATIVE_TITLE_MAX_LENGTH)
    space = forms.ModelChoiceField(
        label=gettext_lazy("A space you own"), queryset=None, required=False,
        empty_label=gettext_lazy("No: create a new project space"),
        help_text=gettext_lazy("Link a space you already own, or leave empty to create one for the initiative."),
    )
    purpose = forms.CharField(label=gettext_lazy("Purpose of the new space"), max_length=500, required=False)
    rules = forms.CharField(
        label=gettext_lazy("Rules of the new space"), max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    visibility = forms.ChoiceField(
        label=gettext_lazy("Visibility of the new space"), choices=Visibility.choices, initial=Visibility.PUBLIC
    )

    def __init__(self, *args, lead=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = iq.owned_spaces(lead)


class BlockerForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("A blocker"), max_length=BLOCKER_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("What stands in the way: a manager who cannot free time, a missing tool…"),
    )


def _part(label, help_text=""):
    return forms.CharField(
        label=label, required=False, max_length=CASE_STUDY_PART_MAX_LENGTH, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CaseStudyForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=INITIATIVE_TITLE_MAX_LENGTH)
    context = _part(gettext_lazy("Context"), gettext_lazy("The situation before: the team, the problem, the stakes."))
    actions_taken = _part(gettext_lazy("What was done"))
    results = _part(gettext_lazy("Results"), gettext_lazy("What changed, with figures where you have them."))
    lessons = _part(gettext_lazy("Lessons"), gettext_lazy("What you would do again, and what you would not."))
    contact = forms.ModelChoiceField(
        label=gettext_lazy("Contact"), queryset=None, required=False, empty_label=gettext_lazy("Choose a colleague"),
        help_text=gettext_lazy("Who readers may ask about this initiative."),
    )
    tags = forms.CharField(
        label=gettext_lazy("Business context"), max_length=400, required=False,
        help_text=gettext_lazy("Tags separated by commas, e.g. sales, logistics, onboarding."),
    )

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = access.visible_people(viewer).filter(departed_on__isnull=True)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("approve", gettext_lazy("Publish")), ("send_back", gettext_lazy("Send back to the lead"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Note or reason"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Optional when publishing; needed when sending back."),
    )


class ThanksForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Your thanks"), max_length=THANKS_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("A few words, shown on their profile."),
    )


# ---------------------------------------------------------------------------------------
# Initiatives
# ---------------------------------------------------------------------------------------


def initiatives(request):
    """My initiatives, the ones I oversee as referent or community manager, and the case
    studies waiting for my review."""
    person = _person(request)
    rows = list(iq.initiatives_for(person))
    # The open blockers show to whoever keeps the log: the lead, a referent of the lead.
    referent_roles = list(queries.roles_for(person, RoleKind.REFERENT))
    for row in rows:
        row.items = iq.checklist(row)
        row.done = sum(1 for item in row.items if item.done)
        row.show_blockers = row.lead_id == person.pk or any(queries.scope_contains(a, row.lead) for a in referent_roles)
    context = {
        "mine": [r for r in rows if r.lead_id == person.pk],
        "overseen": [r for r in rows if r.lead_id != person.pk],
        "queue": list(iq.review_queue(person)),
    }
    return render(request, "programs/initiatives/list.html", context)


def initiative_launch(request):
    person = _person(request)
    form = LaunchForm(request.POST or None, lead=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            initiative = actions.initiative_launch(
                actor=person, title=data["title"], space=data["space"], purpose=data["purpose"], rules=data["rules"],
                visibility=data["visibility"],
            )
        except PermissionDenied as error:
            return _denied(request, error)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your initiative is launched. Work through the checklist to get it going."))
            return redirect(initiative)
    return render(request, "programs/initiatives/launch.html", {"form": form}, status=400 if form.errors else 200)


def _initiative_or_404(person, initiative_id):
    found = iq.initiative_for(person, initiative_id)
    if found is None:
        raise Http404
    return found


def _initiative_context(person, initiative, blocker_form=None):
    may_blockers = iq.may_see_blockers(person, initiative)
    case_study = CaseStudy.objects.filter(initiative=initiative).first()
    return {
        "initiative": initiative,
        "items": iq.checklist(initiative),
        "space_url": initiative.space.get_absolute_url(),
        "is_lead": initiative.lead_id == person.pk,
        "may_blockers": may_blockers,
        "blockers": iq.blockers(initiative) if may_blockers else [],
        "blocker_form": blocker_form or BlockerForm(),
        "case_study": case_study,
        "min_invited": iq.MIN_INVITED,
    }


def initiative_detail(request, initiative_id: int):
    person = _person(request)
    initiative = _initiative_or_404(person, initiative_id)
    return render(request, "programs/initiatives/detail.html", _initiative_context(person, initiative))


@require_POST
def blocker_add(request, initiative_id: int):
    person = _person(request)
    initiative = _initiative_or_404(person, initiative_id)
    form = BlockerForm(request.POST)
    if form.is_valid():
        try:
            actions.blocker_add(actor=person, initiative=initiative, text=form.cleaned_data["text"])
        except PermissionDenied as error:
            return _denied(request, error)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The blocker is noted."))
            return redirect(reverse("programs:initiative", args=[initiative.pk]) + "#blockers")
    context = _initiative_context(person, initiative, blocker_form=form)
    return render(request, "programs/initiatives/detail.html", context, status=400)


@require_POST
def blocker_resolve(request, initiative_id: int, blocker_id: int):
    person = _person(request)
    initiative = _initiative_or_404(person, initiative_id)
    blocker = get_object_or_404(InitiativeBlocker, pk=blocker_id, initiative=initiative)
    try:
        actions.blocker_resolve(actor=person, blocker=blocker)
    except PermissionDenied as error:
        return _denied(request, error)
    except ValidationError as error:
        messages.error(request, _error_message(error))
    else:
        messages.success(request, _("The blocker is resolved."))
    return redirect(reverse("programs:initiative", args=[initiative.pk]) + "#blockers")


def case_study_edit(request, initiative_id: int):
    """The lead writes the case study of their initiative."""
    person = _person(request)
    initiative = _initiative_or_404(person, initiative_id)
    if initiative.lead_id != person.pk:
        return _denied(request, PermissionDenied(_("Only the initiative's lead writes its case study.")))
    existing = CaseStudy.objects.filter(initiative=initiative).first()
    if existing is not None and existing.status != CaseStudyStatus.DRAFT:
        messages.error(request, _("This case study is %(status)s: it is no longer edited.") % {
            "status": existing.get_status_display().lower()})
        return redirect(existing)
    initial = {"title": initiative.title}
    if existing is not None:
        initial = {
            "title": existing.title, "context": existing.context, "actions_taken": existing.actions_taken,
            "results": existing.results, "lessons": existing.lessons, "contact": existing.contact_id,
            "tags": ", ".join(existing.tag_list),
        }
    form = CaseStudyForm(request.POST or None, viewer=person, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                saved = actions.case_study_save(actor=person, initiative=initiative, **form.cleaned_data)
                if "submit" in request.POST:
                    actions.case_study_submit(actor=person, case_study=saved)
            except PermissionDenied as error:
                return _denied(request, error)
            except ValidationError as error:
                _form_errors(form, error)
                if "submit" in request.POST and not hasattr(error, "error_dict"):
                    messages.info(request, _("Your draft is saved."))
            else:
                if "submit" in request.POST:
                    messages.success(request, _("Your case study is submitted: a community manager will review it."))
                else:
                    messages.success(request, _("Your draft is saved."))
                return redirect(saved)
    context = {"form": form, "initiative": initiative, "case_study": existing}
    return render(request, "programs/initiatives/case_study_form.html", context, status=status)


def _case_study_or_404(person, case_study_id):
    found = iq.case_study_for(person, case_study_id)
    if found is None:
        raise Http404
    return found


def case_study_detail(request, case_study_id: int):
    person = _person(request)
    found = _case_study_or_404(person, case_study_id)
    may_review = found.status == CaseStudyStatus.SUBMITTED and iq.may_review(person, found)
    context = {
        "case_study": found,
        "is_lead": found.initiative.lead_id == person.pk,
        "review_form": ReviewForm() if may_review else None,
    }
    return render(request, "programs/initiatives/case_study.html", context)


@require_POST
def case_study_review(request, case_study_id: int):
    person = _person(request)
    found = iq.case_study_for(person, case_study_id)
    if found is None:
        # A community manager acting outside their scope is told why; anybody else
        # learns nothing about a case study that is not published.
        if not queries.holds_role(person, RoleKind.COMMUNITY_MANAGER):
            raise Http404
        found = get_object_or_404(CaseStudy.objects.select_related("initiative__lead"), pk=case_study_id)
    # Who may review is answered before what they sent: a refusal, whatever the form holds.
    if not iq.may_review(person, found):
        return _denied(
            request,
            PermissionDenied(_("Only a community manager of the lead's scope, or an administrator, reviews this case study.")),
        )
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to publish or send back."))
        return redirect(found)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        actions.case_study_review(actor=person, case_study=found, approve=approve, note=form.cleaned_data["note"])
    except PermissionDenied as error:
        return _denied(request, error)
    except ValidationError as error:
        context = {"case_study": found, "is_lead": False, "review_form": form}
        form.add_error(None, _error_message(error))
        return render(request, "programs/initiatives/case_study.html", context, status=400)
    messages.success(
        request, _("The case study is published.") if approve else _("The case study is sent back to its lead.")
    )
    return redirect(found)


def case_study_library(request):
    """Published case studies, by business context and words, for every employee."""
    person = _person(request)
    text, tag = request.GET.get("q", "").strip()[:200], request.GET.get("tag", "").strip()[:40]
    context = {
        "case_studies": iq.library(person, text=text, tag=tag)[:100],
        "tags": iq.library_tags(),
        "q": text,
        "tag": iq.tag_slug(tag) if tag else "",
    }
    return render(request, "programs/initiatives/library.html", context)


@require_POST
def case_study_submit(request, case_study_id: int):
    person = _person(request)
    found = _case_study_or_404(person, case_study_id)
    try:
        actions.case_study_submit(actor=person, case_study=found)
    except PermissionDenied as error:
        return _denied(request, error)
    except ValidationError as error:
        messages.error(request, _error_message(error))
        return redirect(reverse("programs:case_study_edit", args=[found.initiative_id]))
    messages.success(request, _("Your case study is submitted: a community manager will review it."))
    return redirect(found)


# ---------------------------------------------------------------------------------------
# Recognition
# ---------------------------------------------------------------------------------------


def recognition(request):
    """Top contributors of the network or of a space over a period, among the people who
    agreed to be shown; and my own agreement."""
    person = _person(request)
    periods = iq.periods()
    days = int(request.GET["days"]) if request.GET.get("days", "").isdigit() and int(request.GET["days"]) in periods else periods[0]
    space = None
    if request.GET.get("space"):
        space = access.readable_spaces(person).filter(slug=request.GET["space"]).first()
        if space is None:
            raise Http404
    until = queries.today()
    since = until - datetime.timedelta(days=days - 1)
    context = {
        "top": iq.top_contributors(since=since, until=until, space=space),
        "space": space,
        "days": days,
        "periods": periods,
        "since": since,
        "consents": iq.consents(person),
        "spaces": access.readable_spaces(person).filter(archived_at__isnull=True).order_by("name")[:200],
    }
    return render(request, "programs/initiatives/recognition.html", context)


@require_POST
def contributor_consent(request):
    person = _person(request)
    shown = request.POST.get("shown") == "1"
    actions.contributor_consent_set(actor=person, shown=shown)
    messages.success(
        request,
        _("You now appear among the top contributors.") if shown else _("You no longer appear among the top contributors."),
    )
    return redirect("programs:recognition")


def thank(request, person_id: int):
    """Thank a colleague in a few words."""
    person = _person(request)
    recipient = access.access_person(person, person_id)
    form = ThanksForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.recognize(actor=person, recipient=recipient, message=form.cleaned_data["message"])
        except PermissionDenied as error:
            return _denied(request, error)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your thanks to %(name)s is on their profile.") % {"name": recipient.display_name})
            return redirect(recipient)
    status = 400 if form.errors else 200
    return render(request, "programs/initiatives/thank.html", {"form": form, "recipient": recipient}, status=status)
