"""Who answers for a space beyond its managers: the referents whose scope contains the
space's audience (accompaniment programs, ``bascule.programs``).

The rule: a referent's scope contains a space's audience when every person the audience
admits is in the scope, read field by field (both are "fields AND, values OR" filters over
department, business unit, legal entity, country and site):
- a referent for everyone (no scope row) answers for every space;
- otherwise, for every field the scope lists, the audience must list that field too, with
  values among the scope's (scope site ∈ {Lyon}: a space for Lyon, or for Lyon's Sales
  people, qualifies; a space for everyone, for Paris, or for Sales anywhere does not).
A space without audience is for everyone, so only the referents for everyone answer for
it. Fields are independent: a referent for France does not answer for a space limited to
the site of Lyon (Bascule does not infer that Lyon is in France).
Only referents active today and still with us count.
"""

from bascule.people.models import Person

from .models import Space, SpaceAudience


def space_referents(space: Space) -> list[Person]:
    """The referents to tell about ``space`` (see the rule above); three queries."""
    from bascule.programs.models import RoleKind
    from bascule.programs.queries import active_q, scope_of, today
    from bascule.programs.models import RoleAssignment

    audience: dict[str, set[int]] = {}
    for field, value in SpaceAudience.objects.filter(space=space).values_list("field", "value"):
        audience.setdefault(field, set()).add(value)
    assignments = (
        RoleAssignment.objects.filter(kind=RoleKind.REFERENT, person__departed_on__isnull=True)
        .filter(active_q(today()))
        .select_related("person")
        .prefetch_related("scope")
    )
    referents: dict[int, Person] = {}
    for assignment in assignments:
        scope = scope_of(assignment)
        if all(field in audience and audience[field] <= values for field, values in scope.items()):
            referents[assignment.person_id] = assignment.person
    return sorted(referents.values(), key=lambda person: person.display_name)
