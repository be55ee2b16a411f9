"""Governance roles: scopes, active dates, who holds what for whom."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bascule.network import actions as network_actions
from bascule.network.models import Visibility
from bascule.network.referents import space_referents
from bascule.programs import actions, queries
from bascule.programs.models import ProgramLog, ProgramLogAction, RoleAssignment, RoleDescription, RoleKind
from bascule.adoption.models import Event
from tests.conftest import make_person

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 16)


def test_it_covers_everyone_without_scope_rows(ada, alice, carol):
    assignment = actions.role_assign(actor=ada, person=ada, kind=RoleKind.AMBASSADOR)
    assert queries.scope_contains(assignment, alice)
    assert queries.scope_contains(assignment, carol)
    assert set(queries.people_in_scope(assignment)) >= {alice, carol, ada}


def test_it_covers_sales_at_lyon_only(org, rita, alice, bob, carol, dave):
    assignment = queries.roles_for(rita, RoleKind.REFERENT).get()
    assert queries.scope_contains(assignment, alice)
    assert not queries.scope_contains(assignment, dave)  # Sales, but Paris
    assert not queries.scope_contains(assignment, carol)
    assert set(queries.people_in_scope(assignment)) == {alice, bob, rita}


def test_values_of_one_field_are_alternatives(org, ada, alice, carol, dave):
    assignment = actions.role_assign(
        actor=ada, person=ada, kind=RoleKind.AMBASSADOR, scope={"site": [org["lyon"].pk, org["paris"].pk]}
    )
    assert queries.scope_contains(assignment, alice) and queries.scope_contains(assignment, carol)
    nobody = make_person("Nina Nowhere", "nina@example.com")
    assert not queries.scope_contains(assignment, nobody)


def test_it_is_active_from_its_first_to_its_last_day(ada, alice):
    assignment = actions.role_assign(
        actor=ada, person=alice, kind=RoleKind.AMBASSADOR, starts_on=DAY, ends_on=DAY + datetime.timedelta(days=2)
    )
    assert not assignment.is_active_on(DAY - datetime.timedelta(days=1))
    assert assignment.is_active_on(DAY) and assignment.is_active_on(DAY + datetime.timedelta(days=2))
    assert not assignment.is_active_on(DAY + datetime.timedelta(days=3))
    assert list(queries.roles_for(alice, RoleKind.AMBASSADOR, day=DAY)) == [assignment]
    assert not queries.roles_for(alice, RoleKind.AMBASSADOR, day=DAY + datetime.timedelta(days=3)).exists()
    assert queries.holders_for(alice, RoleKind.AMBASSADOR, day=DAY + datetime.timedelta(days=1)).get() == alice
    assert not queries.holders_for(alice, RoleKind.AMBASSADOR, day=DAY - datetime.timedelta(days=1)).exists()


def test_holders_for_is_one_query(org, ada, rita, paul, alice, carol, dave, django_assert_num_queries):
    everyone = make_person("Eve Partout", "eve@example.com")
    actions.role_assign(actor=ada, person=everyone, kind=RoleKind.REFERENT)
    with django_assert_num_queries(1):
        assert set(queries.holders_for(alice, RoleKind.REFERENT)) == {rita, everyone}
    with django_assert_num_queries(1):
        assert set(queries.holders_for(dave, RoleKind.REFERENT)) == {paul, everyone}
    with django_assert_num_queries(1):
        assert set(queries.holders_for(carol, RoleKind.REFERENT)) == {paul, everyone}


def test_a_departed_holder_helps_nobody(org, rita, alice):
    from bascule.people.actions import person_depart

    person_depart(person=rita, on=datetime.date.today())
    assert not queries.holders_for(alice, RoleKind.REFERENT).exists()


def test_only_administrators_assign_and_end_roles(alice, bob, ada):
    with pytest.raises(PermissionDenied):
        actions.role_assign(actor=alice, person=bob, kind=RoleKind.REFERENT)
    assignment = actions.role_assign(actor=ada, person=bob, kind=RoleKind.REFERENT)
    with pytest.raises(PermissionDenied):
        actions.role_end(actor=alice, assignment=assignment)
    assert RoleAssignment.objects.get(pk=assignment.pk).ends_on is None


def test_an_administrator_role_holder_administers(alice, bob, ada):
    actions.role_assign(actor=ada, person=alice, kind=RoleKind.ADMINISTRATOR)
    assert queries.is_administrator(alice)
    actions.role_assign(actor=alice, person=bob, kind=RoleKind.AMBASSADOR)


def test_assigning_and_ending_write_an_audit_row_and_no_event(ada, bob):
    events = Event.objects.count()
    assignment = actions.role_assign(actor=ada, person=bob, kind=RoleKind.REFERENT)
    actions.role_end(actor=ada, assignment=assignment)
    assert list(ProgramLog.objects.values_list("action", flat=True).order_by("pk")) == [
        ProgramLogAction.ROLE_ASSIGN,
        ProgramLogAction.ROLE_END,
    ]
    assert Event.objects.count() == events
    assignment.refresh_from_db()
    assert assignment.ends_on == queries.today()
    assert not queries.holders_for(bob, RoleKind.REFERENT, day=queries.today() + datetime.timedelta(days=1)).exists()


def test_ending_twice_says_so_and_changes_nothing(ada, bob):
    assignment = actions.role_assign(actor=ada, person=bob, kind=RoleKind.REFERENT)
    actions.role_end(actor=ada, assignment=assignment)
    with pytest.raises(ValidationError, match="already ends"):
        actions.role_end(actor=ada, assignment=assignment)
    assert ProgramLog.objects.filter(action=ProgramLogAction.ROLE_END).count() == 1


def test_a_role_not_started_is_withdrawn(ada, bob):
    later = queries.today() + datetime.timedelta(days=10)
    assignment = actions.role_assign(actor=ada, person=bob, kind=RoleKind.REFERENT, starts_on=later)
    assert actions.role_end(actor=ada, assignment=assignment) is None
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert ProgramLog.objects.get(action=ProgramLogAction.ROLE_END).details["withdrawn"] is True


def test_bad_input_is_refused(ada, bob, org):
    with pytest.raises(ValidationError):
        actions.role_assign(actor=ada, person=bob, kind="king")
    with pytest.raises(ValidationError):
        actions.role_assign(actor=ada, person=bob, kind=RoleKind.REFERENT, starts_on=DAY, ends_on=DAY - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        actions.role_assign(actor=ada, person=bob, kind=RoleKind.REFERENT, scope={"site": [999999]})
    with pytest.raises(ValidationError):
        actions.role_assign(actor=ada, person=bob, kind=RoleKind.REFERENT, scope={"salary": [1]})
    assert not RoleAssignment.objects.filter(person=bob).exists()


def test_descriptions_are_edited_in_both_languages_by_administrators(ada, alice):
    from django.utils import translation

    assert "suggestions" in queries.role_descriptions()[RoleKind.REFERENT]
    with pytest.raises(PermissionDenied):
        actions.role_description_edit(actor=alice, kind=RoleKind.REFERENT, description_en="x", description_fr="y")
    actions.role_description_edit(actor=ada, kind=RoleKind.REFERENT, description_en="Your go-to person.", description_fr="Votre interlocuteur.")
    assert queries.role_descriptions()[RoleKind.REFERENT] == "Your go-to person."
    with translation.override("fr"):
        assert queries.role_descriptions()[RoleKind.REFERENT] == "Votre interlocuteur."
    assert RoleDescription.objects.get().updated_by == ada
    assert ProgramLog.objects.get(action=ProgramLogAction.DESCRIPTION_EDIT).details["after"]["fr"] == "Votre interlocuteur."


def test_scopes_are_described_in_words(org, ada, rita):
    actions.role_assign(actor=ada, person=ada, kind=RoleKind.ADMINISTRATOR)
    groups = {group.kind: group for group in queries.governance()}
    assert [a.scope_words for a in groups[RoleKind.REFERENT].assignments] == ["Sales · Lyon"]
    assert [a.scope_words for a in groups[RoleKind.ADMINISTRATOR].assignments] == ["Everyone"]


class TestSpaceReferents:
    def test_a_space_for_everyone_reaches_referents_for_everyone(self, org, ada, rita, dave):
        everyone = make_person("Eve Partout", "eve@example.com")
        actions.role_assign(actor=ada, person=everyone, kind=RoleKind.REFERENT)
        space = network_actions.space_create(actor=dave, name="All hands")
        assert space_referents(space) == [everyone]

    def test_a_lyon_sales_space_reaches_the_referents_whose_scope_contains_it(self, org, ada, rita, paul, dave):
        everyone = make_person("Eve Partout", "eve@example.com")
        actions.role_assign(actor=ada, person=everyone, kind=RoleKind.REFERENT)
        lyon_site = make_person("Leo Site", "leo@example.com")
        actions.role_assign(actor=ada, person=lyon_site, kind=RoleKind.REFERENT, scope={"site": [org["lyon"].pk]})
        space = network_actions.space_create(
            actor=dave, name="Ventes Lyon", visibility=Visibility.PRIVATE,
            audience={"department": [org["sales"].pk], "site": [org["lyon"].pk]},
        )
        assert space_referents(space) == [everyone, lyon_site, rita]

    def test_a_wider_audience_is_not_contained(self, org, ada, rita, dave):
        space = network_actions.space_create(actor=dave, name="Lyon", audience={"site": [org["lyon"].pk]})
        assert space_referents(space) == []  # rita covers Sales at Lyon, not all of Lyon
