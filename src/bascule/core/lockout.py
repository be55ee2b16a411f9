"""Lock an e-mail address out after repeated failed logins.

Counts live in the cache (shared between processes: a file cache in the embedded mode,
Redis in production), keyed by a hash of the folded address so the cache holds no
e-mail addresses.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(email: str) -> str:
    digest = hashlib.sha256((email or "").strip().casefold().encode()).hexdigest()
    return f"login-failures:{digest}"


def login_is_locked(email: str) -> bool:
    return cache.get(_key(email), 0) >= settings.LOGIN_FAILURE_LIMIT


def login_failure_record(email: str) -> int:
    key = _key(email)
    cache.add(key, 0, settings.LOGIN_LOCKOUT_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)
        count = 1
    if count >= settings.LOGIN_FAILURE_LIMIT:
        # The lock lasts the full period from the last failure.
        cache.set(key, count, settings.LOGIN_LOCKOUT_SECONDS)
    return count


def login_failures_clear(email: str) -> None:
    cache.delete(_key(email))
