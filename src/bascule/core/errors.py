"""Error pages in the interface's language, never a traceback."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _


def _error(request, status, title, message):
    return render(request, "core/error.html", {"title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, _("Bad request"), _("Something in this request was not understood. Go back and try again."))


def permission_denied(request, exception=None):
    return _error(request, 403, _("Not allowed"), _("You do not have permission to do this."))


def csrf_failure(request, reason=""):
    # The reason is for developers ("CSRF token missing"); the person gets a way forward.
    return _error(
        request,
        403,
        _("This form has expired"),
        _("For your security, the form could not be accepted. Go back, reload the page and try again."),
    )


def page_not_found(request, exception=None):
    return _error(request, 404, _("Page not found"), _("This page does not exist, or it is not visible to you."))


def server_error(request):
    # Rendered without the request context: whatever failed may fail again.
    template = loader.get_template("core/error_500.html")
    return HttpResponseServerError(template.render({}))
