"""Appending to the ledger. Called by actions, inside their transaction."""

from datetime import datetime

from django.db import models
from django.utils import timezone

from .models import Event, EventKind


def event_record(
    *,
    person,
    kind: EventKind,
    about: models.Model | None = None,
    occurred_at: datetime | None = None,
) -> Event:
    """Append one event for ``person``; the caller's transaction makes it atomic with the act."""
    return Event.objects.create(
        person=person,
        kind=kind,
        occurred_at=occurred_at or timezone.now(),
        object_type=about._meta.label_lower if about is not None else "",
        object_id=about.pk if about is not None else None,
    )
