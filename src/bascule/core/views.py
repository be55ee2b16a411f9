from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from bascule.people.actions import person_language_set

from .forms import LoginForm, PasswordResetForm, SetPasswordForm


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "core/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "core/password_reset.html"
    email_template_name = "core/email/password_reset.txt"
    subject_template_name = "core/email/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "core/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


def home(request):
    """Where a person lands: their feed (network app), and what to do next. An operator's
    account without a person sees the plain welcome."""
    person = request.person
    if person is not None:
        from bascule.network.views import home as network_home

        return network_home(request)
    return render(request, "core/home.html", {"completeness": None})


@require_POST
def language_set(request):
    """Switch the interface language, and remember it for a signed-in person."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language not in {"", *dict(settings.LANGUAGES)}:
        return response
    if request.person is not None:
        person_language_set(person=request.person, language=language)
    if language:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax")
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
    return response
