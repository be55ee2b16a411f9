"""Helpers shared by the adoption tests."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bascule.adoption.ledger import event_record
from tests.conftest import make_person

PARIS = ZoneInfo("Europe/Paris")


def at(day: str, hour: int = 12) -> datetime:
    """``day`` (YYYY-MM-DD) at ``hour`` o'clock in the organisation's time zone."""
    return datetime.combine(date.fromisoformat(day), time(hour), tzinfo=PARIS)


def person(name: str, **attributes):
    slug = name.lower().replace(" ", ".")
    return make_person(name, f"{slug}@example.com", **attributes)


def record(who, *events):
    """Record ``events``, each "kind@YYYY-MM-DD" (noon) or (kind, datetime)."""
    for event in events:
        if isinstance(event, str):
            kind, _, day = event.partition("@")
            event = (kind, at(day))
        event_record(person=who, kind=event[0], occurred_at=event[1])
