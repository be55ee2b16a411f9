"""What the network's templates ask moderation: is this post or comment hidden, and the
navigation entry. Each costs at most one query per page, whatever the number of posts
shown (hidden comments: one query per post page, remembered on the request)."""

from django import template

from .. import queries
from ..models import ReportReason

register = template.Library()


def _request_cache(context) -> dict:
    request = context.get("request")
    if request is None:
        return {}
    if not hasattr(request, "_moderation_cache"):
        request._moderation_cache = {}
    return request._moderation_cache


@register.simple_tag
def hidden_post(post):
    """Why ``post`` was hidden, or None. Posts from ``visible_posts`` carry it already
    (only their author and the space's managers get hidden posts there): no query."""
    return getattr(post, "hidden_reason", None)


@register.simple_tag(takes_context=True)
def hidden_comment(context, comment):
    """Why ``comment`` was hidden, or None (one query per post shown with its comments)."""
    remembered = _request_cache(context).setdefault("comments", {})
    if comment.post_id not in remembered:
        remembered[comment.post_id] = queries.hidden_comments_of(comment.post_id)
    hidden = remembered[comment.post_id].get(comment.pk)
    return hidden.reason if hidden is not None else None


@register.filter
def reason_label(reason: str) -> str:
    """The words for a report or hiding reason code."""
    return dict(ReportReason.choices).get(reason, reason)


@register.inclusion_tag("moderation/partials/_nav.html", takes_context=True)
def moderation_nav(context):
    request = context.get("request")
    return {"entry": queries.navigation_entry(context.get("person")), "request": request}
