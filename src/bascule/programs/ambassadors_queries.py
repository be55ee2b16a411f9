"""Reads of the ambassador program: who may manage a campaign, who is eligible, who
validates an application, the coverage of the sites, the ambassadors' activity.

Program managers of a campaign are the administrators, and the referents whose scope
contains the campaign's scope (the rule of ``network.referents``: for every field of the
referent's scope, the campaign lists that field with values among the referent's). HR
validators decide for the candidates their scope contains; the candidate's manager (as
recorded in the directory) confirms, or an administrator when nobody is recorded.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bascule.adoption.models import Event, EventKind, Stage, StageChange
from bascule.people.models import Person, Site

from .models import (
    DEFAULT_PEOPLE_PER_AMBASSADOR,
    PENDING_APPLICATION_STATUSES,
    AmbassadorLog,
    AmbassadorProgram,
    Application,
    ApplicationStatus,
    Campaign,
    CampaignRuleKind,
    CampaignSiteTarget,
    RoleAssignment,
    RoleKind,
)
from .queries import (
    SCOPE_FIELDS,
    _scope_filter,
    _values_names,
    active_q,
    holders_for,
    is_administrator,
    roles_for,
    scope_contains,
    scope_of,
    scope_words,
    today,
)

# Stages whose people the campaign page suggests as candidates to the program managers.
SUGGESTED_STAGES = (Stage.CONTRIBUTION, Stage.PROMOTION)
SUGGESTIONS_SHOWN = 20
# The window of the ambassadors' activity counts, in days.
ACTIVITY_WINDOW_DAYS = 28


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` months earlier (the last day of that month when shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return datetime.date(year, month, min(day.day, (following - datetime.timedelta(days=1)).day))


# ---------------------------------------------------------------------------------------
# Scopes and who manages what
# ---------------------------------------------------------------------------------------


def campaign_scope(campaign: Campaign) -> dict[str, set[int]]:
    """``{field: {ids}}`` of a campaign's scope (prefetched rows used); empty: everyone."""
    scope: dict[str, set[int]] = defaultdict(set)
    for row in campaign.scope.all():
        scope[row.field].add(row.value)
    return dict(scope)


def scope_within(inner: dict[str, set[int]], outer: dict[str, set[int]]) -> bool:
    """Whether every person of scope ``inner`` is in scope ``outer``, read field by field."""
    return all(name in inner and set(inner[name]) <= set(values) for name, values in outer.items())


def may_manage_scope(person: Person | None, scope: dict[str, set[int]]) -> bool:
    """Whether ``person`` runs campaigns over ``scope``: an administrator, or a referent
    whose scope contains it."""
    if person is None or person.pk is None or person.is_departed:
        return False
    if is_administrator(person):
        return True
    return any(scope_within(scope, scope_of(a)) for a in roles_for(person, RoleKind.REFERENT))


def may_create_campaign(person: Person | None) -> bool:
    """Administrators and referents open campaigns (a referent: within their scope)."""
    if person is None or person.pk is None or person.is_departed:
        return False
    return is_administrator(person) or roles_for(person, RoleKind.REFERENT).exists()


def is_program_manager(person: Person | None, campaign: Campaign) -> bool:
    return may_manage_scope(person, campaign_scope(campaign))


def program_manager_test(person: Person | None):
    """A function telling whether ``person`` manages a campaign (scope rows prefetched),
    with ``person``'s roles read once: a list of campaigns costs no query per campaign."""
    if person is None or person.pk is None or person.is_departed:
        return lambda campaign: False
    if is_administrator(person):
        return lambda campaign: True
    scopes = [scope_of(a) for a in roles_for(person, RoleKind.REFERENT)]
    return lambda campaign: any(scope_within(campaign_scope(campaign), scope) for scope in scopes)


def is_ambassador(person: Person | None, day: datetime.date | None = None) -> bool:
    if person is None or person.pk is None:
        return False
    return RoleAssignment.objects.filter(person=person, kind=RoleKind.AMBASSADOR).filter(active_q(day or today())).exists()


def ambassador_assignments(person: Person) -> list[RoleAssignment]:
    """``person``'s current ambassador roles, scopes in words."""
    from .queries import describe_scopes

    assignments = list(roles_for(person, RoleKind.AMBASSADOR))
    describe_scopes(assignments)
    return assignments


def ambassador_ids(people) -> set[int]:
    """The ids of ``people`` (a page of the directory) holding the ambassador role today,
    in one query whatever their number."""
    ids = [p.pk for p in people]
    if not ids:
        return set()
    return set(
        RoleAssignment.objects.filter(person_id__in=ids, kind=RoleKind.AMBASSADOR)
        .filter(active_q(today()))
        .values_list("person_id", flat=True)
    )


# ---------------------------------------------------------------------------------------
# Eligibility (SQL)
# ---------------------------------------------------------------------------------------


def campaign_with_rules(campaign_id) -> Campaign | None:
    try:
        return (
            Campaign.objects.select_related("created_by")
            .prefetch_related("scope", "rules", "site_targets__site")
            .get(pk=campaign_id)
        )
    except (Campaign.DoesNotExist, ValueError, TypeError):
        return None


def eligible_people(campaign: Campaign, day: datetime.date | None = None) -> QuerySet[Person]:
    """The people, still with us, whom ``campaign`` is open to on ``day``: in its scope
    and meeting every rule. One SQL condition; a null value is never "in" an excluded
    list, and an unknown start date does not meet a tenure rule."""
    day = day or today()
    people = Person.objects.filter(departed_on__isnull=True, user__is_active=True).filter(
        _scope_filter(campaign_scope(campaign))
    )
    excluded: dict[str, list[int]] = defaultdict(list)
    for rule in campaign.rules.all():
        if rule.kind == CampaignRuleKind.EXCLUDE:
            excluded[rule.field].append(rule.value)
        elif rule.kind == CampaignRuleKind.MIN_TENURE_MONTHS:
            people = people.filter(start_date__lte=months_before(day, rule.value))
    for name, values in excluded.items():
        people = people.exclude(**{f"{name}_id__in": values})
    return people


def is_eligible(campaign: Campaign, person: Person, day: datetime.date | None = None) -> bool:
    return eligible_people(campaign, day).filter(pk=person.pk).exists()


def eligibility_problems(campaign: Campaign, person: Person, day: datetime.date | None = None) -> list[str]:
    """Why ``person`` is not eligible, in sentences for them (empty: eligible)."""
    day = day or today()
    problems = []
    scope = campaign_scope(campaign)
    if not all(getattr(person, f"{name}_id") in values for name, values in scope.items()):
        names = _values_names([scope])
        problems.append(_("This campaign is for %(scope)s.") % {"scope": scope_words(scope, names)})
    excluded: dict[str, set[int]] = defaultdict(set)
    for rule in campaign.rules.all():
        if rule.kind == CampaignRuleKind.EXCLUDE:
            excluded[rule.field].add(rule.value)
        elif rule.kind == CampaignRuleKind.MIN_TENURE_MONTHS:
            if person.start_date is None:
                problems.append(_("It asks for %(months)s months in the company, and your start date is not on record.") % {"months": rule.value})
            elif person.start_date > months_before(day, rule.value):
                problems.append(
                    ngettext(
                        "It asks for at least %(months)s month in the company.",
                        "It asks for at least %(months)s months in the company.",
                        rule.value,
                    )
                    % {"months": rule.value}
                )
    for name, values in excluded.items():
        if getattr(person, f"{name}_id") in values:
            names = _values_names([{name: values}])
            problems.append(_("It is not open to %(scope)s.") % {"scope": scope_words({name: values}, names)})
    return problems


def rules_in_words(campaign: Campaign) -> list[str]:
    """The campaign's scope and rules as short sentences: "For Sales · Lyon", "Not IT",
    "At least 6 months in the company"."""
    scope = campaign_scope(campaign)
    excluded: dict[str, set[int]] = defaultdict(set)
    tenure = []
    for rule in campaign.rules.all():
        if rule.kind == CampaignRuleKind.EXCLUDE:
            excluded[rule.field].add(rule.value)
        else:
            tenure.append(rule.value)
    names = _values_names([scope, excluded])
    words = [_("Open to: %(scope)s") % {"scope": scope_words(scope, names)}]
    for name in SCOPE_FIELDS:
        if name in excluded:
            words.append(_("Except: %(scope)s") % {"scope": scope_words({name: excluded[name]}, names)})
    for months in tenure:
        words.append(
            ngettext("At least %(months)s month in the company", "At least %(months)s months in the company", months)
            % {"months": months}
        )
    return words


# ---------------------------------------------------------------------------------------
# Campaigns and applications
# ---------------------------------------------------------------------------------------


def campaigns(day: datetime.date | None = None) -> dict[str, list[Campaign]]:
    """Every campaign by status: open, upcoming, closed (newest first)."""
    day = day or today()
    groups: dict[str, list[Campaign]] = {"open": [], "upcoming": [], "closed": []}
    for campaign in Campaign.objects.prefetch_related("scope", "rules").order_by("-opens_on", "-pk"):
        groups[campaign.status_on(day)].append(campaign)
    return groups


def applications_of(person: Person) -> QuerySet[Application]:
    """My applications and nominations, the ones that moved last on top."""
    return Application.objects.filter(candidate=person).select_related("campaign", "nominated_by")


def application_of(campaign: Campaign, person: Person) -> Application | None:
    return Application.objects.filter(campaign=campaign, candidate=person).first()


def hr_validators_for(person: Person) -> list[Person]:
    """The HR validators whose scope contains ``person`` (not themself)."""
    return [p for p in holders_for(person, RoleKind.HR_VALIDATOR) if p.pk != person.pk]


def may_decide_as_hr(person: Person | None, application: Application) -> bool:
    """An HR validator whose scope contains the candidate, who is not the candidate."""
    if person is None or person.pk is None or person.is_departed or person.pk == application.candidate_id:
        return False
    return any(scope_contains(a, application.candidate) for a in roles_for(person, RoleKind.HR_VALIDATOR))


def manager_of(candidate: Person) -> Person | None:
    """The candidate's manager, if recorded and still with us."""
    manager = candidate.manager
    return manager if manager is not None and not manager.is_departed else None


def may_confirm_as_manager(person: Person | None, application: Application) -> bool:
    """The candidate's manager; an administrator when no manager is recorded."""
    if person is None or person.pk is None or person.is_departed or person.pk == application.candidate_id:
        return False
    manager = manager_of(application.candidate)
    if manager is not None:
        return manager.pk == person.pk
    return is_administrator(person)


def may_see_application(person: Person | None, application: Application) -> bool:
    """The candidate, who nominated them, the HR validators of the candidate, their
    manager, and the program managers of the campaign."""
    if person is None or person.pk is None or person.is_departed:
        return False
    if person.pk in (application.candidate_id, application.nominated_by_id):
        return True
    return (
        may_decide_as_hr(person, application)
        or may_confirm_as_manager(person, application)
        or is_program_manager(person, application.campaign)
    )


def application_for(person: Person | None, application_id) -> Application | None:
    """The application ``application_id``, if ``person`` may see it (else None: 404)."""
    try:
        application = (
            Application.objects.select_related(
                "campaign", "candidate__manager", "candidate__site", "candidate__department", "nominated_by",
                "hr_decided_by", "manager_decided_by",
            )
            .prefetch_related("campaign__scope", "campaign__rules")
            .get(pk=application_id)
        )
    except (Application.DoesNotExist, ValueError, TypeError):
        return None
    return application if may_see_application(person, application) else None


def application_history(application: Application) -> list[AmbassadorLog]:
    return list(AmbassadorLog.objects.filter(application=application).select_related("actor"))


def campaign_applications(campaign: Campaign) -> list[Application]:
    """Every application of a campaign, waiting ones first, with their people."""
    order = {status: index for index, status in enumerate(ApplicationStatus.values)}
    applications = list(
        Application.objects.filter(campaign=campaign).select_related("candidate__site", "candidate__department", "nominated_by")
    )
    applications.sort(key=lambda a: (order[a.status], a.candidate.display_name))
    return applications


@dataclass
class Waiting:
    as_hr: list[Application]
    as_manager: list[Application]

    @property
    def count(self) -> int:
        return len(self.as_hr) + len(self.as_manager)


def waiting_for(person: Person) -> Waiting:
    """The applications waiting for ``person``'s decision: as HR validator (candidates of
    their scope) and as manager (their reports; for an administrator, candidates with no
    manager on record). A few queries whatever the number."""
    related = ("campaign", "candidate__site", "candidate__department", "nominated_by")
    as_hr = []
    hr_roles = list(roles_for(person, RoleKind.HR_VALIDATOR))
    if hr_roles:
        scopes = [scope_of(assignment) for assignment in hr_roles]
        # An empty Q would vanish from an OR: a validator for everyone is a condition of its own.
        condition = Q()
        if all(scopes):
            condition = Q(pk__in=[])
            for scope in scopes:
                condition |= _scope_filter(scope, "candidate__")
        as_hr = list(
            Application.objects.filter(status=ApplicationStatus.AWAITING_HR).filter(condition).exclude(candidate=person)
            .select_related(*related).order_by("submitted_at", "pk")
        )
    reports = Q(candidate__manager=person, candidate__manager__departed_on__isnull=True)
    if is_administrator(person):
        reports |= Q(candidate__manager__isnull=True) | Q(candidate__manager__departed_on__isnull=False)
    as_manager = list(
        Application.objects.filter(status=ApplicationStatus.AWAITING_MANAGER).filter(reports).exclude(candidate=person)
        .select_related(*related).order_by("hr_decided_at", "pk")
    )
    return Waiting(as_hr, as_manager)


def program() -> AmbassadorProgram | None:
    """The program's spaces (None before the first campaign)."""
    return AmbassadorProgram.objects.select_related("ambassadors_space", "early_news_space").order_by("pk").first()


# ---------------------------------------------------------------------------------------
# Coverage
# ---------------------------------------------------------------------------------------


@dataclass
class SiteCoverage:
    site: Site
    headcount: int
    target: int
    target_is_default: bool
    ambassadors: list[Person] = field(default_factory=list)
    # Applications still waiting, k-anonymous (None: fewer than k, not zero).
    pending: int | None = 0

    @property
    def gap(self) -> int:
        return max(self.target - len(self.ambassadors), 0)

    @property
    def percent(self) -> int:
        return min(100, round(100 * len(self.ambassadors) / self.target)) if self.target else 100


def default_target(headcount: int, per: int) -> int:
    """One ambassador per ``per`` people, at least one for a site with people."""
    return max(1, math.ceil(headcount / max(per, 1))) if headcount else 0


def _k_anonymous(value: int, k: int) -> int | None:
    return value if value == 0 or value >= k else None


def people_per_ambassador(day: datetime.date | None = None) -> int:
    """The default target's ratio: the latest campaign's (opened by ``day``), else 50."""
    latest = Campaign.objects.filter(opens_on__lte=day or today()).order_by("-opens_on", "-pk").first()
    return latest.people_per_ambassador if latest else DEFAULT_PEOPLE_PER_AMBASSADOR


def coverage(day: datetime.date | None = None) -> list[SiteCoverage]:
    """Each site with people: its headcount, its ambassadors today and its target (the
    latest campaign's target for the site, else one per N people of that campaign, N=50
    without campaign, at least one), the largest gaps first. Headcounts are
    organisational facts (the directory shows every colleague's site) and ambassadors
    are named publicly, so both are exact; the applications waiting, which point at
    people, are hidden below k. Five queries whatever the number of sites."""
    day = day or today()
    k = settings.BASCULE_MIN_GROUP_SIZE
    present = Q(departed_on__isnull=True) & (Q(start_date__isnull=True) | Q(start_date__lte=day))
    headcounts = dict(
        Person.objects.filter(present, site__isnull=False).values_list("site").annotate(n=Count("pk")).values_list("site", "n")
    )
    per = people_per_ambassador(day)
    targets: dict[int, int] = {}
    for site_id, target in (
        CampaignSiteTarget.objects.filter(campaign__opens_on__lte=day)
        .order_by("campaign__opens_on", "campaign_id")
        .values_list("site_id", "target")
    ):
        targets[site_id] = target
    rows = {
        site.pk: SiteCoverage(
            site=site,
            headcount=headcounts[site.pk],
            target=targets.get(site.pk, default_target(headcounts[site.pk], per)),
            target_is_default=site.pk not in targets,
        )
        for site in Site.objects.filter(pk__in=list(headcounts))
    }
    holding = RoleAssignment.objects.filter(person=OuterRef("pk"), kind=RoleKind.AMBASSADOR).filter(active_q(day))
    for person in Person.objects.filter(present, site__in=list(rows)).filter(Exists(holding)).order_by("display_name"):
        rows[person.site_id].ambassadors.append(person)
    pending = (
        Application.objects.filter(status__in=PENDING_APPLICATION_STATUSES, candidate__site__in=list(rows))
        .values_list("candidate__site").annotate(n=Count("candidate", distinct=True)).values_list("candidate__site", "n")
    )
    for site_id, count in pending:
        rows[site_id].pending = _k_anonymous(count, k)
    return sorted(rows.values(), key=lambda row: (-row.gap, row.percent, row.site.name))


@dataclass
class CoverageTotals:
    headcount: int
    ambassadors: int
    target: int
    sites_short: int


def coverage_totals(rows: list[SiteCoverage]) -> CoverageTotals:
    return CoverageTotals(
        headcount=sum(r.headcount for r in rows),
        ambassadors=sum(len(r.ambassadors) for r in rows),
        target=sum(r.target for r in rows),
        sites_short=sum(1 for r in rows if r.gap),
    )


def suggested_candidates(campaign: Campaign, day: datetime.date | None = None, *, short_sites=None) -> list[Person]:
    """For the program managers only: eligible people whose latest journey stage is
    contribution or promotion, on sites short of ambassadors, who are not ambassadors
    and have no application to this campaign. The stage itself is not shown."""
    day = day or today()
    if short_sites is None:
        short_sites = [row.site.pk for row in coverage(day) if row.gap]
    if not short_sites:
        return []
    latest_stage = StageChange.objects.filter(person=OuterRef("pk"), day__lte=day).order_by("-day").values("stage")[:1]
    holding = RoleAssignment.objects.filter(person=OuterRef("pk"), kind=RoleKind.AMBASSADOR).filter(active_q(day))
    applied = Application.objects.filter(campaign=campaign, candidate=OuterRef("pk"))
    return list(
        eligible_people(campaign, day)
        .filter(site__in=short_sites)
        .annotate(latest_stage=Subquery(latest_stage))
        .filter(latest_stage__in=SUGGESTED_STAGES)
        .exclude(Exists(holding))
        .exclude(Exists(applied))
        .select_related("site", "department")
        .order_by("site__name", "display_name")[:SUGGESTIONS_SHOWN]
    )


def short_site_ids(rows: list[SiteCoverage]) -> list[int]:
    return [row.site.pk for row in rows if row.gap]


# ---------------------------------------------------------------------------------------
# Activity of the ambassadors (``accompany`` events)
# ---------------------------------------------------------------------------------------


@dataclass
class Activity:
    actions: int
    people: int | None


def _accompany_events(since: datetime.date):
    from bascule.adoption.ledger import organisation_timezone

    start = datetime.datetime.combine(since, datetime.time.min, tzinfo=organisation_timezone())
    return Event.objects.filter(kind=EventKind.ACCOMPANY, occurred_at__gte=start)


def _people_accompanied(events) -> int:
    """Distinct people the ``accompany`` events ``events`` were about. The accompaniment
    queue records each event about its ``AccompanimentAction`` (which names the person);
    an event may also be about the person directly (imports, the demo)."""
    from django.apps import apps

    people = set(
        events.filter(object_type=Person._meta.label_lower, object_id__isnull=False).values_list("object_id", flat=True).distinct()
    )
    try:
        action_model = apps.get_model("programs", "AccompanimentAction")
    except LookupError:  # the accompaniment queue is not installed
        return len(people)
    about_actions = events.filter(object_type=action_model._meta.label_lower).values("object_id")
    people |= set(action_model.objects.filter(pk__in=about_actions).values_list("person_id", flat=True).distinct())
    return len(people)


def ambassador_activity(person: Person, day: datetime.date | None = None) -> Activity:
    """``person``'s own accompaniment over the last 28 days: actions logged, and the
    distinct people they were about. For the ambassador themself: exact."""
    since = (day or today()) - datetime.timedelta(days=ACTIVITY_WINDOW_DAYS - 1)
    events = _accompany_events(since).filter(person=person)
    return Activity(events.count(), _people_accompanied(events))


@dataclass
class ProgramActivity:
    ambassadors_active: int | None
    actions: int | None
    people: int | None


def program_activity(day: datetime.date | None = None) -> ProgramActivity:
    """Every current ambassador's accompaniment over the last 28 days, for the program
    managers: actions logged, and — hidden below k, since they count people — the
    ambassadors who logged any and the distinct people accompanied. Never per person."""
    day = day or today()
    k = settings.BASCULE_MIN_GROUP_SIZE
    since = day - datetime.timedelta(days=ACTIVITY_WINDOW_DAYS - 1)
    holders = RoleAssignment.objects.filter(kind=RoleKind.AMBASSADOR).filter(active_q(day)).values("person")
    events = _accompany_events(since).filter(person__in=holders)
    stats = events.aggregate(actions=Count("pk"), ambassadors=Count("person", distinct=True))
    ambassadors = _k_anonymous(stats["ambassadors"], k)
    # With fewer than k ambassadors acting, the total would be a handful of people's own.
    actions = stats["actions"] if ambassadors is not None else None
    return ProgramActivity(ambassadors, actions, _k_anonymous(_people_accompanied(events), k))
