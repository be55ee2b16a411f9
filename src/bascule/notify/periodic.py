"""Periodic work without cron or a broker.

Every ``bascule worker`` (the embedded mode's single worker, or any of production's) runs
a small thread that, once a minute, enqueues each periodic task whose period has passed.
A periodic task is enqueued at most once per period whatever the number of workers: the
period is claimed with a conditional UPDATE on its PeriodicRun row. Operators who prefer
cron call ``bascule notify digests`` instead; the tasks themselves are idempotent
(a digest is claimed per person and period), so both may run.
"""

import logging
import threading
from datetime import timedelta

from django.db import close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string

from . import actions

logger = logging.getLogger(__name__)

# name → (task, how often). Other apps add theirs here (a daily purge of old events…).
PERIODIC_TASKS = {
    "notify.digest_send_due": ("bascule.notify.tasks.digest_send_due", timedelta(hours=1)),
    "network.announcements_publish_due": ("bascule.network.tasks.announcements_publish_due", timedelta(minutes=1)),
    "network.questions_overdue_check": ("bascule.network.tasks.questions_overdue_check", timedelta(minutes=15)),
    # Stage history of yesterday, then the retention purge (DESIGN.md: a daily task).
    "adoption.adoption_daily": ("bascule.adoption.tasks.adoption_daily", timedelta(days=1)),
    # Suggestions from the playbooks, at most one per person every 14 days (programs).
    "programs.nudges_send_due": ("bascule.programs.tasks.nudges_send_due", timedelta(days=1)),
}

# How often a worker looks for periodic tasks to enqueue.
CHECK_EVERY_SECONDS = 60


def periodic_enqueue_due(now=None) -> list[str]:
    """Enqueue every periodic task whose period has passed; returns their names."""
    now = now or timezone.now()
    enqueued = []
    for name, (task_path, every) in PERIODIC_TASKS.items():
        if actions.periodic_run_claim(name=name, every=every, now=now):
            import_string(task_path).enqueue()
            enqueued.append(name)
    return enqueued


def _loop(stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            close_old_connections()
            periodic_enqueue_due()
        except Exception:
            # A locked SQLite file or a lost connection: try again next time.
            logger.exception("Could not enqueue periodic tasks")
        finally:
            close_old_connections()
        stop.wait(CHECK_EVERY_SECONDS)


def periodic_thread_start() -> threading.Event:
    """Start the periodic loop in a daemon thread of the worker; set the returned event
    to stop it."""
    stop = threading.Event()
    threading.Thread(target=_loop, args=(stop,), name="bascule-periodic", daemon=True).start()
    return stop
