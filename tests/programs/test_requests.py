"""Requests to referents: routing, the status flow, notifications, the delay."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bascule.network import actions as network_actions
from bascule.network.models import Membership, MembershipStatus, Role, Space, SpaceKind, Visibility
from bascule.notify.models import Notification, NotificationKind
from bascule.programs import actions, queries
from bascule.programs.models import ProgramLog, Request, RequestKind, RequestStatus, RoleKind

pytestmark = pytest.mark.django_db


def suggest(person, body="Let us pin the canteen menu every Monday."):
    return actions.request_create(actor=person, kind=RequestKind.SUGGESTION, body=body)


def kinds_for(person):
    return list(Notification.objects.filter(recipient=person).order_by("pk").values_list("kind", flat=True))


def test_a_request_goes_to_the_referents_whose_scope_contains_the_requester(rita, paul, alice, dave):
    request = suggest(alice)
    assert queries.request_recipients(request) == [rita]
    assert not request.routed_to_fallback
    assert kinds_for(rita) == [NotificationKind.REQUEST_RECEIVED]
    assert kinds_for(paul) == []
    assert queries.request_recipients(suggest(dave)) == [paul]


def test_without_referent_it_falls_back_to_the_administrators(org, ada, bob, carol):
    actions.role_assign(actor=ada, person=carol, kind=RoleKind.ADMINISTRATOR)
    request = suggest(bob)
    assert request.routed_to_fallback
    assert queries.request_recipients(request) == [carol]


def test_without_administrator_role_it_falls_back_to_superusers(org, bob):
    from tests.conftest import make_person

    root = make_person("Root Admin", "root@example.com")
    root.user.is_superuser = True
    root.user.save()
    assert queries.request_recipients(suggest(bob)) == [root]


def test_an_empty_suggestion_is_refused(rita, alice):
    with pytest.raises(ValidationError) as error:
        actions.request_create(actor=alice, kind=RequestKind.SUGGESTION, body="   ")
    assert "body" in error.value.error_dict
    assert not Request.objects.exists()


def test_it_is_due_after_the_configured_working_days(rita, alice, settings):
    settings.BASCULE_REQUEST_DELAY_DAYS = 3
    request = suggest(alice)
    assert request.due_at > request.created_at + datetime.timedelta(days=2, hours=23)
    assert request.due_at.weekday() < 5


def test_the_status_flow_tells_the_requester_at_each_step(rita, alice):
    request = suggest(alice)
    for status in (RequestStatus.IN_PROGRESS, RequestStatus.ACCEPTED, RequestStatus.DONE):
        request = actions.request_status_set(actor=rita, request=request, status=status, message="On it")
    assert request.status == RequestStatus.DONE
    assert request.decided_by == rita and request.decided_at and request.closed_at
    assert kinds_for(alice) == [NotificationKind.REQUEST_UPDATED] * 3
    assert [c.status for c in queries.request_thread(request)] == ["in_progress", "accepted", "done"]
    assert ProgramLog.objects.filter(request=request).count() == 3


def test_a_refusal_is_told_too(rita, alice):
    request = actions.request_status_set(actor=rita, request=suggest(alice), status=RequestStatus.REFUSED, message="Not now")
    assert request.status == RequestStatus.REFUSED
    assert kinds_for(alice) == [NotificationKind.REQUEST_UPDATED]


def test_someone_outside_the_scope_may_not_move_it(rita, paul, alice, bob):
    request = suggest(alice)
    with pytest.raises(PermissionDenied, match="outside your scope"):
        actions.request_status_set(actor=paul, request=request, status=RequestStatus.ACCEPTED)
    with pytest.raises(PermissionDenied):
        actions.request_status_set(actor=bob, request=request, status=RequestStatus.ACCEPTED)
    with pytest.raises(PermissionDenied):  # the requester does not decide either
        actions.request_status_set(actor=alice, request=request, status=RequestStatus.ACCEPTED)
    request.refresh_from_db()
    assert request.status == RequestStatus.NEW


def test_an_administrator_may_move_any_request(ada, rita, alice):
    request = actions.request_status_set(actor=ada, request=suggest(alice), status=RequestStatus.IN_PROGRESS)
    assert request.status == RequestStatus.IN_PROGRESS


def test_accepting_twice_says_so_and_changes_nothing(rita, alice):
    request = actions.request_status_set(actor=rita, request=suggest(alice), status=RequestStatus.ACCEPTED)
    notified = Notification.objects.count()
    with pytest.raises(ValidationError, match="already"):
        actions.request_status_set(actor=rita, request=request, status=RequestStatus.ACCEPTED)
    with pytest.raises(ValidationError, match="cannot become"):
        actions.request_status_set(actor=rita, request=request, status=RequestStatus.REFUSED)
    assert Notification.objects.count() == notified
    assert ProgramLog.objects.filter(request=request).count() == 1


def test_accepting_a_new_space_request_creates_the_space_with_the_requester_as_owner(rita, alice):
    request = actions.request_create(
        actor=alice, kind=RequestKind.NEW_SPACE, space_name="Qualité Lyon", space_purpose="Share quality tips",
        space_kind=SpaceKind.PROJECT, space_visibility=Visibility.PRIVATE,
    )
    assert request.title == "New space: Qualité Lyon"
    assert not Space.objects.filter(name="Qualité Lyon").exists()
    request = actions.request_status_set(actor=rita, request=request, status=RequestStatus.ACCEPTED)
    space = request.created_space
    assert (space.name, space.kind, space.visibility, space.purpose) == (
        "Qualité Lyon", SpaceKind.PROJECT, Visibility.PRIVATE, "Share quality tips",
    )
    owner = Membership.objects.get(space=space)
    assert (owner.person, owner.role, owner.status) == (alice, Role.OWNER, MembershipStatus.ACTIVE)
    assert Notification.objects.get(recipient=alice).space == space
    with pytest.raises(ValidationError):
        actions.request_status_set(actor=rita, request=request, status=RequestStatus.ACCEPTED)
    assert Space.objects.filter(name="Qualité Lyon").count() == 1


def test_a_new_space_request_needs_a_name(rita, alice):
    with pytest.raises(ValidationError):
        actions.request_create(actor=alice, kind=RequestKind.NEW_SPACE, space_kind="community", space_visibility="public")


def test_access_is_asked_for_private_spaces_one_may_know_only(rita, alice, dave):
    private = network_actions.space_create(actor=dave, name="Board", visibility=Visibility.PRIVATE)
    secret = network_actions.space_create(actor=dave, name="Merger", visibility=Visibility.SECRET)
    assert list(queries.requestable_spaces(alice)) == [private]
    request = actions.request_create(actor=alice, kind=RequestKind.SPACE_ACCESS, space=private)
    assert request.title == "Access to Board"
    with pytest.raises(ValidationError) as error:
        actions.request_create(actor=alice, kind=RequestKind.SPACE_ACCESS, space=secret)
    assert "Merger" not in str(error.value)
    assert Request.objects.count() == 1


def test_accepting_access_asks_the_space_managers_when_the_referent_manages_it_not(rita, alice, dave):
    board = network_actions.space_create(actor=dave, name="Board", visibility=Visibility.PRIVATE, rules="Be kind.")
    request = actions.request_create(actor=alice, kind=RequestKind.SPACE_ACCESS, space=board)
    actions.request_status_set(actor=rita, request=request, status=RequestStatus.ACCEPTED)
    membership = Membership.objects.get(space=board, person=alice)
    assert membership.status == MembershipStatus.REQUESTED and membership.rules_accepted_at is None
    assert kinds_for(dave) == [NotificationKind.JOIN_REQUEST]
    assert NotificationKind.REQUEST_UPDATED in kinds_for(alice)
    assert queries.space_access_state(request) == "Asked to join"
    # Alice never accepted the rules: approving invites her, and she joins by accepting them.
    network_actions.space_request_approve(actor=dave, membership=membership)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.INVITED and membership.invited_by == dave
    with pytest.raises(ValidationError):
        network_actions.space_invitation_accept(actor=alice, space=board)
    network_actions.space_invitation_accept(actor=alice, space=board, accept_rules=True)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE and membership.rules_accepted_at is not None
    assert queries.space_access_state(request) == "Member"


def test_accepting_access_invites_when_the_referent_manages_the_space(rita, alice):
    lab = network_actions.space_create(actor=rita, name="Lab", visibility=Visibility.PRIVATE)
    request = actions.request_create(actor=alice, kind=RequestKind.SPACE_ACCESS, space=lab)
    actions.request_status_set(actor=rita, request=request, status=RequestStatus.ACCEPTED)
    membership = Membership.objects.get(space=lab, person=alice)
    assert (membership.status, membership.invited_by) == (MembershipStatus.INVITED, rita)
    assert NotificationKind.INVITATION in kinds_for(alice)


def test_accepting_access_to_an_archived_space_changes_nothing(rita, alice, dave):
    board = network_actions.space_create(actor=dave, name="Board", visibility=Visibility.PRIVATE)
    request = actions.request_create(actor=alice, kind=RequestKind.SPACE_ACCESS, space=board)
    network_actions.space_archive(actor=dave, space=board)
    with pytest.raises(ValidationError) as error:
        actions.request_status_set(actor=rita, request=request, status=RequestStatus.ACCEPTED)
    assert "archived" in str(error.value)
    request.refresh_from_db()
    assert request.status == RequestStatus.NEW
    assert not Membership.objects.filter(space=board, person=alice).exists()


def test_accepting_access_for_someone_already_waiting_adds_nothing(rita, alice, dave):
    board = network_actions.space_create(actor=dave, name="Board", visibility=Visibility.PRIVATE)
    request = actions.request_create(actor=alice, kind=RequestKind.SPACE_ACCESS, space=board)
    network_actions.space_invite(actor=dave, space=board, person=alice)
    actions.request_status_set(actor=rita, request=request, status=RequestStatus.ACCEPTED)
    assert Membership.objects.get(space=board, person=alice).status == MembershipStatus.INVITED
    assert kinds_for(dave) == []


def test_a_role_is_asked_for_from_the_list(rita, alice):
    request = actions.request_create(actor=alice, kind=RequestKind.ROLE, role_kind=RoleKind.AMBASSADOR, body="I love it")
    assert request.title == "Role: Ambassador"
    with pytest.raises(ValidationError):
        actions.request_create(actor=alice, kind=RequestKind.ROLE, role_kind="emperor")


def test_the_thread_tells_the_other_side(rita, alice, bob):
    request = suggest(alice)
    actions.request_comment_add(actor=rita, request=request, body="Which Monday?")
    actions.request_comment_add(actor=alice, request=request, body="Every one.")
    assert NotificationKind.REQUEST_REPLY in kinds_for(alice)
    assert NotificationKind.REQUEST_FOLLOW_UP in kinds_for(rita)
    with pytest.raises(PermissionDenied):
        actions.request_comment_add(actor=bob, request=request, body="Me too")
    with pytest.raises(ValidationError):
        actions.request_comment_add(actor=alice, request=request, body=" ")


def test_the_inbox_puts_overdue_requests_first(rita, alice, bob):
    fresh = suggest(alice)
    late = suggest(bob)
    Request.objects.filter(pk=late.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    decided = actions.request_status_set(actor=rita, request=suggest(alice), status=RequestStatus.REFUSED)
    assert list(queries.inbox(rita)) == [late, fresh, decided]
    assert list(queries.overdue_requests(rita)) == [late]
    late.refresh_from_db()
    assert late.is_overdue()


def test_a_referent_who_arrives_later_handles_open_requests_of_their_scope(ada, org, alice):
    request = suggest(alice)  # to the administrators: nobody covers alice yet
    from tests.conftest import make_person

    newcomer = make_person("Nora Neuve", "nora@example.com")
    actions.role_assign(actor=ada, person=newcomer, kind=RoleKind.REFERENT, scope={"site": [org["lyon"].pk]})
    assert actions.request_status_set(actor=newcomer, request=request, status=RequestStatus.IN_PROGRESS)
