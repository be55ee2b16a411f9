from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DocumentKind


class SearchForm(forms.Form):
    """The search box and its filters. Space and author are ids: whether the person may
    see them is decided by the search itself (an id they may not see finds nothing)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Show"), required=False, choices=[("", _("Everything")), *DocumentKind.choices]
    )
    space = forms.IntegerField(label=_("Space"), required=False, min_value=1)
    author = forms.IntegerField(label=_("Author"), required=False, min_value=1)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date comes before the start date."))
        return data
