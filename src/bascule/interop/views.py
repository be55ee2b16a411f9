"""The API tokens settings page. Thin: read through queries, write through actions.

A new token is shown once, in the answer to the form that created it (never stored,
never put in a redirect URL or a message kept in the session)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bascule.core.responses import person_or_404 as _person

from . import actions, queries
from .forms import TokenForm


def tokens(request):
    """My API tokens: create one (shown once), see when each was last used, revoke."""
    person = _person(request)
    form = TokenForm(request.POST or None)
    created = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = actions.token_create(actor=person, name=form.cleaned_data["name"])
            except ValidationError as error:
                form.add_error(None, error.messages)
            except PermissionDenied as error:
                form.add_error(None, str(error))
        if created is None:
            status = 400
        else:
            form = TokenForm()
    context = {"form": form, "created": created, "tokens": queries.tokens_of(person)}
    response = render(request, "interop/tokens.html", context, status=status)
    if created is not None:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
def token_revoke(request, token_id: int):
    person = _person(request)
    api_token = queries.token_of(person, token_id)
    if api_token is None:
        raise Http404
    actions.token_revoke(actor=person, api_token=api_token)
    messages.success(request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": api_token.name})
    return redirect("interop:tokens")
