"""``bascule token create EMAIL [--name N]``: create a personal API token for a person and
print it (shown once: it is not stored). ``bascule token revoke EMAIL PREFIX`` revokes one."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from bascule.interop import actions, queries
from bascule.people.models import Person


class Command(BaseCommand):
    help = _("Personal API tokens. create EMAIL: create one and print it; revoke EMAIL PREFIX: revoke one.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "revoke"], help=_("What to do: create or revoke."))
        parser.add_argument("email", help=_("The person's e-mail address."))
        parser.add_argument("prefix", nargs="?", default="", help=_("revoke: the first characters of the token."))
        parser.add_argument("--name", default="", help=_("create: what will use the token."))

    def handle(self, *args, action, email, prefix, name, **options):
        person = Person.objects.select_related("user").filter(user__email__iexact=email.strip()).first()
        if person is None:
            raise CommandError(_("Nobody has the e-mail address %(email)s.") % {"email": email})
        if action == "create":
            try:
                created = actions.token_create(actor=person, name=name or _("Command line"))
            except (ValidationError, PermissionDenied) as error:
                raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
            self.stderr.write(_("Token “%(name)s” for %(person)s (shown once, keep it safe):") % {"name": created.api_token.name, "person": person.display_name})
            self.stdout.write(created.token)
            return
        matching = [t for t in queries.tokens_of(person) if prefix and not t.is_revoked and (prefix.startswith(t.prefix) or t.prefix.startswith(prefix))]
        if len(matching) != 1:
            raise CommandError(_("Give the first characters of exactly one working token of this person."))
        actions.token_revoke(actor=person, api_token=matching[0])
        self.stdout.write(_("Revoked."))
