"""Reads about people, for pages, the API and exports. Content goes through access.py."""

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Prefetch, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from bascule.access import visible_people

from .models import Language, Person, Tag, fold

# What a complete profile has, with the words shown to the person for what is missing.
COMPLETENESS_ITEMS = [
    ("photo", _("a photo")),
    ("title", _("your job title")),
    ("bio", _("a few words about you")),
    ("skills", _("your skills")),
    ("interests", _("your interests")),
    ("languages", _("the languages you speak")),
    ("phone", _("a phone number")),
    ("site", _("your site")),
    ("department", _("your department")),
    ("manager", _("your manager")),
]


@dataclass
class Completeness:
    percent: int
    missing: list


def profile_completeness(person: Person) -> Completeness:
    """How complete a person's profile is, and what is missing, in the order to fix it."""
    missing = []
    # The three lists in one small query, on every home page: written as SQL, it costs
    # a tenth of what the ORM's build and compilation of three EXISTS did.
    lists = ("skills", "interests", "languages")
    quote = connection.ops.quote_name
    tables = [getattr(Person, name).through._meta for name in lists]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT "
            + ", ".join(
                f"EXISTS (SELECT 1 FROM {quote(table.db_table)} WHERE {quote(table.get_field('person').column)} = %s)"
                for table in tables
            ),
            [person.pk] * len(lists),
        )
        has = dict(zip(lists, (bool(value) for value in cursor.fetchone())))
    for field, label in COMPLETENESS_ITEMS:
        if field in lists:
            present = has[field]
        elif field in {"site", "department", "manager"}:
            present = getattr(person, f"{field}_id") is not None  # no query for the related row
        else:
            present = bool(getattr(person, field))
        if not present:
            missing.append((field, label))
    done = len(COMPLETENESS_ITEMS) - len(missing)
    return Completeness(percent=round(100 * done / len(COMPLETENESS_ITEMS)), missing=missing)


def _with_card_data(people: QuerySet[Person]) -> QuerySet[Person]:
    return people.select_related("department", "site", "site__country", "country").prefetch_related(
        Prefetch("skills", queryset=Tag.objects.order_by("name"))
    )


def directory_search(
    viewer: Person,
    *,
    text: str = "",
    department: int | None = None,
    site: int | None = None,
    country: int | None = None,
    language: int | None = None,
    include_departed: bool = False,
) -> QuerySet[Person]:
    """The people ``viewer`` may see matching a directory search, ordered by name.

    ``text`` matches names, job titles, skills and interests, ignoring case and accents;
    every word must match.
    """
    people = visible_people(viewer)
    if not include_departed:
        # Nearly everyone matches "departed_on IS NULL", but SQLite's planner would still
        # walk the departed_on index for it, then fetch every row by id: a search took
        # twice as long as a plain scan. Comparing an expression keeps the index out.
        people = people.alias(still_with_us=Coalesce("departed_on", Value(date.max))).filter(
            still_with_us=date.max
        )
    for word in fold(text).split()[:8]:
        people = people.filter(search_text__contains=word)
    if department:
        people = people.filter(department_id=department)
    if site:
        people = people.filter(site_id=site)
    if country:
        people = people.filter(country_id=country)
    if language:
        people = people.filter(languages__id=language)
    return _with_card_data(people).order_by("display_name", "pk")


def manager_chain(person: Person, limit: int = 12) -> list[Person]:
    """From the person's manager up to the top, nearest first; stops at a cycle."""
    chain, seen = [], {person.pk}
    current = person.manager
    while current is not None and current.pk not in seen and len(chain) < limit:
        chain.append(current)
        seen.add(current.pk)
        current = current.manager
    return chain


def direct_reports(viewer: Person, person: Person) -> QuerySet[Person]:
    return _with_card_data(
        visible_people(viewer).filter(manager=person, departed_on__isnull=True)
    ).order_by("display_name")


def languages_in_use() -> QuerySet[Language]:
    return Language.objects.filter(person__isnull=False).distinct().order_by("name")
