"""The adoption cockpit's pages: overview, segments, questions, spaces, features — for
the organisation (analytics viewers, over their scope) and for one space (its managers).

Every figure comes from ``metrics`` with privacy applied; each chart has its table and a
CSV download of the same published values (withheld values are empty cells)."""

import csv
from datetime import date, timedelta

from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bascule import access
from bascule.core.responses import bad_request as _bad, forbidden as _denied

from . import metrics
from .ledger import local_day
from .models import Stage
from .queries import STAGES

PAGES = ("overview", "segments", "questions", "spaces", "features")
CHARTS_FILE = "vendor/chart.umd.js"


class BadInput(Exception):
    pass


def _audience(request, space_slug: str | None) -> metrics.Audience:
    """Whose figures the viewer sees; PermissionDenied when they may not see any."""
    person = request.person
    if person is None:
        raise Http404
    if space_slug is not None:
        space = access.access_space(person, space_slug)
        if not access.may_view_cockpit(person, space):
            raise PermissionDenied(_("Only the managers of this space and the analytics viewers see its cockpit."))
        return metrics.space_audience(space)
    if not access.may_view_cockpit(person):
        raise PermissionDenied(_("The adoption cockpit is for the people who hold the analytics viewer role."))
    return metrics.viewer_audience(person)


def _day(request) -> date:
    """The day asked for (yesterday by default: the last complete day)."""
    today = local_day(timezone.now())
    text = request.GET.get("day", "").strip()
    if not text:
        return today - timedelta(days=1)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise BadInput(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text[:40]}) from None
    if day > today:
        raise BadInput(_("The cockpit cannot show a day in the future."))
    return day


def _choice(request, name: str, choices, default=None):
    value = request.GET.get(name, "") or default
    if value is not None and value not in choices:
        raise BadInput(_("“%(value)s” is not a valid choice for %(name)s.") % {"value": str(value)[:40], "name": name})
    return value


def _csv(filename: str, header: list, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return response


def _charts_available() -> bool:
    return finders.find(CHARTS_FILE) is not None


def _base_context(request, page, audience, day, space_slug):
    return {
        "page": page,
        "audience": audience,
        "day": day,
        "space_slug": space_slug,
        "k": metrics.min_group_size(),
        "charts": _charts_available(),
        "band": metrics.TIPPING_BAND,
        "reference_lines": metrics.REFERENCE_LINES,
        "query": _query_without(request, "download"),
        "urls": {
            name: reverse(f"adoption:space_{name}", args=[space_slug]) if space_slug else reverse(f"adoption:{name}")
            for name in PAGES
        },
    }


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def cockpit(request, page: str = "overview", space_slug: str | None = None):
    try:
        audience = _audience(request, space_slug)
    except PermissionDenied as error:
        if space_slug is None and page == "overview":
            spaces = list(metrics.managed_spaces(request.person))
            if spaces:
                # A space manager without the analytics role: the cockpits of their spaces.
                return render(request, "adoption/spaces_choice.html", {"spaces": spaces})
        return _denied(request, str(error))
    try:
        day = _day(request)
        handler = {
            "overview": _overview,
            "segments": _segments,
            "questions": _questions,
            "spaces": _spaces,
            "features": _features,
        }[page]
        return handler(request, audience, day, space_slug)
    except BadInput as error:
        return _bad(request, str(error))


# ---------------------------------------------------------------------------------------


def _filter_field(request) -> str | None:
    """The segment field of the page's filter (?field=), read with the whole group."""
    return _choice(request, "field", metrics.COCKPIT_FIELDS)


def _filtered_group(request, cockpit):
    """The group the page describes: the whole audience, or one segment (?field=&value=).
    None when the filter isolates too few people (nothing is shown then)."""
    field = _choice(request, "field", metrics.COCKPIT_FIELDS)
    if not field:
        return cockpit.whole, None, None
    value = request.GET.get("value", "")
    group = cockpit.segment(field, value, detailed=True)
    if group is None:
        raise BadInput(_("There is no such segment."))
    return (group if group.shown else None), field, value


def _overview(request, audience, day, space_slug):
    cockpit = metrics.cockpit_build(day=day, audience=audience, field_name=_filter_field(request))
    group, field, value = _filtered_group(request, cockpit)
    trend = []
    if group is not None and field is None:
        trend = metrics.stage_trend(day=day, audience=audience, cockpit=cockpit)
    download = request.GET.get("download")
    if download:
        return _overview_csv(download, group, trend, day)
    context = _base_context(request, "overview", audience, day, space_slug)
    context |= dict(
        group=group,
        field=field,
        field_label=metrics.field_label(field) if field else "",
        value=value,
        trend=trend,
        chart_data=_overview_chart_data(group, trend) if group is not None else None,
        segment_fields=[(name, metrics.field_label(name)) for name in metrics.COCKPIT_FIELDS],
    )
    return render(request, "adoption/overview.html", context)


def _percent(share):
    return None if share is None else round(share * 100, 1)


def _overview_chart_data(group, trend) -> dict:
    return {
        "stages": {
            "labels": [str(row["label"]).capitalize() for row in group.stage_rows()],
            "keys": list(STAGES),
            "counts": [row["count"] for row in group.stage_rows()],
        },
        "tipping": {
            "value": _percent(group.tipping_point),
            "band": [_percent(x) for x in metrics.TIPPING_BAND],
            "lines": [_percent(x) for x in metrics.REFERENCE_LINES],
            "label": _("Tipping point"),
            "band_label": _("Target band"),
            "lines_label": _("Reference lines"),
        },
        "trend": {
            "labels": [point["day"].isoformat() for point in trend],
            "series": [
                {"key": stage, "label": str(Stage(stage).label),
                 "values": [point["group"].get(stage) if point["group"] else None for point in trend]}
                for stage in STAGES
            ],
            "tipping": [_percent(point["group"].tipping_point) if point["group"] else None for point in trend],
            "tipping_label": _("Tipping point (%)"),
            "band": [_percent(x) for x in metrics.TIPPING_BAND],
            "lines": [_percent(x) for x in metrics.REFERENCE_LINES],
        },
    }


def _overview_csv(download, group, trend, day):
    if group is None:
        return _csv("cockpit-empty.csv", ["withheld"], [])
    stamp = day.isoformat()
    if download == "stages":
        return _csv(f"stages-{stamp}.csv", ["stage", "people", "share"],
                    [(row["stage"], row["count"], row["share"]) for row in group.stage_rows()])
    if download == "indicators":
        return _csv(f"indicators-{stamp}.csv", ["indicator", "share", "people", "out_of"],
                    [(row["key"], row["share"], row["count"], row["of"]) for row in group.indicators()])
    if download == "trend":
        return _csv(f"trend-{stamp}.csv", ["day", "population", *STAGES, "tipping_point"], [
            (point["day"].isoformat(),
             *((point["group"].population, *(point["group"].get(s) for s in STAGES), point["group"].tipping_point)
               if point["group"] else [None] * (len(STAGES) + 2)))
            for point in trend
        ])
    if download == "depth":
        return _csv(f"disappointment-depth-{stamp}.csv", ["active_before_silence", "people", "share"],
                    [(row["bucket"], row["count"], row["share"]) for row in group.depth_rows()])
    raise BadInput(_("There is no such table."))


SORTS = ("name", "population", "tipping_point", *STAGES)


def _segments(request, audience, day, space_slug):
    field = _choice(request, "field", metrics.COCKPIT_FIELDS, default="site")
    cockpit = metrics.cockpit_build(day=day, audience=audience, field_name=field)
    sort = _choice(request, "sort", SORTS, default="name")
    descending = request.GET.get("dir") == "desc"
    drill = request.GET.get("drill")
    by = _choice(request, "by", metrics.COCKPIT_FIELDS, default=None)
    rows = cockpit.table(field)
    parent = None
    if drill is not None:
        parent = cockpit.segment(field, drill)
        if parent is None:
            raise BadInput(_("There is no such segment."))
        if by is None or by == field:
            by = next(name for name in metrics.COCKPIT_FIELDS if name != field)
        rows = cockpit.drill(field, drill, by) if parent.shown else []
    rows = _sorted(rows, sort, descending)
    shown_field = by if drill is not None else field
    if request.GET.get("download") == "heatmap":
        return _csv(f"segments-{shown_field}-{day.isoformat()}.csv",
                    ["segment", "population", "tipping_point", *STAGES],
                    [(row.name, row.population, row.tipping_point, *(row.get(s) for s in STAGES)) for row in rows])
    context = _base_context(request, "segments", audience, day, space_slug)
    context |= dict(
        field=field,
        field_label=metrics.field_label(field),
        shown_field_label=metrics.field_label(shown_field),
        by=by,
        drill=drill,
        parent=parent,
        rows=[_heat_row(row) for row in rows],
        stages=[(stage, Stage(stage).label) for stage in STAGES],
        sort=sort,
        descending=descending,
        sort_base=_query_without(request, "sort", "dir", "download"),
        segment_fields=[(name, metrics.field_label(name)) for name in metrics.COCKPIT_FIELDS],
        chart_data={
            "labels": [row.name or _("(unknown)") for row in rows],
            "tipping": [_percent(row.tipping_point) for row in rows],
            "band": [_percent(x) for x in metrics.TIPPING_BAND],
            "lines": [_percent(x) for x in metrics.REFERENCE_LINES],
            "label": _("Tipping point (%)"),
        },
    )
    return render(request, "adoption/segments.html", context)


def _sorted(rows, sort, descending):
    if sort == "name":
        return sorted(rows, key=lambda row: row.name.casefold(), reverse=descending)

    def value(row):
        if sort == "population":
            return row.population
        if sort == "tipping_point":
            return row.tipping_point
        count = row.get(sort)
        return None if count is None or not row.population else count / row.population

    shown = sorted((row for row in rows if value(row) is not None), key=value, reverse=descending)
    return shown + [row for row in rows if value(row) is None]


def _heat_row(row):
    cells = []
    for stage in STAGES:
        count = row.get(stage)
        share = metrics._ratio(count, row.population)
        # Five shades: the share of the segment in that stage.
        level = "" if share is None else min(4, int(share * 10))
        cells.append({"stage": stage, "count": count, "share": share, "level": level})
    return {"name": row.name, "population": row.population, "tipping_point": row.tipping_point,
            "status": row.tipping_status, "cells": cells, "shown": row.shown}


def _questions(request, audience, day, space_slug):
    posts = access.visible_posts(request.person)
    if audience.space_id is not None:
        posts = posts.filter(space_id=audience.space_id)
    elif audience.people is not None:
        posts = posts.filter(author_id__in=audience.people)
    window = metrics.JourneyRules.from_settings().window_days
    result = metrics.questions_metrics(day=day, posts=posts, window_days=window)
    if request.GET.get("download") == "questions":
        return _csv(f"questions-{day.isoformat()}.csv",
                    ["questions", "answered_within_delay", "median_hours_to_first_answer", "overdue"],
                    [(result["questions"], result["within_delay"], result["median_hours"], result["overdue"])])
    context = _base_context(request, "questions", audience, day, space_slug)
    context |= dict(result=result, window=window, within_percent=_percent(result["within_delay"]),
                   chart_data={"within": _percent(result["within_delay"]), "label": _("Answered within the expected delay (%)")})
    return render(request, "adoption/questions.html", context)


def _spaces(request, audience, day, space_slug):
    spaces = access.visible_spaces(request.person)
    if audience.space_id is not None:
        spaces = spaces.filter(pk=audience.space_id)
    rows = metrics.spaces_metrics(day=day, spaces=spaces)
    active = sum(1 for row in rows if not row["dormant"])
    if request.GET.get("download") == "spaces":
        return _csv(f"spaces-{day.isoformat()}.csv", ["space", "members", "posts_30_days", "last_post", "status"],
                    [(row["name"], row["members"], row["recent"],
                      row["last_post"].date().isoformat() if row["last_post"] else None,
                      "dormant" if row["dormant"] else "active") for row in rows])
    context = _base_context(request, "spaces", audience, day, space_slug)
    context |= dict(rows=rows, active=active, dormant=len(rows) - active, dormant_days=metrics.DORMANT_DAYS,
                   chart_data={"labels": [_("Active"), _("Dormant")], "values": [active, len(rows) - active]})
    return render(request, "adoption/spaces.html", context)


def _features(request, audience, day, space_slug):
    cockpit = metrics.cockpit_build(day=day, audience=audience, field_name=_filter_field(request))
    group, field, value = _filtered_group(request, cockpit)
    rows = group.features() if group is not None else []
    if request.GET.get("download") == "features":
        return _csv(f"features-{day.isoformat()}.csv", ["feature", "people", "share_of_active_people"],
                    [(row["kind"], row["count"], row["share"]) for row in rows])
    context = _base_context(request, "features", audience, day, space_slug)
    context |= dict(group=group, field=field, value=value, rows=rows,
                   field_label=metrics.field_label(field) if field else "",
                   segment_fields=[(name, metrics.field_label(name)) for name in metrics.COCKPIT_FIELDS],
                   chart_data={"labels": [str(row["label"]).capitalize() for row in rows], "values": [_percent(row["share"]) for row in rows],
                               "label": _("Share of active people (%)")})
    return render(request, "adoption/features.html", context)
