"""``bascule demo``: a fictitious organisation to try Bascule with (``make run`` uses it)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from bascule.demo.loader import organisation_load
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
        "departments, a manager hierarchy, languages and skills. Needs a database without people."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=300, help=_("How many people (default 300)."))
        parser.add_argument(
            "--seed", type=int, default=1, help=_("The same seed always gives the same organisation.")
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=_("Do nothing, successfully, when the database already has people."),
        )

    def handle(self, *args, people, seed, if_empty, **options):
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
        organisation = organisation_build(people=people, seed=seed, today=timezone.localdate())
        count = organisation_load(organisation, password=DEMO_PASSWORD)
        self.stdout.write(self.style.SUCCESS(self._login_message(count)))

    def _login_message(self, count: int) -> str:
        return _(
            "Demo ready: %(count)d people. Log in at %(url)s as %(email)s with password "
            "%(password)s (operator: %(operator)s)"
        ) % {
            "count": count,
            "url": "http://127.0.0.1:8000/",
            "email": DEMO_LOGIN_EMAIL,
            "password": DEMO_PASSWORD,
            "operator": DEMO_OPERATOR_EMAIL,
        }
