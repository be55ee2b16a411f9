"""``bascule import <what> …``: every import behind one command, one subcommand per kind.

A subcommand is a class with ``name``, ``help``, ``add_arguments(parser)`` and
``handle(command, options)``. To add one (``events``, …), write the class next to its
importer and add its dotted path to ``SUBCOMMANDS``.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Exit statuses: 0 imported, 1 rows were rejected (nothing applied), 2 the file is unusable.
EXIT_REJECTED = 1
EXIT_BAD_FILE = 2

SUBCOMMANDS = [
    "bascule.people.management.commands.import.PeopleImport",
    "bascule.adoption.importers.EventsImport",
]


def read_file_bytes(path: str) -> bytes:
    """The bytes of ``path``, or a CommandError with exit status 2 saying why not."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise CommandError(_("File not found: %(path)s") % {"path": path}, returncode=EXIT_BAD_FILE) from None
    except IsADirectoryError:
        raise CommandError(_("%(path)s is a folder, not a file.") % {"path": path}, returncode=EXIT_BAD_FILE) from None
    except OSError as error:
        raise CommandError(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror or error},
            returncode=EXIT_BAD_FILE,
        ) from None


class PeopleImport:
    name = "people"
    help = "Create, update and optionally deactivate people from an HR CSV file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="CSV file, UTF-8 (with or without BOM), comma or semicolon separated.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; change nothing.")
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="Mark as departed the people with an external id who are not in the file.",
        )

    def handle(self, command: BaseCommand, options: dict) -> None:
        from bascule.people.importers import ImportFileError, people_import

        data = read_file_bytes(options["file"])
        try:
            report = people_import(
                data=data, dry_run=options["dry_run"], deactivate_missing=options["deactivate_missing"]
            )
        except ImportFileError as error:
            raise CommandError(str(error), returncode=EXIT_BAD_FILE) from None
        for line in report.lines():
            command.stdout.write(line)
        if report.rejected:
            count = len(report.rejected)
            message = ngettext("%(count)d row rejected.", "%(count)d rows rejected.", count) % {"count": count}
            raise CommandError(message, returncode=EXIT_REJECTED)


class Command(BaseCommand):
    help = "Import data from a file: bascule import <what> FILE (see bascule import <what> --help)."

    def add_arguments(self, parser) -> None:
        subparsers = parser.add_subparsers(dest="subcommand", required=True)
        self.subcommands = {}
        for path in SUBCOMMANDS:
            subcommand = import_string(path)()
            self.subcommands[subcommand.name] = subcommand
            subcommand.add_arguments(subparsers.add_parser(subcommand.name, help=subcommand.help))

    def handle(self, *args, **options) -> None:
        self.subcommands[options["subcommand"]].handle(self, options)
