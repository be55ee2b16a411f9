"""The search page: one box over posts, comments, people and spaces. Thin: parse, call
the query (and the action recording that the person searched), render."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from bascule.access import readable_spaces, visible_people
from bascule.network.queries import my_spaces

from . import actions, queries
from .forms import SearchForm
from .models import DocumentKind


def _without(query, *names) -> str:
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def search(request):
    """Results for ``q`` with filters; an htmx request gets the results fragment only."""
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = queries.Filters(
        kind=data.get("kind") or "",
        space=data.get("space"),
        author=data.get("author"),
        since=data.get("since"),
        until=data.get("until"),
    )
    viewer = request.person
    results = queries.search(viewer, text=data.get("q") or "", filters=filters, page=request.GET.get("page"))
    if results.query and results.page is not None and results.page.number == 1:
        actions.search_record(actor=viewer)
    query = request.GET.copy()
    query.pop("page", None)
    # A tab whose matches were not all counted shows its count as a lower bound ("1,000+").
    tabs = [{"kind": "", "label": _("Everything"), "count": sum(results.counts.values()), "more": bool(results.more)}]
    tabs += [
        {"kind": kind, "label": label, "count": results.counts.get(kind, 0), "more": kind in results.more}
        for kind, label in DocumentKind.choices
    ]
    for tab in tabs:
        tab_query = query.copy()
        tab_query.pop("kind", None)
        if tab["kind"]:
            tab_query["kind"] = tab["kind"]
        tab["query"] = tab_query.urlencode()
        tab["current"] = tab["kind"] == filters.kind
    spaces = list(my_spaces(viewer).only("pk", "name"))
    context = {
        "form": form,
        "results": results,
        "query": query.urlencode(),
        "tabs": tabs,
        "remove": {name: _without(query, name, "page") for name in ("space", "author", "since", "until")},
        # A filter is named only when the person may see what it names.
        "space_filter": readable_spaces(viewer).filter(pk=filters.space).first() if filters.space else None,
        "author_filter": visible_people(viewer).filter(pk=filters.author).first() if filters.author else None,
        "spaces": spaces,
    }
    template = "search/partials/_results.html" if request.htmx and not request.htmx.boosted else "search/search.html"
    return render(request, template, context)
