"""``{% avatar person "sm" %}``: a person's photo, or their initials on a colour of their
own. A tag rather than an included template: lists show one per post and comment, and an
include cost several times as much to render. Available in every template (a builtin,
settings.TEMPLATES)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def avatar(person, size="md"):
    if person is None:
        return ""
    size = size or "md"
    if person.photo:
        return format_html(
            '<img class="avatar avatar-{}" src="{}" alt="{}" loading="lazy" width="48" height="48">',
            size,
            reverse("people:photo", args=[person.pk]),
            person.display_name,
        )
    return format_html(
        '<span class="avatar avatar-{} tone-{}" role="img" aria-label="{}">{}</span>',
        size,
        person.avatar_tone,
        person.display_name,
        person.initials,
    )
