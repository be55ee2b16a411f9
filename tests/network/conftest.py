"""A small organisation with one space of each visibility, and a person in each relation
to them, for the permission matrix.

Everyone relates to the spaces (owned by dave) the same way:
- alice is an active member;      - bob is invited;
- frank left;                     - erin was a member, then departed;
- carol (Paris, IT) is outside;   - hugo (Lyon, Sales) is outside but in the Lyon audience.
"""

import datetime

import pytest

from bascule.network import actions
from bascule.network.models import AudienceField, JoinPolicy, Visibility
from bascule.people.actions import person_depart
from tests.conftest import build_alice, build_bob, build_carol, build_dave, build_org, built_once_per_module, make_person

SPACES = {
    "public": dict(visibility=Visibility.PUBLIC, join_policy=JoinPolicy.OPEN),
    "private": dict(visibility=Visibility.PRIVATE, join_policy=JoinPolicy.REQUEST),
    "secret": dict(visibility=Visibility.SECRET, join_policy=JoinPolicy.INVITE),
    "lyon_public": dict(visibility=Visibility.PUBLIC, join_policy=JoinPolicy.OPEN, audience="lyon"),
    "lyon_private": dict(visibility=Visibility.PRIVATE, join_policy=JoinPolicy.REQUEST, audience="lyon"),
}


@pytest.fixture
def frank(org):
    return build_frank(org)


def build_frank(org):
    return make_person("Frank Morel", "frank@example.com", department=org["sales"], site=org["lyon"], country=org["france"])


@pytest.fixture
def erin(org):
    return build_erin(org)


def build_erin(org):
    return make_person("Erin Roux", "erin@example.com", department=org["sales"], site=org["lyon"], country=org["france"])


@pytest.fixture
def hugo(org):
    return build_hugo(org)


def build_hugo(org):
    return make_person("Hugo Blanc", "hugo@example.com", department=org["sales"], site=org["lyon"], country=org["france"])


def space_for(owner, key, org, **extra):
    options = dict(SPACES[key])
    audience = options.pop("audience", None)
    return actions.space_create(
        actor=owner,
        name=f"Space {key}",
        purpose=f"Purpose of {key}",
        audience={AudienceField.SITE: [org["lyon"].pk]} if audience == "lyon" else None,
        **options,
        **extra,
    )


def add_member(space, owner, person):
    """Make ``person`` an active member whatever the join policy: invite, then accept."""
    actions.space_invite(actor=owner, space=space, person=person)
    return actions.space_join(actor=person, space=space, accept_rules=True)


@pytest.fixture
def world(org, alice, bob, carol, dave, erin, frank, hugo):
    return build_world(org, alice, bob, carol, dave, erin, frank, hugo)


def build_world(org, alice, bob, carol, dave, erin, frank, hugo):
    spaces, posts = {}, {}
    for key in SPACES:
        space = space_for(dave, key, org)
        # alice and erin may be outside the Lyon audience later; membership comes first.
        for person in (alice, erin, frank):
            add_member(space, dave, person)
        actions.space_leave(actor=frank, space=space)
        actions.space_invite(actor=dave, space=space, person=bob)
        posts[key] = actions.post_create(actor=dave, space=space, body=f"Secret words of {key}", title=f"Title {key}")
        spaces[key] = space
    person_depart(person=erin, on=datetime.date(2026, 1, 1))
    erin.refresh_from_db()
    people = {
        "member": alice,
        "invited": bob,
        "former": frank,
        "departed": erin,
        "outsider": carol,
        "in_audience": hugo,
        "anonymous": None,
    }
    return {"spaces": spaces, "posts": posts, "people": people}


PEOPLE = ("org", "alice", "bob", "carol", "dave", "erin", "frank", "hugo")


def shared_world(extend=None):
    """Fixtures for a test module whose tests all read the same world, built once for the
    module (tests/conftest.py, ``built_once_per_module``).

    ``extend(world)`` adds to the world once (e.g. indexes it). Use in a module:
    ``globals().update(shared_world())`` — every person fixture then comes from the world.
    """

    def build():
        org = build_org()
        dave = build_dave(org)
        alice = build_alice(org, dave)
        people = dict(
            org=org, dave=dave, alice=alice, bob=build_bob(org, alice), carol=build_carol(org),
            erin=build_erin(org), frank=build_frank(org), hugo=build_hugo(org),
        )
        world = build_world(**people)
        world["by_name"] = people
        if extend is not None:
            extend(world)
        return world

    def from_world(name):
        @pytest.fixture(name=name)
        def _fixture(world):
            return world["by_name"][name]

        return _fixture

    return {**built_once_per_module("world", build), **{name: from_world(name) for name in PEOPLE}}
