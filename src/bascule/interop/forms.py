from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TOKEN_NAME_MAX_LENGTH


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=TOKEN_NAME_MAX_LENGTH,
        help_text=_("What will use it, such as “Reporting script” or “My phone”."),
    )
