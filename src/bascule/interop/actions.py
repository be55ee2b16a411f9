"""Every write of the interop app: personal API tokens.

Creating or revoking a token is not activity of the journey (DESIGN.md's vocabulary has
no kind for it): no ledger event. What a person does *with* a token is recorded by the
network's actions, exactly as when they use the pages.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bascule.people.models import Person

from .models import TOKEN_NAME_MAX_LENGTH, ApiToken, token_hash

TOKEN_MARKER = "bsc_"
# A person rarely needs more; a runaway script creating tokens in a loop stops here.
MAX_ACTIVE_TOKENS = 50
# last_used_at is written at most this often per token.
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass
class NewToken:
    """A token just created: ``token`` is the plain text, shown once and never again."""

    api_token: ApiToken
    token: str


@transaction.atomic
def token_create(*, actor: Person, name: str) -> NewToken:
    """Create a personal API token for ``actor``; returns it in plain text, once."""
    if actor is None or actor.is_departed:
        raise PermissionDenied(_("Your account is closed."))
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Give the token a name, such as the tool that will use it.")})
    if len(name) > TOKEN_NAME_MAX_LENGTH:
        raise ValidationError(
            {"name": _("A token name has at most %(limit)s characters.") % {"limit": TOKEN_NAME_MAX_LENGTH}}
        )
    if ApiToken.objects.filter(person=actor, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("You have %(limit)s tokens: revoke one you no longer use first.") % {"limit": MAX_ACTIVE_TOKENS}
        )
    token = TOKEN_MARKER + secrets.token_urlsafe(32)
    api_token = ApiToken.objects.create(
        person=actor,
        name=name,
        prefix=token[: len(TOKEN_MARKER) + 8],
        secret_hash=token_hash(token),
        created_at=timezone.now(),
    )
    return NewToken(api_token=api_token, token=token)


@transaction.atomic
def token_revoke(*, actor: Person, api_token: ApiToken) -> ApiToken:
    """Revoke one of ``actor``'s tokens: it stops working at once. Revoking twice is
    harmless."""
    if api_token.person_id != actor.pk:
        raise PermissionDenied(_("This token is not yours."))
    if api_token.revoked_at is None:
        api_token.revoked_at = timezone.now()
        api_token.save(update_fields=["revoked_at"])
    return api_token


def token_touch(*, api_token: ApiToken, now: datetime | None = None) -> bool:
    """Remember that ``api_token`` was used, at most once a minute (a conditional UPDATE,
    so that concurrent requests write once). Returns whether it wrote."""
    now = now or timezone.now()
    if api_token.last_used_at is not None and now - api_token.last_used_at < LAST_USED_PRECISION:
        return False
    written = (
        ApiToken.objects.filter(pk=api_token.pk)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_PRECISION))
        .update(last_used_at=now)
    )
    api_token.last_used_at = now
    return written == 1
