from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DigestFrequency


class PreferenceForm(forms.Form):
    digest_frequency = forms.ChoiceField(
        label=_("Digest by e-mail"),
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
        help_text=_("A summary of what you have not read yet, never repeating what was already e-mailed."),
    )
    email_mentions = forms.BooleanField(label=_("E-mail me at once when someone mentions me"), required=False)
    email_answers = forms.BooleanField(label=_("E-mail me at once when someone answers my question"), required=False)
