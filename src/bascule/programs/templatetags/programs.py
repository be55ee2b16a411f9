"""The navigation entries of the programs: "Who can help me" for everyone, "Programs"
for the people holding a governance role (cached: no query on most pages)."""

from django import template

from .. import queries

register = template.Library()


@register.inclusion_tag("programs/partials/_nav.html", takes_context=True)
def programs_nav(context):
    person = context.get("person")
    return {"request": context.get("request"), "person": person, "governance": queries.navigation_entry(person)}


@register.inclusion_tag("programs/initiatives/_profile_thanks.html")
def profile_thanks(profile, is_me):
    """The thanks a person received, on their profile, with a button to thank them."""
    from .. import initiatives_queries

    return {"profile": profile, "is_me": is_me, "thanks": initiatives_queries.recognitions_of(profile)}


@register.inclusion_tag("programs/ambassadors/partials/_badge_if.html")
def ambassador_badge(person):
    """The ambassador badge of ``person`` (one query), for their profile."""
    from ..ambassadors_queries import ambassador_ids

    return {"p": person, "show": person is not None and person.pk in ambassador_ids([person])}


@register.simple_tag
def ambassador_ids(people):
    """The ids of ``people`` who are ambassadors, in one query for a whole page of the
    directory: ``{% ambassador_ids page.object_list as ambassadors %}``."""
    from ..ambassadors_queries import ambassador_ids as ids

    return ids(people)
