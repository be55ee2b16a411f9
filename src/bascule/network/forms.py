"""Forms parse what people type; the rules (who may, what is valid) live in the actions."""

from django import forms
from django.urls import reverse_lazy
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bascule.people.models import BusinessUnit, Country, Department, LegalEntity, Site

from .models import (
    COMMENT_BODY_MAX_LENGTH,
    MAX_ATTACHMENTS_PER_POST,
    POST_BODY_MAX_LENGTH,
    POST_TITLE_MAX_LENGTH,
    JoinPolicy,
    PostKind,
    ReactionKind,
    SpaceKind,
    Visibility,
)


class SpaceFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *SpaceKind.choices]
    )


def _units(model, label):
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=model.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )


class SpaceForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("noun", "Name"), max_length=120)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=500,
        required=False,
        help_text=_("One sentence that tells colleagues why they would join."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=SpaceKind.choices,
        help_text=_("Community: everyone talks. Editorial: editors publish, members react. Project: a team at work."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Visibility.choices,
        help_text=_(
            "Public: everyone reads. Private: listed, only members read. Secret: only members and invited people know it exists."
        ),
    )
    join_policy = forms.ChoiceField(
        label=_("Who may join"),
        choices=[("", _("As open as its visibility allows")), *JoinPolicy.choices],
        required=False,
        help_text=_("Private spaces are joined on request or by invitation; secret spaces by invitation."),
    )
    rules = forms.CharField(
        label=_("Rules"),
        max_length=5000,
        required=False,
        help_text=_("Optional. Each person accepts them when joining."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    department = _units(Department, _("Only these departments"))
    business_unit = _units(BusinessUnit, _("Only these business units"))
    legal_entity = _units(LegalEntity, _("Only these legal entities"))
    country = _units(Country, _("Only these countries"))
    site = _units(Site, _("Only these sites"))

    AUDIENCE_FIELDS = ("department", "business_unit", "legal_entity", "country", "site")

    def audience(self) -> dict[str, list[int]]:
        return {f: [unit.pk for unit in self.cleaned_data[f]] for f in self.AUDIENCE_FIELDS if self.cleaned_data.get(f)}


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe). The size, number and type
    of the files are checked by the action, which explains each refusal."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def _files_field():
    return MultipleFileField(label=_("Attach files"))


def _files_help(field) -> None:
    # Set per form, in the person's language, with the limit actually enforced.
    field.help_text = _(
        "Up to %(count)s files of %(limit)s each: PDF, images, text or CSV, Office and OpenDocument documents."
    ) % {"count": MAX_ATTACHMENTS_PER_POST, "limit": filesizeformat(settings.BASCULE_MAX_UPLOAD_BYTES)}


class PostForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of post"), choices=PostKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=POST_TITLE_MAX_LENGTH,
        required=False,
        help_text=_("Required for an article."),
    )
    # No max_length validation here: the action explains an over-long post in a sentence
    # (with both numbers); the browser's maxlength stops typing beyond it.
    body = forms.CharField(
        label=_("Your message"),
        strip=False,
        help_text=_(
            "Markdown: **bold**, *italic*, [link](https://…), lists with -. Mention a colleague with @ and "
            "the start of their name; add a topic with #, such as #quality."
        ),
        widget=forms.Textarea(
            attrs={"rows": 5, "maxlength": POST_BODY_MAX_LENGTH, "data-mentions": reverse_lazy("feed:mentions")}
        ),
    )

    files = _files_field()
    publish_at = forms.DateTimeField(
        label=_("Publish on"),
        required=False,
        help_text=_("Announcements only. Leave empty to publish now; until then, only you and the managers see it."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    requires_confirmation = forms.BooleanField(
        label=_("Ask readers to confirm they read it"),
        required=False,
        help_text=_("Announcements only. You and the managers see who confirmed."),
    )

    ANNOUNCEMENT_FIELDS = ("publish_at", "requires_confirmation")

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        _files_help(self.fields["files"])
        if kinds is not None:
            self.fields["kind"].choices = [(k, PostKind(k).label) for k in kinds]
            if len(kinds) == 1:
                self.fields["kind"].widget = forms.HiddenInput()
            if PostKind.ANNOUNCEMENT not in kinds:
                for name in self.ANNOUNCEMENT_FIELDS:
                    del self.fields[name]


class PostEditForm(forms.Form):
    title = PostForm.base_fields["title"]
    body = PostForm.base_fields["body"]
    files = _files_field()
    remove = forms.MultipleChoiceField(
        label=_("Remove these files"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, attachments=(), **kwargs):
        super().__init__(*args, **kwargs)
        _files_help(self.fields["files"])
        if attachments:
            self.fields["remove"].choices = [(str(a.pk), a.original_name) for a in attachments]
        else:
            del self.fields["remove"]


class JoinForm(forms.Form):
    accept_rules = forms.BooleanField(label=_("I accept the rules of this space"), required=False)


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Colleague's e-mail address"),
        help_text=_("They will see the space and can accept the invitation from its page."),
    )


class CommentForm(forms.Form):
    # No max_length here: the action explains an over-long comment in a sentence.
    body = forms.CharField(
        label=_("Your comment"),
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "maxlength": COMMENT_BODY_MAX_LENGTH, "data-mentions": reverse_lazy("feed:mentions")}
        ),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput())


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=ReactionKind.choices)
    comment = forms.IntegerField(required=False)


class ShareForm(forms.Form):
    target = forms.ChoiceField(label=_("Share to"))
    body = forms.CharField(
        label=_("Add a few words (optional)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "data-mentions": reverse_lazy("feed:mentions")}),
    )

    def __init__(self, *args, spaces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("profile", _("My profile")), *[(str(s.pk), s.name) for s in spaces]]
