"""``{% post_card post show_space %}`` and ``{% reactions post target comment may_react %}``:
a post as lists show it (home feed, space page, tag and profile feeds, questions) and its
reaction buttons, written in Python rather than as included templates.

Why: a list shows twenty posts, and each one as templates cost about a millisecond to
render — some ninety variable lookups, a dozen translations and four URL reversals per
post, two nested includes, five reaction buttons — half of the home feed's and the space
page's Python time at scale (docs/benchmarks.md, "Network pages"). The same markup
written here costs a fraction of that. What only a few posts show (a share, a scheduled
announcement, attachments, a moderator's hiding) stays in its partial template, included
from here with the same context as before.

The markup is the one the templates rendered, byte for byte, in both languages (the
strings keep their msgids, so the translations are unchanged): tests/network/test_post_cards.py
checks its parts.
"""

import html
import re

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from bascule.people.templatetags.avatars import avatar

register = template.Library()

_CSRF = CsrfTokenNode()


def escape(text) -> str:
    """Django's ``escape`` without its check for lazy strings (every value here is a
    plain string or number): the same characters, replaced the same way."""
    return html.escape(str(text))


def _include(context, name: str, **values) -> str:
    """A partial template rendered with the current context plus ``values``, as
    ``{% include name with … %}`` does."""
    with context.push(**values):
        return context.template.engine.get_template(name).render(context)


_PLAIN = re.compile(r"[-A-Za-z0-9_]+")  # ids and ASCII slugs: a URL shows them as they are
_SENTINEL = 987654320


def _url(context, name: str, *args) -> str:
    """``reverse(name, args=args)``, escaped. Reversed once per page with stand-in
    values, then filled for each post (reversing cost as much as rendering a line of the
    card); an argument that a URL would quote is reversed as usual."""
    patterns = context.render_context.setdefault("post_cards.urls", {})
    pattern = patterns.get(name)
    if pattern is None:
        stand_ins = [str(_SENTINEL + i) for i in range(len(args))]
        url = escape(reverse(name, args=stand_ins))
        pattern = []
        for stand_in in stand_ins:
            before, url = url.split(stand_in, 1)
            pattern.append(before)
        pattern.append(url)
        patterns[name] = pattern
    values = [str(arg) for arg in args]
    if len(pattern) != len(values) + 1 or not all(_PLAIN.fullmatch(value) for value in values):
        return escape(reverse(name, args=args))
    return "".join(part + value for part, value in zip(pattern, values)) + pattern[-1]


def _datetime_format(context) -> str:
    """The language's DATETIME_FORMAT (what ``{{ a_datetime }}`` shows), looked up once
    per page."""
    memo = context.render_context
    if "post_cards.datetime_format" not in memo:
        memo["post_cards.datetime_format"] = formats.get_format("DATETIME_FORMAT")
    return memo["post_cards.datetime_format"]


def _post_url(context, post) -> str:
    """``post.get_absolute_url()``, escaped, through ``_url``."""
    if post.space_id is None:
        return _url(context, "feed:post", post.pk)
    return _url(context, "network:post", post.space.slug, post.pk)


def reactions_html(context, post, target, comment=None, may_react=True) -> str:
    """The reactions of ``target`` (``post`` or one of its comments): a button per kind
    for those who may react (one form), the counts only for the others."""
    suffix = f"{post.pk}-{comment.pk}" if comment else f"{post.pk}"
    parts = [f'<div class="reactions" id="reactions-{suffix}">\n  ']
    if may_react:
        react_url = _url(context, "feed:react", post.pk)
        parts.append(
            f'<form method="post" action="{react_url}" hx-post="{react_url}" hx-target="#reactions-{suffix}" '
            f'hx-swap="outerHTML">{_CSRF.render(context)}'
        )
        if comment:
            parts.append(f'<input type="hidden" name="comment" value="{comment.pk}">')
        for r in target.reaction_summary:
            label = escape(r.label)
            count = f' <span class="reaction-count">{formats.localize(r.count)}</span>' if r.count else ""
            parts.append(
                f'<button class="reaction{" mine" if r.mine else ""}" type="submit" name="kind" value="{escape(r.kind)}" '
                f'aria-pressed="{"true" if r.mine else "false"}" title="{label}"><span aria-hidden="true">{escape(r.emoji)}</span>'
                f'<span class="visually-hidden">{label}</span>{count}</button>'
            )
        parts.append("</form>")
    else:
        for r in target.reaction_summary:
            if r.count:
                label = escape(r.label)
                parts.append(
                    f'<span class="reaction" title="{label}"><span aria-hidden="true">{escape(r.emoji)}</span>'
                    f'<span class="visually-hidden">{label}</span> <span class="reaction-count">{formats.localize(r.count)}</span></span>'
                )
    parts.append("\n</div>")
    return "".join(parts)


@register.simple_tag(takes_context=True)
def reactions(context, post, target, comment=None, may_react=True):
    """``{% reactions post target comment may_react %}``: see ``reactions_html``."""
    return mark_safe(reactions_html(context, post, target, comment, may_react))


@register.simple_tag(takes_context=True)
def post_card(context, post, show_space=False):
    """A post in a list: its author, space, time and kind, its title and text, what it
    shares, its files and tags, its reactions, "Report" and its comment count. Marked
    "New" (``post.unread``), pinned or hidden by a moderator (for its author and the
    space's managers, who alone still see it)."""
    person = context.get("person")
    hidden = getattr(post, "hidden_reason", None)
    author = post.author
    url = _post_url(context, post)
    created_at = timezone.localtime(post.created_at)
    classes = "post"
    if post.pinned_at:
        classes += " post-pinned"
    if hidden:
        classes += " post-hidden"
    unread = getattr(post, "unread", False)
    if unread:
        classes += " unread"
    name = escape(author.display_name)
    shared = f' <span class="small muted">{escape(gettext("shared a post"))}</span>' if post.shared_post_id else ""
    where = ""
    if show_space and post.space:
        where = f'<a href="{_url(context, "network:space", post.space.slug)}">{escape(post.space.name)}</a> · '
    edited = f" · {escape(gettext('edited'))}" if post.edited_at else ""
    badges = ""
    if unread:
        badges += f'<span class="badge unread-badge">{escape(gettext("New"))}</span> '
    if post.pinned_at:
        badges += f'<span class="badge">{escape(gettext("Pinned"))}</span> '
    if post.kind != "discussion":
        badges += f'<span class="badge">{escape(post.get_kind_display())}</span>'
    parts = [
        f'<article class="{classes}" aria-labelledby="post-{post.pk}-title">\n'
        f'  <header class="post-head">\n'
        f"    {avatar(author, 'sm')}\n"
        f"    <div>\n"
        f'      <a class="person-name" href="{_url(context, "people:profile", author.pk)}">{name}</a>{shared}\n'
        f'      <p class="small muted">{where}<a href="{url}"><time datetime="{created_at.isoformat()}" '
        f'title="{escape(dateformat.format(created_at, _datetime_format(context)))}">{escape(naturaltime(post.created_at))}</time></a>{edited}</p>\n'
        f"    </div>\n"
        f'    <p class="post-kind">{badges}</p>\n'
        f"  </header>\n  "
    ]
    if hidden:
        notice = "moderation/partials/_hidden_notice.html"
        restore_url = reverse("moderation:post_act", args=[post.pk, "restore"])
        if person is not None and post.author_id == person.pk:
            parts.append(_include(context, notice, post=post, hidden=hidden, restore_url=restore_url, is_author=True))
        else:
            parts.append(_include(context, notice, post=post, hidden=hidden, restore_url=restore_url, may_restore=True))
    parts.append("\n  ")
    if post.title:
        parts.append(f'<h3 class="post-title" id="post-{post.pk}-title"><a href="{url}">{escape(post.title)}</a></h3>')
    else:
        parts.append(
            f'<span class="visually-hidden" id="post-{post.pk}-title">{gettext("Post by %(name)s") % {"name": name}}</span>'
        )
    parts.append("\n  ")
    if post.body_html:
        parts.append(f'<div class="post-body">{post.body_html}</div>')
    parts.append("\n  ")
    if post.shared_post_id:
        parts.append(_include(context, "network/partials/_shared.html", post=post))
    parts.append("\n  ")
    if post.publish_at or post.requires_confirmation:
        parts.append(_include(context, "network/partials/_announcement.html", post=post))
    if post.attachment_list:
        parts.append(_include(context, "network/partials/_attachments.html", post=post))
    parts.append("\n  ")
    if post.tag_list:
        items = "".join(
            f'<li><a href="{_url(context, "feed:tag", tag.slug)}">#{escape(tag.name)}</a></li>'
            for tag in post.tag_list
        )
        parts.append(f'<ul class="tags" aria-label="{escape(gettext("Tags"))}">{items}</ul>')
    parts.append('\n  <footer class="post-foot">\n    ')
    parts.append(reactions_html(context, post, post))
    parts.append("\n\n    ")
    if person and post.author_id != person.pk and not hidden:
        report_url = _url(context, "moderation:report_post", post.pk)
        parts.append(f'<a class="small report-link" href="{report_url}">{escape(gettext("Report"))}</a>')
    count = getattr(post, "comment_count", None) or 0
    comments = ngettext("%(counter)s comment", "%(counter)s comments", count) % {"counter": formats.localize(count)}
    parts.append(f'\n    <a class="small" href="{url}#comments">{comments}</a>\n  </footer>\n</article>\n')
    return mark_safe("".join(parts))
