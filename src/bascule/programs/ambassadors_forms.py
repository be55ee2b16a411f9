"""Forms of the ambassador program: they parse what people type; the rules (who may,
what is valid, what clashes) live in ``ambassadors_actions.py``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bascule import access
from bascule.people.models import BusinessUnit, Country, Department, LegalEntity, Site

from .models import (
    CAMPAIGN_PITCH_MAX_LENGTH,
    CAMPAIGN_TITLE_MAX_LENGTH,
    DEFAULT_PEOPLE_PER_AMBASSADOR,
    MOTIVATION_MAX_LENGTH,
    REASON_MAX_LENGTH,
    CampaignRuleKind,
)


def _units(model, label, help_text=""):
    return forms.ModelMultipleChoiceField(
        label=label, queryset=model.objects.all(), required=False, help_text=help_text,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=CAMPAIGN_TITLE_MAX_LENGTH)
    pitch = forms.CharField(
        label=_("Pitch"), max_length=CAMPAIGN_PITCH_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why colleagues would want to become ambassadors: what they will do, what they get."),
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}))
    department = _units(Department, _("Departments"))
    site = _units(Site, _("Sites"))
    business_unit = _units(BusinessUnit, _("Business units"))
    legal_entity = _units(LegalEntity, _("Legal entities"))
    country = _units(Country, _("Countries"))
    excluded_department = _units(Department, _("Not open to these departments"), _("For instance IT: ambassadors talk about uses, not technology."))
    min_tenure_months = forms.IntegerField(
        label=_("Months in the company at least"), min_value=0, max_value=600, required=False,
        help_text=_("Empty or 0: no minimum. People whose start date is unknown do not qualify when there is one."),
    )
    people_per_ambassador = forms.IntegerField(
        label=_("One ambassador per how many people"), min_value=1, max_value=10000, initial=DEFAULT_PEOPLE_PER_AMBASSADOR,
        help_text=_("The default target of each site (at least one per site)."),
    )

    SCOPE_FIELDS = ("department", "site", "business_unit", "legal_entity", "country")

    def __init__(self, *args, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.site_fields = []
        for site in sites:
            name = f"target_{site.pk}"
            self.fields[name] = forms.IntegerField(
                label=site.name, min_value=0, max_value=1000, required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            self.site_fields.append(name)

    @classmethod
    def initial_for(cls, campaign) -> dict:
        """The form's initial values for an existing campaign (rows prefetched)."""
        initial = {
            "title": campaign.title, "pitch": campaign.pitch, "opens_on": campaign.opens_on,
            "closes_on": campaign.closes_on, "people_per_ambassador": campaign.people_per_ambassador,
        }
        for row in campaign.scope.all():
            initial.setdefault(row.field, []).append(row.value)
        for rule in campaign.rules.all():
            if rule.kind == CampaignRuleKind.EXCLUDE and rule.field == "department":
                initial.setdefault("excluded_department", []).append(rule.value)
            elif rule.kind == CampaignRuleKind.MIN_TENURE_MONTHS:
                initial["min_tenure_months"] = rule.value
        for target in campaign.site_targets.all():
            initial[f"target_{target.site_id}"] = target.target
        return initial

    def action_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "pitch": data["pitch"],
            "opens_on": data["opens_on"],
            "closes_on": data["closes_on"],
            "scope": {f: [u.pk for u in data[f]] for f in self.SCOPE_FIELDS if data.get(f)},
            "excluded": {"department": [u.pk for u in data["excluded_department"]]} if data.get("excluded_department") else {},
            "min_tenure_months": data.get("min_tenure_months"),
            "people_per_ambassador": data.get("people_per_ambassador"),
            "site_targets": {
                int(name.removeprefix("target_")): data[name] for name in self.site_fields if data.get(name) is not None
            },
        }


class ApplyForm(forms.Form):
    motivation = forms.CharField(
        label=_("Your motivation"), max_length=MOTIVATION_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few sentences: what you like in the network, how you would help your colleagues."),
    )


class NominateForm(forms.Form):
    # An e-mail address rather than a list of everyone: the page stays light at 100,000 people.
    email = forms.EmailField(
        label=_("Your colleague's e-mail address"), max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    note = forms.CharField(
        label=_("Why this colleague?"), max_length=MOTIVATION_MAX_LENGTH, required=False,
        widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Optional. They read it with the invitation."),
    )

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer

    def clean(self):
        data = super().clean()
        if data.get("email"):
            data["candidate"] = (
                access.visible_people(self.viewer)
                .filter(user__email__iexact=data["email"].strip(), departed_on__isnull=True)
                .first()
            )
            if data["candidate"] is None:
                self.add_error("email", _("Nobody with this e-mail address works here."))
        return data


class NominationAnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("Yes, I am interested")), ("decline", _("No, thank you"))])
    motivation = forms.CharField(
        label=_("Your motivation"), max_length=MOTIVATION_MAX_LENGTH, required=False,
        widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Needed to accept: HR and your manager read it."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The candidate reads it."),
    )
