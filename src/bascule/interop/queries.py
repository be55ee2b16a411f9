"""Reads about API tokens."""

from django.db.models import F, QuerySet

from bascule.people.models import Person

from .models import ApiToken, token_hash


def tokens_of(person: Person) -> QuerySet[ApiToken]:
    """``person``'s tokens, working ones first, newest first."""
    return ApiToken.objects.filter(person=person).order_by(F("revoked_at").desc(nulls_first=True), "-created_at", "-pk")


def token_of(person: Person, token_id) -> ApiToken | None:
    """``person``'s own token ``token_id``, else None."""
    try:
        return ApiToken.objects.filter(person=person, pk=int(token_id)).first()
    except (TypeError, ValueError):
        return None


def token_find(token: str) -> ApiToken | None:
    """The token whose plain text is ``token`` (revoked or not), with its person and user,
    in one query; None when there is none."""
    if not token:
        return None
    return ApiToken.objects.select_related("person", "person__user").filter(secret_hash=token_hash(token)).first()
