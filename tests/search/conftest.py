"""Search tests reuse the permission world of tests/network/conftest.py (one space of
each visibility, a person in each relation to them)."""

import pytest

from bascule.network import actions
from bascule.search.index import index_update
from tests.network.conftest import add_member, erin, frank, hugo, space_for, world  # noqa: F401


def indexed(*objects):
    """Index ``objects`` (idempotent: the actions may have done it already)."""
    for obj in objects:
        index_update(obj)
    return objects[0] if len(objects) == 1 else objects


@pytest.fixture
def space(alice):
    return indexed(actions.space_create(actor=alice, name="Atlas", purpose="The Atlas project team"))


def post(actor, space, body, title="", **extra):
    return indexed(actions.post_create(actor=actor, space=space, body=body, title=title, **extra))
