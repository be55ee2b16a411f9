"""Forms parse what people type; the rules (who may, what is valid) live in the actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bascule import access
from bascule.network.models import SpaceKind, Visibility
from bascule.people.models import BusinessUnit, Country, Department, LegalEntity, Site

from .models import REQUEST_BODY_MAX_LENGTH, REQUEST_TITLE_MAX_LENGTH, RequestKind, RequestStatus, RoleKind
from .queries import requestable_spaces


def _units(model, label):
    return forms.ModelMultipleChoiceField(
        label=label, queryset=model.objects.all(), required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )


class RoleAssignForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=None, empty_label=_("Choose a colleague"))
    kind = forms.ChoiceField(label=_("Role"), choices=RoleKind.choices)
    starts_on = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text=_("Empty: today.")
    )
    ends_on = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: until further notice."),
    )
    department = _units(Department, _("Departments"))
    business_unit = _units(BusinessUnit, _("Business units"))
    legal_entity = _units(LegalEntity, _("Legal entities"))
    country = _units(Country, _("Countries"))
    site = _units(Site, _("Sites"))

    SCOPE_FIELDS = ("department", "business_unit", "legal_entity", "country", "site")

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = access.visible_people(viewer).filter(departed_on__isnull=True)

    def scope(self) -> dict[str, list[int]]:
        return {f: [unit.pk for unit in self.cleaned_data[f]] for f in self.SCOPE_FIELDS if self.cleaned_data.get(f)}


class RoleEndForm(forms.Form):
    ends_on = forms.DateField(
        label=_("Last day"), required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text=_("Empty: today.")
    )


class RoleDescriptionForm(forms.Form):
    description_en = forms.CharField(
        label=_("In English"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    description_fr = forms.CharField(
        label=_("In French"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you need?"), choices=RequestKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(
        label=_("Title"), max_length=REQUEST_TITLE_MAX_LENGTH, required=False,
        help_text=_("A few words. Optional: we write one for you."),
    )
    body = forms.CharField(
        label=_("Details"), max_length=REQUEST_BODY_MAX_LENGTH, required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a suggestion: what would you improve or change, and why?"),
    )
    space_name = forms.CharField(label=_("Name of the new space"), max_length=120, required=False)
    space_purpose = forms.CharField(
        label=_("Its purpose"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One sentence that tells colleagues why they would join."),
    )
    space_kind = forms.ChoiceField(label=_("Kind of space"), choices=SpaceKind.choices, required=False)
    space_visibility = forms.ChoiceField(label=_("Who can see it"), choices=Visibility.choices, required=False)
    space = forms.ModelChoiceField(
        label=_("Private space"), queryset=None, required=False, empty_label=_("Choose a space"),
        help_text=_("The private spaces you may see but are not a member of."),
    )
    role_kind = forms.ChoiceField(label=_("Role"), choices=[("", _("Choose a role")), *RoleKind.choices], required=False)

    def __init__(self, *args, requester=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = requestable_spaces(requester)


class RequestStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=RequestStatus.choices)
    message = forms.CharField(
        label=_("Message to the requester"), max_length=REQUEST_BODY_MAX_LENGTH, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RequestCommentForm(forms.Form):
    body = forms.CharField(label=_("Your message"), max_length=REQUEST_BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))
