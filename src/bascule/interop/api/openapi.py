"""The OpenAPI 3.1 document of API v1, written by hand beside the routes.

``tests/interop/test_openapi.py`` checks that every route of ``urls.py`` and each of its
methods is described here, so the document cannot drift from the code. It is written in
English, for developers; error messages in answers follow the request's Accept-Language.
The document names no data of the organisation, so it is served without a token.
"""

import functools

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils.translation import gettext as _

from .core import MAX_PAGE_SIZE, PAGE_SIZE, ApiError

ERROR_CODES = {
    "400": "Malformed JSON, an invalid field (see `error.fields`) or an invalid cursor.",
    "401": "No token, an invalid or revoked token, or a closed account.",
    "403": "Visible, but not allowed (the message says why).",
    "404": "Unknown, or not visible to you (a secret space is a 404, never a 403).",
    "405": "Method not allowed on this address (see the Allow header).",
    "413": "Request body too large.",
    "415": "A request body that is not JSON (send Content-Type: application/json).",
    "429": "Rate limit reached (see the Retry-After header).",
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _page_of(name: str, **extra) -> dict:
    return {
        "type": "object",
        "required": ["results", "next"],
        "properties": {
            "results": {"type": "array", "items": _ref(name)},
            "next": {"type": ["string", "null"], "description": "Cursor of the next page; null on the last page."},
            **extra,
        },
    }


def _errors(*codes: str) -> dict:
    codes = ("401", "429", *codes)
    if "400" in codes:  # every operation that reads a body or parameters
        codes = (*codes, "415")
    return {code: {"$ref": f"#/components/responses/Error{code}"} for code in codes}


def _param(name: str, where: str, schema: dict, description: str, required: bool = False) -> dict:
    return {"name": name, "in": where, "required": required or where == "path", "schema": schema, "description": description}


PAGING = [
    _param("cursor", "query", {"type": "string"}, "The `next` value of the previous page."),
    _param("limit", "query", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": PAGE_SIZE}, "Items per page."),
]
SLUG = _param("slug", "path", {"type": "string"}, "The space's address.")
POST_ID = _param("post_id", "path", {"type": "integer"}, "The post's id.")
COMMENT_ID = _param("comment_id", "path", {"type": "integer"}, "The comment's id.")
TAG = _param("tag", "path", {"type": "string"}, "The tag's name, as written after #.")
PERSON_ID = _param("person_id", "path", {"type": "integer"}, "The person's id.")


def _body(properties: dict, required: list[str] = ()) -> dict:
    return {
        "required": bool(required),
        "content": {
            "application/json": {
                "schema": {"type": "object", "additionalProperties": False, "required": list(required), "properties": properties}
            }
        },
    }


def _op(summary: str, *, tag: str, params=(), body=None, ok: dict | None = None, status: str = "200", errors=("400",)) -> dict:
    operation = {"summary": summary, "tags": [tag], "parameters": list(params), "responses": {}}
    if body is not None:
        operation["requestBody"] = body
    operation["responses"] = {
        status: ok if ok is not None else {"description": "Done, nothing to return."},
        **_errors(*errors),
    }
    return operation


STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
DATETIME = {"type": "string", "format": "date-time"}
NULLABLE_DATETIME = {"type": ["string", "null"], "format": "date-time"}
REACTION_KINDS = ["like", "thanks", "insightful", "celebrate", "support"]

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {
                        "type": "string",
                        "enum": [
                            "bad_request", "malformed_json", "invalid", "invalid_cursor", "unauthorized", "forbidden",
                            "not_found", "method_not_allowed", "too_large", "unsupported_media_type", "rate_limited",
                            "server_error",
                        ],
                    },
                    "message": {"type": "string", "description": "A sentence for people, in the request's language."},
                    "fields": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": STRING},
                        "description": "For `invalid`: the messages of each field.",
                    },
                },
            }
        },
    },
    "PersonRef": {
        "type": ["object", "null"],
        "properties": {"id": {"type": "integer"}, "display_name": STRING},
    },
    "SpaceRef": {"type": ["object", "null"], "properties": {"slug": STRING, "name": STRING}},
    "Membership": {
        "type": ["object", "null"],
        "properties": {
            "status": {"type": "string", "enum": ["active", "invited", "requested", "left"]},
            "role": {"type": "string", "enum": ["owner", "manager", "editor", "member"]},
        },
    },
    "Space": {
        "type": "object",
        "properties": {
            "slug": STRING,
            "name": STRING,
            "kind": {"type": "string", "enum": ["community", "editorial", "project"]},
            "visibility": {"type": "string", "enum": ["public", "private", "secret"]},
            "join_policy": {"type": "string", "enum": ["open", "request", "invite"]},
            "purpose": STRING,
            "archived": {"type": "boolean"},
            "can_read": {"type": "boolean", "description": "Whether you may read the space's posts."},
            "member_count": {"type": ["integer", "null"], "description": "Null when you may not read the space."},
            "my_status": NULLABLE_STRING,
            "url": STRING,
        },
    },
    "SpaceDetail": {
        "allOf": [
            _ref("Space"),
            {
                "type": "object",
                "properties": {
                    "rules": STRING,
                    "audience": {"type": "object", "additionalProperties": {"type": "array", "items": STRING}},
                    "membership": _ref("Membership"),
                    "permissions": {
                        "type": "object",
                        "properties": {
                            "post_kinds": {"type": "array", "items": STRING},
                            "join": {"type": "boolean"},
                            "accept_invitation": {"type": "boolean"},
                            "manage": {"type": "boolean"},
                        },
                    },
                },
            },
        ]
    },
    "Reaction": {
        "type": "object",
        "properties": {"kind": {"type": "string", "enum": REACTION_KINDS}, "count": {"type": "integer"}, "mine": {"type": "boolean"}},
    },
    "Post": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "space": _ref("SpaceRef"),
            "author": _ref("PersonRef"),
            "kind": {"type": "string", "enum": ["discussion", "question", "announcement", "article"]},
            "title": STRING,
            "body": {"type": "string", "description": "Markdown, as written."},
            "body_html": {"type": "string", "description": "Sanitised HTML."},
            "created_at": DATETIME,
            "edited_at": NULLABLE_DATETIME,
            "pinned": {"type": "boolean"},
            "comment_count": {"type": "integer"},
            "reactions": {"type": "array", "items": _ref("Reaction")},
            "tags": {"type": "array", "items": STRING},
            "shared_post": {
                "type": ["object", "null"],
                "description": "For a share: the original, or only `available: false` when you may not read it.",
                "properties": {"available": {"type": "boolean"}, "id": {"type": "integer"}, "title": STRING, "author": _ref("PersonRef"), "space": _ref("SpaceRef")},
            },
            "question": {
                "type": "object",
                "description": "Questions only.",
                "properties": {"due_at": NULLABLE_DATETIME, "accepted_comment_id": {"type": ["integer", "null"]}},
            },
            "url": STRING,
        },
    },
    "Comment": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "parent_id": {"type": ["integer", "null"]},
            "author": _ref("PersonRef"),
            "body": STRING,
            "body_html": STRING,
            "created_at": DATETIME,
            "edited_at": NULLABLE_DATETIME,
            "deleted": {
                "type": "boolean",
                "description": "A deleted comment, or one hidden by a moderator, still holding replies: no text, no author.",
            },
            "accepted": {"type": "boolean"},
            "reactions": {"type": "array", "items": _ref("Reaction")},
            "replies": {"type": "array", "items": _ref("Comment")},
        },
    },
    "PersonSummary": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "display_name": STRING,
            "title": STRING,
            "department": NULLABLE_STRING,
            "site": NULLABLE_STRING,
            "departed": {"type": "boolean"},
            "url": STRING,
        },
    },
    "Person": {
        "allOf": [
            _ref("PersonSummary"),
            {
                "type": "object",
                "properties": {
                    "first_name": STRING,
                    "last_name": STRING,
                    "email": {"type": "string", "format": "email"},
                    "phone": STRING,
                    "bio": STRING,
                    "country": NULLABLE_STRING,
                    "manager": _ref("PersonRef"),
                    "skills": {"type": "array", "items": STRING},
                    "interests": {"type": "array", "items": STRING},
                    "languages": {"type": "array", "items": STRING},
                },
            },
        ]
    },
    "SearchResult": {
        "type": "object",
        "properties": {
            "kind": {"type": "string", "enum": ["post", "comment", "person", "space"]},
            "id": {"type": "integer"},
            "title_html": {"type": "string", "description": "Escaped HTML, matched words in <mark>."},
            "excerpt_html": STRING,
            "url": STRING,
            "space": _ref("SpaceRef"),
            "author": _ref("PersonRef"),
            "created_at": DATETIME,
        },
    },
    "Notification": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "kind": {
                "type": "string",
                "enum": ["mention", "reply", "answer", "accepted", "join_request", "invitation", "request_approved", "overdue_question"],
            },
            "text": STRING,
            "created_at": DATETIME,
            "read": {"type": "boolean"},
            "actor": _ref("PersonRef"),
            "space": _ref("SpaceRef"),
            "post": {"type": ["object", "null"], "properties": {"id": {"type": "integer"}, "title": STRING}},
            "comment_id": {"type": ["integer", "null"]},
            "url": STRING,
        },
    },
}

UNREAD = {
    "unread_count": {"type": "integer", "description": "Unread notifications, counted up to 99."},
    "unread_count_more": {"type": "boolean", "description": "More than `unread_count` unread (say \"99+\")."},
}
FOLLOW = _json(
    {
        "type": "object",
        "properties": {
            "following": {"type": "boolean"},
            "kind": {"type": "string", "enum": ["person", "space", "tag"]},
            "target": {"type": "object"},
        },
    },
    "Following",
)


def _follow_ops(what: str, params: list) -> dict:
    return {
        "post": _op(f"Follow this {what}: its posts come to your home feed", tag="follows", params=params, ok=FOLLOW, status="201", errors=("400", "403", "404")),
        "delete": _op(f"Stop following this {what}", tag="follows", params=params, status="204", errors=("400", "404")),
    }


PATHS = {
    "/spaces/": {
        "get": _op(
            "Spaces you may know, by name",
            tag="spaces",
            params=[
                *PAGING,
                _param("kind", "query", {"type": "string", "enum": ["community", "editorial", "project"]}, "Only this kind."),
                _param("mine", "query", {"type": "string", "enum": ["1"]}, "Only the spaces where you are a member."),
            ],
            ok=_json(_page_of("Space")),
        )
    },
    "/spaces/{slug}/": {"get": _op("One space", tag="spaces", params=[SLUG], ok=_json(_ref("SpaceDetail")), errors=("404",))},
    "/spaces/{slug}/join/": {
        "post": _op(
            "Join, ask to join, or accept an invitation",
            tag="spaces",
            params=[SLUG],
            body=_body({"accept_rules": {"type": "boolean", "description": "Required when the space has rules."}}),
            ok=_json({"type": "object", "properties": {"membership": _ref("Membership")}}),
            errors=("400", "403", "404", "413"),
        )
    },
    "/spaces/{slug}/leave/": {
        "post": _op(
            "Leave, withdraw a request or decline an invitation",
            tag="spaces",
            params=[SLUG],
            status="204",
            errors=("400", "403", "404"),
        )
    },
    "/spaces/{slug}/posts/": {
        "get": _op(
            "Posts of a space, newest first",
            tag="posts",
            params=[SLUG, *PAGING],
            ok=_json(_page_of("Post")),
            errors=("400", "403", "404"),
        )
    },
    "/spaces/{slug}/follow/": _follow_ops("space", [SLUG]),
    "/spaces/{slug}/invitations/": {
        "post": _op(
            "Invite a colleague (a manager of the space)",
            tag="spaces",
            params=[SLUG],
            body=_body(
                {
                    "person_id": {"type": "integer", "description": "The colleague's id; or give `email`."},
                    "email": {"type": "string", "format": "email"},
                }
            ),
            ok=_json({"type": "object", "properties": {"person": _ref("PersonRef"), "membership": _ref("Membership")}}, "Invited"),
            status="201",
            errors=("400", "403", "404"),
        )
    },
    "/feed/": {
        "get": _op(
            "Your home feed, newest first: your spaces, what you follow, announcements for you",
            tag="posts",
            params=PAGING,
            ok=_json(_page_of("Post")),
        )
    },
    "/posts/": {
        "post": _op(
            "Publish a post in a space, or on your profile",
            tag="posts",
            body=_body(
                {
                    "space": {"type": ["string", "null"], "description": "The space's slug; absent for your profile."},
                    "kind": {"type": "string", "enum": ["discussion", "question", "announcement", "article"], "default": "discussion"},
                    "title": STRING,
                    "body": {"type": "string", "description": "Markdown, at most 20,000 characters."},
                },
                ["body"],
            ),
            ok=_json(_ref("Post"), "Created"),
            status="201",
            errors=("400", "403", "413"),
        )
    },
    "/posts/{post_id}/": {
        "get": _op("One post", tag="posts", params=[POST_ID], ok=_json(_ref("Post")), errors=("404",)),
        "patch": _op(
            "Edit your post (the replaced version is kept)",
            tag="posts",
            params=[POST_ID],
            body=_body({"title": STRING, "body": STRING}),
            ok=_json(_ref("Post")),
            errors=("400", "403", "404", "413"),
        ),
        "delete": _op("Delete a post (its author or the space's managers)", tag="posts", params=[POST_ID], status="204", errors=("403", "404")),
    },
    "/posts/{post_id}/comments/": {
        "get": _op(
            "Comments of a post as threads, oldest first",
            tag="comments",
            params=[POST_ID, *PAGING],
            ok=_json(_page_of("Comment")),
            errors=("400", "404"),
        ),
        "post": _op(
            "Comment, answer a question, or reply to a top-level comment",
            tag="comments",
            params=[POST_ID],
            body=_body({"body": STRING, "parent_id": {"type": "integer"}}, ["body"]),
            ok=_json(_ref("Comment"), "Created"),
            status="201",
            errors=("400", "403", "404", "413"),
        ),
    },
    "/posts/{post_id}/comments/{comment_id}/": {
        "patch": _op(
            "Edit your comment",
            tag="comments",
            params=[POST_ID, COMMENT_ID],
            body=_body({"body": STRING}, ["body"]),
            ok=_json(_ref("Comment")),
            errors=("400", "403", "404", "413"),
        ),
        "delete": _op(
            "Delete a comment (its author or the space's managers)",
            tag="comments",
            params=[POST_ID, COMMENT_ID],
            status="204",
            errors=("403", "404"),
        ),
    },
    "/posts/{post_id}/shares/": {
        "post": _op(
            "Share a post into a space where you post, or on your profile, with a few words",
            tag="posts",
            params=[POST_ID],
            body=_body({"space": {"type": ["string", "null"], "description": "The space's slug; absent for your profile."}, "body": STRING}),
            ok=_json(_ref("Post"), "Shared"),
            status="201",
            errors=("400", "403", "404", "413"),
        )
    },
    "/posts/{post_id}/pin/": {
        "post": _op("Pin a post at the top of its space (its managers)", tag="posts", params=[POST_ID], ok=_json(_ref("Post")), errors=("400", "403", "404")),
        "delete": _op("Unpin a post (the space's managers)", tag="posts", params=[POST_ID], ok=_json(_ref("Post")), errors=("400", "403", "404")),
    },
    "/posts/{post_id}/reactions/": {
        "post": _op(
            "Add a reaction, or take it back when it is there",
            tag="reactions",
            params=[POST_ID],
            body=_body({"kind": {"type": "string", "enum": REACTION_KINDS}, "comment_id": {"type": "integer"}}, ["kind"]),
            ok=_json(
                {
                    "type": "object",
                    "properties": {"kind": STRING, "active": {"type": "boolean"}, "comment_id": {"type": ["integer", "null"]}},
                }
            ),
            errors=("400", "403", "404"),
        )
    },
    "/posts/{post_id}/accept/": {
        "post": _op(
            "Accept an answer to a question (the asker or a manager)",
            tag="questions",
            params=[POST_ID],
            body=_body({"comment_id": {"type": "integer"}}, ["comment_id"]),
            ok=_json(_ref("Post")),
            errors=("400", "403", "404"),
        )
    },
    "/people/": {
        "get": _op(
            "Colleagues by name",
            tag="people",
            params=[
                *PAGING,
                _param("q", "query", STRING, "Words of a name, job title, skill or interest."),
                _param("department", "query", {"type": "integer"}, "A department id."),
                _param("site", "query", {"type": "integer"}, "A site id."),
            ],
            ok=_json(_page_of("PersonSummary")),
        )
    },
    "/people/{person_id}/": {"get": _op("A profile", tag="people", params=[PERSON_ID], ok=_json(_ref("Person")), errors=("404",))},
    "/people/{person_id}/follow/": _follow_ops("colleague", [PERSON_ID]),
    "/tags/{tag}/follow/": _follow_ops("tag", [TAG]),
    "/search/": {
        "get": _op(
            "Search posts, comments, people and spaces",
            tag="search",
            params=[
                _param("q", "query", STRING, "What to look for (French and English stemming, accents ignored)."),
                _param("kind", "query", {"type": "string", "enum": ["post", "comment", "person", "space"]}, "Only this kind."),
                _param("space", "query", {"type": "integer"}, "A space id."),
                _param("author", "query", {"type": "integer"}, "A person id."),
                PAGING[0],
            ],
            ok=_json(
                _page_of(
                    "SearchResult",
                    counts={
                        "type": "object",
                        "additionalProperties": {"type": "integer"},
                        "description": "Matches by kind, counted up to `count_limit`.",
                    },
                    count_limit={"type": "integer", "description": "Where counts stop (1,000)."},
                    more={"type": "array", "items": STRING, "description": "Kinds with more matches than `count_limit`."},
                    capped={
                        "type": "boolean",
                        "description": "More matches than `count_limit`: the results are the best of the newest matches.",
                    },
                )
            ),
        )
    },
    "/notifications/": {
        "get": _op(
            "Your notifications, newest first",
            tag="notifications",
            params=[*PAGING, _param("unread", "query", {"type": "string", "enum": ["1"]}, "Only unread ones.")],
            ok=_json(_page_of("Notification", **UNREAD)),
        )
    },
    "/notifications/read/": {
        "post": _op(
            "Mark every notification read, or one (`id`) with the others about the same thing",
            tag="notifications",
            body=_body({"id": {"type": "integer"}}),
            ok=_json({"type": "object", "properties": UNREAD}),
            errors=("400", "404"),
        )
    },
}


@functools.cache
def document() -> dict:
    """The OpenAPI 3.1 document (built once per process)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Bascule API",
            "version": "1",
            "description": (
                "The network through JSON: spaces, posts, comments, reactions, questions, people, search and "
                "notifications, with exactly the permissions of the pages. Authenticate with a personal token "
                "(Settings → API tokens, or `bascule token create EMAIL`) sent as `Authorization: Bearer <token>`. "
                "Lists are paged with an opaque cursor: pass the `next` of a page as `cursor` to get the next one. "
                "Errors are JSON objects `{\"error\": {\"code\", \"message\", \"fields\"?}}`; messages follow "
                "Accept-Language (English or French). Each token has a rate limit per minute (headers "
                "X-RateLimit-Limit and X-RateLimit-Remaining; 429 with Retry-After beyond it)."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "tags": [{"name": name} for name in ("spaces", "posts", "comments", "reactions", "questions", "follows", "people", "search", "notifications")],
        "paths": PATHS,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "A personal API token."}},
            "schemas": SCHEMAS,
            "responses": {
                f"Error{code}": _json(_ref("Error"), description) for code, description in ERROR_CODES.items()
            },
        },
    }


@login_not_required
def document_view(request):
    if request.method not in {"GET", "HEAD"}:
        return ApiError(
            405, "method_not_allowed", _("This address does not accept %(method)s; it accepts %(allowed)s.")
            % {"method": request.method, "allowed": "GET"}, headers={"Allow": "GET"},
        ).response()
    return JsonResponse(document())
