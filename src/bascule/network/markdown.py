"""Markdown for posts: rendered once when written, then sanitised.

Two layers, so that a mistake in one is caught by the other:

1. markdown-it-py, CommonMark with tables and strikethrough, raw HTML disabled (typed
   HTML shows as text) and its own link validation (no ``javascript:``, ``vbscript:``,
   ``file:`` or ``data:`` links);
2. nh3 (ammonia) with an explicit allow-list of tags and attributes: no scripts, iframes,
   styles, event handlers or classes; links only to http, https, mailto or relative
   addresses, each with ``rel="nofollow noopener"``.

Images are not rendered: ``![alt](url)`` becomes a link to the image. An ``<img>`` would
load from another host (tracking who reads) or bypass the permission check of our own files
(attachments, coming later, will be served through a view that asks ``access.py``).

Mentions and tags are found in the text itself — never in code, nor inside a link — by
one rule on the parsed tokens, so that what ``references`` finds is exactly what ``render``
links: ``@handle`` (the local part of a colleague's e-mail address, such as
``@camille.martin``) becomes a link to their profile when the caller resolved it, and
``#tag`` a link to the tag's page.

Headings are shifted down by two levels (``#`` becomes ``<h3>``) so that a post never
competes with the page's own ``<h1>``/``<h2>`` and the outline stays in order.
"""

import re

import nh3
from django.urls import reverse
from markdown_it import MarkdownIt
from markdown_it.token import Token

from bascule.people.models import fold

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h3", "h4", "h5", "h6",
        "strong", "em", "del", "s", "code", "pre", "blockquote",
        "ul", "ol", "li", "a",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"
HEADING_SHIFT = 2

# @handle: letters, digits and . _ % + - inside, not after a letter, dot, @ or slash (so an
# e-mail address in the text is not a mention). #tag: a word of up to 80 characters with
# at least one letter (so "#1" stays text), not after a letter, & or #.
MENTION_OR_TAG = re.compile(
    r"(?<![\w.@/])@(?P<handle>[A-Za-z0-9](?:[A-Za-z0-9._%+-]*[A-Za-z0-9])?)"
    r"|(?<![\w&#/])#(?P<tag>\w[\w-]{0,79})"
)
MAX_TAG_LENGTH = 80


def _is_tag(name: str) -> bool:
    return any(c.isalpha() for c in name)


def _link(href: str, text: str) -> list[Token]:
    return [
        Token("link_open", "a", 1, attrs={"href": href}),
        Token("text", "", 0, content=text),
        Token("link_close", "a", -1),
    ]


def _mentions_and_tags(state) -> None:
    """Collect handles and tags into ``env``; link those the caller asked for."""
    env = state.env
    found_handles, found_tags = env.setdefault("handles", []), env.setdefault("tags", [])
    mentions, link_tags = env.get("mentions") or {}, env.get("link_tags", False)
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, depth = [], 0
        for token in block.children:
            if token.type == "link_open":
                depth += 1
            elif token.type == "link_close":
                depth -= 1
            if token.type != "text" or depth > 0:
                children.append(token)
                continue
            text, position = token.content, 0
            for match in MENTION_OR_TAG.finditer(text):
                handle, tag = match.group("handle"), match.group("tag")
                if tag is not None and not _is_tag(tag):
                    continue
                if handle is not None:
                    key = handle.lower()
                    if key not in found_handles:
                        found_handles.append(key)
                    target = mentions.get(key)
                    if target is None:
                        continue
                    name, href = target
                    replacement = _link(href, f"@{name}")
                else:
                    if fold(tag) not in [fold(t) for t in found_tags]:
                        found_tags.append(tag)
                    if not link_tags:
                        continue
                    replacement = _link(reverse("feed:tag", args=[fold(tag)]), f"#{tag}")
                if match.start() > position:
                    children.append(Token("text", "", 0, content=text[position : match.start()]))
                children.extend(replacement)
                position = match.end()
            if position == 0:
                children.append(token)
            elif position < len(text):
                children.append(Token("text", "", 0, content=text[position:]))
        block.children = children


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.disable("image")

    def shift_headings(state):
        for token in state.tokens:
            if token.type in {"heading_open", "heading_close"}:
                level = min(6, int(token.tag[1]) + HEADING_SHIFT)
                token.tag = f"h{level}"

    md.core.ruler.push("shift_headings", shift_headings)
    md.core.ruler.push("mentions_and_tags", _mentions_and_tags)
    return md


_md = _parser()


def references(source: str) -> tuple[list[str], list[str]]:
    """The handles (lower case) and the tags (as written) that ``source`` mentions, in
    order of first appearance, each once."""
    env: dict = {}
    _md.parse(source or "", env)
    return env.get("handles", []), env.get("tags", [])


def render(source: str, *, mentions: dict[str, tuple[str, str]] | None = None, link_tags: bool = False) -> str:
    """Safe HTML for the Markdown ``source``.

    ``mentions`` maps lower-case handles to (display name, profile address): those become
    links; other handles stay text. With ``link_tags``, each #tag links to its page."""
    html = _md.render(source or "", {"mentions": mentions or {}, "link_tags": link_tags})
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()
