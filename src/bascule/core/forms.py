from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bascule.people.actions import account_password_set

from .lockout import login_failure_record, login_failures_clear, login_is_locked
from .tasks import email_send


class LoginForm(AuthenticationForm):
    """E-mail and password, with a lock-out after repeated failures."""

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _("This e-mail address and password do not match. Check both and try again."),
        "inactive": _("This account is closed."),
    }

    def clean_username(self):
        # Addresses are stored in lower case (person_create); people type them as they like.
        return self.cleaned_data["username"].strip().lower()

    def clean(self):
        email = self.cleaned_data.get("username") or ""
        if email and login_is_locked(email):
            minutes = max(1, round(settings.LOGIN_LOCKOUT_SECONDS / 60))
            raise forms.ValidationError(
                ngettext(
                    "Too many failed attempts for this address. Sign-in is locked for %(minutes)d minute; you can reset your password meanwhile.",
                    "Too many failed attempts for this address. Sign-in is locked for %(minutes)d minutes; you can reset your password meanwhile.",
                    minutes,
                )
                % {"minutes": minutes},
                code="locked",
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if email:
                login_failure_record(email)
            raise
        login_failures_clear(email)
        return cleaned


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, sending its e-mail through a background task."""

    def get_users(self, email):
        # Django skips accounts without a usable password, but people created by the HR
        # import have none yet: the reset link is how they choose their first password.
        return (
            user
            for user in get_user_model()._default_manager.filter(email__iexact=email.strip(), is_active=True)
            if user.email.casefold() == email.strip().casefold()
        )

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None):
        # The link points to SITE_URL, never to the Host header of the request: a forged
        # Host must not turn the e-mail into a link to someone else's site.
        protocol, _sep, domain = settings.SITE_URL.partition("://")
        context = {**context, "protocol": protocol, "domain": domain, "site_name": settings.ORGANISATION_NAME}
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        transaction.on_commit(lambda: email_send.enqueue(subject=subject, body=body, to=[to_email]))


class SetPasswordForm(auth_forms.SetPasswordForm):
    """A successful reset also lifts a login lock-out on the address."""

    def save(self, commit=True):
        account_password_set(user=self.user, password=self.cleaned_data["new_password1"])
        login_failures_clear(self.user.email)
        return self.user
