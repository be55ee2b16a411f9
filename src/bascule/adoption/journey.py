"""The engagement journey (DESIGN.md): each person's stage on a day, with the facts
that decided it.

Everything here reads the rollups (DailyActivity) and the per-person summary
(PersonActivity), never the raw events: the stage of everyone on a day is one SQL query
that sums the window's rollups per person, whatever the number of events.
"""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.conf import settings
from django.db import connection
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import CONTRIBUTION_KINDS, PROMOTION_KINDS, DailyActivity, EventKind, PersonActivity, Stage

# In the order the sentences list them.
_CONTRIBUTION_ORDER = (EventKind.POST, EventKind.COMMENT, EventKind.ANSWER)
_PROMOTION_ORDER = (EventKind.SHARE, EventKind.INVITE, EventKind.MENTION, EventKind.RECOGNIZE, EventKind.ACCOMPANY)
assert set(_CONTRIBUTION_ORDER) == CONTRIBUTION_KINDS and set(_PROMOTION_ORDER) == PROMOTION_KINDS
_FACT_KINDS = tuple(str(kind) for kind in _CONTRIBUTION_ORDER + _PROMOTION_ORDER)

# Person attributes that segments group by, read with the stages in the same query.
SEGMENT_COLUMNS = ("department_id", "business_unit_id", "legal_entity_id", "country_id", "site_id", "start_date")


@dataclass(frozen=True)
class JourneyRules:
    """The settings of the journey: window length and the two thresholds."""

    window_days: int
    contribution_threshold: int
    promotion_threshold: int

    @classmethod
    def from_settings(cls) -> "JourneyRules":
        return cls(
            window_days=settings.BASCULE_JOURNEY_WINDOW_DAYS,
            contribution_threshold=settings.BASCULE_CONTRIBUTION_THRESHOLD,
            promotion_threshold=settings.BASCULE_PROMOTION_THRESHOLD,
        )

    def window_start(self, day: date) -> date:
        return day - timedelta(days=self.window_days - 1)


def stage_decide(
    *,
    day: date,
    first_active_day: date | None,
    active_days: int,
    contributions: int,
    promotions: int,
    rules: JourneyRules,
) -> Stage:
    """The DESIGN.md rules, first match wins. ``active_days``, ``contributions`` and
    ``promotions`` are counted in the window ending on ``day``."""
    if first_active_day is None or first_active_day > day:
        return Stage.INFORMATION
    if active_days == 0:
        return Stage.DISAPPOINTMENT
    if contributions >= rules.contribution_threshold and promotions >= rules.promotion_threshold:
        return Stage.PROMOTION
    if contributions >= rules.contribution_threshold:
        return Stage.CONTRIBUTION
    if first_active_day >= rules.window_start(day):
        return Stage.DISCOVERY
    return Stage.PARTICIPATION


@dataclass(frozen=True)
class JourneyStage:
    """A person's stage on a day and the facts that decided it."""

    person_id: int
    day: date
    stage: Stage
    window_days: int
    first_active_day: date | None
    active_days: int
    contributions: int
    promotions: int
    # Contribution and promotion events in the window, by kind (zeros left out).
    by_kind: dict[str, int] = field(default_factory=dict)
    # Last active day on or before ``day``: only looked up for one person's journey.
    last_active_day: date | None = None
    # Person attributes for segments (SEGMENT_COLUMNS), when read for everyone.
    attributes: tuple = ()

    @property
    def facts(self) -> dict:
        """The facts as data, for exports and the API."""
        return {
            "window_days": self.window_days,
            "first_active_day": self.first_active_day.isoformat() if self.first_active_day else None,
            "last_active_day": self.last_active_day.isoformat() if self.last_active_day else None,
            "active_days": self.active_days,
            "contributions": self.contributions,
            "promotions": self.promotions,
            "by_kind": dict(self.by_kind),
        }

    def sentence(self) -> str:
        """The facts in one translated sentence: "3 comments and 2 shares in the last 28 days"."""
        days = self.window_days
        if self.stage == Stage.INFORMATION:
            return _("No activity yet.")
        if self.stage == Stage.DISAPPOINTMENT:
            if self.last_active_day:
                return _("No activity in the last %(days)d days; last active on %(date)s.") % {
                    "days": days,
                    "date": date_format(self.last_active_day),
                }
            return _("No activity in the last %(days)d days.") % {"days": days}
        if self.stage in (Stage.PROMOTION, Stage.CONTRIBUTION):
            kinds = _CONTRIBUTION_ORDER + (_PROMOTION_ORDER if self.stage == Stage.PROMOTION else ())
            items = [kind_count_text(kind, self.by_kind[kind]) for kind in kinds if self.by_kind.get(kind)]
            return _("%(items)s in the last %(days)d days.") % {"items": list_text(items), "days": days}
        if self.stage == Stage.DISCOVERY:
            return _("First active on %(date)s, within the last %(days)d days.") % {
                "date": date_format(self.first_active_day),
                "days": days,
            }
        return ngettext(
            "Active on %(count)d day in the last %(days)d days.",
            "Active on %(count)d days in the last %(days)d days.",
            self.active_days,
        ) % {"count": self.active_days, "days": days}


def kind_count_text(kind: str, count: int) -> str:
    """"3 comments", "1 share", … for the facts sentence."""
    texts = {
        EventKind.POST: lambda n: ngettext("%(count)d post", "%(count)d posts", n),
        EventKind.COMMENT: lambda n: ngettext("%(count)d comment", "%(count)d comments", n),
        EventKind.ANSWER: lambda n: ngettext("%(count)d answer", "%(count)d answers", n),
        EventKind.SHARE: lambda n: ngettext("%(count)d share", "%(count)d shares", n),
        EventKind.INVITE: lambda n: ngettext("%(count)d invitation", "%(count)d invitations", n),
        EventKind.MENTION: lambda n: ngettext("%(count)d mention", "%(count)d mentions", n),
        EventKind.RECOGNIZE: lambda n: ngettext("%(count)d recognition", "%(count)d recognitions", n),
        EventKind.ACCOMPANY: lambda n: ngettext("%(count)d accompaniment", "%(count)d accompaniments", n),
    }
    return texts[kind](count) % {"count": count}


def list_text(items: list[str]) -> str:
    """"a", "a and b", "a, b and c" in the active language."""
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


# Who belongs to the population on a day, for a person table ``p`` (two parameters: the
# day, twice): started on or before it, not departed by then.
POPULATION_SQL = "(p.departed_on IS NULL OR p.departed_on > %s) AND (p.start_date IS NULL OR p.start_date <= %s)"


def _journey_sql(person_id: int | None) -> tuple[str, int]:
    """The query of stages' inputs; its parameters are (window start, day, day, day[, person])."""
    quote = connection.ops.quote_name
    rollups = quote(DailyActivity._meta.db_table)
    activity = quote(PersonActivity._meta.db_table)
    from bascule.people.models import Person

    people = quote(Person._meta.db_table)
    sums = ", ".join(f"SUM({quote(kind)}) AS {quote(kind)}" for kind in _FACT_KINDS)
    only_person = " AND person_id = %s" if person_id is not None else ""
    only_person_outer = " AND p.id = %s" if person_id is not None else ""
    sql = f"""
        SELECT p.id, a.first_active_day, w.active_days, w.contribution, w.promotion,
               {", ".join(f"w.{quote(kind)}" for kind in _FACT_KINDS)},
               {", ".join(f"p.{quote(column)}" for column in SEGMENT_COLUMNS)}
        FROM {people} p
        LEFT JOIN {activity} a ON a.person_id = p.id
        LEFT JOIN (
            SELECT person_id,
                   SUM(CASE WHEN participation + contribution + promotion > 0 THEN 1 ELSE 0 END) AS active_days,
                   SUM(contribution) AS contribution, SUM(promotion) AS promotion, {sums}
            FROM {rollups}
            WHERE day >= %s AND day <= %s{only_person}
            GROUP BY person_id
        ) w ON w.person_id = p.id
        WHERE {POPULATION_SQL}{only_person_outer}
    """
    return sql, len(_FACT_KINDS)


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _stages(day: date, rules: JourneyRules, person_id: int | None = None) -> list[JourneyStage]:
    sql, kinds = _journey_sql(person_id)
    window_start = rules.window_start(day)
    adapt = connection.ops.adapt_datefield_value
    params: list = [adapt(window_start), adapt(day)]
    if person_id is not None:
        params.append(person_id)
    params += [adapt(day), adapt(day)]
    if person_id is not None:
        params.append(person_id)
    result = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            first_active_day = _as_date(row[1])
            active_days, contributions, promotions = (int(value or 0) for value in row[2:5])
            by_kind = {kind: int(count) for kind, count in zip(_FACT_KINDS, row[5 : 5 + kinds]) if count}
            attributes = row[5 + kinds :]
            stage = stage_decide(
                day=day,
                first_active_day=first_active_day,
                active_days=active_days,
                contributions=contributions,
                promotions=promotions,
                rules=rules,
            )
            result.append(
                JourneyStage(
                    person_id=row[0],
                    day=day,
                    stage=stage,
                    window_days=rules.window_days,
                    first_active_day=first_active_day if first_active_day and first_active_day <= day else None,
                    active_days=active_days,
                    contributions=contributions,
                    promotions=promotions,
                    by_kind=by_kind,
                    attributes=attributes,
                )
            )
    return result


def journey_stages(day: date, *, rules: JourneyRules | None = None) -> dict[int, JourneyStage]:
    """The stage of every person of the population on ``day`` (not departed on or before
    it, started on or before it when the start date is known), by person id."""
    rules = rules or JourneyRules.from_settings()
    return {stage.person_id: stage for stage in _stages(day, rules)}


def journey_stage_for(person, day: date, *, rules: JourneyRules | None = None) -> JourneyStage | None:
    """``person``'s stage on ``day`` with its facts, or None when they are not part of the
    population that day (not started yet, or departed)."""
    rules = rules or JourneyRules.from_settings()
    found = _stages(day, rules, person_id=person.pk)
    if not found:
        return None
    stage = found[0]
    if stage.stage == Stage.DISAPPOINTMENT:
        last = (
            DailyActivity.objects.filter(person_id=person.pk, day__lte=day)
            .exclude(participation=0, contribution=0, promotion=0)
            .order_by("-day")
            .values_list("day", flat=True)
            .first()
        )
        if last is None:
            # The rollups before it were purged: the summary still knows the last active day
            # when it is before ``day``.
            summary = PersonActivity.objects.filter(person_id=person.pk, last_active_day__lte=day).first()
            last = summary.last_active_day if summary else None
        stage = replace(stage, last_active_day=last)
    return stage
