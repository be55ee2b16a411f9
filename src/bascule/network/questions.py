"""When an answer to a question is expected: a number of working days later.

Working days are Monday to Friday in the organisation's time zone (``TIME_ZONE``);
public holidays are not known to Bascule yet. A question asked on Saturday with a delay
of 2 working days is due on Tuesday at the same hour.
"""

import datetime
import zoneinfo

from django.conf import settings

DEFAULT_ANSWER_DELAY_DAYS = 2


def add_working_days(moment: datetime.datetime, days: int) -> datetime.datetime:
    """``moment`` moved forward by ``days`` working days (Monday–Friday, local time)."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    local = moment.astimezone(zone).replace(tzinfo=None)
    added = 0
    while added < days:
        local += datetime.timedelta(days=1)
        if local.weekday() < 5:
            added += 1
    # Re-attach the zone so that a change of summer time keeps the hour of the day.
    return local.replace(tzinfo=zone)
