import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Bascule with gunicorn, and run a background worker beside it unless told not to."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("BASCULE_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
        parser.add_argument("--no-worker", action="store_true", help="Do not start a task worker.")

    def handle(self, *args, host, port, workers, no_worker, **options):
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
        # Stopped by a signal (a process manager, `kill`), as by Ctrl+C: gunicorn and the
        # worker stop with it instead of running on orphaned.
        signal.signal(signal.SIGTERM, _interrupt)
        worker = None
        if not no_worker:
            worker = subprocess.Popen([sys.executable, "-m", "bascule", "worker"])
        self.stdout.write(f"Bascule is serving on http://{host}:{port}/ (Ctrl+C to stop)")
        self.stdout.flush()
        command = [
            sys.executable, "-m", "gunicorn", "bascule.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers), "--threads", "4",
            "--access-logfile", "-" if os.environ.get("BASCULE_ACCESS_LOG") else "/dev/null",
            "--graceful-timeout", "5",
        ]
        try:
            subprocess.run(command, check=False)
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()


def _interrupt(signum, frame):
    raise KeyboardInterrupt
