"""Background work of the adoption app."""

from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from .actions import events_purge, stage_changes_record
from .ledger import local_day


@task
def adoption_daily() -> None:
    """Once a day: record yesterday's stage changes, then purge what the retention
    period no longer allows to keep (in that order, so the stages see the whole window)."""
    stage_changes_record(day=local_day(timezone.now()) - timedelta(days=1))
    events_purge()
