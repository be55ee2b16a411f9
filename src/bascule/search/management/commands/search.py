"""``bascule search rebuild``: write the search index again from the content.

Needed after an upgrade that changes how text becomes search terms, or to repair an index
after restoring a database from a copy made without it. Runs in one transaction: searches
see the old index until the new one is complete.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from bascule.search.documents import searched_kinds
from bascule.search.index import index_rebuild


class Command(BaseCommand):
    help = _("Maintain the search index. rebuild: write it again from the posts, comments, people and spaces.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild"], help=_("What to do: rebuild."))
        parser.add_argument(
            "--kind",
            action="append",
            choices=searched_kinds(),
            help=_("Only this kind (post, comment, person, space); may be repeated."),
        )

    def handle(self, *args, action, kind, **options):
        if action != "rebuild":
            raise CommandError(_("Unknown action: %(action)s") % {"action": action})
        started = time.monotonic()
        written = index_rebuild(kinds=kind)
        self.stdout.write(
            self.style.SUCCESS(
                _("Search index rebuilt: %(count)d documents in %(seconds).1f s.")
                % {"count": written, "seconds": time.monotonic() - started}
            )
        )
