from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import Department, Language, Person, Site, Country


def split_tags(value: str) -> list[str]:
    return [" ".join(part.split()) for part in value.replace(";", ",").split(",") if part.strip()]


class TagsField(forms.CharField):
    """Comma-separated tags: at most 20, each at most 80 characters."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 1000)
        super().__init__(**kwargs)

    def clean(self, value):
        tags = split_tags(super().clean(value) or "")
        if len(tags) > 20:
            raise forms.ValidationError(_("At most 20 tags, please."))
        too_long = [t for t in tags if len(t) > 80]
        if too_long:
            raise forms.ValidationError(_("A tag has at most 80 characters."))
        return tags


class ProfileForm(forms.ModelForm):
    skills = TagsField(label=_("Skills"), help_text=_("Separated by commas, such as: Excel, negotiation, welding."))
    interests = TagsField(label=_("Interests"), help_text=_("Separated by commas, such as: running, photography."))
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages you speak"),
        queryset=Language.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Person
        fields = ["display_name", "title", "bio", "phone", "languages"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["skills"] = ", ".join(t.name for t in self.instance.skills.all())
            self.initial["interests"] = ", ".join(t.name for t in self.instance.interests.all())
        self.fields["display_name"].help_text = _("How your name appears to colleagues.")

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Your name cannot be empty."))
        return name


class PhotoForm(forms.Form):
    photo = forms.ImageField(label=_("Photo"))

    MAX_BYTES = 5 * 1024 * 1024
    FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The help tells the limit actually enforced, which an operator may lower.
        self.fields["photo"].help_text = _("JPEG, PNG or WebP, up to %(limit)s.") % {"limit": filesizeformat(self.limit)}

    @property
    def limit(self) -> int:
        return min(self.MAX_BYTES, settings.BASCULE_MAX_UPLOAD_BYTES)

    def clean_photo(self):
        photo = self.cleaned_data["photo"]
        limit = self.limit
        if photo.size > limit:
            raise forms.ValidationError(
                _("This file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(photo.size), "limit": filesizeformat(limit)}
            )
        image = getattr(photo, "image", None)
        if image is None or image.format not in self.FORMATS:
            raise forms.ValidationError(_("Use a JPEG, PNG or WebP image."))
        if image.width * image.height > 40_000_000:
            raise forms.ValidationError(_("This image is too large in pixels."))
        return photo


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search people"), required=False, max_length=200)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False, empty_label=_("All departments")
    )
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.all(), required=False, empty_label=_("All sites"))
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.all(), required=False, empty_label=_("All countries")
    )
    language = forms.ModelChoiceField(
        label=_("Language"), queryset=Language.objects.all(), required=False, empty_label=_("All languages")
    )
