"""Moderation pages: report something, the queue, acting on an item, the audit log.

Thin: fetch through access, call one action or query, render. What a person may not
see answers 404; what they see but may not moderate answers 403 with a sentence.
"""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bascule import access
from bascule.core.responses import forbidden as _denied, form_errors as _form_errors

from . import actions, queries
from .forms import HideForm, NoteForm, ReportForm
from .models import Report, ReportStatus

ITEMS_PER_PAGE = 20
LOG_ENTRIES_PER_PAGE = 50


def _target_url(post, comment) -> str:
    return f"{post.get_absolute_url()}#comment-{comment.pk}" if comment is not None else post.get_absolute_url()


def report(request, post_id, comment_id=None):
    """Report a post or a comment to the moderators, with a reason."""
    post = access.access_post(request.person, post_id)
    comment = access.access_comment(request.person, post, comment_id) if comment_id is not None else None
    if not access.may_report(request.person, post, comment):
        return _denied(request, PermissionDenied(_("You cannot report what you wrote yourself: edit or delete it instead.")))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.report_create(
                actor=request.person,
                post=post,
                comment=comment,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except PermissionDenied as error:
            return _denied(request, error)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Thank you. The moderators will look at your report."))
            return redirect(_target_url(post, comment))
    already = (
        Report.objects.filter(reporter=request.person, post=post, comment=comment, status=ReportStatus.OPEN).exists()
        if request.method == "GET"
        else False
    )
    context = {"post": post, "comment": comment, "space": post.space, "form": form, "already": already, "back": _target_url(post, comment)}
    return render(request, "moderation/report.html", context, status=400 if form.errors else 200)


def _may_moderate_or_denied(request):
    if not access.may_moderate_anything(request.person):
        raise PermissionDenied(_("Moderation is for the managers of spaces and the platform moderators."))


def queue(request):
    """Reported items of the spaces I moderate, one line per item, newest first."""
    try:
        _may_moderate_or_denied(request)
    except PermissionDenied as error:
        return _denied(request, error)
    status = request.GET.get("status", "open")
    if status not in queries.QUEUE_FILTERS:
        status = "open"
    page = Paginator(queries.moderation_queue(request.person, status=status), ITEMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    page.object_list = queries.queue_items(request.person, page.object_list, status=status)
    context = {"status": status, "page": page, "everything": access.may_moderate_everything(request.person)}
    return render(request, "moderation/queue.html", context)


ACTS = {
    "hide": (HideForm, gettext_lazy("Hide"), actions.content_hide),
    "restore": (NoteForm, gettext_lazy("Restore"), actions.content_restore),
    "dismiss": (NoteForm, gettext_lazy("Dismiss the reports"), actions.report_dismiss),
    "resolve": (NoteForm, gettext_lazy("Mark as handled"), actions.report_resolve),
}

DONE = {
    "hide": gettext_lazy("Hidden. Only its author and the space's managers still see it, marked as hidden."),
    "restore": gettext_lazy("Restored: everyone who may read it sees it again."),
    "dismiss": gettext_lazy("The reports are dismissed; the content stays."),
    "resolve": gettext_lazy("The reports are marked as handled."),
}


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return reverse("moderation:queue")


def act(request, post_id, act, comment_id=None):
    """Hide, restore, dismiss or resolve, after a confirmation page."""
    if act not in ACTS:
        raise Http404
    try:
        post, comment = access.access_moderation_target(request.person, post_id, comment_id)
    except PermissionDenied as error:
        return _denied(request, error)
    form_class, label, action = ACTS[act]
    initial = {}
    if act == "hide":
        reasons = Counter(
            Report.objects.filter(post=post, comment=comment, status=ReportStatus.OPEN).values_list("reason", flat=True)
        )
        initial["reason"] = reasons.most_common(1)[0][0] if reasons else None
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            action(actor=request.person, post=post, comment=comment, **form.cleaned_data)
        except PermissionDenied as error:
            return _denied(request, error)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, DONE[act])
            return redirect(_next_url(request))
    context = {
        "post": post,
        "comment": comment,
        "act": act,
        "label": label,
        "form": form,
        "next": _next_url(request),
        "target": comment or post,
    }
    return render(request, "moderation/confirm.html", context, status=400 if form.errors else 200)


def log(request):
    """Every moderation act in the spaces I moderate, newest first."""
    try:
        _may_moderate_or_denied(request)
    except PermissionDenied as error:
        return _denied(request, error)
    page = Paginator(queries.moderation_log(request.person), LOG_ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "moderation/log.html", {"page": page})
