from django.core.management.base import BaseCommand

from bascule.network import actions
from bascule.network.tasks import questions_overdue_check


class Command(BaseCommand):
    help = (
        "bascule questions overdue: tell the managers of a space (once) about each question still "
        "without answer after the space's delay, then its referents after a second delay. Run it "
        "from cron every 15 minutes or so; it enqueues the work for the worker (--now runs it here)."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["overdue"])
        parser.add_argument("--now", action="store_true", help="Run in this process instead of enqueuing.")

    def handle(self, *args, what, now=False, **options):
        if now:
            managers, referents = actions.questions_overdue_notify()
            self.stdout.write(f"{managers} question(s) reported to managers, {referents} to referents.")
        else:
            questions_overdue_check.enqueue()
            self.stdout.write("Enqueued the overdue questions check.")
