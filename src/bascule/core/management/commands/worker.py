from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background tasks (e-mails, digests, rollups) from the database queue."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then stop.")
        parser.add_argument("--interval", type=float, default=1, help="Seconds between polls when idle.")
        parser.add_argument(
            "--periodic",
            action="store_true",
            help="With --batch: first queue the periodic tasks that are due (digests). "
            "Without --batch the worker always does it, once a minute.",
        )

    def handle(self, *args, batch=False, interval=1, periodic=False, **options):
        from bascule.notify.periodic import periodic_enqueue_due, periodic_thread_start

        if not batch:
            periodic_thread_start()
        elif periodic:
            periodic_enqueue_due()
        call_command("db_worker", batch=batch, interval=interval, reload=False, startup_delay=False)
