"""What the API says about each object, as JSON-ready dicts.

Callers pass objects fetched through ``bascule.access`` (and decorated by the queries):
nothing here decides who may see what, but nothing here reaches beyond what the caller
fetched either — a count is only shown when the caller says the reader may read the space.
Timestamps are ISO 8601 in UTC.
"""

import datetime

from django.utils import timezone

from bascule.network.models import Comment, Membership, Post, Space
from bascule.notify.models import Notification
from bascule.people.models import Person


def when(moment: datetime.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def person_ref(person: Person | None) -> dict | None:
    if person is None:
        return None
    return {"id": person.pk, "display_name": person.display_name}


def space_ref(space: Space | None) -> dict | None:
    if space is None:
        return None
    return {"slug": space.slug, "name": space.name}


def _unit(unit) -> str | None:
    return unit.name if unit is not None else None


def person_summary(person: Person) -> dict:
    """A card of the directory: name, title and where the person works."""
    return {
        "id": person.pk,
        "display_name": person.display_name,
        "title": person.title,
        "department": _unit(person.department),
        "site": _unit(person.site),
        "departed": person.is_departed,
        "url": person.get_absolute_url(),
    }


def person_profile(person: Person, *, manager: Person | None) -> dict:
    """What the profile page shows."""
    return {
        **person_summary(person),
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.user.email,
        "phone": person.phone,
        "bio": person.bio,
        "country": _unit(person.country),
        "manager": person_ref(manager),
        "skills": [tag.name for tag in person.skills.all()],
        "interests": [tag.name for tag in person.interests.all()],
        "languages": [language.name for language in person.languages.all()],
    }


def membership_json(membership: Membership | None) -> dict | None:
    if membership is None:
        return None
    return {"status": membership.status, "role": membership.role}


def space_json(space: Space, *, can_read: bool, member_count: int | None, my_status: str | None) -> dict:
    """A space as the directory lists it. ``member_count`` is None for a reader who may
    not read the space: no count of a private space reaches an outsider."""
    return {
        "slug": space.slug,
        "name": space.name,
        "kind": space.kind,
        "visibility": space.visibility,
        "join_policy": space.join_policy,
        "purpose": space.purpose,
        "archived": space.is_archived,
        "can_read": can_read,
        "member_count": member_count if can_read else None,
        "my_status": my_status,
        "url": space.get_absolute_url(),
    }


def reactions_json(summaries) -> list[dict]:
    return [{"kind": s.kind, "count": s.count, "mine": s.mine} for s in summaries]


def post_json(post: Post) -> dict:
    """A post decorated by ``queries.posts_decorate`` (reactions, shared original, tags),
    with ``comment_count`` annotated or set by the caller."""
    shared = None
    if post.shared_post_id is not None:
        original = getattr(post, "shared", None)
        # The original only to those who may read it, as on the pages.
        shared = (
            {"available": True, "id": original.pk, "title": original.title, "author": person_ref(original.author), "space": space_ref(original.space)}
            if original is not None
            else {"available": False}
        )
    data = {
        "id": post.pk,
        "space": space_ref(post.space),
        "author": person_ref(post.author),
        "kind": post.kind,
        "title": post.title,
        "body": post.body,
        "body_html": post.body_html,
        "created_at": when(post.created_at),
        "edited_at": when(post.edited_at),
        "pinned": post.pinned_at is not None,
        "comment_count": getattr(post, "comment_count", None) or 0,
        "reactions": reactions_json(getattr(post, "reaction_summary", [])),
        "tags": [tag.name for tag in getattr(post, "tag_list", [])],
        "shared_post": shared,
        "url": post.get_absolute_url(),
    }
    if post.kind == "question":
        data["question"] = {
            "due_at": when(getattr(post, "due_at", None)),
            "accepted_comment_id": getattr(post, "accepted_comment_id", None),
        }
    return data


def comment_json(comment: Comment, *, accepted_id: int | None = None, replies: list | None = None) -> dict:
    """A comment; a deleted one kept because replies hang under it says so, without its
    text or author."""
    # A comment hidden by a moderator, kept at the top of a thread for its replies, says
    # no more than a deleted one.
    deleted = comment.deleted_at is not None or getattr(comment, "hidden_placeholder", False)
    data = {
        "id": comment.pk,
        "parent_id": comment.parent_id,
        "author": None if deleted else person_ref(comment.author),
        "body": "" if deleted else comment.body,
        "body_html": "" if deleted else comment.body_html,
        "created_at": when(comment.created_at),
        "edited_at": None if deleted else when(comment.edited_at),
        "deleted": deleted,
        "accepted": accepted_id is not None and accepted_id == comment.pk,
        "reactions": [] if deleted else reactions_json(getattr(comment, "reaction_summary", [])),
    }
    if replies is not None:
        data["replies"] = replies
    return data


def notification_json(notification: Notification, *, sentence: str, url: str) -> dict:
    post = notification.post
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "text": sentence,
        "created_at": when(notification.created_at),
        "read": notification.read_at is not None,
        "actor": person_ref(notification.actor),
        "space": space_ref(notification.space),
        "post": {"id": post.pk, "title": post.title} if post is not None else None,
        "comment_id": notification.comment_id,
        "url": url,
    }


def now_json() -> str:
    return when(timezone.now())
