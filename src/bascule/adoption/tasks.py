"""Background work of the adoption app."""

from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from .actions import events_purge, facts_record, stage_changes_record
from .ledger import local_day


@task
def adoption_daily() -> None:
    """Once a day: record yesterday's stage changes and the cockpit's facts, then purge
    what the retention period no longer allows to keep (in that order, so that both see
    the whole window)."""
    yesterday = local_day(timezone.now()) - timedelta(days=1)
    stage_changes_record(day=yesterday)
    facts_record(day=yesterday)
    events_purge()
