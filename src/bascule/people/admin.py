"""The operators' administration of people and the organisation, and the HR import page."""

from django import forms
from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import PermissionDenied
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .importers import CANONICAL_COLUMNS, ImportFileError, people_import
from .models import (
    BusinessUnit,
    Country,
    Department,
    Language,
    LegalEntity,
    Person,
    Site,
    Tag,
    User,
)


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


@admin.register(User)
class UserAdmin(auth_admin.UserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),
    )
    list_display = ("email", "is_active", "is_staff", "is_superuser", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", "groups")
    search_fields = ("email", "person__display_name")
    ordering = ("email",)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


class UnitAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)


admin.site.register(BusinessUnit, UnitAdmin)
admin.site.register(Department, UnitAdmin)


@admin.register(LegalEntity, Site)
class UnitWithCountryAdmin(admin.ModelAdmin):
    list_display = ("name", "country")
    list_filter = ("country",)
    list_select_related = ("country",)
    search_fields = ("name", "country__name")
    autocomplete_fields = ("country",)


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    readonly_fields = ("slug",)


class DepartedFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "departed"

    def lookups(self, request, model_admin):
        return [("no", _("With us")), ("yes", _("Departed"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(departed_on__isnull=True)
        if self.value() == "yes":
            return queryset.filter(departed_on__isnull=False)
        return queryset


class PeopleImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 (with or without BOM), comma or semicolon separated, with a header row."),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run"), required=False, initial=True, help_text=_("Show what would change; change nothing.")
    )
    deactivate_missing = forms.BooleanField(
        label=_("Deactivate missing people"),
        required=False,
        help_text=_("Mark as departed the people with an external id who are not in the file."),
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                gettext(
                    "The file is %(size)s; the limit here is %(limit)s. "
                    "Split it, or import it with the command “bascule import people FILE”."
                )
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(self.max_bytes)}
            )
        return upload


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("display_name", "user", "external_id", "title", "department", "site", "country", "manager", "departed_on")
    list_filter = (DepartedFilter, "department", "business_unit", "legal_entity", "country", "site", "languages")
    list_select_related = ("user", "department", "site", "country", "manager")
    search_fields = ("display_name", "first_name", "last_name", "user__email", "external_id", "title")
    autocomplete_fields = (
        "manager",
        "department",
        "business_unit",
        "legal_entity",
        "country",
        "site",
        "languages",
        "skills",
        "interests",
    )
    raw_id_fields = ("user",)
    readonly_fields = ("created_at", "updated_at")
    ordering = ("display_name",)
    # Larger HR files go through the command, which has no upload limit and no HTTP timeout.
    import_max_bytes = 20 * 1024 * 1024

    def save_model(self, request, obj, form, change):
        # The directory searches search_text; keep it in step with what the operator edits.
        skills = form.cleaned_data.get("skills", obj.skills.all() if obj.pk else [])
        interests = form.cleaned_data.get("interests", obj.interests.all() if obj.pk else [])
        obj.search_text = obj.compute_search_text(skills, interests)
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="people_person_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload an HR CSV file, run the import (or a dry run) and show the report."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        report, error = None, None
        if request.method == "POST":
            form = PeopleImportForm(request.POST, request.FILES, max_bytes=self.import_max_bytes)
            if form.is_valid():
                data = form.cleaned_data["file"].read()
                try:
                    report = people_import(
                        data=data,
                        dry_run=form.cleaned_data["dry_run"],
                        deactivate_missing=form.cleaned_data["deactivate_missing"],
                    )
                except ImportFileError as exception:
                    error = str(exception)
        else:
            form = PeopleImportForm(max_bytes=self.import_max_bytes)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import people from CSV"),
            "form": form,
            "report": report,
            "error": error,
            "columns": ", ".join(CANONICAL_COLUMNS),
            "max_bytes": self.import_max_bytes,
        }
        status = 400 if error or (request.method == "POST" and not form.is_valid()) else 200
        return TemplateResponse(request, "admin/people/person/import.html", context, status=status)
