"""Interoperability: personal API tokens (the JSON API lives in ``api/``).

A token is shown once, when it is created; only its SHA-256 is kept. Tokens are 32 random
bytes, so a fast hash is enough: there is nothing to guess by brute force, and looking a
token up by its hash is one indexed query per request. The first characters (``prefix``)
are kept in clear so that a person recognises their tokens in the list.
"""

import hashlib

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_NAME_MAX_LENGTH = 100


def token_hash(token: str) -> str:
    """The SHA-256 of ``token``, as stored in ``ApiToken.secret_hash``."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal token: whoever holds it acts as ``person`` through the API, with exactly
    the same permissions as in the pages."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=TOKEN_NAME_MAX_LENGTH)
    # The ``bsc_`` marker and the first 8 random characters, to recognise the token.
    prefix = models.CharField(_("starts with"), max_length=16)
    # SHA-256 of the whole token, hexadecimal. The token itself is never stored.
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    # Updated at most once a minute, to spare a write per request.
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["person", "-created_at"])]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
