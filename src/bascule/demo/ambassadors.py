"""The demo's ambassador program, told through the program's own actions: an HR
validator, a first campaign closed months ago whose ambassadors cover some sites (Camille,
the demo login, among them), and a second campaign open now with applications at every
step — so that the coverage page shows ambassadors on some sites and gaps on others.

Deterministic: people are picked by their order in the organisation, never at random.
"""

import datetime

from django.db.models import Q
from django.utils import translation

from bascule.adoption.actions import stage_changes_record
from bascule.adoption.ledger import event_record, organisation_timezone
from bascule.adoption.models import EventKind
from bascule.people.models import Department, Person
from bascule.programs import actions
from bascule.programs import ambassadors_queries as aq
from bascule.programs.models import AmbassadorLog, Application, RoleKind

from .organisation import DEMO_LOGIN_EMAIL, DEMO_OPERATOR_EMAIL

# Sites whose ambassadors the first campaign recruited (how many); the others are gaps.
FIRST_WAVE = {"Lyon": 2, "Paris": 2, "Munich": 1, "London": 1, "Madrid": 1}


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=organisation_timezone())


def _decide(application, *, hr, day, reason_hr, reason_manager=None, operator):
    actions.application_hr_decide(actor=hr, application=application, approve=True, reason=reason_hr)
    if reason_manager is None:
        return
    manager = aq.manager_of(application.candidate) or operator
    actions.application_manager_decide(
        actor=manager, application=application, confirm=True, reason=reason_manager, today=day
    )


def ambassadors_load(*, today: datetime.date, log=None) -> dict[str, int]:
    """Load the demo's ambassador program; returns what it wrote. The head office is in
    France: the program's spaces get their French names."""
    with translation.override("fr"):
        return _load(today=today, log=log)


def _load(*, today: datetime.date, log=None) -> dict[str, int]:
    operator = Person.objects.get(user__email=DEMO_OPERATOR_EMAIL)
    camille = Person.objects.get(user__email=DEMO_LOGIN_EMAIL)
    it = Department.objects.filter(name="IT").first()
    excluded = {"department": [it.pk]} if it else {}
    hr = (
        Person.objects.filter(department__name="Human resources", departed_on__isnull=True)
        .exclude(pk=operator.pk).order_by("pk").first()
    ) or operator
    actions.role_assign(
        actor=operator, person=hr, kind=RoleKind.HR_VALIDATOR, starts_on=today - datetime.timedelta(days=400)
    )
    # The journey of yesterday, so that the campaign page can suggest regular contributors.
    stage_changes_record(day=today - datetime.timedelta(days=1))

    # A first wave, closed four months ago.
    opened = today - datetime.timedelta(days=150)
    first = actions.campaign_create(
        actor=operator, title="Ambassadeurs du réseau — première vague",
        pitch=(
            "Vous aimez partager ce qui marche ? Devenez ambassadeur ou ambassadrice du réseau sur votre site : "
            "montrez à vos collègues comment il aide au quotidien. Formation avancée, avant-premières et une "
            "communauté d'ambassadeurs à la clé."
        ),
        opens_on=opened, closes_on=opened + datetime.timedelta(days=30), excluded=excluded, min_tenure_months=6,
        today=opened,
    )
    first = aq.campaign_with_rules(first.pk)
    eligible = list(aq.eligible_people(first, opened).exclude(pk__in=[hr.pk, operator.pk]).select_related("site", "manager").order_by("pk"))
    chosen = [camille] if camille in eligible else []
    for site, count in FIRST_WAVE.items():
        here = [p for p in eligible if p.site and p.site.name == site and p not in chosen]
        chosen += here[: count - (1 if site == "Lyon" and chosen else 0)]
    decided = opened + datetime.timedelta(days=35)
    for index, person in enumerate(chosen):
        application = actions.application_submit(
            actor=person, campaign=first, today=opened + datetime.timedelta(days=2),
            motivation="J'aide déjà mon équipe à utiliser les espaces : j'aimerais le faire pour tout le site.",
        )
        _decide(application, hr=hr, day=decided, operator=operator, reason_hr="Profil idéal, très actif sur le réseau.",
                reason_manager="D'accord, une heure par semaine pour accompagner l'équipe.")
    refused = next((p for p in eligible if p not in chosen and p.manager_id), None)
    if refused is not None:
        application = actions.application_submit(
            actor=refused, campaign=first, today=opened + datetime.timedelta(days=3), motivation="Pourquoi pas moi ?"
        )
        actions.application_hr_decide(
            actor=hr, application=application, approve=False,
            reason="Merci ! Vous arrivez sur un nouveau poste : nous vous recontacterons à la prochaine vague.",
        )
    # Tell the story at its own dates: the applications and their log entries.
    for application in Application.objects.filter(campaign=first).select_related("candidate"):
        submitted = _moment(opened + datetime.timedelta(days=2), 10)
        Application.objects.filter(pk=application.pk).update(
            created_at=submitted, submitted_at=submitted, updated_at=_moment(decided, 16),
            hr_decided_at=_moment(opened + datetime.timedelta(days=20), 11) if application.hr_decided_at else None,
            manager_decided_at=_moment(decided, 16) if application.manager_decided_at else None,
        )
    AmbassadorLog.objects.filter(Q(campaign=first) | Q(application__campaign=first)).update(created_at=_moment(decided, 16))

    # A second wave, open now, to fill the gaps.
    second = actions.campaign_create(
        actor=operator, title="Ambassadeurs du réseau — deuxième vague",
        pitch=(
            "Plusieurs sites n'ont pas encore d'ambassadeur. Vous connaissez bien votre équipe et le réseau vous "
            "rend service ? Candidatez, ou proposez un collègue : les RH puis votre manager valident."
        ),
        opens_on=today - datetime.timedelta(days=10), closes_on=today + datetime.timedelta(days=20),
        excluded=excluded, min_tenure_months=6,
    )
    second = aq.campaign_with_rules(second.pk)
    ambassadors = set(Application.objects.filter(campaign=first, assignment__isnull=False).values_list("candidate", flat=True))
    candidates = [
        p for p in aq.eligible_people(second).exclude(pk__in=[hr.pk, operator.pk, camille.pk, *ambassadors])
        .select_related("site").order_by("pk")
        if p.site and p.site.name not in FIRST_WAVE
    ]
    waiting = candidates[:4]
    for person in waiting[:3]:
        actions.application_submit(
            actor=person, campaign=second,
            motivation="Sur mon site, beaucoup de collègues ne savent pas encore à quoi sert le réseau : je peux les aider.",
        )
    if waiting[2:3]:
        application = Application.objects.get(campaign=second, candidate=waiting[2])
        actions.application_hr_decide(actor=hr, application=application, approve=True, reason="Très bon profil pour ce site.")
    if waiting[3:4]:
        actions.application_nominate(
            actor=camille, campaign=second, candidate=waiting[3],
            note="Toujours la première à répondre aux questions de son équipe.",
        )
    # What the ambassadors did lately: a few accompaniments of colleagues of their site.
    accompanied = 0
    for ambassador in Person.objects.filter(pk__in=ambassadors).select_related("site").order_by("pk"):
        colleagues = list(
            Person.objects.filter(site=ambassador.site, departed_on__isnull=True).exclude(pk=ambassador.pk).order_by("pk")[:3]
        )
        for offset, colleague in enumerate(colleagues):
            event_record(
                person=ambassador, kind=EventKind.ACCOMPANY, about=colleague,
                occurred_at=_moment(today - datetime.timedelta(days=3 + offset * 4), 14),
            )
            accompanied += 1
    written = {
        "campaigns": 2,
        "ambassadors": len(ambassadors),
        "applications": Application.objects.count(),
        "accompaniments": accompanied,
    }
    if log:
        log(f"ambassador program: {written}")
    return written
