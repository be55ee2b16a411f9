"""The demo's initiative: the demo login leads a project community with its checklist
done, a blockers log (one open, one resolved), a published case study, thanks received,
and agreed to appear among the top contributors. Small, so written through the programs'
actions: the ledger events, notifications and rules are the real ones."""

from django.db.models import Q

from bascule.network import actions as network_actions
from bascule.network.models import PostKind, Visibility
from bascule.people.models import Person
from bascule.programs import actions
from bascule.programs.models import RoleKind

from .organisation import DEMO_LOGIN_EMAIL, DEMO_OPERATOR_EMAIL


def initiatives_load() -> dict[str, int]:
    """Load the demo initiative; nothing when the demo login or enough colleagues are missing."""
    lead = Person.objects.filter(user__email=DEMO_LOGIN_EMAIL).first()
    operator = Person.objects.filter(user__email=DEMO_OPERATOR_EMAIL).first()
    if lead is None or operator is None:
        return {"initiatives": 0}
    present = Person.objects.filter(departed_on__isnull=True, user__is_active=True).exclude(pk__in=[lead.pk, operator.pk])
    colleagues = list(present.filter(Q(department=lead.department_id) | Q(site=lead.site_id)).order_by("pk")[:4])
    reviewer = present.exclude(pk__in=[c.pk for c in colleagues]).order_by("pk").first()
    if len(colleagues) < 4 or reviewer is None:
        return {"initiatives": 0}
    actions.role_assign(actor=operator, person=reviewer, kind=RoleKind.COMMUNITY_MANAGER)

    initiative = actions.initiative_launch(
        actor=lead,
        title="Zéro papier en agence",
        space_name="Projet Zéro papier en agence",
        purpose="Supprimer les impressions inutiles dans les agences, en partageant les astuces de chacun.",
        rules="On partage ce qui marche, chiffres à l'appui. Pas de reproche : chaque agence part de loin.",
        visibility=Visibility.PUBLIC,
    )
    space = initiative.space
    network_actions.post_create(
        actor=lead, space=space, kind=PostKind.DISCUSSION, title="Notre point de départ",
        body="Chaque agence imprime en moyenne 1 200 pages par semaine. Objectif : diviser par deux d'ici l'été.",
    )
    network_actions.post_create(
        actor=lead, space=space, kind=PostKind.QUESTION, title="Qu'imprimez-vous encore, et pourquoi ?",
        body="Dites-nous quels documents vous imprimez encore : on cherchera ensemble une alternative.",
    )
    for colleague in colleagues[:3]:
        network_actions.space_invite(actor=lead, space=space, person=colleague)
    solved = actions.blocker_add(
        actor=lead, initiative=initiative, text="Les managers d'agence n'ont pas le temps de relayer le projet en réunion.",
    )
    actions.blocker_resolve(actor=lead, blocker=solved)
    actions.blocker_add(
        actor=lead, initiative=initiative, text="Le logiciel de contrats exige encore une signature papier.",
    )
    case_study = actions.case_study_save(
        actor=lead,
        initiative=initiative,
        title="Zéro papier en agence : 45 % d'impressions en moins en trois mois",
        context="Les agences imprimaient par habitude : contrats, plannings, notes internes. Personne ne savait "
        "ce qui était vraiment nécessaire.",
        actions_taken="Un espace projet ouvert à toutes les agences, une question par semaine sur un type de "
        "document, et les meilleures astuces épinglées. Trois agences pilotes ont montré l'exemple.",
        results="45 % d'impressions en moins en trois mois dans les agences pilotes ; 60 membres actifs ; "
        "une trentaine d'astuces partagées.",
        lessons="Commencer par une question concrète plutôt qu'une charte. Mettre en avant les agences qui "
        "progressent. Lever tôt les freins managériaux avec le référent.",
        contact=lead,
        tags="agences, logistique, développement durable",
    )
    actions.case_study_submit(actor=lead, case_study=case_study)
    actions.case_study_review(
        actor=reviewer, case_study=case_study, approve=True, note="Très clair, les chiffres parlent d'eux-mêmes.",
    )
    for colleague, words in zip(
        colleagues[:2],
        ("Merci pour l'énergie mise dans le projet Zéro papier !", "Merci pour tes astuces sur les plannings partagés."),
        strict=True,
    ):
        actions.recognize(actor=colleague, recipient=lead, message=words)
    actions.contributor_consent_set(actor=lead, shown=True)
    return {"initiatives": 1, "case_studies": 1}
