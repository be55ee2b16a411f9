"""The demo's governance frame, told through the programs' own actions: a referent per
country (Camille, the demo login, for France), a moderator, and requests to the referents
in every status — one of them overdue — so that "Who can help me", the inbox and the
requests' volumes and delays have something to show.

Deterministic: people are picked by their order in the organisation, never at random.
"""

import datetime

from django.utils import timezone

from bascule.people.models import Country, Person
from bascule.programs import actions
from bascule.programs.models import Request, RequestKind, RequestStatus, RoleKind

from .organisation import DEMO_LOGIN_EMAIL, DEMO_OPERATOR_EMAIL

# (kind, title, details, statuses to move through, days ago it was filed)
REQUESTS = [
    (RequestKind.SUGGESTION, "Un espace d'astuces pour les commerciaux",
     "Un seul endroit où partager ce qui marche avec les clients, plutôt que des fils d'e-mails.", [], 1),
    (RequestKind.SUGGESTION, "Traduire la charte en italien",
     "Nos collègues de Milan la liraient plus volontiers dans leur langue.", [], 9),
    (RequestKind.SUGGESTION, "Un résumé hebdomadaire par site",
     "Recevoir le vendredi les publications marquantes de mon site.", [RequestStatus.IN_PROGRESS], 4),
    (RequestKind.NEW_SPACE, "Espace « Covoiturage Lyon »",
     "Pour organiser les trajets domicile-travail entre collègues.", [RequestStatus.ACCEPTED], 12),
    (RequestKind.SUGGESTION, "Supprimer les réactions",
     "Je trouve qu'elles distraient des discussions.", [RequestStatus.REFUSED], 20),
    (RequestKind.SUGGESTION, "Épingler les règles de chaque espace",
     "Les nouveaux venus ne les trouvent pas.", [RequestStatus.ACCEPTED, RequestStatus.DONE], 30),
]
MESSAGES = {
    RequestStatus.IN_PROGRESS: "Bonne idée : je regarde avec l'équipe de la plateforme.",
    RequestStatus.ACCEPTED: "Accepté : c'est fait de notre côté, dites-nous si quelque chose manque.",
    RequestStatus.REFUSED: "Merci pour le retour ; les réactions restent, elles encouragent ceux qui n'osent pas encore écrire.",
    RequestStatus.DONE: "C'est en place depuis ce matin.",
}


def programs_load(*, today: datetime.date) -> dict[str, int]:
    """Load the demo's referents, moderator and requests; returns what it wrote."""
    operator = Person.objects.get(user__email=DEMO_OPERATOR_EMAIL)
    camille = Person.objects.get(user__email=DEMO_LOGIN_EMAIL)
    since = today - datetime.timedelta(days=365)
    referents = 0
    for country in Country.objects.order_by("name"):
        if camille.country_id == country.pk:
            referent = camille
        else:
            referent = (
                Person.objects.filter(country=country, departed_on__isnull=True, manager__isnull=False)
                .exclude(pk=operator.pk).order_by("pk").first()
            )
        if referent is None:
            continue
        actions.role_assign(
            actor=operator, person=referent, kind=RoleKind.REFERENT, scope={"country": [country.pk]}, starts_on=since
        )
        referents += 1
    moderator = Person.objects.filter(country=camille.country, departed_on__isnull=True).exclude(
        pk__in=[camille.pk, operator.pk]
    ).order_by("-pk").first()
    if moderator is not None:
        actions.role_assign(actor=operator, person=moderator, kind=RoleKind.MODERATOR, starts_on=since)

    # Requests of colleagues of Camille's country, so that they reach her inbox.
    requesters = list(
        Person.objects.filter(country=camille.country, departed_on__isnull=True)
        .exclude(pk__in=[camille.pk, operator.pk]).order_by("pk")[: len(REQUESTS)]
    )
    written = 0
    for requester, (kind, title, body, statuses, days_ago) in zip(requesters, REQUESTS):
        fields = {"space_name": title.split("«")[-1].strip(" »"), "space_purpose": body, "space_kind": "community",
                  "space_visibility": "public"} if kind == RequestKind.NEW_SPACE else {}
        request = actions.request_create(actor=requester, kind=kind, title=title, body=body, **fields)
        for status in statuses:
            request = actions.request_status_set(actor=camille, request=request, status=status, message=MESSAGES[status])
        # Filed some days ago: the delay runs from then (the oldest new one is overdue).
        moment = timezone.now() - datetime.timedelta(days=days_ago)
        delay = request.due_at - request.created_at
        Request.objects.filter(pk=request.pk).update(created_at=moment, due_at=moment + delay)
        written += 1
    return {"referents": referents, "requests": written}
