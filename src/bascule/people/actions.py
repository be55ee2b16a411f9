"""Every write to people and the organisation structure.

One function per business action: keyword-only arguments, one transaction, its ledger
event recorded in that transaction. The HR importer uses the bulk loader next to it
(``importers.py``) for speed, with the same rules.
"""

import io
from datetime import date

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageOps

from bascule.adoption.ledger import event_record
from bascule.adoption.models import EventKind
from bascule.search.index import index_update

from .models import Person, Tag, User, fold

PHOTO_SIZE = 400


def tag_get_or_create(*, name: str) -> Tag:
    """The tag whose folded name matches ``name``, created when new."""
    name = " ".join(name.split())[:80]
    tag, _ = Tag.objects.get_or_create(slug=fold(name), defaults={"name": name})
    return tag


def orgunit_get_or_create(*, model, name: str):
    """The department, site, country, … called ``name``, created when new."""
    name = " ".join(name.split())[:200]
    unit = model.objects.filter(name__iexact=name).first()
    return unit or model.objects.create(name=name)


@transaction.atomic
def person_create(
    *,
    email: str,
    display_name: str,
    password: str | None = None,
    password_hash: str | None = None,
    is_staff: bool = False,
    is_superuser: bool = False,
    **attributes,
) -> Person:
    """Create an account and its person. Without a password the person sets one by reset."""
    user = User(email=email.strip().lower(), is_staff=is_staff, is_superuser=is_superuser)
    if password_hash:
        user.password = password_hash
    elif password:
        user.password = make_password(password)
    else:
        user.set_unusable_password()
    user.save()
    languages = attributes.pop("languages", [])
    skills = attributes.pop("skills", [])
    interests = attributes.pop("interests", [])
    person = Person(user=user, display_name=display_name, **attributes)
    person.search_text = person.compute_search_text(skills, interests)
    person.save()
    person.languages.set(languages)
    person.skills.set(skills)
    person.interests.set(interests)
    index_update(person)
    return person


PROFILE_FIELDS = ("display_name", "title", "bio", "phone", "timezone")


@transaction.atomic
def person_profile_update(
    *,
    actor: Person,
    person: Person,
    skills: list[str] | None = None,
    interests: list[str] | None = None,
    languages=None,
    **fields,
) -> list[str]:
    """Update what a person says about themself; returns the names of the changed fields.

    Only the person may edit their own profile; HR attributes (department, site, manager,
    …) come from the HR import. Records ``profile_update`` when something changed.
    """
    if actor.pk != person.pk:
        raise PermissionError("People edit only their own profile.")
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    changed = [name for name, value in fields.items() if getattr(person, name) != value]
    for name in changed:
        setattr(person, name, fields[name])
    for relation, names in (("skills", skills), ("interests", interests)):
        if names is None:
            continue
        wanted = [tag_get_or_create(name=n) for n in dict.fromkeys(n for n in names if n.strip())]
        if {t.pk for t in wanted} != set(getattr(person, relation).values_list("pk", flat=True)):
            getattr(person, relation).set(wanted)
            changed.append(relation)
    if languages is not None and set(languages) != set(person.languages.all()):
        person.languages.set(languages)
        changed.append("languages")
    if not changed:
        return []
    person.search_text = person.compute_search_text(person.skills.all(), person.interests.all())
    person.updated_at = timezone.now()
    person.save(update_fields=[f for f in changed if f in PROFILE_FIELDS] + ["search_text", "updated_at"])
    index_update(person)
    event_record(person=person, kind=EventKind.PROFILE_UPDATE, about=person)
    return changed


@transaction.atomic
def person_photo_set(*, actor: Person, person: Person, upload) -> None:
    """Replace a person's photo with ``upload``, squared and resized to 400 px, as JPEG.

    The caller has checked that the upload is an image (forms.PhotoForm); re-encoding
    drops whatever else the file carried (metadata, scripts in polyglot files).
    """
    if actor.pk != person.pk:
        raise PermissionError("People change only their own photo.")
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        image = ImageOps.fit(image, (PHOTO_SIZE, PHOTO_SIZE))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=85)
    old = person.photo.name if person.photo else None
    person.photo.save("photo.jpg", ContentFile(buffer.getvalue()), save=False)
    person.updated_at = timezone.now()
    person.save(update_fields=["photo", "updated_at"])
    event_record(person=person, kind=EventKind.PROFILE_UPDATE, about=person)
    if old:
        storage = person.photo.storage
        transaction.on_commit(lambda: storage.delete(old))


@transaction.atomic
def person_photo_remove(*, actor: Person, person: Person) -> None:
    """Remove a person's photo; the initials avatar shows again."""
    if actor.pk != person.pk:
        raise PermissionError("People change only their own photo.")
    if not person.photo:
        return
    old, storage = person.photo.name, person.photo.storage
    person.photo = ""
    person.updated_at = timezone.now()
    person.save(update_fields=["photo", "updated_at"])
    event_record(person=person, kind=EventKind.PROFILE_UPDATE, about=person)
    transaction.on_commit(lambda: storage.delete(old))


@transaction.atomic
def account_password_set(*, user: User, password: str) -> None:
    """Give an account a new password (reset by e-mail); it is hashed by Django's hasher."""
    user.set_password(password)
    user.save(update_fields=["password"])


def person_language_set(*, person: Person, language: str) -> None:
    """Remember the interface language a person chose ("" = follow the browser)."""
    if person.preferred_language != language:
        person.preferred_language = language
        person.save(update_fields=["preferred_language"])


@transaction.atomic
def person_depart(*, person: Person, on: date) -> None:
    """Mark a person as departed: the account is closed, the history is kept."""
    person.departed_on = on
    person.save(update_fields=["departed_on"])
    person.user.is_active = False
    person.user.save(update_fields=["is_active"])
