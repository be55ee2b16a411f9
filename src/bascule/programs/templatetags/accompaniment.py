"""The journey card of the home page (UI.md): my stage and one concrete suggestion,
shown to me only."""

from django import template

from bascule.adoption.journey import journey_stage_for

from .. import accompaniment_queries
from ..queries import today

register = template.Library()


@register.inclusion_tag("programs/accompaniment/_journey_card.html", takes_context=True)
def journey_card(context):
    """Two queries: my stage on today's rollups, and the playbooks."""
    person = context.get("person")
    if person is None:
        return {"stage": None}
    stage = journey_stage_for(person, today())
    if stage is None:
        return {"stage": None}
    return {"stage": stage, "playbook": accompaniment_queries.playbooks()[stage.stage]}
