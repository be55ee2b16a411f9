"""What every page view says in the same words: who is asking, a refusal, bad input, and
an action's ValidationError shown on its form."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def person_or_404(request: HttpRequest):
    """The signed-in person; 404 for an operator account without a profile."""
    if request.person is None:
        raise Http404
    return request.person


def forbidden(request: HttpRequest, error: PermissionDenied | str) -> HttpResponse:
    """A 403 page with the action's sentence (or a general one)."""
    message = str(error) or _("You do not have permission to do this.")
    return render(request, "core/error.html", {"title": _("Not allowed"), "message": message}, status=403)


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """A 400 page with a sentence saying what to change."""
    return render(request, "core/error.html", {"title": _("Bad request"), "message": message}, status=400)


def form_errors(form, error: ValidationError) -> None:
    """Put an action's ValidationError on ``form``: on its field when the form has it,
    else on the whole form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
