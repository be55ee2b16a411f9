"""People and the organisation they belong to.

A ``User`` is the account (e-mail and password); a ``Person`` is the employee behind it,
with the attributes the adoption cockpit groups people by (segments): department,
business unit, legal entity, country, site, languages and tenure.
"""

import hashlib
import unicodedata

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents, so "Hélène" matches "helene"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra_fields):
        # Only for Django's own commands (createsuperuser) and the test suite; the product
        # creates people through bascule.people.actions.person_create.
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """An account. People log in with their e-mail address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("operator"), default=False, help_text=_("May use the operators' administration.")
    )
    date_joined = models.DateTimeField(_("account created"), default=dj_timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self):
        return self.email

    def get_full_name(self):
        person = getattr(self, "person", None)
        return person.display_name if person else self.email

    def get_short_name(self):
        return self.get_full_name()


class OrgUnit(models.Model):
    """Something people are grouped by: a department, a site, a country, …"""

    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Country(OrgUnit):
    code = models.CharField(
        _("ISO code"), max_length=2, blank=True, help_text=_("Two letters, such as FR or DE.")
    )

    class Meta(OrgUnit.Meta):
        verbose_name = _("country")
        verbose_name_plural = _("countries")


class LegalEntity(OrgUnit):
    country = models.ForeignKey(
        Country, verbose_name=_("country"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta(OrgUnit.Meta):
        verbose_name = _("legal entity")
        verbose_name_plural = _("legal entities")


class BusinessUnit(OrgUnit):
    class Meta(OrgUnit.Meta):
        verbose_name = _("business unit")
        verbose_name_plural = _("business units")


class Department(OrgUnit):
    class Meta(OrgUnit.Meta):
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class Site(OrgUnit):
    country = models.ForeignKey(
        Country, verbose_name=_("country"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta(OrgUnit.Meta):
        verbose_name = _("site")
        verbose_name_plural = _("sites")


class Language(models.Model):
    """A language a person speaks, by its ISO 639-1 code ("fr", "en", …)."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self):
        return self.name


class Tag(models.Model):
    """A skill or an interest, shared between people so they can find each other."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.CharField(_("folded name"), max_length=80, unique=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name


def photo_upload_to(person, filename):
    return f"photos/{person.pk or 'new'}-{dj_timezone.now():%Y%m%d%H%M%S}.jpg"


class Person(models.Model):
    """An employee with an account."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="person")
    external_id = models.CharField(
        _("external id"),
        max_length=100,
        null=True,
        blank=True,
        unique=True,
        help_text=_("The identifier of this person in the HR system."),
    )
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    display_name = models.CharField(_("display name"), max_length=200)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.SET_NULL
    )
    business_unit = models.ForeignKey(
        BusinessUnit,
        verbose_name=_("business unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    legal_entity = models.ForeignKey(
        LegalEntity, verbose_name=_("legal entity"), null=True, blank=True, on_delete=models.SET_NULL
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), null=True, blank=True, on_delete=models.SET_NULL
    )
    site = models.ForeignKey(
        Site, verbose_name=_("site"), null=True, blank=True, on_delete=models.SET_NULL
    )
    languages = models.ManyToManyField(Language, verbose_name=_("languages"), blank=True)
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    departed_on = models.DateField(
        _("departed on"), null=True, blank=True, help_text=_("Empty while the person is with us.")
    )
    skills = models.ManyToManyField(Tag, verbose_name=_("skills"), blank=True, related_name="+")
    interests = models.ManyToManyField(
        Tag, verbose_name=_("interests"), blank=True, related_name="+"
    )
    bio = models.TextField(_("about me"), max_length=1000, blank=True)
    photo = models.ImageField(_("photo"), upload_to=photo_upload_to, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("interface language"),
        max_length=8,
        blank=True,
        help_text=_("Empty: the browser's language."),
    )
    timezone = models.CharField(_("time zone"), max_length=64, blank=True)
    # Folded name, title, skills and interests: what the directory box searches.
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(_("created"), default=dj_timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=dj_timezone.now, editable=False)

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(Lower("display_name"), name="person_display_name_lower"),
            models.Index(fields=["departed_on"]),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("people:profile", args=[self.pk])

    @property
    def is_departed(self) -> bool:
        return self.departed_on is not None

    @property
    def initials(self) -> str:
        words = [w for w in (self.display_name or "?").replace("-", " ").split() if w]
        letters = [w[0] for w in words[:1] + words[1:][-1:]]
        return "".join(letters).upper() or "?"

    @property
    def avatar_tone(self) -> int:
        """One of eight colours for the initials avatar, stable for a person."""
        return hashlib.blake2s(str(self.pk).encode(), digest_size=1).digest()[0] % 8

    def compute_search_text(self, skills=(), interests=()) -> str:
        parts = [self.display_name, self.first_name, self.last_name, self.title]
        parts += [t.name for t in skills] + [t.name for t in interests]
        return fold(" ".join(p for p in parts if p))
