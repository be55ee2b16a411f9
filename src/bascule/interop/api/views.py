"""The API v1 endpoints. Thin, like the pages: fetch through ``bascule.access`` (what may
not be seen answers 404), read through the apps' queries, write through their actions
(which check permissions again, record ledger events, notify and index), serialise.

Each handler receives ``request.person``, set from the token by ``core.api_view``.
"""

from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from bascule import access
from bascule.network import actions as network_actions
from bascule.network import feed as network_feed
from bascule.network import queries as network_queries
from bascule.network.models import Comment, PostKind, ReactionKind, SpaceKind
from bascule.notify import actions as notify_actions
from bascule.notify import queries as notify_queries
from bascule.notify.sentences import notification_sentence, target_url
from bascule.people import queries as people_queries
from bascule.search import actions as search_actions
from bascule.search import queries as search_queries
from bascule.search.models import DocumentKind

from . import serializers
from .core import ApiError, cursor_decode, cursor_encode, json_body, keyset_page, page_response, page_size, query_int

# ---------------------------------------------------------------------------------------
# Spaces
# ---------------------------------------------------------------------------------------


def spaces_list(request):
    """The spaces the person may know, by name; ``kind`` filters, ``mine=1`` keeps the
    spaces where they are an active member. One query per page."""
    kind = request.GET.get("kind", "")
    if kind and kind not in SpaceKind.values:
        raise ApiError(400, "invalid", _("Some fields are not valid."), fields={"kind": [_("Choose a kind from the list.")]})
    spaces = network_queries.space_directory(request.person, kind=kind)
    if request.GET.get("mine") in {"1", "true"}:
        spaces = spaces.filter(my_status="active")
    rows, next_cursor = keyset_page(request, spaces, key="name", descending=False)
    rows = network_queries.with_member_counts(list(rows))
    results = [
        serializers.space_json(space, can_read=space.can_read, member_count=space.member_count, my_status=space.my_status)
        for space in rows
    ]
    return page_response(results, next_cursor)


def _space_detail(person, space) -> dict:
    membership = access.membership_of(person, space)
    can_read = access.may_read_space(person, space, membership)
    data = serializers.space_json(
        space,
        can_read=can_read,
        member_count=network_queries.space_member_count(space) if can_read else None,
        my_status=membership.status if membership is not None else None,
    )
    data["rules"] = space.rules
    data["audience"] = network_queries.space_audience_names(space)
    data["membership"] = serializers.membership_json(membership)
    data["permissions"] = {
        "post_kinds": access.post_kinds_allowed(person, space, membership),
        "join": access.may_join(person, space, membership),
        "accept_invitation": access.may_accept_invitation(person, space, membership),
        "manage": access.may_manage(person, space, membership),
    }
    return data


def space_detail(request, slug):
    space = access.access_space(request.person, slug)
    return JsonResponse(_space_detail(request.person, space))


def space_join(request, slug):
    """Join an open space, ask to join an on-request one, or accept an invitation
    (``accept_rules`` when the space has rules)."""
    space = access.access_space(request.person, slug)
    data = json_body(request, {"accept_rules": (bool, False)})
    membership = network_actions.space_join(actor=request.person, space=space, accept_rules=data.get("accept_rules", False))
    return JsonResponse({"membership": serializers.membership_json(membership)})


def space_leave(request, slug):
    """Leave, withdraw a request or decline an invitation."""
    space = access.access_space(request.person, slug)
    json_body(request, {})
    network_actions.space_leave(actor=request.person, space=space)
    return HttpResponse(status=204)


def space_posts(request, slug):
    """The posts of a space the person may read, newest first (pinned ones say so).
    A space they may know but not read (private, not a member) answers 403."""
    person = request.person
    space = access.access_space(person, slug)
    if not access.may_read_space(person, space):
        raise ApiError(403, "forbidden", _("Only the members of this space read its posts."))
    rows, next_cursor = keyset_page(request, network_queries.space_posts(person, space), key="created_at", descending=True)
    network_queries.posts_decorate(person, rows)
    return page_response([serializers.post_json(post) for post in rows], next_cursor)


def feed(request):
    """My home feed, newest first: my spaces, what I follow, the announcements meant for
    me. Records a ``visit`` (once a day), as the home page does."""
    person = request.person
    rows, next_cursor = keyset_page(request, network_feed.home_posts(person), key="created_at", descending=True)
    network_queries.posts_decorate(person, rows)
    network_actions.visit_record(actor=person)
    return page_response([serializers.post_json(post) for post in rows], next_cursor)


# ---------------------------------------------------------------------------------------
# Posts
# ---------------------------------------------------------------------------------------

_POST_FIELDS = {"space": (str, False), "kind": (str, False), "title": (str, False), "body": (str, True)}


def _post_response(person, post, *, status=200) -> JsonResponse:
    """One post with its counts, decorated as in lists (a fixed number of queries)."""
    post.comment_count = network_queries.live_comments(post).count()
    network_queries.posts_decorate(person, [post])
    return JsonResponse(serializers.post_json(post), status=status)


def post_create(request):
    """Publish a post in a space (``space``: its slug) or on one's profile (no space)."""
    person = request.person
    data = json_body(request, _POST_FIELDS)
    space = None
    if data.get("space"):
        try:
            space = access.access_space(person, data["space"])
        except Http404:
            # The same answer for a space that does not exist and one that may not be seen.
            raise ApiError(400, "invalid", _("Some fields are not valid."), fields={"space": [_("There is no space with this address.")]}) from None
    post = network_actions.post_create(
        actor=person, space=space, kind=data.get("kind") or PostKind.DISCUSSION, title=data.get("title", ""), body=data["body"]
    )
    return _post_response(person, post, status=201)


def post_detail(request, post_id):
    """One post. Records a ``read`` (once per person, post and day), as the post page does."""
    person = request.person
    post = access.access_post(person, post_id)
    network_actions.visit_record(actor=person)
    network_actions.post_read(actor=person, post=post)
    return _post_response(person, post)


def post_edit(request, post_id):
    """Change the title or the text (the author; the replaced version is kept)."""
    post = access.access_post(request.person, post_id)
    data = json_body(request, {"title": (str, False), "body": (str, False)})
    post = network_actions.post_edit(
        actor=request.person, post=post, title=data.get("title", post.title), body=data.get("body", post.body)
    )
    return _post_response(request.person, post)


def post_delete(request, post_id):
    post = access.access_post(request.person, post_id)
    network_actions.post_delete(actor=request.person, post=post)
    return HttpResponse(status=204)


# ---------------------------------------------------------------------------------------
# Comments, reactions, answers
# ---------------------------------------------------------------------------------------


def _comment(person, post, comment_id, field: str) -> Comment | None:
    if comment_id is None:
        return None
    try:
        return access.access_comment(person, post, comment_id)
    except Http404:
        raise ApiError(400, "invalid", _("Some fields are not valid."), fields={field: [_("This comment is no longer there.")]}) from None


def comments_list(request, post_id):
    """The comments of a post as threads (a top-level comment and its replies), oldest
    first. A page holds ``limit`` threads, taken in SQL; a fixed number of queries
    whatever the number of comments."""
    person = request.person
    post = access.access_post(person, post_id)
    accepted = getattr(post, "accepted_comment_id", None)
    after = None
    cursor = request.GET.get("cursor")
    if cursor:
        after = cursor_decode(cursor).get("after")
        if not isinstance(after, int) or isinstance(after, bool):
            raise ApiError(400, "invalid_cursor", _("This cursor is not valid: use the value of next from the previous page."))
    page, has_more = network_queries.post_threads(person, post, after=after, limit=page_size(request))
    results = [
        serializers.comment_json(
            thread.comment,
            accepted_id=accepted,
            replies=[serializers.comment_json(reply, accepted_id=accepted) for reply in thread.replies],
        )
        for thread in page
    ]
    next_cursor = cursor_encode({"after": page[-1].comment.pk}) if has_more and page else None
    return page_response(results, next_cursor)


def comment_create(request, post_id):
    """Comment on a post, or reply to a top-level comment (``parent_id``). On a question,
    a top-level comment is an answer."""
    person = request.person
    post = access.access_post(person, post_id)
    data = json_body(request, {"body": (str, True), "parent_id": (int, False)})
    parent = _comment(person, post, data.get("parent_id"), "parent_id")
    comment = network_actions.comment_create(actor=person, post=post, body=data["body"], parent=parent)
    return JsonResponse(serializers.comment_json(comment), status=201)


def reaction_toggle(request, post_id):
    """Add a reaction to a post (or to one of its comments, ``comment_id``), or take it
    back when it is there."""
    person = request.person
    post = access.access_post(person, post_id)
    data = json_body(request, {"kind": (str, True), "comment_id": (int, False)})
    if data["kind"] not in ReactionKind.values:
        raise ApiError(
            400, "invalid", _("Some fields are not valid."),
            fields={"kind": [_("Choose a reaction from the list: %(kinds)s.") % {"kinds": ", ".join(ReactionKind.values)}]},
        )
    comment = _comment(person, post, data.get("comment_id"), "comment_id")
    active = network_actions.reaction_toggle(actor=person, post=post, kind=data["kind"], comment=comment)
    return JsonResponse({"kind": data["kind"], "active": active, "comment_id": comment.pk if comment else None})


def answer_accept(request, post_id):
    """The asker or a manager of the space accepts an answer to a question."""
    person = request.person
    post = access.access_post(person, post_id)
    data = json_body(request, {"comment_id": (int, True)})
    comment = _comment(person, post, data["comment_id"], "comment_id")
    post = network_actions.answer_accept(actor=person, post=post, comment=comment)
    return _post_response(person, post)


# ---------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------


def people_list(request):
    """Colleagues by name; ``q`` searches names, titles, skills and interests."""
    people = people_queries.directory_search(
        request.person,
        text=request.GET.get("q", "")[:200],
        department=query_int(request, "department"),
        site=query_int(request, "site"),
    )
    rows, next_cursor = keyset_page(request, people, key="display_name", descending=False)
    return page_response([serializers.person_summary(person) for person in rows], next_cursor)


def person_detail(request, person_id):
    person = access.access_person(request.person, person_id)
    manager = access.visible_people(request.person).filter(pk=person.manager_id).first() if person.manager_id else None
    return JsonResponse(serializers.person_profile(person, manager=manager))


# ---------------------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------------------


def search(request):
    """One box over posts, comments, people and spaces, best matches first. Records that
    the person searched (at most once a day, never the words), as the page does."""
    person = request.person
    kind = request.GET.get("kind", "")
    if kind and kind not in DocumentKind.values:
        raise ApiError(400, "invalid", _("Some fields are not valid."), fields={"kind": [_("Choose a kind from the list.")]})
    page_number = 1
    cursor = request.GET.get("cursor")
    if cursor:
        page_number = cursor_decode(cursor).get("page")
        if not isinstance(page_number, int) or page_number < 2:
            raise ApiError(400, "invalid_cursor", _("This cursor is not valid: use the value of next from the previous page."))
    filters = search_queries.Filters(kind=kind, space=query_int(request, "space"), author=query_int(request, "author"))
    results = search_queries.search(person, text=request.GET.get("q", "")[:200], filters=filters, page=page_number)
    if results.page is not None and results.page.number != page_number:
        # Past the last page: an empty page rather than the last one again.
        return page_response([], None, **_search_counts(results))
    if results.query and page_number == 1:
        search_actions.search_record(actor=person)
    items = [
        {
            "kind": result.kind,
            "id": result.document.object_id,
            "title_html": str(result.title),
            "excerpt_html": str(result.excerpt),
            "url": result.url,
            "space": serializers.space_ref(result.document.space) if result.kind != DocumentKind.PERSON else None,
            "author": serializers.person_ref(result.person) if result.kind in {DocumentKind.POST, DocumentKind.COMMENT} else None,
            "created_at": serializers.when(result.document.created_at),
        }
        for result in results.results
    ]
    has_next = results.page is not None and results.page.has_next()
    return page_response(items, cursor_encode({"page": page_number + 1}) if has_next else None, **_search_counts(results))


def _search_counts(results) -> dict:
    """The counts by kind, which stop at ``count_limit``: ``more`` lists the kinds with
    more matches than that (say "more than 1,000"), and ``capped`` whether the results
    were ranked among the newest matches only."""
    return {
        "counts": results.counts,
        "count_limit": results.limit,
        "more": sorted(results.more),
        "capped": results.capped,
    }


# ---------------------------------------------------------------------------------------
# Notifications
# ---------------------------------------------------------------------------------------


def notifications_list(request):
    """The person's notifications that they may still see, newest first; ``unread=1``
    keeps the unread ones. With ``unread_count``."""
    person = request.person
    notifications = notify_queries.notifications_for(person)
    if request.GET.get("unread") in {"1", "true"}:
        notifications = notifications.filter(read_at__isnull=True)
    rows, next_cursor = keyset_page(request, notifications, key="created_at", descending=True)
    results = [
        serializers.notification_json(n, sentence=notification_sentence(n, html=False), url=target_url(n)) for n in rows
    ]
    return page_response(results, next_cursor, **_unread(person))


def _unread(person) -> dict:
    """The unread count stops at UNREAD_COUNT_LIMIT (the badge says "99+"):
    ``unread_count_more`` says there are more than ``unread_count``."""
    count = notify_queries.unread_count(person)
    limit = notify_queries.UNREAD_COUNT_LIMIT
    return {"unread_count": min(count, limit), "unread_count_more": count > limit}


def notifications_read(request):
    """Mark every notification read, or one (``id``) with the others about the same thing."""
    person = request.person
    data = json_body(request, {"id": (int, False)})
    if data.get("id") is None:
        notify_actions.notifications_mark_all_read(actor=person)
    else:
        notification = notify_queries.notification_of(person, data["id"])
        if notification is None or not notify_queries.is_visible(person, notification):
            raise ApiError(404, "not_found", _("Not found, or not visible to you."))
        notify_actions.notification_open(actor=person, notification=notification)
    return JsonResponse(_unread(person))



# ---------------------------------------------------------------------------------------
# Follows, shares, pins, comment edits, invitations
# ---------------------------------------------------------------------------------------


def _follow(request, target: dict, kind: str, ref) -> JsonResponse | HttpResponse:
    """POST follows ``target``, DELETE stops following it (both say so idempotently)."""
    json_body(request, {})
    if request.method == "DELETE":
        network_actions.unfollow(actor=request.person, **target)
        return HttpResponse(status=204)
    network_actions.follow(actor=request.person, **target)
    return JsonResponse({"following": True, "kind": kind, "target": ref}, status=201)


def person_follow(request, person_id):
    """Follow a colleague (their posts come to the home feed), or stop."""
    person = access.access_person(request.person, person_id)
    return _follow(request, {"person": person}, "person", serializers.person_ref(person))


def space_follow(request, slug):
    """Follow a space one may read, or stop."""
    space = access.access_space(request.person, slug)
    return _follow(request, {"space": space}, "space", serializers.space_ref(space))


def tag_follow(request, tag):
    """Follow a tag (its name, as written after #), or stop. Unknown tags answer 404."""
    found = network_queries.tag_by_slug(tag)
    if found is None:
        raise Http404
    return _follow(request, {"tag": found}, "tag", {"name": found.name})


def post_share(request, post_id):
    """Share a post into a space where one posts (``space``: its slug) or on one's
    profile (no ``space``), with a few words (``body``)."""
    person = request.person
    post = access.access_post(person, post_id)
    data = json_body(request, {"space": (str, False), "body": (str, False)})
    space = None
    if data.get("space"):
        try:
            space = access.access_space(person, data["space"])
        except Http404:
            raise ApiError(400, "invalid", _("Some fields are not valid."), fields={"space": [_("There is no space with this address.")]}) from None
    share = network_actions.post_share(actor=person, post=post, space=space, body=data.get("body", ""))
    return _post_response(person, share, status=201)


def post_pin(request, post_id):
    """Pin a post at the top of its space (POST), or unpin it (DELETE): the space's managers."""
    person = request.person
    post = access.access_post(person, post_id)
    json_body(request, {})
    post = network_actions.post_pin(actor=person, post=post, pinned=request.method == "POST")
    return _post_response(person, post)


def comment_edit(request, post_id, comment_id):
    """The author changes their comment."""
    person = request.person
    post = access.access_post(person, post_id)
    comment = access.access_comment(person, post, comment_id)
    data = json_body(request, {"body": (str, True)})
    comment = network_actions.comment_edit(actor=person, comment=comment, body=data["body"])
    return JsonResponse(serializers.comment_json(comment, accepted_id=post.accepted_comment_id))


def comment_delete(request, post_id, comment_id):
    """Delete a comment: its author or the space's managers."""
    person = request.person
    post = access.access_post(person, post_id)
    comment = access.access_comment(person, post, comment_id)
    network_actions.comment_delete(actor=person, comment=comment)
    return HttpResponse(status=204)


def space_invite(request, slug):
    """A manager invites a colleague (``person_id`` or ``email``) to the space."""
    person = request.person
    space = access.access_space(person, slug)
    data = json_body(request, {"person_id": (int, False), "email": (str, False)})
    if (data.get("person_id") is None) == (not data.get("email")):
        raise ApiError(
            400, "invalid", _("Some fields are not valid."),
            fields={"person_id": [_("Give either person_id or email.")]},
        )
    if data.get("email"):
        invited = network_queries.invitable_person(person, data["email"])
        field = "email"
    else:
        invited = access.visible_people(person).filter(pk=data["person_id"], departed_on__isnull=True).first()
        field = "person_id"
    if invited is None:
        raise ApiError(400, "invalid", _("Some fields are not valid."), fields={field: [_("Nobody with this address works here.")]})
    membership = network_actions.space_invite(actor=person, space=space, person=invited)
    return JsonResponse(
        {"person": serializers.person_ref(invited), "membership": serializers.membership_json(membership)}, status=201
    )
