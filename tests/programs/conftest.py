"""People of the programs' tests, beside alice, bob (Sales, Lyon), carol (IT, Paris) and
dave (Sales, Paris):

- ada is an operator (Django staff): she administers the programs;
- rita is the referent of Sales at Lyon; paul the referent of the site of Paris.
"""

import pytest

from bascule.programs import actions
from bascule.programs.models import RoleKind
from tests.conftest import make_person


@pytest.fixture
def ada(org):
    ada = make_person("Ada Lovel", "ada@example.com", department=org["it"], site=org["paris"])
    ada.user.is_staff = True
    ada.user.save()
    return ada


@pytest.fixture
def rita(org, ada):
    rita = make_person("Rita Moreau", "rita@example.com", department=org["sales"], site=org["lyon"])
    actions.role_assign(
        actor=ada, person=rita, kind=RoleKind.REFERENT, scope={"department": [org["sales"].pk], "site": [org["lyon"].pk]}
    )
    return rita


@pytest.fixture
def paul(org, ada):
    paul = make_person("Paul Girard", "paul@example.com", department=org["it"], site=org["paris"])
    actions.role_assign(actor=ada, person=paul, kind=RoleKind.REFERENT, scope={"site": [org["paris"].pk]})
    return paul
