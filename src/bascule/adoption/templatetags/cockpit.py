"""Template helpers of the cockpit: figures that may be withheld, and the navigation entry."""

from django import template
from django.utils.html import format_html
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


def _withheld():
    return format_html('<span class="withheld" title="{0}">—<span class="visually-hidden"> {0}</span></span>',
                       _("withheld: fewer than the minimum group size"))


@register.filter
def percent(share, digits=1):
    """0.1234 → "12.3 %" in the active language; a dash for a withheld value."""
    if share is None:
        return _withheld()
    return _("%(value)s %%") % {"value": number_format(share * 100, int(digits))}


@register.filter
def count(value):
    """A count of people, or a dash when withheld."""
    if value is None:
        return _withheld()
    return number_format(value, 0, force_grouping=True)


@register.inclusion_tag("adoption/partials/_nav.html", takes_context=True)
def cockpit_nav(context):
    """The "Cockpit" navigation entry, for analytics viewers and space managers (cached)."""
    from ..navigation import navigation_entry

    return {"shown": navigation_entry(context.get("person")), "request": context.get("request")}
