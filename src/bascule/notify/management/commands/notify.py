from django.core.management.base import BaseCommand

from bascule.notify.tasks import digest_send_due


class Command(BaseCommand):
    help = (
        "Notifications. 'digests': queue the digests that are due, for the worker to send "
        "(for cron; the worker also does it every hour). Running it again sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["digests"])

    def handle(self, *args, what, **options):
        digest_send_due.enqueue()
        if options["verbosity"]:
            self.stdout.write("Digests queued: the worker sends those that are due.")
