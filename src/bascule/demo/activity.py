"""Months of deterministic network activity for the demo organisation.

``activity_build`` is pure like ``organisation_build``: from the organisation, a seed and a
few sizes it returns plain data (spaces, memberships, posts, comments, reactions, shares,
mentions, tags, follows, reads, visits, searches and the ledger events of each act, with
their real timestamps); ``loader.activity_load`` writes it.

How real networks look, and what the generator does about it:

- most people only read, about a quarter interact (react, sometimes comment), a few
  percent post regularly and a handful carry the conversation. Each person gets an
  *archetype* and a heavy-tailed (Pareto, Zipf-like) volume multiplier;
- segments differ: every person's chances are scaled by an *energy* of their site and
  department, so that Lyon and Communication are past the tipping point and Hamburg,
  Manchester, Legal and Finance are dormant;
- people adopt the network at launch or later, and many go silent (disappointment);
- questions are answered after hours or days by whoever passes by, some never; askers
  accept some answers; people are mentioned by colleagues who share a space with them.

Acts happen on working days (a little at weekends) between 8:00 and 19:00 in the
organisation's time zone, from ``months`` ago until yesterday.
"""

import bisect
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bascule.network.questions import DEFAULT_ANSWER_DELAY_DAYS, add_working_days

from .organisation import COUNTRIES, HEAD_OFFICE, Organisation, PersonData
from .phrases import EXTRA_TAGS, PHRASES, SUBJECTS, THEME_TAGS

# Segment energy: a multiplier of everyone's chances to interact and contribute.
SITE_ENERGY = {"Lyon": 2.8, "Hamburg": 0.3, "Manchester": 0.35, "Madrid": 1.7, "Toulouse": 0.9, "Milan": 0.85}
DEPARTMENT_ENERGY = {
    "Communication": 3.5, "Human resources": 1.3, "IT": 1.3, "Marketing": 1.2,
    "Operations": 0.6, "Finance": 0.4, "Legal": 0.35,
}

READER, INTERACTOR, CONTRIBUTOR, CHAMPION, SILENT = "reader", "interactor", "contributor", "champion", "silent"


@dataclass(frozen=True)
class Rates:
    """Chances per working day of an archetype (weekends: a tenth)."""

    active: tuple[float, float]  # probability of being active on a day (range)
    react: float  # reactions per active day
    comment: float  # comments per active day
    post: float  # posts per active day
    share: float  # shares per active day
    mention: float  # probability that a text mentions a colleague
    churn: float  # probability of going silent before the last four weeks


RATES = {
    READER: Rates((0.06, 0.22), 0.03, 0.004, 0.0, 0.0, 0.0, 0.45),
    INTERACTOR: Rates((0.2, 0.45), 0.55, 0.07, 0.008, 0.004, 0.05, 0.3),
    CONTRIBUTOR: Rates((0.45, 0.7), 0.9, 0.3, 0.14, 0.03, 0.15, 0.1),
    CHAMPION: Rates((0.75, 0.95), 1.5, 0.9, 0.45, 0.12, 0.35, 0.0),
}


@dataclass
class SpaceData:
    index: int
    name: str
    slug: str
    kind: str  # community, editorial, project
    visibility: str  # public, private, secret
    join_policy: str  # open, request, invite
    language: str
    theme: str
    purpose: str
    rules: str = ""
    audience: list[tuple[str, str]] = field(default_factory=list)  # (field, unit name)
    created_at: datetime | None = None
    created_by: int | None = None
    archived_at: datetime | None = None
    weight: float = 1.0
    site: str = HEAD_OFFICE  # mentioned in texts


@dataclass
class MembershipData:
    space: int
    person: int
    role: str
    status: str  # active, invited, requested
    created_at: datetime
    joined_at: datetime | None = None
    invited_by: int | None = None


@dataclass
class PostData:
    index: int
    space: int | None
    author: int
    kind: str
    title: str
    paragraphs: list[str]
    created_at: datetime
    language: str
    due_at: datetime | None = None
    shared_post: int | None = None
    accepted_comment: int | None = None
    tags: list[str] = field(default_factory=list)
    mentions: list[int] = field(default_factory=list)
    answered: bool = False


@dataclass
class CommentData:
    index: int
    post: int
    author: int
    parent: int | None
    paragraphs: list[str]
    created_at: datetime
    is_answer: bool
    mentions: list[int] = field(default_factory=list)


@dataclass
class Activity:
    """Everything the demo network holds; people are indexes into the organisation."""

    spaces: list[SpaceData]
    memberships: list[MembershipData]
    posts: list[PostData]
    comments: list[CommentData]
    reactions: list[tuple[int, int, int | None, str, datetime]]  # person, post, comment, kind, at
    follows: list[tuple[int, str, object, datetime]]  # follower, "person"/"space"/"tag", target, at
    reads: list[tuple[int, int, date, datetime]]  # person, post, day, at
    visits: list[tuple[int, date, datetime]]  # person, day, at
    # person, at, kind, object kind ("post", "comment", "space", "person", "tag" or ""), object index
    events: list[tuple[int, datetime, str, str, object]]
    # recipient, kind, actor, space, post, comment, at
    notifications: list[tuple[int, str, int | None, int | None, int | None, int | None, datetime]]
    informed: dict[int, datetime]  # person → when they were told about the network
    archetypes: dict[int, str]
    camille_open_question: int | None
    start: date
    end: date  # the last day with activity


def _pareto(rng: random.Random, alpha: float = 1.4, cap: float = 25.0) -> float:
    """A heavy-tailed multiplier ≥ 1 (Zipf-like volumes): most near 1, a few very large."""
    return min(cap, (1.0 - rng.random()) ** (-1.0 / alpha))


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _space_catalogue() -> list[dict]:
    """The demo's spaces: every kind × visibility, audiences, one archived. The first
    ones are the most important: a smaller --spaces keeps them."""
    c = "community"
    e = "editorial"
    p = "project"
    return [
        dict(name="Bien démarrer sur Bascule", kind=c, visibility="public", join_policy="open", language="fr",
             theme="network", owner="camille", weight=2.0,
             purpose="Vos questions sur le réseau social, les communautés et les bonnes pratiques."),
        dict(name="Actualités du groupe", kind=e, visibility="public", join_policy="open", language="fr",
             theme="news", owner="dept:Communication", editors="camille", weight=2.5,
             purpose="Les annonces et articles de la direction de la communication."),
        dict(name="Group news", kind=e, visibility="public", join_policy="open", language="en", theme="news",
             owner="dept:Communication", editors="camille", weight=1.5,
             purpose="Announcements and articles for every site, in English."),
        dict(name="Réseau des ambassadeurs", kind=c, visibility="private", join_policy="request", language="fr",
             theme="network", owner="camille", weight=1.5,
             purpose="Les ambassadeurs partagent leurs idées pour faire vivre le réseau.",
             rules="Bienveillance, confidentialité des échanges, pas de publicité."),
        dict(name="Entraide informatique", kind=c, visibility="public", join_policy="open", language="fr",
             theme="it", owner="dept:IT", weight=2.0, purpose="Posez vos questions informatiques, les collègues répondent."),
        dict(name="IT help desk", kind=c, visibility="public", join_policy="open", language="en", theme="it",
             owner="dept:IT", weight=1.3, purpose="Ask your IT questions, colleagues answer."),
        dict(name="Lyon — vie du site", kind=c, visibility="public", join_policy="open", language="fr",
             theme="site", owner="site:Lyon", audience=[("site", "Lyon")], site="Lyon", weight=2.0,
             purpose="Tout ce qui se passe sur le site de Lyon."),
        dict(name="Paris — vie du site", kind=c, visibility="public", join_policy="open", language="fr",
             theme="site", owner="site:Paris", audience=[("site", "Paris")], site="Paris", weight=1.2,
             purpose="Tout ce qui se passe sur le site de Paris."),
        dict(name="Comité de direction", kind=p, visibility="secret", join_policy="invite", language="fr",
             theme="news", owner="ceo", members="directors", weight=0.6,
             purpose="Préparation des comités de direction."),
        dict(name="Projet Horizon — nouvel ERP", kind=p, visibility="private", join_policy="request",
             language="fr", theme="project", owner="dept:IT", weight=1.2,
             purpose="Le déploiement du nouvel ERP, site par site."),
        dict(name="Sales community", kind=c, visibility="private", join_policy="request", language="en",
             theme="sales", owner="dept:Sales", audience=[("department", "Sales")], weight=1.0,
             purpose="Deals, tenders and tips between sales teams of every country."),
        dict(name="Marketing & Communication", kind=c, visibility="private", join_policy="request",
             language="fr", theme="network", owner="camille",
             audience=[("department", "Marketing"), ("department", "Communication")], weight=1.2,
             purpose="L'équipe marketing et communication, tous sites confondus."),
        dict(name="Standort München", kind=c, visibility="public", join_policy="open", language="de",
             theme="site", owner="site:Munich", audience=[("site", "Munich")], site="Munich", weight=1.0,
             purpose="Alles rund um unseren Standort München."),
        dict(name="Standort Hamburg", kind=c, visibility="public", join_policy="open", language="de",
             theme="site", owner="site:Hamburg", audience=[("site", "Hamburg")], site="Hamburg", weight=0.6,
             purpose="Alles rund um unseren Standort Hamburg."),
        dict(name="Sede de Madrid", kind=c, visibility="public", join_policy="open", language="es", theme="site",
             owner="site:Madrid", audience=[("site", "Madrid")], site="Madrid", weight=1.0,
             purpose="Todo lo que pasa en la sede de Madrid."),
        dict(name="Sede di Milano", kind=c, visibility="public", join_policy="open", language="it", theme="site",
             owner="site:Milan", audience=[("site", "Milan")], site="Milan", weight=0.8,
             purpose="Tutto quello che succede nella sede di Milano."),
        dict(name="Qualité et amélioration continue", kind=c, visibility="public", join_policy="open",
             language="fr", theme="quality", owner="dept:Quality", weight=1.0,
             purpose="Partager les bonnes pratiques qualité entre sites."),
        dict(name="Innovation lab", kind=c, visibility="public", join_policy="open", language="en",
             theme="innovation", owner="dept:R&D", weight=1.0, purpose="Ideas, prototypes and experiments."),
        dict(name="Ressources humaines", kind=e, visibility="public", join_policy="open", language="fr",
             theme="hr", owner="dept:Human resources", weight=1.0,
             purpose="Les informations RH : formation, télétravail, avantages."),
        dict(name="Sport et bien-être", kind=c, visibility="public", join_policy="open", language="fr",
             theme="wellbeing", owner="any", weight=0.9, purpose="Courses, yoga, randonnées : on se motive ensemble."),
        dict(name="Projet Atlas", kind=p, visibility="secret", join_policy="invite", language="en",
             theme="project", owner="dept:Finance", members="finance_legal", weight=0.5,
             purpose="A confidential acquisition project."),
        dict(name="R&D lab notes", kind=p, visibility="private", join_policy="invite", language="en",
             theme="innovation", owner="dept:R&D", audience=[("department", "R&D")], weight=0.8,
             purpose="Lab notes and test results of the R&D teams."),
        dict(name="Ancien intranet", kind=c, visibility="public", join_policy="open", language="fr",
             theme="news", owner="dept:Communication", archived=True, weight=0.8,
             purpose="L'ancien espace d'actualités, gardé en lecture seule."),
    ]


PROJECT_NAMES = (
    "Aurora", "Boréal", "Cassiopée", "Delta", "Éole", "Fénix", "Galileo", "Hélios", "Iris", "Jade", "Kepler",
    "Lumen", "Mistral", "Nova", "Orion", "Pégase", "Quartz", "Rubis", "Sirius", "Titan", "Ulysse", "Véga",
    "Zéphyr", "Altair", "Bora",
)
EXTRA_KINDS = (
    ("project", "private", "request"), ("project", "secret", "invite"), ("community", "public", "open"),
    ("community", "public", "open"), ("project", "public", "open"), ("community", "private", "request"),
)
THEME_OF_DEPARTMENT = {
    "Sales": "sales", "Marketing": "network", "Communication": "network", "IT": "it", "Operations": "quality",
    "R&D": "innovation", "Quality": "quality", "Human resources": "hr", "Finance": "news", "Legal": "news",
    "General management": "news",
}


def _slugify(name: str, used: set[str]) -> str:
    from django.utils.text import slugify

    base = slugify(name)[:120] or "espace"
    slug, n = base, 1
    while slug in used:
        n += 1
        slug = f"{base}-{n}"
    used.add(slug)
    return slug


class _Builder:
    def __init__(self, organisation: Organisation, *, seed: int, months: int, spaces: int | None,
                 posts_and_comments: int | None, timezone_name: str):
        self.org = organisation
        self.people = organisation.people
        self.rng = random.Random(f"activity:{seed}")
        self.tz = ZoneInfo(timezone_name)
        self.today = organisation.today
        self.end = self.today - timedelta(days=1)
        self.start = self.today - timedelta(days=max(1, round(months * 30.44)))
        self.space_count = spaces
        self.target = posts_and_comments
        self.events: list = []
        self.notifications: list = []

    # -- helpers -----------------------------------------------------------------------
    def moment(self, day: date, *, after: datetime | None = None) -> datetime:
        """A working-hours moment on ``day`` (after ``after`` when given, same day)."""
        rng = self.rng
        hour = rng.choice((8, 9, 9, 10, 10, 11, 11, 12, 13, 14, 14, 15, 15, 16, 16, 17, 18))
        at = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=self.tz)
        if after is not None and at <= after:
            at = after + timedelta(minutes=rng.randint(5, 180))
        return at

    def day_of(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    def language_of(self, person: PersonData) -> str:
        return COUNTRIES[person.country].language

    def text(self, language: str, key: str, theme: str, site: str) -> str:
        template = self.rng.choice(PHRASES[language][key])
        subject = self.rng.choice(SUBJECTS[language][theme])
        sentence = template.format(subject=subject, site=site)
        return sentence[0].upper() + sentence[1:]

    def event(self, person: int, at: datetime, kind: str, about: str = "", ref=None) -> None:
        self.events.append((person, at, kind, about, ref))

    # -- who people are ----------------------------------------------------------------
    def profiles(self) -> None:
        rng = self.rng
        self.archetype: dict[int, str] = {}
        self.first_day: dict[int, date] = {}
        self.last_day: dict[int, date] = {}
        self.volume: dict[int, float] = {}
        self.p_active: dict[int, float] = {}
        period = (self.end - self.start).days
        self.informed: dict[int, datetime] = {}
        for person in self.people:
            if person.departed_on is None or person.departed_on > self.start:
                day = max(self.start, person.start_date)
                self.informed[person.index] = datetime.combine(day, time(9), tzinfo=self.tz)
            energy = SITE_ENERGY.get(person.site, 1.0) * DEPARTMENT_ENERGY.get(person.department, 1.0)
            roll = rng.random()
            champion = 0.012 * energy
            contributor = champion + 0.05 * energy
            interactor = contributor + min(0.55, 0.2 * math.sqrt(energy))
            silent = 1.0 - min(0.3, 0.07 / max(energy, 0.2))
            if person.index == 0:
                archetype = CHAMPION
            elif roll < champion:
                archetype = CHAMPION
            elif roll < contributor:
                archetype = CONTRIBUTOR
            elif roll < interactor:
                archetype = INTERACTOR
            elif roll < silent:
                archetype = READER
            else:
                archetype = SILENT
            self.archetype[person.index] = archetype
            earliest = max(self.start, person.start_date)
            latest = self.end if person.departed_on is None else min(self.end, person.departed_on - timedelta(days=1))
            if archetype == SILENT or latest < earliest:
                self.archetype[person.index] = SILENT
                continue
            rates = RATES[archetype]
            # Adoption: most at launch, the others later (some in the last four weeks).
            if person.index == 0 or rng.random() < 0.62:
                offset = rng.randint(0, 14)
            else:
                offset = int(rng.expovariate(1 / max(1, period / 3)))
            first = earliest + timedelta(days=min(offset, max(0, (latest - earliest).days)))
            last = latest
            # Lively segments keep their people; dormant ones lose them.
            churn = min(0.8, rates.churn / math.sqrt(max(energy, 0.3)))
            if person.index != 0 and rng.random() < churn:
                silent_from = self.end - timedelta(days=rng.randint(29, max(29, period)))
                last = min(last, silent_from)
            if last < first:
                last = first
            self.first_day[person.index] = first
            self.last_day[person.index] = last
            self.p_active[person.index] = rng.uniform(*rates.active)
            self.volume[person.index] = _pareto(rng) if archetype in (CONTRIBUTOR, CHAMPION) else 1.0
        self.active_people = [p.index for p in self.people if p.index in self.first_day]

    # -- spaces and who is in them -----------------------------------------------------
    def in_audience(self, person: PersonData, audience: list[tuple[str, str]]) -> bool:
        if not audience:
            return True
        fields: dict[str, set[str]] = {}
        for name, value in audience:
            fields.setdefault(name, set()).add(value)
        values = {"site": person.site, "department": person.department, "country": person.country}
        return all(values[name] in allowed for name, allowed in fields.items())

    def spaces(self) -> None:
        rng = self.rng
        catalogue = _space_catalogue()
        count = len(catalogue) if self.space_count is None else self.space_count
        used: set[str] = set()
        self.space_list: list[SpaceData] = []
        by_department: dict[str, list[PersonData]] = {}
        for person in self.people:
            by_department.setdefault(person.department, []).append(person)
        for number in range(count):
            if number < len(catalogue):
                spec = dict(catalogue[number])
            else:
                kind, visibility, policy = EXTRA_KINDS[number % len(EXTRA_KINDS)]
                department = rng.choice(sorted(by_department))
                theme = THEME_OF_DEPARTMENT.get(department, "project")
                language = rng.choice(("fr", "fr", "en", "en", "de", "es", "it"))
                name = f"{'Projet' if kind == 'project' else 'Communauté'} {rng.choice(PROJECT_NAMES)} {number}"
                spec = dict(name=name, kind=kind, visibility=visibility, join_policy=policy, language=language,
                            theme=theme, owner=f"dept:{department}", weight=rng.uniform(0.3, 1.5),
                            purpose=self.text(language, "discussion", theme, HEAD_OFFICE))
            created_day = self.start + timedelta(days=rng.randint(0, 20) if number else 0)
            if number >= len(catalogue) and rng.random() < 0.3:
                created_day = self.start + timedelta(days=rng.randint(0, max(0, (self.end - self.start).days - 30)))
            space = SpaceData(
                index=number, name=spec["name"], slug=_slugify(spec["name"], used), kind=spec["kind"],
                visibility=spec["visibility"], join_policy=spec["join_policy"], language=spec["language"],
                theme=spec["theme"], purpose=spec["purpose"], rules=spec.get("rules", ""),
                audience=list(spec.get("audience", [])), weight=spec.get("weight", 1.0),
                site=spec.get("site", HEAD_OFFICE), created_at=self.moment(created_day),
            )
            if spec.get("archived"):
                space.archived_at = self.moment(max(created_day, self.end - timedelta(days=45)))
            space.spec = spec
            self.space_list.append(space)
        self.memberships_build(by_department)

    def engaged_first(self, candidates: list[int]) -> list[int]:
        order = {CHAMPION: 0, CONTRIBUTOR: 1, INTERACTOR: 2, READER: 3, SILENT: 4}
        return sorted(candidates, key=lambda i: (order[self.archetype[i]], self.rng.random()))

    def memberships_build(self, by_department) -> None:
        rng = self.rng
        self.membership_list: list[MembershipData] = []
        self.member_spaces: dict[int, list[tuple[int, datetime]]] = {i: [] for i in range(len(self.people))}
        self.space_members: dict[int, list[int]] = {}
        self.roles: dict[tuple[int, int], str] = {}
        ceo = next(p for p in self.people if p.manager is None)
        for space in self.space_list:
            spec = space.spec
            audience = [p for p in self.people if p.departed_on is None and self.in_audience(p, space.audience)]
            owner_rule = spec["owner"]
            if owner_rule == "camille":
                owner = self.people[0]
            elif owner_rule == "ceo":
                owner = ceo
            else:
                kind, _, value = owner_rule.partition(":")
                pool = [p for p in audience if (kind == "dept" and p.department == value)
                        or (kind == "site" and p.site == value) or kind == "any"] or audience or [self.people[0]]
                # The most engaged person of the pool leads the space, a manager when possible.
                pool_ids = self.engaged_first([p.index for p in pool])
                owner = self.people[pool_ids[0]]
            space.created_by = owner.index
            members: dict[int, str] = {owner.index: "owner"}
            if spec.get("editors") == "camille":
                members[0] = "editor"
            if spec.get("members") == "directors":
                chosen = [p.index for p in self.people if p.level <= 2 and p.departed_on is None]
            elif spec.get("members") == "finance_legal":
                pool = [p.index for p in audience if p.department in ("Finance", "Legal", "General management")]
                chosen = self.engaged_first(pool)[: max(5, min(12, len(pool)))]
            else:
                share = {"public": 0.3, "private": 0.35, "secret": 0.05}[space.visibility]
                if space.kind == "editorial":
                    share = 0.12
                if space.kind == "project" and space.visibility != "public":
                    share = 0.08
                chosen = []
                for person in audience:
                    archetype = self.archetype[person.index]
                    boost = {CHAMPION: 3.0, CONTRIBUTOR: 2.0, INTERACTOR: 1.3, READER: 0.7, SILENT: 0.0}[archetype]
                    if rng.random() < share * boost * space.weight:
                        chosen.append(person.index)
                if len(chosen) < 4:
                    chosen += self.engaged_first([p.index for p in audience])[:4]
            for index in chosen:
                members.setdefault(index, "member")
            ranked = self.engaged_first([i for i, role in members.items() if role == "member"])
            for index in ranked[: 1 if len(ranked) < 20 else 2]:
                members[index] = "manager"
            if space.kind == "editorial":
                for index in ranked[2:5]:
                    members[index] = "editor"
            end_of_space = space.archived_at or datetime.combine(self.end, time(19), tzinfo=self.tz)
            for index, role in members.items():
                person = self.people[index]
                if index == owner.index:
                    joined = space.created_at
                else:
                    first = self.first_day.get(index)
                    if first is None or datetime.combine(first, time(8), tzinfo=self.tz) > end_of_space:
                        if role == "member" and index != 0:
                            continue
                        first = first or self.start
                    day = max(first, self.day_of(space.created_at)) + timedelta(days=rng.randint(0, 10))
                    day = min(day, self.last_day.get(index, day), self.day_of(end_of_space))
                    joined = self.moment(day, after=space.created_at if day == self.day_of(space.created_at) else None)
                if person.departed_on is not None and self.day_of(joined) >= person.departed_on:
                    continue
                invited_by = owner.index if space.join_policy == "invite" and index != owner.index else None
                self.membership_list.append(MembershipData(space.index, index, role, "active", joined, joined, invited_by))
                self.member_spaces[index].append((space.index, joined))
                self.space_members.setdefault(space.index, []).append(index)
                self.roles[(space.index, index)] = role
                self.event(index, joined, "join", "space", space.index)
                if invited_by is not None:
                    self.event(owner.index, joined - timedelta(hours=rng.randint(1, 48)), "invite", "space", space.index)
            # Pending: requests to private spaces, invitations to secret and invite-only ones.
            if space.archived_at is None:
                outsiders = [p.index for p in audience if p.index not in members and p.index in self.first_day]
                rng.shuffle(outsiders)
                managers = [i for i, r in members.items() if r in ("owner", "manager")]
                if space.visibility == "private" and space.join_policy == "request":
                    for index in list(outsiders[: rng.randint(1, 3)]):
                        at = self.moment(max(self.first_day[index], self.end - timedelta(days=rng.randint(0, 6))))
                        self.membership_list.append(MembershipData(space.index, index, "member", "requested", at))
                        for manager in managers:
                            self.notifications.append((manager, "join_request", index, space.index, None, None, at))
                        outsiders.remove(index)
                if space.join_policy == "invite" or space.visibility == "secret":
                    for index in outsiders[:1]:
                        at = self.moment(self.end - timedelta(days=rng.randint(0, 5)))
                        self.membership_list.append(MembershipData(space.index, index, "member", "invited", at, None, owner.index))
                        self.event(owner.index, at, "invite", "space", space.index)
                        self.notifications.append((index, "invitation", owner.index, space.index, None, None, at))

    # -- what people read and write ----------------------------------------------------
    def readable(self) -> None:
        """For each person, the spaces they read, with a weight: their own spaces first."""
        self.readable_spaces: dict[int, tuple[list[int], list[float]]] = {}
        public = [s for s in self.space_list if s.visibility == "public"]
        for index in self.active_people:
            person = self.people[index]
            weights: dict[int, float] = {}
            for space in public:
                if self.in_audience(person, space.audience):
                    weights[space.index] = space.weight
            for space_index, _joined in self.member_spaces[index]:
                weights[space_index] = weights.get(space_index, self.space_list[space_index].weight) * 4
            ordered = sorted(weights)
            cumulative, total = [], 0.0
            for space_index in ordered:
                total += weights[space_index]
                cumulative.append(total)
            self.readable_spaces[index] = (ordered, cumulative)

    def active_days(self, index: int) -> list[date]:
        rng = self.rng
        p = self.p_active[index]
        days = []
        day = self.first_day[index]
        last = self.last_day[index]
        while day <= last:
            chance = p if day.weekday() < 5 else p * 0.1
            if day == self.first_day[index] or rng.random() < chance:
                days.append(day)
            day += timedelta(days=1)
        return days

    def multiplier(self) -> float:
        """How much to scale contributors' and champions' writing to reach --posts-and-comments."""
        if not self.target:
            return 1.0
        natural, scaled = 0.0, 0.0
        for index in self.active_people:
            rates = RATES[self.archetype[index]]
            span = (self.last_day[index] - self.first_day[index]).days + 1
            days = span * (5 / 7 * self.p_active[index] + 2 / 7 * self.p_active[index] * 0.1) + 1
            writing = days * (rates.post + rates.comment) * self.volume[index]
            if self.archetype[index] in (CONTRIBUTOR, CHAMPION):
                scaled += writing
            else:
                natural += writing
        return max(1.0, (self.target - natural) / max(scaled, 1.0))

    def build(self) -> Activity:
        rng = self.rng
        self.profiles()
        self.spaces()
        self.readable()
        scale = self.multiplier()
        self.posts: list[PostData] = []
        self.comments: list[CommentData] = []
        acts: list[tuple[datetime, int, int, str]] = []  # at, order, person, act
        order = 0
        visits, searches = [], []
        for index in self.active_people:
            person = self.people[index]
            rates = RATES[self.archetype[index]]
            volume = self.volume[index]
            writing = scale if self.archetype[index] in (CONTRIBUTOR, CHAMPION) else 1.0
            for day in self.active_days(index):
                at = self.moment(day)
                visits.append((index, day, at))
                self.event(index, at, "visit")
                if rng.random() < (0.08 if self.archetype[index] == READER else 0.25):
                    search_at = at + timedelta(minutes=rng.randint(1, 30))
                    self.event(index, search_at, "search")
                plan = (
                    ["read"] * (1 + _poisson(rng, 1.5))
                    + ["react"] * _poisson(rng, rates.react)
                    + ["comment"] * _poisson(rng, rates.comment * volume * writing)
                    + ["share"] * _poisson(rng, rates.share * volume)
                )
                for act in plan:
                    order += 1
                    acts.append((at + timedelta(minutes=rng.randint(1, 240)), order, index, act))
                for _ in range(_poisson(rng, rates.post * volume * writing)):
                    self.post_write(person, at + timedelta(minutes=rng.randint(0, 300)))
            # A few follows over the person's time on the network.
            if self.archetype[index] != READER or rng.random() < 0.15:
                self.follows_add(index)
        self.camille_question()
        # Spaces' posts in time order, for the acts to find what was there at their time.
        self.space_posts: dict[int | None, list[tuple[datetime, int]]] = {}
        for post in self.posts:
            self.space_posts.setdefault(post.space, []).append((post.created_at, post.index))
        for entries in self.space_posts.values():
            entries.sort()
        self.post_comments: dict[int, list[int]] = {}
        self.reaction_keys: set = set()
        self.reactions: list = []
        self.read_keys: set = set()
        self.reads: list = []
        acts.sort()
        for at, _order, index, act in acts:
            self.act(at, index, act)
        self.accept_answers()
        self.notify_mentions()
        return Activity(
            spaces=self.space_list, memberships=self.membership_list, posts=self.posts, comments=self.comments,
            reactions=self.reactions, follows=self.follow_list, reads=self.reads, visits=visits,
            events=self.events, notifications=self.notifications, informed=self.informed, archetypes=self.archetype,
            camille_open_question=self.camille_open, start=self.start, end=self.end,
        )

    def follows_add(self, index: int) -> None:
        rng = self.rng
        person = self.people[index]
        if not hasattr(self, "follow_list"):
            self.follow_list, self.follow_keys = [], set()
        spaces, _ = self.readable_spaces[index]
        if not hasattr(self, "reports"):
            self.reports: dict[int | None, list[int]] = {}
            for other in self.people:
                self.reports.setdefault(other.manager, []).append(other.index)
        colleagues = [i for i in self.reports.get(person.manager, []) if i != index][:30]
        targets = [("space", s) for s in rng.sample(spaces, min(len(spaces), rng.randint(0, 3)))]
        targets += [("person", c) for c in rng.sample(colleagues, min(len(colleagues), rng.randint(0, 3)))
                    if self.people[c].departed_on is None]
        language = self.language_of(person) if self.language_of(person) in THEME_TAGS else "en"
        if rng.random() < 0.4:
            targets.append(("tag", THEME_TAGS[language][rng.choice(sorted(THEME_TAGS[language]))]))
        span = (self.last_day[index] - self.first_day[index]).days
        for kind, target in targets:
            if (index, kind, target) in self.follow_keys:
                continue
            self.follow_keys.add((index, kind, target))
            at = self.moment(self.first_day[index] + timedelta(days=rng.randint(0, span)))
            self.follow_list.append((index, kind, target, at))
            self.event(index, at, "follow", kind, target)

    def mention_for(self, author: int, space: int | None) -> int | None:
        """A colleague the author may mention: someone of the space, or of their team."""
        rng = self.rng
        if space is not None and self.space_list[space].visibility != "public":
            pool = self.space_members.get(space, [])
        else:
            manager = self.people[author].manager
            pool = [p.index for p in self.people[max(0, author - 15): author + 15] if p.manager == manager]
            if space is not None:
                pool += self.space_members.get(space, [])[:40]
        pool = [i for i in pool if i != author and self.people[i].departed_on is None]
        return rng.choice(pool) if pool else None

    def paragraphs(self, author: int, space: int | None, key: str, language: str, theme: str, site: str) -> tuple[list[str], list[int]]:
        rng = self.rng
        paragraphs = [self.text(language, key, theme, site)]
        mentions = []
        if rng.random() < RATES[self.archetype[author]].mention:
            mentioned = self.mention_for(author, space)
            if mentioned is not None:
                handle = "@" + self.people[mentioned].email.split("@")[0]
                paragraphs.append(rng.choice(PHRASES[language]["mention"]).format(mention=handle))
                mentions.append(mentioned)
        return paragraphs, mentions

    def post_write(self, person: PersonData, at: datetime, *, kind: str | None = None, space: int | None = -1) -> PostData | None:
        rng = self.rng
        index = person.index
        if space == -1:
            joined = [(s, j) for s, j in self.member_spaces[index] if j < at
                      and (self.space_list[s].archived_at is None or self.space_list[s].archived_at > at)]
            if joined and rng.random() < 0.93:
                weights = [self.space_list[s].weight for s, _ in joined]
                space = rng.choices([s for s, _ in joined], weights)[0]
            else:
                space = None
        role = self.roles.get((space, index)) if space is not None else None
        data = self.space_list[space] if space is not None else None
        if kind is None:
            kinds, weights = ["discussion", "question"], [6, 3]
            if data is None or data.kind != "editorial" or role in ("owner", "manager", "editor"):
                kinds.append("article")
                weights.append(1)
            if data is not None and (role in ("owner", "manager") or (data.kind == "editorial" and role == "editor")):
                kinds.append("announcement")
                weights.append(4 if data.kind == "editorial" else 1)
            kind = rng.choices(kinds, weights)[0]
        if data is not None:
            language, theme, site = data.language, data.theme, data.site
        else:
            language = self.language_of(person)
            language = language if language in PHRASES else "en"
            theme, site = rng.choice(sorted(SUBJECTS[language])), person.site
        title = ""
        if kind in ("announcement", "article"):
            title = self.text(language, f"{kind}_title", theme, site)
            paragraphs = [self.text(language, kind, theme, site)]
            mentions = []
        else:
            paragraphs, mentions = self.paragraphs(index, space, kind, language, theme, site)
        tags = []
        if rng.random() < (0.6 if kind in ("announcement", "article") else 0.3):
            tags.append(THEME_TAGS[language][theme])
            if rng.random() < 0.3:
                tags.append(rng.choice(EXTRA_TAGS[language]))
            paragraphs.append(" ".join(f"#{t}" for t in tags))
        post = PostData(len(self.posts), space, index, kind, title, paragraphs, at, language, tags=tags, mentions=mentions)
        if kind == "question":
            post.due_at = add_working_days(at, DEFAULT_ANSWER_DELAY_DAYS)
        self.posts.append(post)
        self.event(index, at, "post", "post", post.index)
        for mentioned in mentions:
            self.event(index, at, "mention", "post", post.index)
        return post

    def camille_question(self) -> None:
        """Camille asked a question yesterday that nobody answered yet: the demo answers it
        live (``demo`` calls the network's action), so her bell shows an answer."""
        camille = self.people[0]
        space = next((s.index for s in self.space_list if s.spec.get("owner") == "camille"), None)
        at = self.moment(self.end)
        post = self.post_write(camille, at, kind="question", space=space)
        self.camille_open = post.index
        post.answered = True  # keeps the generated acts away from it

    def pick_post(self, index: int, at: datetime, *, prefer_questions: bool = False) -> PostData | None:
        rng = self.rng
        spaces, cumulative = self.readable_spaces[index]
        if not spaces:
            return None
        for _attempt in range(3):
            space = spaces[bisect.bisect_left(cumulative, rng.random() * cumulative[-1])]
            entries = self.space_posts.get(space)
            if not entries:
                continue
            high = bisect.bisect_left(entries, (at, -1))
            low = bisect.bisect_left(entries, (at - timedelta(days=14), -1))
            if high <= low:
                continue
            if prefer_questions:
                for position in range(high - 1, max(low, high - 30) - 1, -1):
                    post = self.posts[entries[position][1]]
                    if post.kind == "question" and not post.answered and post.author != index:
                        return post
            position = max(low, high - 1 - int(rng.expovariate(0.25)))
            return self.posts[entries[position][1]]
        return None

    def act(self, at: datetime, index: int, act: str) -> None:
        rng = self.rng
        archetype = self.archetype[index]
        post = self.pick_post(index, at, prefer_questions=act == "comment" and rng.random() < 0.5)
        if post is None:
            return
        day = self.day_of(at)
        archived = post.space is not None and (self.space_list[post.space].archived_at or at) < at
        if act == "read" or archived:
            if (index, post.index, day) not in self.read_keys:
                self.read_keys.add((index, post.index, day))
                self.reads.append((index, post.index, day, at))
                self.event(index, at, "read", "post", post.index)
            return
        if (index, post.index, day) not in self.read_keys:
            self.read_keys.add((index, post.index, day))
            read_at = at - timedelta(minutes=1)
            self.reads.append((index, post.index, day, read_at))
            self.event(index, read_at, "read", "post", post.index)
        if act == "react":
            comments = self.post_comments.get(post.index, [])
            comment = rng.choice(comments) if comments and rng.random() < 0.25 else None
            kind = rng.choices(("like", "thanks", "insightful", "celebrate", "support"), (10, 3, 3, 2, 2))[0]
            key = (index, post.index, comment, kind)
            if key in self.reaction_keys or (comment is None and post.author == index):
                return
            self.reaction_keys.add(key)
            self.reactions.append((index, post.index, comment, kind, at))
            self.event(index, at, "react", "comment" if comment is not None else "post", comment if comment is not None else post.index)
        elif act == "comment":
            self.comment_write(index, post, at)
        elif act == "share":
            if post.space is None or self.space_list[post.space].visibility != "public" or post.shared_post is not None:
                return
            targets = [s for s, j in self.member_spaces[index] if j < at and s != post.space
                       and self.space_list[s].archived_at is None]
            space = rng.choice(targets) if targets and rng.random() < 0.7 else None
            language = self.space_list[space].language if space is not None else post.language
            share = PostData(len(self.posts), space, index, "discussion", "",
                             [rng.choice(PHRASES[language]["share"])], at, language, shared_post=post.index)
            self.posts.append(share)
            bisect.insort(self.space_posts.setdefault(space, []), (at, share.index))
            self.event(index, at, "share", "post", share.index)

    def comment_write(self, index: int, post: PostData, at: datetime) -> None:
        rng = self.rng
        comments = self.post_comments.setdefault(post.index, [])
        parent = None
        top = [c for c in comments if self.comments[c].parent is None and self.comments[c].author != index]
        if top and rng.random() < 0.3:
            parent = rng.choice(top)
        answer = post.kind == "question" and parent is None and post.author != index
        key = "reply" if parent is not None else ("answer" if answer else "comment")
        space = self.space_list[post.space] if post.space is not None else None
        site = space.site if space is not None else self.people[index].site
        theme = space.theme if space is not None else "network"
        paragraphs, mentions = self.paragraphs(index, post.space, key, post.language, theme, site)
        comment = CommentData(len(self.comments), post.index, index, parent, paragraphs, at, answer, mentions)
        self.comments.append(comment)
        comments.append(comment.index)
        if post.kind == "question" and post.author == index and parent is None:
            kind = "comment"
        else:
            kind = "answer" if answer else "comment"
        if answer:
            post.answered = True
        self.event(index, at, kind, "comment", comment.index)
        for _ in mentions:
            self.event(index, at, "mention", "comment", comment.index)
        told = set()
        if parent is not None:
            recipient = self.comments[parent].author
            self.notifications.append((recipient, "reply", index, post.space, post.index, comment.index, at))
            told.add(recipient)
        if post.author not in told and post.author != index:
            self.notifications.append(
                (post.author, "answer" if answer else "reply", index, post.space, post.index, comment.index, at)
            )

    def accept_answers(self) -> None:
        """About half of the answered questions get an accepted answer, by the asker."""
        rng = self.rng
        for post in self.posts:
            if post.kind != "question" or post.index == self.camille_open:
                continue
            answers = [c for c in self.post_comments.get(post.index, []) if self.comments[c].is_answer]
            if answers and rng.random() < 0.5:
                chosen = self.comments[rng.choice(answers[:3])]
                post.accepted_comment = chosen.index
                at = chosen.created_at + timedelta(hours=rng.randint(1, 30))
                self.notifications.append((chosen.author, "accepted", post.author, post.space, post.index, chosen.index, at))

    def notify_mentions(self) -> None:
        """Mentioned people who may read the post are told (like the network's action)."""
        for post in self.posts:
            self._notify(post.mentions, post.author, post, None, post.created_at)
        for comment in self.comments:
            post = self.posts[comment.post]
            self._notify(comment.mentions, comment.author, post, comment.index, comment.created_at)

    def _notify(self, mentioned, author, post, comment, at) -> None:
        for person in mentioned:
            if post.space is None or self.space_list[post.space].visibility == "public" or person in self.space_members.get(post.space, ()):
                self.notifications.append((person, "mention", author, post.space, post.index, comment, at))


def activity_build(
    organisation: Organisation,
    *,
    seed: int,
    months: int = 6,
    spaces: int | None = None,
    posts_and_comments: int | None = None,
    timezone_name: str = "Europe/Paris",
) -> Activity:
    """The demo network's activity over ``months`` months until yesterday, always the same
    for the same arguments. ``spaces`` and ``posts_and_comments`` change the scale (for
    benchmarks): the catalogue of spaces is completed with generated projects and
    communities, and contributors write more."""
    builder = _Builder(organisation, seed=seed, months=months, spaces=spaces,
                       posts_and_comments=posts_and_comments, timezone_name=timezone_name)
    return builder.build()
