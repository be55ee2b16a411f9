"""A public space "Quality" managed by alice, where bob writes and carol reads; another
space "Atlas" managed by dave; mia, a platform moderator who belongs to neither."""

import pytest
from django.contrib.auth.models import Permission

from bascule.network import actions
from tests.conftest import make_person


@pytest.fixture
def quality(alice, bob):
    space = actions.space_create(actor=alice, name="Quality", purpose="Quality at Lyon")
    actions.space_join(actor=bob, space=space)
    return space


@pytest.fixture
def atlas(dave):
    return actions.space_create(actor=dave, name="Atlas", purpose="The Atlas project")


@pytest.fixture
def mia(org):
    person = make_person("Mia Lopez", "mia@example.com", department=org["it"], site=org["paris"])
    person.user.user_permissions.add(Permission.objects.get(codename="moderate_everything"))
    return person


@pytest.fixture
def post(bob, quality):
    return actions.post_create(actor=bob, space=quality, title="Supplier prices", body="The prices of Acme are too high")


@pytest.fixture
def comment(carol, post):
    return actions.comment_create(actor=carol, post=post, body="Acme staff are idiots")
