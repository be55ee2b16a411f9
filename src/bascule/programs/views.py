"""Programs pages: who can help me, governance, requests. Thin: fetch through queries
(which check who may see what), call one action, render.

A request a person may not see answers 404; what they see but may not do answers 403
with the action's own sentence.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bascule.core.responses import forbidden as _denied, form_errors as _form_errors, person_or_404 as _person

from . import actions, queries
from .forms import (
    RequestCommentForm,
    RequestForm,
    RequestStatusForm,
    RoleAssignForm,
    RoleDescriptionForm,
    RoleEndForm,
)
from .models import TRANSITIONS, Request, RequestKind, RequestStatus, RoleAssignment, RoleKind


def _error_message(error: ValidationError) -> str:
    return " ".join(error.messages)


# ---------------------------------------------------------------------------------------
# Who can help me
# ---------------------------------------------------------------------------------------


def help_page(request):
    """My referents, the ambassadors of my scope, the community managers of my spaces."""
    person = _person(request)
    return render(request, "programs/help.html", {"help": queries.who_can_help(person)})


# ---------------------------------------------------------------------------------------
# Governance
# ---------------------------------------------------------------------------------------


def _governance_context(person, assign_form=None, past=False):
    is_admin = queries.is_administrator(person)
    groups = queries.governance(include_past=past)
    context = {"groups": groups, "is_admin": is_admin, "past": past, "today": queries.today()}
    if is_admin:
        rows = queries.role_description_rows()
        for group in groups:
            row = rows[group.kind]
            group.form = RoleDescriptionForm(
                initial={"description_en": row.description_en, "description_fr": row.description_fr} if row else None,
                prefix=group.kind,
            )
        context["assign_form"] = assign_form or RoleAssignForm(viewer=person)
    return context


def governance(request):
    """Every role, what it is for, and who holds it over which scope. Administrators
    name and end roles and write the descriptions here."""
    person = _person(request)
    past = request.GET.get("past") == "1"
    return render(request, "programs/governance.html", _governance_context(person, past=past))


@require_POST
def role_assign(request):
    person = _person(request)
    if not queries.is_administrator(person):
        return _denied(request, PermissionDenied(_("Only administrators name the people who hold a role.")))
    form = RoleAssignForm(request.POST, viewer=person)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.role_assign(
                actor=person, person=data["person"], kind=data["kind"], scope=form.scope(),
                starts_on=data["starts_on"], ends_on=data["ends_on"],
            )
        except PermissionDenied as error:
            return _denied(request, error)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s.") % {"name": data["person"].display_name, "role": RoleKind(data["kind"]).label.lower()},
            )
            return redirect("programs:governance")
    return render(request, "programs/governance.html", _governance_context(person, assign_form=form), status=400)


@require_POST
def role_end(request, assignment_id: int):
    person = _person(request)
    assignment = get_object_or_404(RoleAssignment.objects.select_related("person"), pk=assignment_id)
    form = RoleEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the last day as a date."))
        return redirect("programs:governance")
    try:
        actions.role_end(actor=person, assignment=assignment, ends_on=form.cleaned_data["ends_on"])
    except PermissionDenied as error:
        return _denied(request, error)
    except ValidationError as error:
        messages.error(request, _error_message(error))
    else:
        messages.success(
            request,
            _("%(name)s no longer holds the role %(role)s.")
            % {"name": assignment.person.display_name, "role": assignment.get_kind_display().lower()},
        )
    return redirect("programs:governance")


@require_POST
def role_description_edit(request, kind: str):
    person = _person(request)
    if kind not in RoleKind.values:
        raise Http404
    form = RoleDescriptionForm(request.POST, prefix=kind)
    if not form.is_valid():
        messages.error(request, _("A role description has at most 1,000 characters."))
        return redirect("programs:governance")
    try:
        actions.role_description_edit(actor=person, kind=kind, **form.cleaned_data)
    except PermissionDenied as error:
        return _denied(request, error)
    except ValidationError as error:
        messages.error(request, _error_message(error))
    else:
        messages.success(request, _("The description of %(role)s is saved.") % {"role": RoleKind(kind).label.lower()})
    return redirect(reverse("programs:governance") + f"#role-{kind}")


# ---------------------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------------------


def request_list(request):
    """My requests, the ones that moved last on top."""
    person = _person(request)
    requests = queries.requests_of(person).order_by("-updated_at", "-pk")
    return render(
        request,
        "programs/requests.html",
        {"requests": requests, "now": timezone.now(), "handles": queries.holds_role(person, RoleKind.REFERENT) or queries.is_administrator(person)},
    )


def request_create(request):
    """File a suggestion, a request for a new space, or an access request."""
    person = _person(request)
    initial = {"kind": request.GET.get("kind") if request.GET.get("kind") in RequestKind.values else RequestKind.SUGGESTION}
    if request.GET.get("space", "").isdigit():
        initial["space"] = int(request.GET["space"])
    form = RequestForm(request.POST or None, requester=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filed = actions.request_create(actor=person, **data)
        except PermissionDenied as error:
            return _denied(request, error)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your request is sent. You will be told at each step."))
            return redirect(filed)
    routing, fallback = queries.request_routing(person)
    context = {"form": form, "routing": routing, "fallback": fallback, "delay": queries.request_delay_days()}
    return render(request, "programs/request_form.html", context, status=400 if form.errors else 200)


def _request_or_404(person, request_id):
    found = queries.request_for(person, request_id)
    if found is None:
        raise Http404
    return found


def _detail_context(person, found, status_form=None, comment_form=None):
    may_handle = queries.may_handle_request(person, found)
    next_statuses = [(s, RequestStatus(s).label) for s in RequestStatus.values if s in TRANSITIONS[found.status]]
    status_form = status_form or RequestStatusForm(initial={"status": next_statuses[0][0] if next_statuses else ""})
    status_form.fields["status"].choices = next_statuses
    return {
        "req": found,
        "thread": queries.request_thread(found),
        "recipients": queries.request_recipients(found),
        "access_state": queries.space_access_state(found),
        "may_handle": may_handle,
        "status_form": status_form if may_handle and next_statuses else None,
        "comment_form": comment_form or RequestCommentForm(),
        "now": timezone.now(),
    }


def request_detail(request, request_id: int):
    """A request with its thread; its handlers move it along here."""
    person = _person(request)
    found = _request_or_404(person, request_id)
    return render(request, "programs/request.html", _detail_context(person, found))


@require_POST
def request_status(request, request_id: int):
    person = _person(request)
    found = queries.request_for(person, request_id)
    if found is None:
        # A referent acting on a request of someone outside their scope is told why;
        # anybody else learns nothing about it.
        if not queries.holds_role(person, RoleKind.REFERENT):
            raise Http404
        found = get_object_or_404(Request.objects.select_related("requester"), pk=request_id)
    form = RequestStatusForm(request.POST)
    if form.is_valid():
        try:
            actions.request_status_set(
                actor=person, request=found, status=form.cleaned_data["status"], message=form.cleaned_data["message"]
            )
        except PermissionDenied as error:
            return _denied(request, error)
        except ValidationError as error:
            messages.error(request, _error_message(error))
            return redirect(found)
        messages.success(request, _("The request is now “%(status)s”; the requester is told.") % {"status": RequestStatus(form.cleaned_data["status"]).label})
        return redirect(found)
    if not queries.may_handle_request(person, found):
        return _denied(request, PermissionDenied(_("Only the referents of the requester and the administrators change a request's status.")))
    messages.error(request, _("Choose a status from the list."))
    return redirect(found)


@require_POST
def request_comment(request, request_id: int):
    person = _person(request)
    found = _request_or_404(person, request_id)
    form = RequestCommentForm(request.POST)
    if form.is_valid():
        try:
            actions.request_comment_add(actor=person, request=found, body=form.cleaned_data["body"])
        except PermissionDenied as error:
            return _denied(request, error)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return redirect(f"{found.get_absolute_url()}#thread")
    return render(request, "programs/request.html", _detail_context(person, found, comment_form=form), status=400)


def inbox(request):
    """The requests routed to me, the overdue first; volumes and delays per scope."""
    person = _person(request)
    now = timezone.now()
    is_admin = queries.is_administrator(person)
    if not (is_admin or queries.holds_role(person, RoleKind.REFERENT)):
        return _denied(request, PermissionDenied(_("The inbox is for referents and administrators. To ask them something, file a request.")))
    requests = list(queries.inbox(person, now))
    context = {
        "open": [r for r in requests if r.is_open],
        "handled": [r for r in requests if not r.is_open][:50],
        "overdue_count": sum(1 for r in requests if r.is_overdue(now)),
        "now": now,
        "volumes": queries.volumes_by_scope(person, now),
        "k": queries.min_group_size(),
        "scopes": queries.referent_assignments(person),
    }
    return render(request, "programs/inbox.html", context)
