"""Reads of the adoption cockpit: the report of stages for the organisation and its
segments (with the minimum group size applied), and the pseudonymous exports."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from django.utils.translation import gettext_lazy as _

from bascule.people.models import BusinessUnit, Country, Department, Language, LegalEntity, Person, Site

from .journey import SEGMENT_COLUMNS, JourneyRules, journey_stages
from .ledger import organisation_timezone
from .models import Event, Stage
from .privacy import analytics_id, min_group_size, suppress_linked

STAGES = tuple(Stage.values)
CONTRIBUTORS = (Stage.CONTRIBUTION, Stage.PROMOTION)

# Segment fields of ``--by``: name → (label, model of the unit, attribute column).
SEGMENT_FIELDS = {
    "department": (_("department"), Department, "department_id"),
    "business_unit": (_("business unit"), BusinessUnit, "business_unit_id"),
    "legal_entity": (_("legal entity"), LegalEntity, "legal_entity_id"),
    "country": (_("country"), Country, "country_id"),
    "site": (_("site"), Site, "site_id"),
    "language": (_("language"), Language, None),
    "tenure": (_("tenure band"), None, "start_date"),
}
# Tenure bands in whole years since the start date: (segment value, from, below).
TENURE_BANDS = (("0-1", 0, 1), ("1-3", 1, 3), ("3-5", 3, 5), ("5-10", 5, 10), ("10+", 10, None))


def tenure_band(start_date: date | None, day: date) -> str:
    """The tenure band on ``day`` of someone who started on ``start_date`` ("" unknown)."""
    if start_date is None:
        return ""
    years = day.year - start_date.year - ((day.month, day.day) < (start_date.month, start_date.day))
    for name, low, high in TENURE_BANDS:
        if years >= low and (high is None or years < high):
            return name
    return TENURE_BANDS[0][0]


def _segments_of(field: str, stages: dict, day: date) -> dict[int, list[str]]:
    """Each person's segment values for ``field`` ("" when they have none)."""
    label, model, column = SEGMENT_FIELDS[field]
    if field == "language":
        names = dict(Language.objects.values_list("pk", "name"))
        result: dict[int, list[str]] = {person_id: [] for person_id in stages}
        for person_id, language_id in Person.languages.through.objects.values_list("person_id", "language_id"):
            if person_id in result:
                result[person_id].append(names[language_id])
        return {person_id: values or [""] for person_id, values in result.items()}
    position = SEGMENT_COLUMNS.index(column)
    if field == "tenure":
        return {pid: [tenure_band(stage.attributes[position], day)] for pid, stage in stages.items()}
    names = dict(model.objects.values_list("pk", "name"))
    return {pid: [names.get(stage.attributes[position], "")] for pid, stage in stages.items()}


def _block(counts: dict[str, int]) -> list[int]:
    """Values of one group in table order: the six stages, population, contributors and
    the others (the people the tipping point leaves out are a group too)."""
    stages = [counts.get(stage, 0) for stage in STAGES]
    contributors = counts.get(Stage.CONTRIBUTION, 0) + counts.get(Stage.PROMOTION, 0)
    return stages + [sum(stages), contributors, sum(stages) - contributors]


def _block_lines(offset: int) -> list[list[int]]:
    """Additive relations inside one group: stages → population, and contribution +
    promotion → contributors."""
    width = len(STAGES)
    contribution, promotion = STAGES.index(Stage.CONTRIBUTION), STAGES.index(Stage.PROMOTION)
    return [
        [offset + j for j in range(width + 1)],
        [offset + contribution, offset + promotion, offset + width + 1],
        [offset + width + 1, offset + width + 2, offset + width],
    ]


def _group_result(values: list[int | None]) -> dict:
    width = len(STAGES)
    population, contributors = values[width], values[width + 1]
    tipping_point = None
    if population is not None and contributors is not None and population:
        tipping_point = round(contributors / population, 4)
    return {
        "population": population,
        "stages": dict(zip(STAGES, values[:width])),
        "tipping_point": tipping_point,
    }


def adoption_report(*, day: date, by: str | None = None, rules: JourneyRules | None = None) -> dict:
    """People per stage and the tipping point on ``day``, for the organisation and, with
    ``by``, per segment, every value that would describe fewer than k people (or let one
    be recomputed) withheld as None."""
    rules = rules or JourneyRules.from_settings()
    k = min_group_size()
    stages = journey_stages(day, rules=rules)
    overall: dict[str, int] = {}
    for stage in stages.values():
        overall[stage.stage] = overall.get(stage.stage, 0) + 1
    block_width = len(STAGES) + 3
    values = _block(overall)
    lines = _block_lines(0)
    names: list[str] = []
    partition = True
    if by:
        segment_counts: dict[str, dict[str, int]] = {}
        for person_id, segment_values in _segments_of(by, stages, day).items():
            for value in segment_values:
                counts = segment_counts.setdefault(value, {})
                counts[stages[person_id].stage] = counts.get(stages[person_id].stage, 0) + 1
        # Languages overlap (a person speaks several): segments do not add up to the whole.
        partition = by != "language"
        if by == "tenure":
            order = {name: index for index, (name, _low, _high) in enumerate(TENURE_BANDS)}
            names = sorted(segment_counts, key=lambda name: order.get(name, len(order)))
        else:
            names = sorted(segment_counts, key=lambda name: (name == "", name.casefold()))
        for index, name in enumerate(names, start=1):
            values += _block(segment_counts[name])
            lines += _block_lines(index * block_width)
        if partition:
            # Each value of the organisation is the sum of the segments' (listed last: the total).
            lines += [
                [index * block_width + j for index in range(1, len(names) + 1)] + [j] for j in range(block_width)
            ]
    forced: list[int] = []
    for index in range(len(names) + 1):
        population = values[index * block_width + len(STAGES)]
        if population < k:
            forced += range(index * block_width, (index + 1) * block_width)
    shown = suppress_linked(values, lines, k=k, forced=forced)
    report = {
        "as_of": day.isoformat(),
        "window_days": rules.window_days,
        "min_group_size": k,
        **_group_result(shown[:block_width]),
    }
    if by:
        report["by"] = by
        report["segments"] = [
            {"segment": name, **_group_result(shown[index * block_width : (index + 1) * block_width])}
            for index, name in enumerate(names, start=1)
        ]
    return report


def stages_export(*, day: date, rules: JourneyRules | None = None) -> list[tuple[str, str]]:
    """(analytics id, stage) for every person of the population on ``day``, by id."""
    stages = journey_stages(day, rules=rules)
    return sorted((analytics_id(person_id), stage.stage.value) for person_id, stage in stages.items())


def utc_text(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z: 2026-03-31T07:30:00Z."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


def events_export(*, since: date | None = None, until: date | None = None) -> Iterator[tuple[str, str, str]]:
    """(analytics id, occurred_at in UTC, kind) for the events of the days ``since`` …
    ``until`` (calendar days in the organisation's time zone, both included), in time order."""
    zone = organisation_timezone()
    events = Event.objects.order_by("occurred_at", "id")
    if since:
        events = events.filter(occurred_at__gte=datetime.combine(since, time(), tzinfo=zone))
    if until:
        events = events.filter(occurred_at__lt=datetime.combine(until + timedelta(days=1), time(), tzinfo=zone))
    ids: dict[int, str] = {}
    for person_id, occurred_at, kind in events.values_list("person_id", "occurred_at", "kind").iterator(
        chunk_size=20_000
    ):
        pseudonym = ids.get(person_id)
        if pseudonym is None:
            pseudonym = ids[person_id] = analytics_id(person_id)
        yield pseudonym, utc_text(occurred_at), kind
