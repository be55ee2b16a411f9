"""API tests: a token per test person, and a client that sends it.

The organisation of tests/network/conftest.py (``world``: one space of each visibility,
a person in each relation to them) is reused for the permission matrix.
"""

import json

import pytest
from django.test import Client

from bascule.interop.actions import token_create
from tests.network.conftest import erin, frank, hugo, world  # noqa: F401  (fixtures)


class Api:
    """Django's test client speaking JSON with a bearer token."""

    def __init__(self, token: str | None):
        self.client = Client()
        self.token = token

    def _headers(self, extra):
        headers = {"Accept-Language": "en"}
        if self.token is not None:
            headers["Authorization"] = f"Bearer {self.token}"
        headers.update(extra)
        return headers

    def get(self, path, data=None, **headers):
        return self.client.get(f"/api/v1/{path}", data or {}, headers=self._headers(headers))

    def _send(self, method, path, data, headers):
        body = data if isinstance(data, (str, bytes)) else json.dumps(data if data is not None else {})
        return getattr(self.client, method)(
            f"/api/v1/{path}", body, content_type="application/json", headers=self._headers(headers)
        )

    def post(self, path, data=None, **headers):
        return self._send("post", path, data, headers)

    def patch(self, path, data=None, **headers):
        return self._send("patch", path, data, headers)

    def delete(self, path, **headers):
        return self.client.delete(f"/api/v1/{path}", headers=self._headers(headers))


@pytest.fixture
def api_for(db):
    """``api_for(person)``: an Api client with a fresh token of ``person`` (None: no token)."""

    def _api_for(person):
        if person is None:
            return Api(None)
        return Api(token_create(actor=person, name="tests").token)

    return _api_for
