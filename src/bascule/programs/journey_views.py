"""The individual side of the journey: "My journey", the download of everything Bascule
records about me, my accompaniment settings, the transparency page, and the charter. Every page here
shows a person their own records, or what applies to everyone: nobody sees anyone
else's stage through them."""

import csv
import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bascule.adoption.personal import STAGE_MEANINGS, STAGE_ORDER, personal_journey, retention_since
from bascule.adoption.privacy import min_group_size
from bascule.adoption.models import FACTS_KEPT_DAYS, Stage
from bascule.core.responses import person_or_404 as _person

from . import accompaniment_queries as accompaniment
from . import actions
from . import charter as charter_module
from .accompaniment_forms import PreferenceForm
from .models import CharterVersion
from .queries import today


def journey(request):
    """My stage, what it means and the facts that decided it, my stage history, my
    activity, what to try next, who looked at my journey, and my download."""
    person = _person(request)
    day = today()
    mine = personal_journey(person, day)
    books = accompaniment.playbooks()
    context = {
        "journey": mine,
        "stage_order": [(stage, Stage(stage).label) for stage in STAGE_ORDER],
        "playbook": books[mine.stage.stage] if mine.stage else None,
        "looks": accompaniment.looks_at(person, limit=20),
        "actions": accompaniment.actions_about(person, limit=20),
        "nudges": accompaniment.nudges_of(person, limit=5),
        "preference": accompaniment.preference_for(person),
        "mode_on": accompaniment.mode_is_on(),
        "accompanies": bool(accompaniment.accompanier_assignments(person)),
        "retention_days": settings.BASCULE_EVENT_RETENTION_DAYS,
        "today": day,
    }
    return render(request, "programs/accompaniment/journey.html", context)


def journey_download(request):
    """Everything Bascule records about me, as JSON (default) or, for the ledger's
    events alone, CSV."""
    person = _person(request)
    what = request.GET.get("format", "json")
    if what not in ("json", "csv"):
        return HttpResponse(_("Choose json or csv."), status=400, content_type="text/plain; charset=utf-8")
    records = accompaniment.personal_records(person)
    if what == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="bascule-my-events.csv"'
        writer = csv.writer(response)
        writer.writerow(["occurred_at", "kind", "about", "source"])
        for event in records["adoption"]["events"]:
            writer.writerow([event["occurred_at"], event["kind"], event["about"] or "", event["source"]])
        return response
    response = HttpResponse(
        json.dumps(records, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="bascule-my-data.json"'
    return response


def journey_settings(request):
    """Whether I may be accompanied, and whether I get nudges."""
    person = _person(request)
    current = accompaniment.preference_for(person)
    form = PreferenceForm(
        request.POST or None, initial={"accompanied": not current.opted_out, "nudges": not current.nudges_off}
    )
    if request.method == "POST" and form.is_valid():
        actions.accompaniment_preference_set(
            actor=person, opted_out=not form.cleaned_data["accompanied"], nudges_off=not form.cleaned_data["nudges"]
        )
        messages.success(request, _("Your accompaniment settings are saved."))
        return redirect("accompaniment:journey")
    context = {"form": form, "interval": settings.BASCULE_NUDGE_INTERVAL_DAYS, "mode_on": accompaniment.mode_is_on()}
    return render(request, "programs/accompaniment/settings.html", context, status=400 if form.errors else 200)


def transparency(request):
    """For every employee: what is measured and why, who sees what, how long it is kept,
    and the accompaniment mode's state with its justification and history."""
    day = today()
    context = {
        "k": min_group_size(),
        "retention_days": settings.BASCULE_EVENT_RETENTION_DAYS,
        "retention_since": retention_since(day, settings.BASCULE_EVENT_RETENTION_DAYS),
        "facts_days": FACTS_KEPT_DAYS,
        "window_days": settings.BASCULE_JOURNEY_WINDOW_DAYS,
        "contribution_threshold": settings.BASCULE_CONTRIBUTION_THRESHOLD,
        "promotion_threshold": settings.BASCULE_PROMOTION_THRESHOLD,
        "nudge_days": settings.BASCULE_NUDGE_INTERVAL_DAYS,
        "accompaniers": accompaniment.accompanier_count_active(),
        "mode": accompaniment.mode_state(),
        "history": accompaniment.mode_history(),
        "stages": [(Stage(stage).label, STAGE_MEANINGS[stage]) for stage in STAGE_ORDER],
    }
    return render(request, "programs/accompaniment/transparency.html", context)


def charter(request):
    """The charter in force, and the button to accept it when I have not yet."""
    person = _person(request)
    version = charter_module.charter_latest()
    accepted = charter_module.charter_accepted_number(person) if version else 0
    text, changes = charter_module.charter_text(version) if version else ("", "")
    context = {
        "version": version,
        "text": text,
        "changes": changes if accepted else "",
        "due": bool(version) and accepted < version.number,
        "accepted": accepted,
        "next": _safe_next(request, request.GET.get("next")),
    }
    return render(request, "programs/accompaniment/charter.html", context)


def _safe_next(request, url) -> str:
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()) and url.startswith("/"):
        return url
    return reverse("home")


@require_POST
def charter_accept(request):
    person = _person(request)
    number = request.POST.get("version", "")
    version = CharterVersion.objects.filter(number=int(number)).first() if number.isdigit() else None
    if version is None:
        messages.error(request, _("Choose the version of the charter you accept."))
        return redirect("accompaniment:charter")
    try:
        actions.charter_accept(actor=person, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accompaniment:charter")
    request.session[charter_module.SESSION_KEY] = version.number
    messages.success(request, _("Thank you: you accepted the charter."))
    return redirect(_safe_next(request, request.POST.get("next")))
