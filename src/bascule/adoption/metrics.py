"""Metrics of the adoption cockpit, for a group of people (the organisation, an analytics
viewer's scope, a space's members) and its segments, with privacy applied.

Everything about people is read from the rollups (DailyActivity over the window),
the per-person summary (PersonActivity) and the stage history (StageChange), never from
the raw events. Each person's facts are read once (one SQL query) and the metrics are
counts over them; the counts of a group form one *block*, linked by additions ("lines":
stages add up to the population, the people who did a thing and those who did not add up
to the population, …). ``privacy.suppress_linked`` then withholds, in one go for a whole
table (the group and its segments), every count below k and every count that the
published ones would give away.

Tables are published consistently: a table of segments treats the values already
published for their parent group as known (``_protect``), so that no hidden value of
either can be recomputed from the two together. A filter shows a group only when its
table published the group's population: a filter narrow enough to isolate fewer than k
people (or to let them be recomputed) shows nothing.
"""

import statistics
from itertools import compress
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Count, Max, Min, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from bascule.people.models import Person

from .journey import POPULATION_SQL, SEGMENT_COLUMNS, JourneyRules, stage_decide
from .ledger import organisation_timezone
from .models import DailyActivity, EventKind, FactsDay, PersonActivity, PersonFacts, Stage, StageChange
from .privacy import determined_entries, min_group_size, suppress_linked
from .queries import SEGMENT_FIELDS, STAGES, TENURE_BANDS, _segments_of

# Kinds that count as activity: every kind but "informed". Feature usage lists them.
FEATURE_KINDS = tuple(kind for kind in EventKind.values if kind != EventKind.INFORMED)
INTERACTION_KINDS = frozenset({EventKind.REACT, EventKind.COMMENT, EventKind.POST, EventKind.ANSWER, EventKind.MENTION})
TIPPING_BAND = (0.10, 0.15)
REFERENCE_LINES = (0.16, 0.25)
DORMANT_DAYS = 30
TREND_WEEKS = 12
# How long people had been active before going silent: (name, label, up to N days).
DEPTH_BUCKETS = (
    ("week", _("less than a week"), 6),
    ("month", _("1 to 4 weeks"), 27),
    ("quarter", _("1 to 3 months"), 90),
    ("year", _("3 to 12 months"), 364),
    ("more", _("more than a year"), None),
)
# The cockpit's segment fields: those of the report, and spaces (people belong to several).
COCKPIT_FIELDS = (*SEGMENT_FIELDS, "space")


def field_label(name: str):
    return _("space") if name == "space" else SEGMENT_FIELDS[name][0]


# ---------------------------------------------------------------------------------------
# Each person's facts on a day, from the rollups
# ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class Facts:
    """What the cockpit knows of one person on a day (never shown individually)."""

    person_id: int
    stage: Stage
    active_days: int
    active_today: bool
    interactive: bool
    active_year: bool
    used: frozenset  # kinds used in the window
    new_contributor: bool  # first contribution in the previous window
    contributed: bool  # at least one contribution in the window
    depth: str  # disappointment depth bucket ("" unless disappointed)
    attributes: tuple  # SEGMENT_COLUMNS values, for the segments


def _as_date(value):
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def people_facts(day: date, *, rules: JourneyRules | None = None, people: set[int] | None = None) -> dict[int, Facts]:
    """The facts of every person of the population on ``day`` (restricted to ``people``
    when given), in one query over the rollups of the window and of the previous one."""
    rules = rules or JourneyRules.from_settings()
    quote = connection.ops.quote_name
    rollups = quote(DailyActivity._meta.db_table)
    activity = quote(PersonActivity._meta.db_table)
    persons = quote(Person._meta.db_table)
    active = "participation + contribution + promotion > 0"
    window_start = rules.window_start(day)
    previous_start = window_start - timedelta(days=rules.window_days)
    sql = f"""
        SELECT p.id, a.first_active_day, a.last_active_day, fc.first_contribution,
               w.active_days, w.active_today, w.contribution, w.promotion, {", ".join(f"w.k{i}" for i in range(len(FEATURE_KINDS)))},
               {", ".join(f"p.{quote(column)}" for column in SEGMENT_COLUMNS)}
        FROM {persons} p
        LEFT JOIN {activity} a ON a.person_id = p.id
        LEFT JOIN (
            SELECT person_id,
                   SUM(CASE WHEN {active} THEN 1 ELSE 0 END) AS active_days,
                   SUM(CASE WHEN day = %s AND {active} THEN 1 ELSE 0 END) AS active_today,
                   SUM(contribution) AS contribution, SUM(promotion) AS promotion,
                   {", ".join(f"SUM({quote(kind)}) AS k{i}" for i, kind in enumerate(FEATURE_KINDS))}
            FROM {rollups} WHERE day >= %s AND day <= %s GROUP BY person_id
        ) w ON w.person_id = p.id
        LEFT JOIN (
            SELECT person_id, MIN(day) AS first_contribution FROM {rollups}
            WHERE contribution > 0 AND day >= %s AND day <= %s GROUP BY person_id
        ) fc ON fc.person_id = p.id
        WHERE {POPULATION_SQL}
    """
    adapt = connection.ops.adapt_datefield_value
    # First contributions are looked for in the previous window only: "new" means none in
    # the retained rollups before it (see docs/architecture.md, "Adoption cockpit").
    params = [adapt(day), adapt(window_start), adapt(day), adapt(previous_start - timedelta(days=366)), adapt(day),
              adapt(day), adapt(day)]
    year_start = day - timedelta(days=364)
    result: dict[int, Facts] = {}
    width = len(FEATURE_KINDS)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            person_id = row[0]
            if people is not None and person_id not in people:
                continue
            first_active, last_active, first_contribution = (_as_date(v) for v in row[1:4])
            active_days, active_today, contributions, promotions = (int(v or 0) for v in row[4:8])
            kinds = row[8 : 8 + width]
            used = frozenset(compress(FEATURE_KINDS, kinds))
            stage = stage_decide(
                day=day,
                first_active_day=first_active,
                active_days=active_days,
                contributions=contributions,
                promotions=promotions,
                rules=rules,
            )
            depth = ""
            if stage == Stage.DISAPPOINTMENT and first_active and last_active:
                # The last active day before the window (the window has none).
                span = (min(last_active, window_start - timedelta(days=1)) - first_active).days
                depth = next(name for name, _label, upto in DEPTH_BUCKETS if upto is None or span <= upto)
            result[person_id] = Facts(
                person_id=person_id,
                stage=stage,
                active_days=active_days,
                active_today=bool(active_today),
                interactive=not used.isdisjoint(INTERACTION_KINDS),
                active_year=active_days > 0
                or bool(first_active and first_active <= day and last_active and last_active >= year_start),
                used=used,
                new_contributor=bool(first_contribution and previous_start <= first_contribution < window_start),
                contributed=contributions > 0,
                depth=depth,
                attributes=tuple(row[8 + width :]),
            )
    return result


# ---------------------------------------------------------------------------------------
# The same counts, made by the database: one row per group instead of one per person
# ---------------------------------------------------------------------------------------


def _days_between(later: str, earlier: str) -> str:
    """SQL for the number of days from ``earlier`` to ``later`` (two date expressions)."""
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def _smaller_date(first: str, second: str) -> str:
    return f"LEAST({first}, {second})" if connection.vendor == "postgresql" else f"MIN({first}, {second})"


def _anniversary(day: date, years: int) -> date:
    """The day ``years`` years before ``day`` (28 February for a 29 February that the year
    lacks): someone who started on or before it has at least ``years`` years of tenure."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _tenure_sql(day: date) -> tuple[str, list]:
    """SQL for the tenure band of ``f.start_date`` on ``day`` (as ``queries.tenure_band``)."""
    adapt = connection.ops.adapt_datefield_value
    whens, params = [], []
    for name, low, _high in reversed(TENURE_BANDS[1:]):
        whens.append("WHEN f.start_date <= %s THEN %s")
        params += [adapt(_anniversary(day, low)), name]
    return f"CASE WHEN f.start_date IS NULL THEN '' {' '.join(whens)} ELSE %s END", [*params, TENURE_BANDS[0][0]]


def _window_sums_sql(rollups: str) -> str:
    """SQL summing each person's rollups of the window (its parameters: the day, the
    window's first day, the day): active days, active on the day, contributions,
    promotions, and the kinds used as a bit mask (bit i for ``FEATURE_KINDS[i]``).

    PostgreSQL ORs the rows' masks: five small states per person, where eighteen sums of
    kinds made the aggregation of a month of rollups sort on disk; it may also share the
    aggregation between parallel workers. SQLite, without BIT_OR, adds the bits of the
    kinds whose sums are positive."""
    quote = connection.ops.quote_name
    active = "participation + contribution + promotion > 0"
    if connection.vendor == "postgresql":
        mask = " + ".join(f"LEAST({quote(kind)}, 1) * {1 << i}" for i, kind in enumerate(FEATURE_KINDS))
        return f"""
            SELECT person_id, SUM(CASE WHEN {active} THEN 1 ELSE 0 END) AS active_days,
                   MAX(CASE WHEN day = %s AND {active} THEN 1 ELSE 0 END) AS active_today,
                   SUM(contribution) AS contribution, SUM(promotion) AS promotion, BIT_OR({mask}) AS kinds
            FROM {rollups} WHERE day >= %s AND day <= %s GROUP BY person_id"""
    mask = " + ".join(f"(CASE WHEN SUM({quote(kind)}) > 0 THEN {1 << i} ELSE 0 END)" for i, kind in enumerate(FEATURE_KINDS))
    return f"""
            SELECT person_id, SUM(CASE WHEN {active} THEN 1 ELSE 0 END) AS active_days,
                   MAX(CASE WHEN day = %s AND {active} THEN 1 ELSE 0 END) AS active_today,
                   SUM(contribution) AS contribution, SUM(promotion) AS promotion, {mask} AS kinds
            FROM {rollups} WHERE day >= %s AND day <= %s GROUP BY person_id"""


def _materialized(materialized: bool) -> str:
    """The hint for a common table expression: computed once (``MATERIALIZED``) or inlined
    into the query (``NOT MATERIALIZED``). SQLite knows it from 3.35 on (older versions
    decide alone)."""
    if connection.vendor == "sqlite" and connection.Database.sqlite_version_info < (3, 35, 0):
        return ""
    return "MATERIALIZED" if materialized else "NOT MATERIALIZED"


def population_count(day: date) -> int:
    """How many people belong to the population on ``day``."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {connection.ops.quote_name(Person._meta.db_table)} p WHERE {POPULATION_SQL}",
            [connection.ops.adapt_datefield_value(day)] * 2,
        )
        return cursor.fetchone()[0]


def facts_signature(rules: JourneyRules) -> str:
    """What recorded facts depend on besides the rollups: the journey's rules and the
    meaning of the kinds' bits and of the depth buckets. Facts recorded under another
    signature are not read."""
    depth = ",".join(f"{name}:{upto}" for name, _label, upto in DEPTH_BUCKETS)
    return (
        f"window={rules.window_days};contribution={rules.contribution_threshold};"
        f"promotion={rules.promotion_threshold};kinds={','.join(FEATURE_KINDS)};depth={depth}"
    )


def facts_recorded(day: date, rules: JourneyRules) -> bool:
    """Whether the daily task recorded everyone's facts for ``day`` under these rules,
    since when nothing they were decided from has changed."""
    return FactsDay.objects.filter(day=day, signature=facts_signature(rules)).exists()


def _recorded_people_sql(day: date, audience: "Audience") -> tuple[str, list]:
    """``_people_sql``'s table ``f`` read from the facts recorded for ``day``: one row per
    person of the population, no rollup summed. A person without recorded facts had no
    activity at all up to that day (stage information, nothing counted)."""
    quote = connection.ops.quote_name
    adapt = connection.ops.adapt_datefield_value
    persons = quote(Person._meta.db_table)
    facts = quote(PersonFacts._meta.db_table)
    audience_sql, audience_params = _audience_condition(audience)
    flags = ", ".join(
        f"CASE WHEN s.{name} THEN 1 ELSE 0 END AS {alias}"
        for name, alias in (("reach", "reach"), ("today", "today"), ("interactive", "interactive"),
                            ("active_year", "active_year"), ("new", "new"), ("contributed", "contributed"))
    )
    sql = f"""
        WITH f AS {_materialized(False)} (
        SELECT p.id, {", ".join(f"p.{quote(column)}" for column in SEGMENT_COLUMNS)},
               COALESCE(s.stage, '{Stage.INFORMATION}') AS stage, {flags},
               COALESCE(s.kinds, 0) AS kinds, COALESCE(s.depth, '') AS depth
        FROM {persons} p
        LEFT JOIN {facts} s ON s.person_id = p.id AND s.day = %s
        WHERE {POPULATION_SQL}
              {audience_sql}
        )
    """
    return sql, [adapt(day), adapt(day), adapt(day), *audience_params]


def _people_sql(day: date, rules: JourneyRules, audience: "Audience") -> tuple[str, list]:
    """SQL of a common table ``f`` with one row per person of the population on ``day``
    (restricted to the audience): the segment columns and what ``block_counts`` counts —
    the same facts as ``people_facts``, decided by the database (``facts_record`` stores
    them, one row per person and day, from this same SQL).

    The window's rollups are summed per person (plain sums and a mask of the kinds used);
    "new contributor" looks, for the few people who contributed in the previous window
    only, for an earlier contribution through the (person, day) index. The table is
    materialized, so that each person's CASE expressions are evaluated once and not once
    per sum of the outer query."""
    quote = connection.ops.quote_name
    rollups = quote(DailyActivity._meta.db_table)
    activity = quote(PersonActivity._meta.db_table)
    persons = quote(Person._meta.db_table)
    adapt = connection.ops.adapt_datefield_value
    window_start = rules.window_start(day)
    previous_start = window_start - timedelta(days=rules.window_days)
    year_start = day - timedelta(days=364)
    interaction = sum(1 << FEATURE_KINDS.index(kind) for kind in INTERACTION_KINDS)
    span = _days_between(_smaller_date("a.last_active_day", "%s"), "a.first_active_day")
    depth_whens = " ".join(
        f"WHEN {span} <= {int(upto)} THEN '{name}'" for name, _label, upto in DEPTH_BUCKETS if upto is not None
    )
    depth_params = [adapt(window_start - timedelta(days=1))] * (len(DEPTH_BUCKETS) - 1)
    more = next(name for name, _label, upto in DEPTH_BUCKETS if upto is None)
    first = "a.first_active_day"
    contributions, promotions = "COALESCE(w.contribution, 0)", "COALESCE(w.promotion, 0)"
    audience_sql, audience_params = _audience_condition(audience)
    sql = f"""
        WITH f AS {_materialized(True)} (
        SELECT p.id, {", ".join(f"p.{quote(column)}" for column in SEGMENT_COLUMNS)},
               CASE WHEN {first} IS NULL OR {first} > %s THEN '{Stage.INFORMATION}'
                    WHEN COALESCE(w.active_days, 0) = 0 THEN '{Stage.DISAPPOINTMENT}'
                    WHEN {contributions} >= %s AND {promotions} >= %s THEN '{Stage.PROMOTION}'
                    WHEN {contributions} >= %s THEN '{Stage.CONTRIBUTION}'
                    WHEN {first} >= %s THEN '{Stage.DISCOVERY}'
                    ELSE '{Stage.PARTICIPATION}' END AS stage,
               CASE WHEN COALESCE(w.active_days, 0) > 0 THEN 1 ELSE 0 END AS reach,
               COALESCE(w.active_today, 0) AS today,
               CASE WHEN (COALESCE(w.kinds, 0) & {interaction}) <> 0 THEN 1 ELSE 0 END AS interactive,
               CASE WHEN COALESCE(w.active_days, 0) > 0
                      OR ({first} <= %s AND a.last_active_day >= %s) THEN 1 ELSE 0 END AS active_year,
               CASE WHEN p.id IN (
                   SELECT c.person_id FROM (
                       SELECT DISTINCT person_id FROM {rollups} WHERE day >= %s AND day < %s AND contribution > 0
                   ) c
                   -- The latest earlier contribution, looked for backwards from the previous
                   -- window through the (person, day) index: found at once for the regular
                   -- contributors, who are most of them.
                   WHERE (SELECT MAX(r.day) FROM {rollups} r WHERE r.person_id = c.person_id AND r.contribution > 0
                          AND r.day >= %s AND r.day < %s) IS NULL
               ) THEN 1 ELSE 0 END AS new,
               CASE WHEN {contributions} > 0 THEN 1 ELSE 0 END AS contributed,
               CASE WHEN COALESCE(w.active_days, 0) > 0 THEN COALESCE(w.kinds, 0) ELSE 0 END AS kinds,
               CASE WHEN {first} <= %s AND COALESCE(w.active_days, 0) = 0 AND a.last_active_day IS NOT NULL
                    THEN CASE {depth_whens} ELSE '{more}' END
                    ELSE '' END AS depth
        FROM {persons} p
        LEFT JOIN {activity} a ON a.person_id = p.id
        LEFT JOIN ({_window_sums_sql(rollups)}) w ON w.person_id = p.id
        WHERE {POPULATION_SQL}
              {audience_sql}
        )
    """
    threshold_c, threshold_p = rules.contribution_threshold, rules.promotion_threshold
    params = [
        adapt(day), threshold_c, threshold_p, threshold_c, adapt(window_start),  # stage
        adapt(day), adapt(year_start),  # active in the year
        adapt(previous_start), adapt(window_start),  # contributed in the previous window …
        adapt(previous_start - timedelta(days=366)), adapt(previous_start),  # … and not before
        adapt(day), *depth_params,  # disappointment depth
        adapt(day), adapt(window_start), adapt(day),  # the window's sums
        adapt(day), adapt(day), *audience_params,  # population
    ]
    return sql, params


def _audience_condition(audience: "Audience") -> tuple[str, list]:
    """SQL restricting ``p`` to the audience's people (nothing for the organisation)."""
    if audience.people is None:
        return "", []
    if audience.members is not None:
        members_sql, members_params = audience.members.query.sql_with_params()
        return f"AND p.id IN ({members_sql})", list(members_params)
    people = sorted(audience.people)
    if not people:
        return "AND 1 = 0", []
    return f"AND p.id IN ({', '.join(['%s'] * len(people))})", people


def _sums_sql() -> str:
    """The sums of a group of ``f``, in ``_block_from_sums``' order."""
    stages = ", ".join(f"SUM(CASE WHEN f.stage = '{stage}' THEN 1 ELSE 0 END)" for stage in STAGES)
    used = ", ".join(f"SUM(CASE WHEN (f.kinds & {1 << i}) <> 0 THEN 1 ELSE 0 END)" for i in range(len(FEATURE_KINDS)))
    depth = ", ".join(f"SUM(CASE WHEN f.depth = '{name}' THEN 1 ELSE 0 END)" for name, _label, _upto in DEPTH_BUCKETS)
    return (
        f"COUNT(*), {stages}, SUM(f.reach), SUM(f.interactive), "
        "SUM(CASE WHEN f.reach = 1 AND f.today = 1 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN f.reach = 0 AND f.active_year = 1 THEN 1 ELSE 0 END), "
        f"SUM(f.new), SUM(CASE WHEN f.new = 1 AND f.contributed = 1 THEN 1 ELSE 0 END), {used}, {depth}"
    )


def _block_from_sums(row) -> list[int]:
    """A group's counts (``BLOCK_NAMES`` order) from the sums of ``_sums_sql``."""
    values = iter(int(value or 0) for value in row)
    counts = {"population": next(values)}
    for stage in STAGES:
        counts[stage] = next(values)
    for name in ("reach", "interactive", "dau", "year_not_month", "new", "again"):
        counts[name] = next(values)
    for kind in FEATURE_KINDS:
        counts[f"used_{kind}"] = next(values)
        counts[f"unused_{kind}"] = counts["reach"] - counts[f"used_{kind}"]
    for name, _label, _upto in DEPTH_BUCKETS:
        counts[f"depth_{name}"] = next(values)
    population, reach = counts["population"], counts["reach"]
    counts["contributors"] = counts[Stage.CONTRIBUTION] + counts[Stage.PROMOTION]
    counts["not_contributors"] = population - counts["contributors"]
    counts["not_reach"] = population - reach
    counts["not_interactive"] = population - counts["interactive"]
    counts["reach_not_dau"] = reach - counts["dau"]
    counts["not_year"] = population - reach - counts["year_not_month"]
    counts["not_new"] = population - counts["new"]
    counts["not_again"] = counts["new"] - counts["again"]
    return [counts[name] for name in BLOCK_NAMES]


def _segment_key_sql(field_name: str, day: date, audience: "Audience") -> tuple[str, str, list]:
    """(join, key expression, parameters) grouping the people ``f`` by a segment field."""
    quote = connection.ops.quote_name
    if field_name == "space":
        from bascule.network.models import Membership, MembershipStatus

        spaces = sorted(audience.spaces)
        join = (
            f"JOIN {quote(Membership._meta.db_table)} m ON m.person_id = f.id AND m.status = %s "
            f"AND m.space_id IN ({', '.join(['%s'] * len(spaces))})"
        )
        return join, "m.space_id", [MembershipStatus.ACTIVE, *spaces]
    if field_name == "language":
        through = quote(Person.languages.through._meta.db_table)
        return f"LEFT JOIN {through} pl ON pl.person_id = f.id", "pl.language_id", []
    if field_name == "tenure":
        sql, params = _tenure_sql(day)
        return "", sql, params
    return "", f"f.{quote(SEGMENT_FIELDS[field_name][2])}", []


def _segment_names(field_name: str, audience: "Audience") -> dict:
    """Segment key → segment name (one query for the units' names)."""
    if field_name == "space":
        return dict(audience.spaces)
    if field_name == "tenure":
        return {name: name for name, _low, _high in TENURE_BANDS} | {"": ""}
    model = SEGMENT_FIELDS[field_name][1]
    return dict(model.objects.values_list("pk", "name"))


def _segment_condition(field_name: str, value: str, day: date, audience: "Audience") -> tuple[str, list]:
    """SQL keeping the people ``f`` of the segment ``field_name = value``."""
    quote = connection.ops.quote_name
    if field_name == "space":
        from bascule.network.models import Membership, MembershipStatus

        spaces = sorted(pk for pk, name in audience.spaces.items() if name == value) or [None]
        return (
            f"EXISTS (SELECT 1 FROM {quote(Membership._meta.db_table)} m WHERE m.person_id = f.id AND m.status = %s "
            f"AND m.space_id IN ({', '.join(['%s'] * len(spaces))}))",
            [MembershipStatus.ACTIVE, *spaces],
        )
    if field_name == "language":
        from bascule.people.models import Language

        through = quote(Person.languages.through._meta.db_table)
        if value == "":
            return f"NOT EXISTS (SELECT 1 FROM {through} pl WHERE pl.person_id = f.id)", []
        return (
            f"EXISTS (SELECT 1 FROM {through} pl JOIN {quote(Language._meta.db_table)} l ON l.id = pl.language_id "
            f"WHERE pl.person_id = f.id AND l.name = %s)",
            [value],
        )
    if field_name == "tenure":
        sql, params = _tenure_sql(day)
        return f"{sql} = %s", [*params, value]
    column = f"f.{quote(SEGMENT_FIELDS[field_name][2])}"
    model = SEGMENT_FIELDS[field_name][1]
    named = f"{column} IN (SELECT id FROM {quote(model._meta.db_table)} WHERE name = %s)"
    return (f"({column} IS NULL OR {named})", [value]) if value == "" else (named, [value])


def counts_by_segment(
    *, day: date, rules: JourneyRules, audience: "Audience", field_name: str | None = None,
    within: tuple[str, str] | None = None, recorded: bool | None = None,
) -> dict:
    """The counts (``BLOCK_NAMES`` order) of the audience's people on ``day``, as one
    block (``field_name`` None) or by segment name, restricted to the segment ``within``
    = (field, value) when given: one query, whatever the number of people. The counts
    equal ``block_counts`` over ``people_facts`` (the tests compare them). They are read
    from the facts recorded for the day when there are some (``recorded``: whether there
    are, when the caller already asked ``facts_recorded``), else from the rollups."""
    if field_name == "space" and not audience.spaces:
        return {}
    if recorded is None:
        recorded = facts_recorded(day, rules)
    if recorded:
        people_sql, params = _recorded_people_sql(day, audience)
    else:
        people_sql, params = _people_sql(day, rules, audience)
    join, key, where, tail = "", "0", "", []
    if field_name is not None:
        join, key, key_params = _segment_key_sql(field_name, day, audience)
        tail = key_params
    if within is not None:
        condition, condition_params = _segment_condition(*within, day, audience)
        where = f"WHERE {condition}"
    else:
        condition_params = []
    sql = f"{people_sql} SELECT {key}, {_sums_sql()} FROM f {join} {where}"
    # Parameters in the order of their placeholders: the people's, the key's (select
    # list) or the join's, the condition's.
    params = [*params, *tail, *condition_params]
    if field_name is not None:
        sql += " GROUP BY 1"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if field_name is None:
        return {None: _block_from_sums(rows[0][1:])}
    names = _segment_names(field_name, audience)
    result: dict[str, list[int]] = {}
    for row in rows:
        name = names.get(row[0], "") if row[0] is not None else ""
        if field_name == "space" and row[0] not in names:
            continue
        block = _block_from_sums(row[1:])
        result[name] = [a + b for a, b in zip(result[name], block)] if name in result else block
    return result


# ---------------------------------------------------------------------------------------
# Blocks of counts and their privacy
# ---------------------------------------------------------------------------------------


def _block_layout() -> tuple[list[str], list[list[str]]]:
    """The names of a group's counts and the additions linking them (last = the sum)."""
    names = [*STAGES, "population", "contributors", "not_contributors", "reach", "not_reach", "interactive", "not_interactive",
             "dau", "reach_not_dau", "year_not_month", "not_year", "new", "not_new", "again", "not_again"]
    lines = [
        [*STAGES, "population"],
        [Stage.CONTRIBUTION, Stage.PROMOTION, "contributors"],
        # The tipping point is a share: the people it leaves out are a group too.
        ["contributors", "not_contributors", "population"],
        ["reach", "not_reach", "population"],
        ["interactive", "not_interactive", "population"],
        ["dau", "reach_not_dau", "reach"],
        ["year_not_month", "not_year", "not_reach"],
        ["new", "not_new", "population"],
        ["again", "not_again", "new"],
    ]
    for kind in FEATURE_KINDS:
        names += [f"used_{kind}", f"unused_{kind}"]
        lines.append([f"used_{kind}", f"unused_{kind}", "reach"])
    depth = [f"depth_{name}" for name, _label, _upto in DEPTH_BUCKETS]
    names += depth
    lines.append([*depth, Stage.DISAPPOINTMENT])
    return names, lines


BLOCK_NAMES, BLOCK_LINES = _block_layout()
BLOCK_INDEX = {name: index for index, name in enumerate(BLOCK_NAMES)}
WIDTH = len(BLOCK_NAMES)


def block_counts(facts: list[Facts]) -> list[int]:
    """The counts of a group (``BLOCK_NAMES`` order)."""
    counts = dict.fromkeys(BLOCK_NAMES, 0)
    for fact in facts:
        counts[fact.stage] += 1
        counts["population"] += 1
        reach = fact.active_days > 0
        counts["reach" if reach else "not_reach"] += 1
        counts["interactive" if fact.interactive else "not_interactive"] += 1
        if reach:
            counts["dau" if fact.active_today else "reach_not_dau"] += 1
            for kind in FEATURE_KINDS:
                counts[f"used_{kind}" if kind in fact.used else f"unused_{kind}"] += 1
        if not reach:
            counts["year_not_month" if fact.active_year else "not_year"] += 1
        if fact.new_contributor:
            counts["new"] += 1
            counts["again" if fact.contributed else "not_again"] += 1
        else:
            counts["not_new"] += 1
        if fact.depth:
            counts[f"depth_{fact.depth}"] += 1
    counts["contributors"] = counts[Stage.CONTRIBUTION] + counts[Stage.PROMOTION]
    counts["not_contributors"] = counts["population"] - counts["contributors"]
    return [counts[name] for name in BLOCK_NAMES]


_HUGE = 1 << 60
_HEADLINE = {*STAGES, "population", "contributors", "not_contributors", "reach", "not_reach", "interactive", "not_interactive"}
_BONUS = [(_HUGE >> 2) if name in _HEADLINE else 0 for name in BLOCK_NAMES]


CORE = [*STAGES, "population", "contributors", "not_contributors"]


def _protect(
    blocks: list[list[int]], *, columns: list[str], known: dict[tuple[int, str], int | None], partition: bool, k: int
) -> list[dict[str, int | None]]:
    """Withhold the counts ``columns`` of ``blocks`` (the first is the parent group, the
    others its segments) so that no count below k, and none recoverable, is published.

    ``known``: values already published (or withheld) by another table, by (block,
    name): they stay as they are, and the other values are hidden around them. With
    ``partition`` the segments add up to the parent (not for languages or spaces, where
    a person counts in several segments).
    """
    width = len(columns)
    at = {name: j for j, name in enumerate(columns)}
    values = [block[BLOCK_INDEX[name]] for block in blocks for name in columns]
    lines = [
        [b * width + at[name] for name in line]
        for b in range(len(blocks))
        for line in BLOCK_LINES
        if all(name in at for name in line)
    ]
    if partition and len(blocks) > 1:
        lines += [[b * width + j for b in range(1, len(blocks))] + [j] for j in range(width)]
    # Counts below k are hidden (zeros included: "nobody" describes the rest), except
    # that nobody used a feature, which is what feature usage is for (it describes no one).
    published_zero = {b * width + at[f"used_{kind}"] for b in range(len(blocks)) for kind in FEATURE_KINDS if f"used_{kind}" in at}
    forced: set[int] = {i for i, value in enumerate(values) if value < k and not (value == 0 and i in published_zero)}
    for b, block in enumerate(blocks):
        if block[BLOCK_INDEX["population"]] < k:
            forced |= set(range(b * width, (b + 1) * width))
    fixed: set[int] = set()
    for (b, name), value in known.items():
        index = b * width + at[name]
        if value is None:
            forced.add(index)
        else:
            forced.discard(index)
            fixed.add(index)
    # The values suppress_linked compares to choose complements: the headline figures
    # weigh more, so that details are hidden first; known values are never chosen.
    trial = [value if value == 0 else value + _BONUS[BLOCK_INDEX[columns[i % width]]] for i, value in enumerate(values)]
    for i in published_zero:
        if values[i] == 0 and i not in forced:
            trial[i] = _HUGE >> 1
    for i in fixed:
        trial[i] = _HUGE
    while True:
        shown = suppress_linked(trial, lines, k=k, forced=sorted(forced))
        hidden = [i for i, value in enumerate(shown) if value is None and i not in fixed]
        given_away = determined_entries(hidden, lines)
        if not given_away:
            break
        # A known value chosen as a complement is published anyway: what it gives away
        # is hidden from the start, and complements are chosen again.
        forced |= given_away
    return [
        {name: (values[b * width + j] if shown[b * width + j] is not None or b * width + j in fixed else None)
         for j, name in enumerate(columns)}
        for b in range(len(blocks))
    ]


# ---------------------------------------------------------------------------------------
# What the pages show
# ---------------------------------------------------------------------------------------


def _ratio(part, whole):
    if part is None or whole in (None, 0):
        return None
    return round(part / whole, 4)


@dataclass
class GroupMetrics:
    """The published metrics of one group; None where withheld for privacy."""

    name: str
    values: dict[str, int | None]
    counts: list[int] = field(default_factory=list, repr=False)  # unpublished: for the next table only
    detailed: bool = False

    def get(self, name):
        return self.values.get(name)

    @property
    def shown(self) -> bool:
        return self.get("population") is not None

    @property
    def population(self):
        return self.get("population")

    @property
    def stages(self) -> dict[str, int | None]:
        return {stage: self.get(stage) for stage in STAGES}

    def stage_rows(self) -> list[dict]:
        population = self.population
        return [
            {"stage": stage, "label": Stage(stage).label, "count": self.get(stage), "share": _ratio(self.get(stage), population)}
            for stage in STAGES
        ]

    @property
    def contributors(self):
        return self.get("contributors")

    @property
    def tipping_point(self):
        return _ratio(self.get("contributors"), self.population)

    @property
    def tipping_status(self) -> str:
        """"below", "band" (10–15 %), "above" or "" when withheld."""
        point = self.tipping_point
        if point is None:
            return ""
        if point < TIPPING_BAND[0]:
            return "below"
        return "band" if point <= TIPPING_BAND[1] else "above"

    @property
    def reach(self):
        return _ratio(self.get("reach"), self.population)

    @property
    def interactive(self):
        return _ratio(self.get("interactive"), self.population)

    @property
    def dau_mau(self):
        return _ratio(self.get("dau"), self.get("reach"))

    @property
    def year(self):
        """People active at least once in the 12 months ending on the day."""
        reach, rest = self.get("reach"), self.get("year_not_month")
        return None if reach is None or rest is None else reach + rest

    @property
    def health(self):
        return _ratio(self.get("reach"), self.year)

    @property
    def retention(self):
        return _ratio(self.get("again"), self.get("new"))

    def indicators(self) -> list[dict]:
        """The headline figures: (key, label, value as a share, the counts behind)."""
        return [
            {"key": "reach", "label": _("Reach"), "share": self.reach, "count": self.get("reach"), "of": self.population,
             "help": _("People active at least once in the window, out of the population.")},
            {"key": "interactive", "label": _("Interactive people"), "share": self.interactive,
             "count": self.get("interactive"), "of": self.population,
             "help": _("People who reacted, commented, posted, answered or mentioned someone in the window.")},
            {"key": "contributors", "label": _("Contributors"), "share": self.tipping_point,
             "count": self.contributors, "of": self.population,
             "help": _("People in contribution or promotion: the tipping point.")},
            {"key": "dau_mau", "label": _("DAU/MAU"), "share": self.dau_mau, "count": self.get("dau"),
             "of": self.get("reach"), "help": _("People active on the day, out of those active in the window.")},
            {"key": "health", "label": _("Health index"), "share": self.health, "count": self.get("reach"),
             "of": self.year, "help": _("People active in the window, out of those active at least once in 12 months.")},
            {"key": "retention", "label": _("New contributors who contribute again"), "share": self.retention,
             "count": self.get("again"), "of": self.get("new"),
             "help": _("People whose first contribution fell in the previous window, and who contributed again in this one.")},
        ]

    def features(self) -> list[dict]:
        reach = self.get("reach")
        rows = [
            {"kind": kind, "label": EventKind(kind).label, "count": self.get(f"used_{kind}"),
             "share": _ratio(self.get(f"used_{kind}"), reach)}
            for kind in FEATURE_KINDS
        ]
        return sorted(rows, key=lambda row: (row["share"] is None, -(row["share"] or 0), str(row["label"])))

    def depth_rows(self) -> list[dict]:
        disappointed = self.get(Stage.DISAPPOINTMENT)
        return [
            {"bucket": name, "label": label, "count": self.get(f"depth_{name}"),
             "share": _ratio(self.get(f"depth_{name}"), disappointed)}
            for name, label, _upto in DEPTH_BUCKETS
        ]


@dataclass
class Audience:
    """Whose figures a viewer sees: everyone (``people`` None), a scope or a space."""

    kind: str  # "organisation", "scope" or "space"
    label: str
    people: set[int] | None = None
    # The same people as a query of their ids, for the database to restrict its counts
    # (None: the ids of ``people`` are listed in the SQL).
    members: object = None
    space_id: int | None = None
    # Spaces whose names may be shown (visible to the viewer) for the space segment.
    spaces: dict[int, str] = field(default_factory=dict)


def _segment_values(field_name: str, facts: dict[int, Facts], day: date, audience: Audience) -> dict[int, list[str]]:
    if field_name == "space":
        from bascule.network.models import Membership, MembershipStatus

        result: dict[int, list[str]] = {person_id: [] for person_id in facts}
        memberships = Membership.objects.filter(status=MembershipStatus.ACTIVE, space_id__in=list(audience.spaces))
        for person_id, space_id in memberships.values_list("person_id", "space_id"):
            if person_id in result:
                result[person_id].append(audience.spaces[space_id])
        return result
    return _segments_of(field_name, facts, day)


def _order(field_name: str, names) -> list[str]:
    if field_name == "tenure":
        order = {name: index for index, (name, _low, _high) in enumerate(TENURE_BANDS)}
        return sorted(names, key=lambda name: order.get(name, len(order)))
    return sorted(names, key=lambda name: (name == "", name.casefold()))


@dataclass
class Cockpit:
    """The cockpit of one audience on one day: the group, and its tables of segments.

    Two passes per table: the core figures (stages, population, reach, interactive
    people) for every segment, then, on demand, the details (DAU, health, features, new
    contributors, disappointment depth) with the core figures as known values. The
    counts come from the database, one query per table (``counts_by_segment``)."""

    day: date
    audience: Audience
    rules: JourneyRules
    k: int
    whole: GroupMetrics
    _tables: dict = field(default_factory=dict)
    _facts: dict | None = None
    # Counts by segment already read (by cockpit_build), by field.
    _counts: dict = field(default_factory=dict)
    # Whether facts were recorded for the day (asked once for all the cockpit's tables).
    recorded: bool | None = None

    @property
    def facts(self) -> dict[int, Facts]:
        """Each person's facts (one query and one Python object per person: for checks
        and tests, not for the pages, which count in the database)."""
        if self._facts is None:
            self._facts = people_facts(self.day, rules=self.rules, people=self.audience.people)
        return self._facts

    def table(self, field_name: str) -> list[GroupMetrics]:
        """The segments of ``field_name`` (the audience's people grouped), published
        consistently with the whole group's figures (core figures only)."""
        if field_name not in self._tables:
            self._tables[field_name] = self._segment_table(field_name, parent=self.whole)
        return self._tables[field_name]

    def _segment_table(self, field_name, *, parent: GroupMetrics, within=None) -> list[GroupMetrics]:
        if within is None and field_name in self._counts:
            groups = self._counts.pop(field_name)
        else:
            groups = counts_by_segment(day=self.day, rules=self.rules, audience=self.audience, field_name=field_name,
                                       within=within, recorded=self.recorded)
        names = _order(field_name, groups)
        blocks = [parent.counts] + [groups[name] for name in names]
        known = {(0, name): parent.get(name) for name in CORE}
        protected = _protect(blocks, columns=CORE, known=known, partition=_partition(field_name), k=self.k)
        return [
            GroupMetrics(name=name, values=values, counts=block)
            for name, values, block in zip(names, protected[1:], blocks[1:])
        ]

    def segment(self, field_name: str, value: str, *, detailed: bool = False) -> GroupMetrics | None:
        """The published figures of one segment, or None when it does not exist."""
        table = self.table(field_name)
        group = next((group for group in table if group.name == value), None)
        if group is not None and detailed and not group.detailed:
            blocks = [self.whole.counts] + [g.counts for g in table]
            known = {(0, name): self.whole.get(name) for name in BLOCK_NAMES}
            for b, g in enumerate(table, start=1):
                known |= {(b, name): g.get(name) for name in CORE}
            protected = _protect(blocks, columns=BLOCK_NAMES, known=known, partition=_partition(field_name), k=self.k)
            for g, values in zip(table, protected[1:]):
                g.values, g.detailed = values, True
        return group

    def drill(self, field_name: str, value: str, by: str) -> list[GroupMetrics]:
        """The segment ``field_name = value`` broken down by ``by``: one level deeper,
        published consistently with the segment's own figures. Empty when the segment is
        withheld (a filter that isolates too few people shows nothing)."""
        parent = self.segment(field_name, value)
        if parent is None or not parent.shown or by == field_name:
            return []
        return self._segment_table(by, parent=parent, within=(field_name, value))


def _partition(field_name: str) -> bool:
    """Whether a field's segments add up to the whole (a person speaks several
    languages and belongs to several spaces; and some people to none)."""
    return field_name not in ("language", "space")


def cockpit_build(
    *, day: date, audience: Audience, rules: JourneyRules | None = None, field_name: str | None = None
) -> Cockpit:
    """The cockpit of ``audience`` on ``day``. With ``field_name`` (the segment table or
    filter the page will show), its counts by segment are read in the same query: for a
    field whose segments add up to the whole, the whole group is their sum, so the page
    costs one pass over the rollups instead of two."""
    rules = rules or JourneyRules.from_settings()
    k = min_group_size()
    recorded = facts_recorded(day, rules)
    prefetched = {}
    if field_name is not None and _partition(field_name):
        groups = counts_by_segment(day=day, rules=rules, audience=audience, field_name=field_name, recorded=recorded)
        counts = [sum(column) for column in zip(*groups.values())] if groups else [0] * WIDTH
        prefetched[field_name] = groups
    else:
        counts = counts_by_segment(day=day, rules=rules, audience=audience, recorded=recorded)[None]
    core = _protect([counts], columns=CORE, known={}, partition=False, k=k)[0]
    values = _protect([counts], columns=BLOCK_NAMES, known={(0, name): core[name] for name in CORE}, partition=False, k=k)[0]
    whole = GroupMetrics(name="", values=values, counts=counts, detailed=True)
    return Cockpit(day=day, audience=audience, rules=rules, k=k, whole=whole, _counts=prefetched, recorded=recorded)


# ---------------------------------------------------------------------------------------
# Week by week, from the stage history
# ---------------------------------------------------------------------------------------


def trend_days(day: date, weeks: int = TREND_WEEKS) -> list[date]:
    """The days of the weekly trend: ``day`` and the same weekday of the weeks before."""
    return [day - timedelta(days=7 * n) for n in range(weeks - 1, -1, -1)]


def stage_trend(*, day: date, audience: Audience, cockpit: Cockpit | None = None, weeks: int = TREND_WEEKS) -> list[dict]:
    """People per stage and the tipping point week by week, ending on ``day``.

    Past weeks are read from the stage history (StageChange: each person's last recorded
    stage on or before that day; a week before the history begins has no figures), all
    of them in one query; the last point is ``cockpit``'s own figures. Each point is
    withheld like any group."""
    k = min_group_size()
    first_recorded = StageChange.objects.aggregate(first=Min("day"))["first"]
    days = trend_days(day, weeks)
    recorded = [
        point for point in days
        if not (cockpit is not None and point == day) and first_recorded is not None and point >= first_recorded
    ]
    counts_by_day = _stage_counts_on(recorded, audience)
    points = []
    for point in days:
        if cockpit is not None and point == day:
            points.append({"day": point, "group": cockpit.whole})
            continue
        if point not in recorded:
            points.append({"day": point, "group": None})
            continue
        counts = counts_by_day.get(point, {})
        population = sum(counts.values())
        values = [counts.get(stage, 0) for stage in STAGES] + [population]
        width = len(STAGES)
        lines = [
            list(range(width + 1)),
            [STAGES.index(Stage.CONTRIBUTION), STAGES.index(Stage.PROMOTION), width + 1],
            [width + 1, width + 2, width],
        ]
        contributors = counts.get(Stage.CONTRIBUTION, 0) + counts.get(Stage.PROMOTION, 0)
        values += [contributors, population - contributors]
        forced = range(len(values)) if population < k else ()
        shown = suppress_linked(values, lines, k=k, forced=list(forced))
        group_values = dict(zip(STAGES, shown))
        group_values["population"] = shown[len(STAGES)]
        group_values["contributors"] = shown[len(STAGES) + 1]
        points.append({"day": point, "group": GroupMetrics(name=point.isoformat(), values=group_values)})
    return points


def _stage_counts_on(days: list[date], audience: Audience) -> dict[date, dict[str, int]]:
    """People per recorded stage on each of ``days`` (the population of that day, in the
    audience), in one query.

    Each stage change holds from its day until the person's next change (``LEAD``), and
    counts on a day when the person is also in the population then (started on or before
    it, not departed): an interval of days. The database turns each interval into the
    range of ``days`` it covers (how many of ``days`` come before its start and before
    its end) and counts the changes per stage and range: a few hundred rows, which Python
    spreads over the days."""
    if not days:
        return {}
    days = sorted(days)
    quote = connection.ops.quote_name
    adapt = connection.ops.adapt_datefield_value
    changes = quote(StageChange._meta.db_table)
    persons = quote(Person._meta.db_table)
    audience_sql, audience_params = _audience_condition(audience)

    def before(expression: str) -> str:
        # How many of ``days`` come before the date ``expression`` (all of them for none).
        terms = " + ".join(f"CASE WHEN {expression} > %s THEN 1 ELSE 0 END" for _ in days)
        return f"CASE WHEN {expression} IS NULL THEN {len(days)} ELSE {terms} END"

    # The interval: from the later of the change and the start date, to the earlier of
    # the next change and the departure (none: open).
    start = "CASE WHEN p.start_date IS NOT NULL AND p.start_date > c.day THEN p.start_date ELSE c.day END"
    following = "LEAD(c.day) OVER (PARTITION BY c.person_id ORDER BY c.day)"
    end = (f"CASE WHEN p.departed_on IS NULL THEN {following} WHEN {following} IS NULL OR p.departed_on < {following} "
           f"THEN p.departed_on ELSE {following} END")
    sql = f"""
        SELECT stage, {before("spans.first_day")}, {before("spans.end_day")}, COUNT(*)
        FROM (
            SELECT c.stage, {start} AS first_day, {end} AS end_day
            FROM {changes} c JOIN {persons} p ON p.id = c.person_id
            WHERE c.day <= %s {audience_sql}
        ) spans
        GROUP BY 1, 2, 3
    """
    adapted = [adapt(point) for point in days]
    params = [*adapted, *adapted, adapt(days[-1]), *audience_params]
    result: dict[date, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for stage, first_index, end_index, count in cursor.fetchall():
            for point in days[first_index:end_index]:  # nothing when the interval covers no day
                counts = result.setdefault(point, {})
                counts[stage] = counts.get(stage, 0) + count
    return result


def models_subquery(queryset):
    from django.db.models import Subquery

    return Subquery(queryset)


# ---------------------------------------------------------------------------------------
# Questions and spaces (content, not people: read from the network's tables)
# ---------------------------------------------------------------------------------------


def _day_bounds(day: date, days: int) -> tuple[datetime, datetime]:
    zone = organisation_timezone()
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
    return end - timedelta(days=days), end


def questions_metrics(*, day: date, posts, window_days: int) -> dict:
    """Questions asked in the window among ``posts`` (a queryset the viewer may see):
    how many, the share answered within the expected delay, the median hours to the first
    answer by someone other than the asker, and the overdue ones on ``day``. Withheld
    when fewer than k people asked."""
    from bascule.network.models import Comment, PostKind

    k = min_group_size()
    start, end = _day_bounds(day, window_days)
    first_answer = (
        Comment.objects.filter(post=OuterRef("pk"), deleted_at__isnull=True, created_at__lt=end)
        .exclude(author=OuterRef("author"))
        .order_by("created_at")
        .values("created_at")[:1]
    )
    rows = list(
        posts.filter(kind=PostKind.QUESTION, deleted_at__isnull=True, created_at__gte=start, created_at__lt=end)
        .annotate(first_answer=models_subquery(first_answer))
        .values_list("author_id", "created_at", "due_at", "first_answer")
    )
    askers = len({row[0] for row in rows})
    result = {"questions": len(rows), "askers": askers, "shown": askers >= k and len(rows) >= k,
              "within_delay": None, "median_hours": None, "overdue": None, "unanswered": None}
    if not result["shown"]:
        result["questions"] = None
        return result
    within = sum(1 for _a, _c, due, answered in rows if answered and (due is None or answered <= due))
    hours = [(answered - created).total_seconds() / 3600 for _a, created, _d, answered in rows if answered]
    # Overdue on the day: asked in the last year, due before the end of the day, and no
    # one but the asker has answered yet.
    overdue = (
        posts.filter(kind=PostKind.QUESTION, deleted_at__isnull=True, due_at__lt=end,
                     created_at__gte=end - timedelta(days=365))
        .annotate(first_answer=models_subquery(first_answer))
        .filter(first_answer__isnull=True)
        .count()
    )
    result |= dict(
        within_delay=_ratio(within, len(rows)),
        median_hours=round(statistics.median(hours), 1) if hours else None,
        overdue=overdue,
        unanswered=sum(1 for row in rows if row[3] is None),
    )
    return result


def spaces_metrics(*, day: date, spaces) -> list[dict]:
    """For each space of ``spaces`` (those the viewer may see): active members (withheld
    below k), posts in the last 30 days, the last post, active or dormant."""
    from bascule.network.models import MembershipStatus

    k = min_group_size()
    start, end = _day_bounds(day, DORMANT_DAYS)
    rows = (
        spaces.filter(created_at__lt=end)
        .annotate(
            members=Count("memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE), distinct=True),
            recent=Count("posts", filter=Q(posts__deleted_at__isnull=True, posts__created_at__gte=start, posts__created_at__lt=end), distinct=True),
            last_post=Max("posts__created_at", filter=Q(posts__deleted_at__isnull=True, posts__created_at__lt=end)),
        )
        .order_by("name")
        .values("id", "name", "slug", "kind", "archived_at", "members", "recent", "last_post")
    )
    result = []
    for row in rows:
        row = dict(row)
        row["dormant"] = row["recent"] == 0
        row["members"] = row["members"] if row["members"] >= k else None
        result.append(row)
    return result


# ---------------------------------------------------------------------------------------
# Whose figures a viewer sees
# ---------------------------------------------------------------------------------------


def viewer_audience(person) -> Audience:
    """The organisation for an analytics viewer without a scope; otherwise the people of
    their scopes (several assignments: everyone in any of them). The space segment lists
    the spaces the viewer may know of."""
    from bascule import access
    from bascule.programs.models import RoleKind
    from bascule.programs.queries import _scope_filter, roles_for, scope_of

    spaces = dict(access.visible_spaces(person).values_list("pk", "name"))
    scopes = [scope_of(assignment) for assignment in roles_for(person, RoleKind.ANALYTICS_VIEWER)]
    if not scopes or any(not scope for scope in scopes):
        return Audience(kind="organisation", label=str(_("the whole organisation")), spaces=spaces)
    condition = Q(pk__in=[])
    for scope in scopes:
        condition |= _scope_filter(scope)
    members = Person.objects.filter(condition).values("pk")
    people = set(members.values_list("pk", flat=True))
    return Audience(kind="scope", label=str(_("your scope")), people=people, members=members, spaces=spaces)


def space_audience(space) -> Audience:
    """The active members of ``space``."""
    from bascule.network.models import Membership, MembershipStatus

    members = Membership.objects.filter(space=space, status=MembershipStatus.ACTIVE).values("person_id")
    people = set(members.values_list("person_id", flat=True))
    return Audience(kind="space", label=space.name, people=people, members=members, space_id=space.pk,
                    spaces={space.pk: space.name})


def managed_spaces(person):
    """The spaces ``person`` manages (whose cockpit they may read), by name."""
    from bascule import access
    from bascule.network.models import MANAGING_ROLES, MembershipStatus

    return (
        access.visible_spaces(person)
        .filter(memberships__person=person, memberships__status=MembershipStatus.ACTIVE,
                memberships__role__in=MANAGING_ROLES)
        .order_by("name")
        .distinct()
    )
