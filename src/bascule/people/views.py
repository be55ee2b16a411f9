import copy

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bascule.access import access_person, may_edit_profile

from . import actions, queries
from .forms import DirectoryFilterForm, PhotoForm, ProfileForm


def directory(request):
    """Find colleagues by name, title, skill or interest; filter by department, site, …"""
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    people = queries.directory_search(
        request.person,
        text=filters.get("q") or "",
        department=getattr(filters.get("department"), "pk", None),
        site=getattr(filters.get("site"), "pk", None),
        country=getattr(filters.get("country"), "pk", None),
        language=getattr(filters.get("language"), "pk", None),
    )
    page = Paginator(people, settings.BASCULE_DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "searching": bool(request.GET)}
    template = "people/partials/_results.html" if request.htmx else "people/directory.html"
    return render(request, template, context)


def profile(request, person_id):
    person = access_person(request.person, person_id)
    context = {
        "profile": person,
        "chain": queries.manager_chain(person),
        "reports": queries.direct_reports(request.person, person),
        "is_me": person.pk == request.person.pk,
        "completeness": queries.profile_completeness(person) if person.pk == request.person.pk else None,
    }
    return render(request, "people/profile.html", context)


def profile_edit(request):
    person = request.person
    if person is None or not may_edit_profile(person, person):
        raise Http404
    # The form works on a copy: validating a ModelForm writes into its instance, and the
    # action must compare the submitted values with what is stored.
    form = ProfileForm(request.POST or None, instance=copy.copy(person))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = actions.person_profile_update(
            actor=person,
            person=person,
            display_name=data["display_name"],
            title=data["title"],
            bio=data["bio"],
            phone=data["phone"],
            skills=data["skills"],
            interests=data["interests"],
            languages=list(data["languages"]),
        )
        messages.success(request, _("Your profile is saved.") if changed else _("Nothing changed."))
        return redirect(person.get_absolute_url())
    return render(
        request,
        "people/profile_edit.html",
        {"form": form, "photo_form": PhotoForm(), "completeness": queries.profile_completeness(person)},
    )


@require_POST
def photo_upload(request):
    person = request.person
    if person is None or not may_edit_profile(person, person):
        raise Http404
    if request.POST.get("remove"):
        actions.person_photo_remove(actor=person, person=person)
        messages.success(request, _("Your photo is removed."))
        return redirect("people:profile_edit")
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request,
            "people/profile_edit.html",
            {"form": ProfileForm(instance=person), "photo_form": form, "completeness": queries.profile_completeness(person)},
            status=400,
        )
    actions.person_photo_set(actor=person, person=person, upload=form.cleaned_data["photo"])
    messages.success(request, _("Your photo is saved."))
    return redirect("people:profile_edit")


def photo(request, person_id):
    """A person's photo, to signed-in people who may see the person."""
    person = access_person(request.person, person_id)
    if not person.photo:
        raise Http404
    try:
        response = FileResponse(person.photo.open("rb"), content_type="image/jpeg")
    except FileNotFoundError:
        raise Http404 from None
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response
