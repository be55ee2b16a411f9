"""The machinery every API endpoint shares: token authentication, the rate limit, JSON
bodies, JSON errors and cursor pagination.

Why plain Django views rather than a framework (Django REST framework, django-ninja): the
endpoints are thin — parse, call one query of ``bascule.access``/``queries.py`` or one
action, serialise — and the permissions, validation messages and ledger events already
live in the actions. A framework would bring a second way of validating and authorising
(serializers, permission classes) that could drift from the pages, plus a dependency to
keep. What a framework would add here is the OpenAPI document; ours is written by hand in
``openapi.py`` and a test checks that it describes every route, so it cannot drift either.

Only ``Authorization: Bearer <token>`` authenticates; a session cookie does not. The API
is therefore exempt from CSRF (a browser never sends the header on its own) and from the
login redirect of the pages.
"""

import base64
import binascii
import datetime
import json
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from bascule.interop.actions import token_touch
from bascule.interop.models import ApiToken
from bascule.interop.queries import token_find

logger = logging.getLogger(__name__)

# A JSON body larger than this is refused (413) before it is read. The largest thing the
# API accepts is a post of 20,000 characters, which is at most 80 KB in UTF-8 and JSON.
MAX_BODY_BYTES = 256 * 1024
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
RATE_WINDOW_SECONDS = 60


class ApiError(Exception):
    """An answer other than success: ``status``, a stable ``code`` for programs and a
    ``message`` for people (already translated), with ``fields`` for validation errors."""

    def __init__(self, status: int, code: str, message: str, *, fields: dict | None = None, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields = fields or {}
        self.headers = headers or {}

    def response(self) -> JsonResponse:
        error = {"code": self.code, "message": self.message}
        if self.fields:
            error["fields"] = self.fields
        response = JsonResponse({"error": error}, status=self.status)
        for name, value in self.headers.items():
            response[name] = value
        return response


def not_found() -> ApiError:
    # The same words for what does not exist and what may not be seen: a secret space
    # does not reveal itself.
    return ApiError(404, "not_found", _("Not found, or not visible to you."))


def unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message, headers={"WWW-Authenticate": 'Bearer realm="bascule"'})


def validation_error(error: ValidationError) -> ApiError:
    """A ValidationError of an action as a 400 with its sentences, by field when it has fields."""
    if hasattr(error, "error_dict"):
        fields = {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
        return ApiError(400, "invalid", _("Some fields are not valid."), fields=fields)
    return ApiError(400, "invalid", " ".join(error.messages))


# ---------------------------------------------------------------------------------------
# Authentication and rate limit
# ---------------------------------------------------------------------------------------


def authenticate(request: HttpRequest) -> ApiToken:
    """The token of ``Authorization: Bearer …``, working and held by a person still with
    the organisation; else a 401. One query."""
    header = request.headers.get("Authorization", "")
    scheme, _space, token = header.partition(" ")
    if not header:
        raise unauthorized(_("Send your API token in the header Authorization: Bearer <token>."))
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized(_("Send your API token in the header Authorization: Bearer <token>."))
    api_token = token_find(token.strip())
    if api_token is None:
        raise unauthorized(_("This API token is not valid."))
    if api_token.is_revoked:
        raise unauthorized(_("This API token was revoked."))
    if api_token.person.is_departed or not api_token.person.user.is_active:
        raise unauthorized(_("This account is closed."))
    return api_token


def rate_limit(api_token: ApiToken) -> dict[str, str]:
    """Count the request against the token's allowance for the current minute (a fixed
    window in the cache, shared by every web process); a 429 with Retry-After beyond it.
    Returns the headers that tell the client where it stands."""
    limit = settings.BASCULE_API_RATE_LIMIT
    if limit <= 0:
        return {}
    now = time.time()
    window = int(now // RATE_WINDOW_SECONDS)
    key = f"bascule:api-rate:{api_token.pk}:{window}"
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=RATE_WINDOW_SECONDS + 5)
        count = 1
    reset = max(1, int((window + 1) * RATE_WINDOW_SECONDS - now + 0.999))
    headers = {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(max(0, limit - count)), "X-RateLimit-Reset": str(reset)}
    if count > limit:
        raise ApiError(
            429,
            "rate_limited",
            _("Too many requests with this token: wait %(seconds)s seconds.") % {"seconds": reset},
            headers={**headers, "Retry-After": str(reset)},
        )
    return headers


# ---------------------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------------------


def _check_size(request: HttpRequest) -> None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise ApiError(400, "bad_request", _("The Content-Length header is not a number.")) from None
    if length > MAX_BODY_BYTES:
        raise ApiError(
            413, "too_large", _("The request body is too large: at most %(limit)s KB.") % {"limit": MAX_BODY_BYTES // 1024}
        )


def api_view(**handlers: Callable) -> Callable:
    """One route of the API, answering each HTTP method with its handler
    (``api_view(GET=post_detail, PATCH=post_edit)``).

    Every request is authenticated by token and counted against its rate limit before the
    handler runs; whatever goes wrong becomes a JSON error — never an HTML page or a
    traceback. The handler receives ``request.person`` (the token's person) and returns
    a JsonResponse or an HttpResponse.
    """
    methods = sorted(handlers)

    @csrf_exempt
    @login_not_required
    def view(request: HttpRequest, **kwargs) -> HttpResponse:
        headers: dict[str, str] = {}
        try:
            api_token = authenticate(request)
            headers = rate_limit(api_token)
            handler = handlers.get(request.method)
            if handler is None:
                raise ApiError(
                    405,
                    "method_not_allowed",
                    _("This address does not accept %(method)s; it accepts %(allowed)s.")
                    % {"method": request.method, "allowed": ", ".join(methods)},
                    headers={"Allow": ", ".join(methods)},
                )
            _check_size(request)
            token_touch(api_token=api_token)
            request.person = api_token.person
            request.api_token = api_token
            response = handler(request, **kwargs)
        except ApiError as error:
            response = error.response()
        except Http404:
            response = not_found().response()
        except PermissionDenied as error:
            response = ApiError(403, "forbidden", str(error) or _("You may not do this.")).response()
        except ValidationError as error:
            response = validation_error(error).response()
        except RequestDataTooBig:
            response = ApiError(413, "too_large", _("The request body is too large.")).response()
        except Exception:
            logger.exception("API error on %s %s", request.method, request.path)
            response = ApiError(500, "server_error", _("Something went wrong on our side. Try again later.")).response()
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    view.api_methods = methods
    return view


@csrf_exempt
@login_not_required
def unknown_address(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any address under /api/v1/ that is not an endpoint: a JSON 404, never the HTML page
    (which also means no redirect to add a missing slash: the message says it instead)."""
    message = _("There is no API endpoint at this address.")
    try:
        match = resolve(request.path + "/")
    except Resolver404:
        match = None
    if match is not None and match.url_name != "unknown":
        message = _("There is no API endpoint at this address; addresses end with a slash: %(path)s") % {"path": request.path + "/"}
    return ApiError(404, "not_found", message).response()


# ---------------------------------------------------------------------------------------
# Input
# ---------------------------------------------------------------------------------------

_TYPES = {str: "string", int: "integer", bool: "boolean", list: "array"}


def json_body(request: HttpRequest, spec: dict[str, tuple[type, bool]]) -> dict:
    """The JSON object of the request body, checked against ``spec`` ({field: (type,
    required)}). Malformed JSON, another type than an object, an unknown field, a
    missing field or a value of the wrong type: a 400 naming each field."""
    raw = request.body
    if not raw.strip():
        data = {}
    else:
        if request.content_type != "application/json":
            raise ApiError(
                415,
                "unsupported_media_type",
                _("Send the request body as JSON, with the header Content-Type: application/json."),
            )
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ApiError(
                400, "malformed_json", _("The request body is not valid JSON: %(error)s.") % {"error": getattr(error, "msg", str(error))}
            ) from None
    if not isinstance(data, dict):
        raise ApiError(400, "malformed_json", _("The request body must be a JSON object."))
    fields = {}
    for name in data:
        if name not in spec:
            fields[name] = [_("Unknown field.")]
    for name, (kind, required) in spec.items():
        if name not in data or data[name] is None:
            if required:
                fields[name] = [_("This field is required.")]
            continue
        value = data[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            fields[name] = [_("Expected a value of type %(type)s.") % {"type": _TYPES[kind]}]
    if fields:
        raise ApiError(400, "invalid", _("Some fields are not valid."), fields=fields)
    return data


def query_int(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    if value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise ApiError(400, "invalid", _("Some fields are not valid."), fields={name: [_("Expected a whole number.")]}) from None


# ---------------------------------------------------------------------------------------
# Cursor pagination
# ---------------------------------------------------------------------------------------


def cursor_encode(values: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> dict:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        values = None
    if not isinstance(values, dict):
        raise ApiError(400, "invalid_cursor", _("This cursor is not valid: use the value of next from the previous page."))
    return values


def page_size(request: HttpRequest) -> int:
    size = query_int(request, "limit")
    if size is None:
        return PAGE_SIZE
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ApiError(
            400, "invalid", _("Some fields are not valid."),
            fields={"limit": [_("Between 1 and %(max)s.") % {"max": MAX_PAGE_SIZE}]},
        )
    return size


def keyset_page(request: HttpRequest, queryset: QuerySet, *, key: str, descending: bool) -> tuple[list, str | None]:
    """One page of ``queryset`` ordered by (``key``, pk) — newest first when
    ``descending`` — after the request's ``cursor``, and the cursor of the next page (None
    on the last). One query, an index range scan however deep the client reads."""
    size = page_size(request)
    order = [f"-{key}", "-pk"] if descending else [key, "pk"]
    queryset = queryset.order_by(*order)
    cursor = request.GET.get("cursor")
    if cursor:
        values = cursor_decode(cursor)
        try:
            last, pk = values["k"], int(values["id"])
            if key.endswith("_at"):
                last = datetime.datetime.fromisoformat(last)
            elif not isinstance(last, str):
                raise TypeError
        except (KeyError, TypeError, ValueError):
            raise ApiError(400, "invalid_cursor", _("This cursor is not valid: use the value of next from the previous page.")) from None
        if descending:
            queryset = queryset.filter(Q(**{f"{key}__lt": last}) | Q(**{key: last, "pk__lt": pk}))
        else:
            queryset = queryset.filter(Q(**{f"{key}__gt": last}) | Q(**{key: last, "pk__gt": pk}))
    rows = list(queryset[: size + 1])
    next_cursor = None
    if len(rows) > size:
        last_row = rows[size - 1]
        value = getattr(last_row, key)
        next_cursor = cursor_encode({"k": value.isoformat() if hasattr(value, "isoformat") else value, "id": last_row.pk})
    return rows[:size], next_cursor


def page_response(results: list, next_cursor: str | None, **extra) -> JsonResponse:
    return JsonResponse({"results": results, "next": next_cursor, **extra})

