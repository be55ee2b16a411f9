"""Writes a demo organisation to the database, in bulk, in one transaction.

Like an importer's loader, this is one of the few places allowed to write in bulk: creating
100,000 people one ``person_create`` at a time would take an hour. It follows the same rules
as ``person_create``: one account per person, ``search_text`` filled the same way.
"""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

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
from bascule.network import markdown
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


# ---------------------------------------------------------------------------------------
# The network's activity (demo/activity.py): spaces, memberships, posts, comments,
# reactions, shares, mentions, tags, follows, reads and visits, their ledger events and
# notifications, then the rollups and the search index rebuilt in bulk.
# ---------------------------------------------------------------------------------------

ACTIVITY_BATCH_SIZE = 20_000


def _bulk_insert(model, names: list[str], rows) -> int:
    """Insert ``rows`` (tuples of the fields ``names``, by attribute name such as
    ``post_id``) into ``model``'s table, in batches: COPY on PostgreSQL, ``executemany``
    elsewhere. The model's other fields get their default, so that a column another app
    adds with a default does not break the demo. Model instances and ``bulk_create`` took
    most of the demo's time: this is a loader, as in people/importers.py.
    """
    fields = {f.attname: f for f in model._meta.concrete_fields}
    given = [fields[name] for name in names]
    defaults = [
        f for f in model._meta.concrete_fields
        if f.attname not in names and not f.primary_key and (f.has_default() or not f.null)
    ]
    default_values = [f.get_db_prep_save(f.get_default(), connection) for f in defaults]
    columns = [f.column for f in given + defaults]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column_list = ", ".join(quote(c) for c in columns)
    postgresql = connection.vendor == "postgresql"
    adapters = []
    for f in given:
        internal = f.get_internal_type()
        if postgresql:
            adapters.append(None)
        elif internal == "DateTimeField":
            adapters.append(connection.ops.adapt_datetimefield_value)
        elif internal == "DateField":
            adapters.append(connection.ops.adapt_datefield_value)
        else:
            adapters.append(None)
    adapted = [i for i, adapter in enumerate(adapters) if adapter is not None]

    def prepared(row):
        if adapted:
            row = list(row)
            for i in adapted:
                if row[i] is not None:
                    row[i] = adapters[i](row[i])
        return (*row, *default_values)

    count = 0
    with connection.cursor() as cursor:
        if postgresql:
            with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(prepared(row))
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({column_list}) VALUES ({', '.join(['%s'] * len(columns))})"
        batch = []
        for row in rows:
            batch.append(prepared(row))
            if len(batch) >= ACTIVITY_BATCH_SIZE:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _reset_sequences(*models) -> None:
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(statement)


class _Renderer:
    """Markdown rendered once per distinct paragraph: a body is paragraphs separated by a
    blank line, whose HTML is the paragraphs' HTML joined by a line break, exactly what
    ``markdown.render`` gives for the whole body (a test checks it)."""

    def __init__(self, mention_targets: dict[str, tuple[str, str]]):
        self.mention_targets = mention_targets
        self.cache: dict[str, str] = {}

    def html(self, paragraphs: list[str]) -> str:
        parts = []
        for paragraph in paragraphs:
            html = self.cache.get(paragraph)
            if html is None:
                handles, _tags = markdown.references(paragraph)
                mentions = {h: self.mention_targets[h] for h in handles if h in self.mention_targets}
                html = self.cache[paragraph] = markdown.render(paragraph, mentions=mentions, link_tags=True)
            parts.append(html)
        return "\n".join(parts)


@transaction.atomic
def activity_load(organisation: Organisation, activity, *, log=None) -> dict[str, int]:
    """Write ``activity`` (``activity.activity_build`` for ``organisation``, already
    loaded) and return how many rows of each kind were written. ``log``, when given, is
    called with a line of text after each step (timings, for benchmarks)."""
    import time

    started = time.monotonic()

    def step(name: str) -> None:
        if log is not None:
            log(f"{name}: {counts.get(name, '')} ({time.monotonic() - started:.1f} s)")

    from bascule.adoption.actions import rollups_rebuild, stage_changes_record
    from bascule.programs.models import RoleAssignment, RoleKind
    from bascule.adoption.models import Event
    from bascule.network.models import (
        Comment,
        DailyVisit,
        Follow,
        Membership,
        Mention,
        Post,
        PostRead,
        PostTag,
        Reaction,
        Space,
        SpaceAudience,
    )
    from bascule.notify.models import Notification

    people = organisation.people
    pk_by_external_id = dict(
        Person.objects.filter(external_id__in=[p.external_id for p in people]).values_list("external_id", "pk")
    )
    person_pk = [pk_by_external_id[p.external_id] for p in people]
    counts: dict[str, int] = {}

    # Spaces and who may see them.
    units = {
        "site": dict(Site.objects.values_list("name", "pk")),
        "department": dict(Department.objects.values_list("name", "pk")),
        "country": {code: pk for code, pk in Country.objects.values_list("code", "pk")},
    }
    spaces = [
        Space(
            name=s.name, slug=s.slug, kind=s.kind, visibility=s.visibility, join_policy=s.join_policy,
            purpose=s.purpose, rules=s.rules, archived_at=s.archived_at, created_at=s.created_at,
            created_by_id=person_pk[s.created_by],
        )
        for s in activity.spaces
    ]
    Space.objects.bulk_create(spaces)
    space_pk_by_slug = dict(Space.objects.filter(slug__in=[s.slug for s in activity.spaces]).values_list("slug", "pk"))
    space_pk = [space_pk_by_slug[s.slug] for s in activity.spaces]
    counts["spaces"] = len(space_pk)
    SpaceAudience.objects.bulk_create([
        SpaceAudience(space_id=space_pk[s.index], field=name, value=units[name][value])
        for s in activity.spaces for name, value in s.audience if value in units[name]
    ])
    rules = {s.index: bool(s.rules) for s in activity.spaces}
    counts["memberships"] = _bulk_insert(
        Membership,
        ["space_id", "person_id", "role", "status", "invited_by_id", "created_at", "joined_at", "rules_accepted_at"],
        (
            (space_pk[m.space], person_pk[m.person], m.role, m.status,
             None if m.invited_by is None else person_pk[m.invited_by], m.created_at, m.joined_at,
             m.joined_at if rules[m.space] else None)
            for m in activity.memberships
        ),
    )

    # Posts and comments, with primary keys chosen here so that every reference (shares,
    # replies, accepted answers, events) is known before the insert.
    first_post = (Post.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    first_comment = (Comment.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    mention_targets = {
        p.email.split("@")[0].lower(): (p.display_name, reverse("people:profile", args=[person_pk[p.index]]))
        for p in people
    }
    renderer = _Renderer(mention_targets)

    def space_of(index):
        return None if index is None else space_pk[index]

    counts["posts"] = _bulk_insert(
        Post,
        ["id", "space_id", "author_id", "kind", "title", "body", "body_html", "created_at", "due_at",
         "shared_post_id", "accepted_comment_id"],
        (
            (first_post + p.index, space_of(p.space), person_pk[p.author], p.kind, p.title,
             "\n\n".join(p.paragraphs), renderer.html(p.paragraphs), p.created_at, p.due_at,
             None if p.shared_post is None else first_post + p.shared_post,
             None if p.accepted_comment is None else first_comment + p.accepted_comment)
            for p in activity.posts
        ),
    )
    counts["comments"] = _bulk_insert(
        Comment,
        ["id", "post_id", "author_id", "parent_id", "body", "body_html", "created_at"],
        (
            (first_comment + c.index, first_post + c.post, person_pk[c.author],
             None if c.parent is None else first_comment + c.parent,
             "\n\n".join(c.paragraphs), renderer.html(c.paragraphs), c.created_at)
            for c in activity.comments
        ),
    )
    _reset_sequences(Post, Comment)
    # Questions answered, as the actions record it (Post.answered_at).
    from bascule.network.actions import answered_refresh

    answered_refresh()
    step("comments")

    # Tags and mentions, stored as the network's actions store them.
    tag_names = {t for p in activity.posts for t in p.tags} | {t for _, kind, t, _ in activity.follows if kind == "tag"}
    tags = _tags(tag_names) if tag_names else {}
    counts["post_tags"] = _bulk_insert(
        PostTag, ["post_id", "tag_id"],
        ((first_post + p.index, tag_id) for p in activity.posts for tag_id in dict.fromkeys(tags[t].pk for t in p.tags)),
    )
    counts["mentions"] = _bulk_insert(
        Mention, ["post_id", "comment_id", "person_id", "created_at"],
        [
            *((first_post + p.index, None, person_pk[m], p.created_at)
              for p in activity.posts for m in dict.fromkeys(p.mentions)),
            *((first_post + c.post, first_comment + c.index, person_pk[m], c.created_at)
              for c in activity.comments for m in dict.fromkeys(c.mentions)),
        ],
    )
    counts["reactions"] = _bulk_insert(
        Reaction, ["person_id", "post_id", "comment_id", "kind", "created_at"],
        (
            (person_pk[person], first_post + post, None if comment is None else first_comment + comment, kind, at)
            for person, post, comment, kind, at in activity.reactions
        ),
    )

    def follow_target(kind, target):
        if kind == "person":
            return person_pk[target], None, None
        if kind == "space":
            return None, space_pk[target], None
        return None, None, tags[target].pk

    counts["follows"] = _bulk_insert(
        Follow, ["follower_id", "person_id", "space_id", "tag_id", "created_at"],
        ((person_pk[follower], *follow_target(kind, target), at) for follower, kind, target, at in activity.follows),
    )
    counts["reads"] = _bulk_insert(
        PostRead, ["person_id", "post_id", "day"],
        ((person_pk[person], first_post + post, day) for person, post, day, _at in activity.reads),
    )
    _bulk_insert(DailyVisit, ["person_id", "day"], ((person_pk[person], day) for person, day, _at in activity.visits))

    # The ledger, with every act's real time, then the rollups from it.
    def about(kind, ref):
        if kind == "post":
            return "network.post", first_post + ref
        if kind == "comment":
            return "network.comment", first_comment + ref
        if kind == "space":
            return "network.space", space_pk[ref]
        if kind == "person":
            return "people.person", person_pk[ref]
        if kind == "tag":
            return "people.tag", tags[ref].pk
        return "", None

    def events():
        for index, at in activity.informed.items():
            yield person_pk[index], at, "informed", "", None
        for person, at, kind, object_kind, ref in activity.events:
            yield (person_pk[person], at, kind, *about(object_kind, ref))

    step("reads")
    counts["events"] = _bulk_insert(
        Event, ["person_id", "occurred_at", "kind", "object_type", "object_id"], events()
    )
    step("events")
    rollups_rebuild()
    step("rollups")
    # The stage history of the last twelve weeks, week by week (the daily task records it
    # day by day from now on), so that the cockpit's weekly trend has a past.
    for weeks in range(11, -1, -1):
        stage_changes_record(day=activity.end - timedelta(days=7 * weeks))
    step("stage history")
    # Camille, who leads internal communication, is the adoption lead: she reads the
    # cockpit of the whole organisation.
    RoleAssignment.objects.create(person_id=person_pk[0], kind=RoleKind.ANALYTICS_VIEWER, starts_on=activity.start)

    # Notifications of the past: what is older than three days was read; all were e-mailed
    # already (the worker must not send months of mail when the demo starts).
    recent = timezone.now() - timedelta(days=3)
    counts["notifications"] = _bulk_insert(
        Notification,
        ["recipient_id", "kind", "actor_id", "space_id", "post_id", "comment_id", "created_at", "emailed_at", "read_at"],
        (
            (person_pk[recipient], kind, None if actor is None else person_pk[actor], space_of(space),
             None if post is None else first_post + post, None if comment is None else first_comment + comment,
             at, at, at + timedelta(hours=2 + (recipient + (post or 0)) % 40) if at < recent else None)
            for recipient, kind, actor, space, post, comment, at in activity.notifications
            if people[recipient].departed_on is None and recipient != actor
        ),
    )
    step("notifications")
    counts["search_documents"] = index_rebuild(kinds=[DocumentKind.SPACE, DocumentKind.POST, DocumentKind.COMMENT])
    step("search_documents")
    if connection.vendor == "postgresql":
        # Fresh statistics: planned without them, the first pages after a load of a
        # million rows choose nested loops over tables PostgreSQL believes empty.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        step("analyze")
    counts["live_notifications"] = _demo_login_notifications_send(activity, person_pk, first_post)
    return counts


def _demo_login_notifications_send(activity, person_pk: list[int], first_post: int) -> int:
    """What waits for the demo login today, made through the network's own actions (so
    it is recorded, notified and e-mailed like anything a person does): an answer to the
    question she asked yesterday, and a colleague mentioning her in her ambassadors'
    space. Returns how many notifications were sent."""
    from bascule.network.actions import comment_create, post_create
    from bascule.network.models import Post, Space
    from bascule.notify.models import Notification

    if activity.camille_open_question is None:
        return 0
    camille = person_pk[0]
    before = Notification.objects.filter(recipient_id=camille).count()
    question = Post.objects.select_related("space").get(pk=first_post + activity.camille_open_question)
    rank = {"champion": 0, "contributor": 1, "interactor": 2, "reader": 3}

    def colleague(space_index):
        members = [
            m.person for m in activity.memberships
            if m.space == space_index and m.status == "active" and m.person != 0
            and activity.archetypes.get(m.person) in rank
        ]
        members.sort(key=lambda index: (rank[activity.archetypes[index]], index))
        for index in members:
            person = Person.objects.select_related("user").get(pk=person_pk[index])
            if not person.is_departed:
                return person
        return None

    space_index = next((s.index for s in activity.spaces if s.slug == getattr(question.space, "slug", None)), None)
    answerer = colleague(space_index)
    if answerer is not None:
        comment_create(
            actor=answerer, post=question,
            body="Bonne question ! Le plus simple est de commencer par la page « Bien démarrer », "
                 "puis d'inviter ton équipe : je peux t'aider à la prochaine réunion.",
        )
    ambassadors = next(
        (s for s in activity.spaces if s.created_by == 0 and s.visibility == "private" and s.archived_at is None), None
    )
    if ambassadors is not None:
        author = colleague(ambassadors.index)
        if author is not None:
            post_create(
                actor=author, space=Space.objects.get(slug=ambassadors.slug),
                body="Merci @camille.martin pour l'atelier d'hier : nous relançons les communautés de site "
                     "dès lundi. Qui veut animer la première session ? #bascule",
            )
    return Notification.objects.filter(recipient_id=camille).count() - before
