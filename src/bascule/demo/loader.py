"""Writes a demo organisation to the database, in bulk, in one transaction.

Like an importer's loader, this is one of the few places allowed to write in bulk: creating
100,000 people one ``person_create`` at a time would take an hour. It follows the same rules
as ``person_create``: one account per person, ``search_text`` filled the same way.
"""

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

from bascule.people.models import (
    BusinessUnit,
    Country,
    Department,
    Language,
    LegalEntity,
    Person,
    Site,
    Tag,
    User,
    fold,
)
from bascule.search.index import index_rebuild
from bascule.search.models import DocumentKind

from .organisation import COUNTRIES, LANGUAGES, SITES, Organisation

BATCH_SIZE = 2000


def _units_by_name(model, rows: dict[str, dict]) -> dict[str, object]:
    """Every unit named in ``rows`` (name → other fields), created when missing."""
    existing = {unit.name: unit for unit in model.objects.filter(name__in=list(rows))}
    missing = [model(name=name, **fields) for name, fields in rows.items() if name not in existing]
    model.objects.bulk_create(missing)
    return {unit.name: unit for unit in model.objects.filter(name__in=list(rows))}


def _languages(codes: set[str]) -> dict[str, Language]:
    existing = {language.code: language for language in Language.objects.filter(code__in=codes)}
    Language.objects.bulk_create(
        [Language(code=code, name=LANGUAGES[code]) for code in sorted(codes) if code not in existing]
    )
    return {language.code: language for language in Language.objects.filter(code__in=codes)}


def _tags(names: set[str]) -> dict[str, Tag]:
    """Tags by their name; names that fold alike share one tag, as in tag_get_or_create."""
    by_slug = {}
    for name in sorted(names):
        by_slug.setdefault(fold(name), name)
    existing = {tag.slug: tag for tag in Tag.objects.filter(slug__in=list(by_slug))}
    Tag.objects.bulk_create(
        [Tag(name=name, slug=slug) for slug, name in by_slug.items() if slug not in existing]
    )
    tags = {tag.slug: tag for tag in Tag.objects.filter(slug__in=list(by_slug))}
    return {name: tags[fold(name)] for name in names}


@transaction.atomic
def organisation_load(organisation: Organisation, *, password: str) -> int:
    """Write ``organisation`` and return how many people it has.

    Every account gets ``password``, hashed once with the hasher configured now: hashing
    it for each of thousands of accounts would take minutes.
    """
    people = organisation.people
    password_hash = make_password(password)

    countries = _units_by_name(Country, {c.name: {"code": c.code} for c in organisation.countries()})
    country_by_code = {c.code: countries[c.name] for c in organisation.countries()}
    legal_entities = _units_by_name(
        LegalEntity, {c.legal_entity: {"country": countries[c.name]} for c in organisation.countries()}
    )
    sites = _units_by_name(
        Site, {name: {"country": country_by_code[SITES[name][0]]} for name in {p.site for p in people}}
    )
    departments = _units_by_name(Department, {name: {} for name in {p.department for p in people}})
    business_units = _units_by_name(BusinessUnit, {name: {} for name in {p.business_unit for p in people}})
    languages = _languages({code for p in people for code in p.languages})
    tags = _tags({name for p in people for name in p.skills + p.interests})

    users = [
        User(
            email=p.email,
            password=password_hash,
            is_active=p.departed_on is None,
            is_staff=p.is_staff,
            is_superuser=p.is_superuser,
        )
        for p in people
    ]
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)

    # Primary keys are chosen here so that managers can be linked in the same insert; the
    # sequence is moved past them afterwards, as loaddata does.
    first_id = (Person.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    persons = []
    for data, user in zip(people, users):
        person = Person(
            pk=first_id + data.index,
            user_id=user.pk,
            manager_id=None if data.manager is None else first_id + data.manager,
            external_id=data.external_id,
            first_name=data.first_name,
            last_name=data.last_name,
            display_name=data.display_name,
            title=data.title,
            department=departments[data.department],
            business_unit=business_units[data.business_unit],
            legal_entity=legal_entities[COUNTRIES[data.country].legal_entity],
            country=country_by_code[data.country],
            site=sites[data.site],
            start_date=data.start_date,
            departed_on=data.departed_on,
            bio=data.bio,
            timezone=data.timezone,
        )
        person.search_text = person.compute_search_text(
            [tags[name] for name in data.skills], [tags[name] for name in data.interests]
        )
        persons.append(person)
    # Managers come after some of their reports (Camille is first): the foreign key is
    # checked at commit, on SQLite as on PostgreSQL.
    Person.objects.bulk_create(persons, batch_size=BATCH_SIZE)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Person]):
            cursor.execute(statement)

    _links(Person.languages, [
        (person.pk, languages[code].pk) for data, person in zip(people, persons) for code in data.languages
    ])
    for relation, attribute in ((Person.skills, "skills"), (Person.interests, "interests")):
        _links(relation, [
            (person.pk, tag_id)
            for data, person in zip(people, persons)
            for tag_id in dict.fromkeys(tags[name].pk for name in getattr(data, attribute))
        ])
    # Found by search from the start, in this same transaction.
    index_rebuild(kinds=[DocumentKind.PERSON], ids=[person.pk for person in persons])
    return len(persons)


def _links(relation, pairs: list[tuple[int, int]]) -> None:
    """Insert (person id, other id) rows into a many-to-many table.

    A plain ``executemany``: the rows are two integers, and building half a million model
    instances for ``bulk_create`` took most of the time of a 100,000-person demo.
    """
    through = relation.through
    source = relation.field.m2m_column_name()
    target = relation.field.m2m_reverse_name()
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(through._meta.db_table)} ({quote(source)}, {quote(target)}) "
        "VALUES (%s, %s)"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), 10 * BATCH_SIZE):
            cursor.executemany(sql, pairs[start : start + 10 * BATCH_SIZE])
