from django.core.management.base import BaseCommand

from bascule.network import actions
from bascule.network.tasks import announcements_publish_due


class Command(BaseCommand):
    help = (
        "bascule announcements publish: for each scheduled announcement whose time came, make it "
        "searchable and tell the people it mentions (once). Readers see it on time whatever this "
        "command; every worker runs it each minute, or call it from cron (--now runs it here)."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["publish"])
        parser.add_argument("--now", action="store_true", help="Run in this process instead of enqueuing.")

    def handle(self, *args, what, now=False, **options):
        if now:
            count = actions.announcements_publish()
            self.stdout.write(f"{count} announcement(s) published.")
        else:
            announcements_publish_due.enqueue()
            self.stdout.write("Enqueued the publication of due announcements.")
