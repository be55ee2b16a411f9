"""``{% space_card space %}``: a space as the directory lists it, written in Python.

Why: the directory lists every space a person may know — three hundred at the scale of
the benchmark — and each card as an included template cost about 0.3 ms (a URL reversal,
a plural translation, three display lookups), most of the page's 80–130 ms (docs/
benchmarks.md, "Fifth pass"). Same approach as ``post_cards``: the markup the template
rendered, with the same msgids; tests/network/test_space_cards.py checks it in both
languages.
"""

from django import template
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from .post_cards import _url, escape

register = template.Library()


@register.simple_tag(takes_context=True)
def space_card(context, space):
    """A space's name and link, kind, visibility unless public, "Archived", purpose,
    member count (``member_count``: None for who may not read it) and where the reader
    stands (``my_status``, ``can_read``: from ``queries.space_directory``)."""
    badges = f'<span class="badge">{escape(space.get_kind_display())}</span>'
    if space.visibility != "public":
        badges += f'\n    <span class="badge">{escape(space.get_visibility_display())}</span>'
    if space.archived_at:
        archived = gettext("Archived")
        badges += f'\n    <span class="badge">{escape(archived)}</span>'
    purpose = f'\n  <p class="muted">{escape(space.purpose)}</p>' if space.purpose else ""
    count = ""
    if space.member_count is not None:
        count = ngettext("%(counter)s member", "%(counter)s members", space.member_count) % {
            "counter": formats.localize(space.member_count)
        }
        count = f"{escape(count)} · "
    status = space.my_status
    if status == "invited":
        invited = gettext("You are invited")  # outside the f-string, where makemessages finds it
        where = f"<strong>{escape(invited)}</strong>"
    elif status == "requested":
        where = escape(gettext("Your request is waiting"))
    elif status == "active":
        where = escape(gettext("You are a member"))
    elif not space.can_read:
        where = escape(gettext("Members only"))
    else:
        where = ""
    return mark_safe(
        '<li class="space-card">\n'
        '  <div class="space-card-head">\n'
        f'    <a class="space-name" href="{_url(context, "network:space", space.slug)}">{escape(space.name)}</a>\n'
        f"    {badges}\n"
        "  </div>"
        f"{purpose}\n"
        '  <p class="small">\n'
        f"    {count}\n"
        f"    {where}\n"
        "  </p>\n"
        "</li>"
    )
