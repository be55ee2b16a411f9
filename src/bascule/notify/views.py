"""Notification pages. Thin: read through queries (which go through access.py), write
through actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bascule.core.responses import person_or_404 as _person

from . import actions, queries
from .forms import PreferenceForm
from .sentences import target_url


def notification_list(request):
    """My notifications by day, newest first; unread ones marked."""
    person = _person(request)
    page, days = queries.notification_page(person, request.GET.get("page"))
    today, yesterday = queries.day_label_today()
    context = {"page": page, "days": days, "today": today, "yesterday": yesterday}
    return render(request, "notify/list.html", context)


def notification_open(request, notification_id: int):
    """Open a notification: it is marked read and the person goes to what it is about —
    if they may still see it. Otherwise a polite page that names nothing."""
    person = _person(request)
    notification = queries.notification_of(person, notification_id)
    if notification is None:
        raise Http404
    if not queries.is_visible(person, notification):
        return render(request, "notify/unavailable.html", status=404)
    actions.notification_open(actor=person, notification=notification)
    return redirect(target_url(notification))


@require_POST
def notifications_read(request):
    person = _person(request)
    if actions.notifications_mark_all_read(actor=person):
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("notify:list")


def preferences(request):
    """What I am told by e-mail, and how often I get a digest."""
    person = _person(request)
    current = queries.notification_preference_for(person)
    initial = {
        "digest_frequency": current.digest_frequency,
        "email_mentions": current.email_mentions,
        "email_answers": current.email_answers,
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.notification_preference_set(actor=person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notify:preferences")
    return render(request, "notify/preferences.html", {"form": form}, status=400 if form.errors else 200)
