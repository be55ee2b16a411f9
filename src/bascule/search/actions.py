"""Every write of the search app: the index, and the ledger event of a search.

Keeping the index is not a business action of a person, but it is a write, and writes live
in ``actions.py`` (STYLE.md). ``index_update`` and ``index_remove`` run inside the caller's
transaction (a savepoint, one statement each), so that what is found is what exists: if
the post is rolled back, so is its document. On SQLite, triggers carry each change to the
FTS5 table in the same statement; on PostgreSQL the tsvector is a generated column.
"""

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.db import models, transaction
from django.utils import timezone

from bascule.adoption.ledger import event_record
from bascule.adoption.models import Event, EventKind
from bascule.people.models import Person

from .documents import document_for, kind_of, searched_kinds, source_rows
from .models import SearchDocument

BATCH_SIZE = 1000
UPDATED_FIELDS = ["post", "space", "author", "created_at", "title", "body", "title_terms", "body_terms"]


def _upsert(documents: list[SearchDocument]) -> None:
    SearchDocument.objects.bulk_create(
        documents,
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=UPDATED_FIELDS,
    )


@transaction.atomic
def index_update(obj: models.Model) -> None:
    """(Re)index ``obj`` (a post, comment, person or space) after it was created or
    changed. A deleted post or comment is removed instead."""
    document = document_for(obj)
    if document is None:
        index_remove(obj)
    else:
        _upsert([document])


@transaction.atomic
def index_remove(obj: models.Model) -> None:
    """Drop ``obj`` from the index (deleted, hidden). Comments of a deleted post need no
    call: they are found only while their post may be read."""
    SearchDocument.objects.filter(kind=kind_of(obj), object_id=obj.pk).delete()


@transaction.atomic
def index_rebuild(*, kinds: Iterable[str] | None = None, ids: Iterable[int] | None = None) -> int:
    """Write the documents of every post, comment, person and space again (of ``kinds``
    only, and of the objects ``ids`` only, when given); returns how many were written.

    For loaders (HR import, demo) at the end of their transaction, and for
    ``bascule search rebuild`` after an upgrade that changes how text becomes terms.
    """
    kinds = list(kinds) if kinds is not None else searched_kinds()
    ids = list(ids) if ids is not None else None
    written = 0
    for kind in kinds:
        stale = SearchDocument.objects.filter(kind=kind)
        if ids is None:
            stale.delete()
        else:
            for start in range(0, len(ids), BATCH_SIZE):
                stale.filter(object_id__in=ids[start : start + BATCH_SIZE]).delete()
        batch = []
        for obj in source_rows(kind, ids):
            document = document_for(obj)
            if document is not None:
                batch.append(document)
            if len(batch) >= BATCH_SIZE:
                SearchDocument.objects.bulk_create(batch)
                written += len(batch)
                batch = []
        SearchDocument.objects.bulk_create(batch)
        written += len(batch)
    return written


@transaction.atomic
def search_record(*, actor: Person) -> bool:
    """Record that ``actor`` searched (the ledger's ``search``), at most once per person and
    day, like a visit; returns whether an event was written.

    The words searched are never recorded, anywhere: what the journey needs is that the
    person used search on that day, and a search typed letter by letter (the box updates
    as one types) is one use, not ten.
    """
    if actor is None or actor.pk is None:
        return False
    now = timezone.now()
    day_start = timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))
    already = Event.objects.filter(
        person=actor, kind=EventKind.SEARCH, occurred_at__gte=day_start, occurred_at__lt=day_start + timedelta(days=1)
    ).exists()
    if already:
        return False
    event_record(person=actor, kind=EventKind.SEARCH, occurred_at=now)
    return True
