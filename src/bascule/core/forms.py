from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _, ngettext

from .lockout import login_failure_record, login_failures_clear, login_is_locked


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

    def clean(self):
        email = self.cleaned_data.get("username") or ""
        if email and login_is_locked(email):
            minutes = settings.LOGIN_LOCKOUT_SECONDS // 60
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

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None):
        from django.db import transaction
        from django.template import loader

        from .tasks import email_send

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        transaction.on_commit(lambda: email_send.enqueue(subject=subject, body=body, to=[to_email]))


class SetPasswordForm(auth_forms.SetPasswordForm):
    """A successful reset also lifts a login lock-out on the address."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        login_failures_clear(user.email)
        return user
