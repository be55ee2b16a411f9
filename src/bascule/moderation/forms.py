from django import forms
from django.utils.translation import gettext_lazy as _

from .models import REPORT_NOTE_MAX_LENGTH, ReportReason


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you report this?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why you report this.")},
    )
    note = forms.CharField(
        label=_("Anything the moderators should know (optional)"),
        required=False,
        max_length=REPORT_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the moderators read your report. The author is not told who reported."),
    )


class HideForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=ReportReason.choices,
        error_messages={"required": _("Choose why you hide this.")},
    )
    note = forms.CharField(
        label=_("Note for the log (optional)"),
        required=False,
        max_length=REPORT_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the log (optional)"),
        required=False,
        max_length=REPORT_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
