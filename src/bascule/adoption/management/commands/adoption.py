"""``bascule adoption <what> …``: the adoption cockpit on the command line.

The CSV and JSON formats are fixed: other tools rely on them. People appear only under
their pseudonymous analytics id, and aggregates respect the minimum group size.
"""

import csv
import json
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bascule.adoption.actions import (
    events_purge,
    facts_record,
    rollups_rebuild,
    stage_changes_record,
)
from bascule.adoption.ledger import local_day
from bascule.adoption.models import FACTS_KEPT_DAYS, Stage
from bascule.adoption.queries import SEGMENT_FIELDS, STAGES, adoption_report, events_export, stages_export


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value}) from None


class _Lines:
    """A file-like object for csv.writer that writes to the command's output in chunks."""

    def __init__(self, out):
        self.out = out
        self.buffer: list[str] = []

    def write(self, text: str) -> None:
        self.buffer.append(text)
        if len(self.buffer) >= 10_000:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            self.out.write("".join(self.buffer), ending="")
            self.buffer.clear()


class Command(BaseCommand):
    help = gettext_lazy(
        "The adoption cockpit: export events and stages, print the report, rebuild rollups, "
        "record stage changes, purge old events."
    )

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)

        events = sub.add_parser(
            "events", help=gettext_lazy("Export events as CSV: person (analytics id),occurred_at (UTC),kind.")
        )
        events.add_argument("--since", type=_day, help=gettext_lazy("First day (YYYY-MM-DD), included."))
        events.add_argument("--until", type=_day, help=gettext_lazy("Last day (YYYY-MM-DD), included."))
        events.add_argument("--format", choices=["csv"], default="csv", help=gettext_lazy("Output format."))

        stages = sub.add_parser(
            "stages", help=gettext_lazy("Export each person's stage on a day as CSV: person (analytics id),stage.")
        )
        stages.add_argument("--as-of", type=_day, help=gettext_lazy("The day (YYYY-MM-DD); today by default."))
        stages.add_argument("--format", choices=["csv"], default="csv", help=gettext_lazy("Output format."))

        report = sub.add_parser(
            "report",
            help=gettext_lazy("People per stage and the tipping point, for the organisation and per segment."),
        )
        report.add_argument("--as-of", type=_day, help=gettext_lazy("The day (YYYY-MM-DD); today by default."))
        report.add_argument(
            "--by",
            choices=sorted([*SEGMENT_FIELDS, "tenure_band"]),
            help=gettext_lazy("Also give the figures per segment of this field."),
        )
        report.add_argument(
            "--format", choices=["json", "csv", "table"], default="json", help=gettext_lazy("Output format.")
        )

        sub.add_parser("rebuild", help=gettext_lazy("Recompute the daily rollups from the events."))

        journey = sub.add_parser(
            "journey",
            help=gettext_lazy(
                "Record the stage changes and the cockpit's facts of a day (or of each day from --since)."
            ),
        )
        journey.add_argument("--as-of", type=_day, help=gettext_lazy("The day (YYYY-MM-DD); yesterday by default."))
        journey.add_argument(
            "--since", type=_day, help=gettext_lazy("Record every day from this one to --as-of, in order.")
        )

        sub.add_parser(
            "purge", help=gettext_lazy("Delete events and daily rollups older than the retention period.")
        )

    def handle(self, *args, **options) -> None:
        getattr(self, f"handle_{options['subcommand']}")(options)

    def _today(self) -> date:
        return local_day(timezone.now())

    def _warn_if_purged(self, day: date) -> None:
        retention = settings.BASCULE_EVENT_RETENTION_DAYS
        window_start = day - timedelta(days=settings.BASCULE_JOURNEY_WINDOW_DAYS - 1)
        if retention and window_start < self._today() - timedelta(days=retention):
            self.stderr.write(
                _(
                    "Warning: activity older than %(days)d days is purged; stages on %(day)s may be incomplete. "
                    "The stage history keeps the stages recorded at the time."
                )
                % {"days": retention, "day": day.isoformat()}
            )

    def handle_events(self, options) -> None:
        out = _Lines(self.stdout)
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["person", "occurred_at", "kind"])
        writer.writerows(events_export(since=options["since"], until=options["until"]))
        out.flush()

    def handle_stages(self, options) -> None:
        day = options["as_of"] or self._today()
        self._warn_if_purged(day)
        out = _Lines(self.stdout)
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["person", "stage"])
        writer.writerows(stages_export(day=day))
        out.flush()

    def handle_report(self, options) -> None:
        day = options["as_of"] or self._today()
        self._warn_if_purged(day)
        by = "tenure" if options["by"] == "tenure_band" else options["by"]
        report = adoption_report(day=day, by=by)
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        rows = [("*", report)] + [(segment["segment"], segment) for segment in report.get("segments", [])]
        if options["format"] == "csv":
            out = _Lines(self.stdout)
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["segment", "population", *STAGES, "tipping_point"])
            for name, group in rows:
                writer.writerow(
                    [name, _blank(group["population"]), *(_blank(group["stages"][s]) for s in STAGES),
                     _blank(group["tipping_point"])]
                )
            out.flush()
            return
        self._table(report, rows)

    def _table(self, report: dict, rows) -> None:
        withheld = "—"
        headers = [
            str(SEGMENT_FIELDS[report["by"]][0]) if report.get("by") else "",
            _("population"),
            *(str(Stage(stage).label) for stage in STAGES),
            _("tipping point"),
        ]
        body = []
        for name, group in rows:
            point = group["tipping_point"]
            body.append(
                [
                    _("whole organisation") if name == "*" else (name or _("(unknown)")),
                    *(withheld if v is None else str(v) for v in [group["population"], *group["stages"].values()]),
                    withheld if point is None else f"{point:.1%}",
                ]
            )
        widths = [max(len(row[i]) for row in [headers, *body]) for i in range(len(headers))]
        self.stdout.write(
            _("Stages on %(day)s (window of %(window)d days; groups of fewer than %(k)d people withheld: —)")
            % {"day": report["as_of"], "window": report["window_days"], "k": report["min_group_size"]}
        )
        for row in [headers, *body]:
            self.stdout.write("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))))

    def handle_rebuild(self, options) -> None:
        result = rollups_rebuild()
        self.stdout.write(
            _("Rollups rebuilt from %(events)d events: %(rollups)d days of activity, %(people)d people.")
            % {"events": result.events, "rollups": result.rollups, "people": result.people}
        )

    def handle_journey(self, options) -> None:
        last = options["as_of"] or self._today() - timedelta(days=1)
        day = options["since"] or last
        if day > last:
            raise CommandError(_("--since must not be after --as-of."))
        while day <= last:
            result = stage_changes_record(day=day)
            self.stdout.write(
                _("%(day)s: %(changes)d stage changes among %(population)d people.")
                % {"day": day.isoformat(), "changes": result.changes, "population": result.population}
            )
            if day < self._today() and day >= self._today() - timedelta(days=FACTS_KEPT_DAYS):
                facts_record(day=day)
            day += timedelta(days=1)

    def handle_purge(self, options) -> None:
        result = events_purge()
        if result.before is None:
            self.stdout.write(_("The retention period is 0: everything is kept."))
            return
        self.stdout.write(
            _("Deleted %(events)d events and %(rollups)d daily rollups before %(day)s.")
            % {"events": result.events, "rollups": result.rollups, "day": result.before.isoformat()}
        )


def _blank(value) -> str:
    """A CSV cell: empty for a withheld value."""
    return "" if value is None else str(value)
