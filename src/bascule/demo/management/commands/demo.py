"""``bascule demo``: a fictitious organisation to try Bascule with (``make run`` uses it)."""

import os
import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bascule.adoption.actions import facts_record
from bascule.demo.activity import activity_build
from bascule.demo.ambassadors import ambassadors_load
from bascule.demo.initiatives import initiatives_load
from bascule.demo.loader import activity_load, organisation_load
from bascule.demo.programs import programs_load
from bascule.demo.organisation import (
    DEMO_LOGIN_EMAIL,
    DEMO_OPERATOR_EMAIL,
    DEMO_PASSWORD,
    MINIMUM_PEOPLE,
    organisation_build,
)
from bascule.people.models import Person, User


class Command(BaseCommand):
    help = _(
        "Build a deterministic fictitious organisation: legal entities in five countries, sites, "
        "departments, a manager hierarchy, languages and skills, then months of network activity: "
        "spaces of every kind, posts, questions, comments, reactions, shares, mentions, the ledger and "
        "its rollups. Needs a database without people."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=300, help=_("How many people (default 300)."))
        parser.add_argument(
            "--seed", type=int, default=1, help=_("The same seed always gives the same organisation.")
        )
        parser.add_argument(
            "--months", type=int, default=6, help=_("Months of network activity until yesterday (default 6; 0: none).")
        )
        parser.add_argument(
            "--spaces", type=int, default=None,
            help=_("How many spaces (default: the demo's catalogue of about twenty; more are generated projects)."),
        )
        parser.add_argument(
            "--posts-and-comments", type=int, default=None,
            help=_("About how many posts and comments in all (for benchmarks; default: what the people write)."),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=_("Do nothing, successfully, when the database already has people."),
        )

    def handle(self, *args, people, seed, if_empty, months, spaces, posts_and_comments, **options):
        if people < MINIMUM_PEOPLE:
            raise CommandError(_("--people must be at least %(minimum)d.") % {"minimum": MINIMUM_PEOPLE})
        existing = Person.objects.count()
        if existing:
            if not if_empty:
                raise CommandError(
                    _(
                        "The database already has %(count)d people: the demo needs a fresh database "
                        "(for instance a new BASCULE_DATA_DIR or DATABASE_URL). Use --if-empty to "
                        "keep the existing data."
                    )
                    % {"count": existing},
                    returncode=2,
                )
            if User.objects.filter(email=DEMO_LOGIN_EMAIL).exists():
                self.stdout.write(self._login_message(existing))
            else:
                self.stdout.write(
                    _("The database already has %(count)d people: the demo was not loaded.")
                    % {"count": existing}
                )
            return
        started = time.monotonic()
        organisation = organisation_build(people=people, seed=seed, today=timezone.localdate())
        with transaction.atomic():
            count = organisation_load(organisation, password=DEMO_PASSWORD)
            if months > 0:
                log = self.stdout.write if options["verbosity"] >= 2 else None
                if log:
                    log(f"organisation: {count} ({time.monotonic() - started:.1f} s)")
                activity = activity_build(
                    organisation, seed=seed, months=months, spaces=spaces, posts_and_comments=posts_and_comments,
                    timezone_name=settings.TIME_ZONE,
                )
                if log:
                    log(f"activity built ({time.monotonic() - started:.1f} s)")
                written = activity_load(organisation, activity, log=log)
                written.update(initiatives_load())
                if options["verbosity"] >= 2:
                    self.stdout.write(
                        ", ".join(f"{name}: {value}" for name, value in written.items())
                        + f" ({time.monotonic() - started:.1f} s)"
                    )
            ambassadors_load(today=organisation.today, log=self.stdout.write if options["verbosity"] >= 2 else None)
            programs_load(today=organisation.today)
            # What the daily task records every night: the cockpit's facts of yesterday.
            facts_record(day=organisation.today - timedelta(days=1))
        self.stdout.write(self.style.SUCCESS(self._login_message(count)))

    def _login_message(self, count: int) -> str:
        return _(
            "Demo ready: %(count)d people. Log in at %(url)s as %(email)s with password "
            "%(password)s (operator: %(operator)s)"
        ) % {
            "count": count,
            # `bascule serve`'s port (PORT, as `make run PORT=…` passes it).
            "url": f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/",
            "email": DEMO_LOGIN_EMAIL,
            "password": DEMO_PASSWORD,
            "operator": DEMO_OPERATOR_EMAIL,
        }
