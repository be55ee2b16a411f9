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

Headings are shifted down by two levels (``#`` becomes ``<h3>``) so that a post never
competes with the page's own ``<h1>``/``<h2>`` and the outline stays in order.
"""

import nh3
from markdown_it import MarkdownIt

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
    return md


_md = _parser()


def render(source: str) -> str:
    """Safe HTML for the Markdown ``source``."""
    html = _md.render(source or "")
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()
