"""Forms of the accompaniment pages: they parse; the rules live in the actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bascule.network.models import Space, Visibility

from .models import AccompanimentActionKind


class PlaybookForm(forms.Form):
    suggestion_en = forms.CharField(label=_("What to try next, in English"), max_length=1000, required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    suggestion_fr = forms.CharField(label=_("What to try next, in French"), max_length=1000, required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    message_en = forms.CharField(label=_("Message template, in English"), max_length=2000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("Sent as a nudge and offered to accompaniers. {name} becomes the person's first name."))
    message_fr = forms.CharField(label=_("Message template, in French"), max_length=2000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    action_en = forms.CharField(label=_("Suggested action for ambassadors and referents, in English"), max_length=1000,
                                required=False, widget=forms.Textarea(attrs={"rows": 2}))
    action_fr = forms.CharField(label=_("Suggested action for ambassadors and referents, in French"), max_length=1000,
                                required=False, widget=forms.Textarea(attrs={"rows": 2}))
    resource_label_en = forms.CharField(label=_("Resource title, in English"), max_length=200, required=False)
    resource_label_fr = forms.CharField(label=_("Resource title, in French"), max_length=200, required=False)
    resource_url = forms.CharField(label=_("Resource link"), max_length=500, required=False,
                                   help_text=_("A page of this site (/spaces/…) or an https:// address, e.g. an event."))
    space = forms.ModelChoiceField(label=_("Space to invite to"), queryset=None, required=False,
                                   empty_label=_("No space"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = Space.objects.filter(archived_at__isnull=True).exclude(
            visibility=Visibility.SECRET
        ).order_by("name")


class ModeForm(forms.Form):
    enabled = forms.TypedChoiceField(
        label=_("Accompaniment mode"), coerce=lambda value: value == "on",
        choices=[("on", _("On")), ("off", _("Off"))], widget=forms.RadioSelect,
    )
    justification = forms.CharField(
        label=_("Why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to every employee on the transparency page, with the date and your name."),
    )


class PreferenceForm(forms.Form):
    accompanied = forms.BooleanField(
        label=_("Ambassadors and referents of my site or department may see my journey to offer me a hand"),
        required=False,
        help_text=_("Only while the accompaniment mode is on. Each look is shown to you here."),
    )
    nudges = forms.BooleanField(
        label=_("Send me a suggestion by e-mail from time to time"), required=False,
    )


class AccompanyForm(forms.Form):
    kind = forms.ChoiceField(label=_("What did you do?"), choices=AccompanimentActionKind.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The person sees this note on their journey: write it as you would to them."),
    )


class CharterForm(forms.Form):
    text_en = forms.CharField(label=_("Charter in English"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10}))
    text_fr = forms.CharField(label=_("Charter in French"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10}))
    changes_en = forms.CharField(label=_("What changed, in English"), max_length=500, required=False,
                                 help_text=_("Shown above the charter to the people who accepted the previous version."))
    changes_fr = forms.CharField(label=_("What changed, in French"), max_length=500, required=False)
