"""The pages: each renders the dict of one context function of :mod:`.data` (the same the
API returns) with a Jinja2 template. The timeline and the map are SVG drawn here on the
server, so they work without JavaScript; the network is laid out and drawn in the browser
(``static/network.js``, with the vendored d3-force) from ``/api/network``, so that no request
pays for a layout; ``static/entente.js`` marks an event's sentence in an article. A signed-in
reviewer's pages carry review controls and ``static/review.js`` (:mod:`.review`).

Article text is escaped piece by piece (:func:`article_html`): markup in an article is
shown as text, never run.
"""
from __future__ import annotations

import heapq
import json
import math
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import jinja2
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from ..record import AUX, EVENT_TYPES
from ..store.review_rules import ACTOR_KINDS, REJECT_REASONS
from . import data
from .api import filters, reader
from .data import QUADS, SPAN_RANK, Filters
from .sessions import session_of

HERE = Path(__file__).parent
QUAD_CLASS = {q: q.replace(" ", "-") for q in QUADS}
QUAD_COLOUR = {"verbal cooperation": "#4e9a06", "material cooperation": "#1f6feb",
               "verbal conflict": "#e8a317", "material conflict": "#cc2936"}

_env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True)
templates = Jinja2Templates(env=_env)
router = APIRouter(include_in_schema=False)


def _qs(params: dict, **changes: Any) -> str:
    """A query string of ``params`` with ``changes`` (None removes a key)."""
    merged = {**params, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})


def id_in_path(value: Any) -> str:
    """An id as one segment of an address: every character but letters, digits and ``-._~``
    percent-encoded, ``/`` included (so ``a/../b`` is not read as a path by the browser); the
    routes take ``{id:path}``, and the server decodes it back."""
    return quote(str(value), safe="")


def web_url(value: Any) -> str | None:
    """``value`` if it is an http(s) address, else None: a stored ``javascript:`` or ``data:``
    URL is shown as text, never made a link."""
    if not isinstance(value, str):
        return None
    scheme = urlsplit(value.strip()).scheme.lower()
    return value.strip() if scheme in ("http", "https") else None


_env.globals.update(QUADS=QUADS, QUAD_CLASS=QUAD_CLASS, QUAD_COLOUR=QUAD_COLOUR, qs=_qs)
_env.filters.update(idq=id_in_path, web_url=web_url)
#: What the review script needs to build its forms (the page's <div id="review-config">).
REVIEW_CONFIG = {"types": list(EVENT_TYPES), "aux": [a for a in AUX if a], "reasons": REJECT_REASONS,
                 "actor_kinds": list(ACTOR_KINDS)}


def _review_context(request: Request) -> dict:
    """A signed-in reviewer's name and CSRF token for the templates: they show the review
    controls (and load their script) only then."""
    session = session_of(request)
    return {"reviewer": session.reviewer if session else None, "csrf": session.csrf if session else None,
            "review_config": REVIEW_CONFIG}


def render(request: Request, template: str, context: dict, *, status: int = 200, title: str = "") -> HTMLResponse:
    return templates.TemplateResponse(request, template, {"ctx": context, "title": title, "path": request.url.path,
                                                          **_review_context(request)}, status_code=status)


def render_error(request: Request, status: int, message: str, headers: dict | None = None) -> HTMLResponse:
    response = templates.TemplateResponse(request, "error.html",
                                          {"ctx": {"status": status, "message": message}, "title": f"Error {status}",
                                           "path": request.url.path, **_review_context(request)}, status_code=status)
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


# -- the pages ------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def events_page(request: Request, f: Filters = Depends(filters), r: data.Reader = Depends(reader)):
    ctx = data.events_view(r, f)
    ctx["timeline"] = Markup(timeline_svg(data.timeline_view(r, f), "/"))
    return render(request, "events.html", ctx, title="Events")


@router.get("/timeseries", response_class=HTMLResponse)
def timeseries_page(request: Request, f: Filters = Depends(filters), r: data.Reader = Depends(reader),
                    interval: str = Query("auto", pattern="^(auto|day|week|month|year)$")):
    ctx = data.timeseries_view(r, f, interval)
    ctx["chosen_interval"] = interval
    ctx["svg"] = Markup(timeseries_svg(ctx))
    return render(request, "timeseries.html", ctx, title="Time series")


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str | None = Query(None, max_length=500),
                limit: int = Query(20, ge=1, le=500), offset: int = Query(0, ge=0, le=1_000_000),
                r: data.Reader = Depends(reader)):
    ctx = data.search_view(r, q, limit, offset)
    for result in ctx["results"]:
        result["html"] = snippet_html(result["text"] or "", ctx["words"])
    return render(request, "search.html", ctx, title=f"Search: {q}" if q else "Search")


@router.get("/actors", response_class=HTMLResponse)
def actors_page(request: Request, kind: str | None = Query(None, max_length=32),
                q: str | None = Query(None, max_length=100), limit: int | None = Query(None, ge=1, le=10_000),
                r: data.Reader = Depends(reader)):
    return render(request, "actors.html", data.actors_view(r, kind, q or None, limit), title="Actors")


@router.get("/actors/{code:path}", response_class=HTMLResponse)
def actor_page(request: Request, code: str, f: Filters = Depends(filters), r: data.Reader = Depends(reader)):
    ctx = data.actor_view(r, code, f)
    if ctx is None:
        raise HTTPException(404, f"actor {code!r} is not in the store")
    code = ctx["actor"]["code"]
    f_actor = Filters(**{**f.__dict__, "actor": code})
    ctx["timeline"] = Markup(timeline_svg(data.timeline_view(r, f_actor), "/"))
    return render(request, "actor.html", ctx, title=ctx["actor"].get("name") or ctx["actor"]["code"])


@router.get("/articles", response_class=HTMLResponse)
def articles_page(request: Request, limit: int = Query(100, ge=1, le=10_000), r: data.Reader = Depends(reader)):
    return render(request, "articles.html", data.articles_view(r, limit), title="Articles")


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str, r: data.Reader = Depends(reader),
                 q: str | None = Query(None, max_length=500, description="search words to mark"),
                 hit: str | None = Query(None, max_length=32, pattern=r"^\d+-\d+$",
                                         description="START-END of a sentence to mark"),
                 reviewed: str = Query("reviewed", pattern="^(reviewed|all)$")):
    # a reviewer sees the rejected items too, to undo them
    ctx = data.article_view(r, article_id, "all" if session_of(request) else reviewed, q=q, hit=hit)
    if ctx is None:
        raise HTTPException(404, f"article {article_id!r} is not in the store")
    ctx["html"] = article_html(ctx["text"], ctx["highlights"])
    return render(request, "article.html", ctx, title=ctx["article"].get("title") or article_id)


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: int, r: data.Reader = Depends(reader)):
    ctx = data.event_page_view(r, event_id) if -2**62 < event_id < 2**62 else None
    if ctx is None:
        raise HTTPException(404, f"event {event_id} is not in the store (a review that changes an event's values "
                                 "merges its reports into another event: the article pages link to where they are)")
    e = ctx["event"]
    return render(request, "event.html", ctx, title=f"{e['event']} {e.get('date') or ''}".strip())


@router.get("/named-events", response_class=HTMLResponse)
def named_events_page(request: Request, type: str | None = Query(None, max_length=64),
                      participant: str | None = Query(None, max_length=64), r: data.Reader = Depends(reader)):
    return render(request, "named_events.html", data.named_events_view(r, type, participant), title="Named events")


@router.get("/named-events/{named_id}", response_class=HTMLResponse)
def named_event_page(request: Request, named_id: int, r: data.Reader = Depends(reader)):
    ctx = data.named_event_view(r, named_id) if -2**62 < named_id < 2**62 else None
    if ctx is None:
        raise HTTPException(404, f"named event {named_id} is not in the store")
    return render(request, "named_event.html", ctx, title=ctx["named_event"]["name"])


#: Actors the network page draws unless told otherwise, and the choices it offers.
NETWORK_TOP = 30
NETWORK_TOPS = (15, 30, 60, 120, 300)


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request, f: Filters = Depends(filters), r: data.Reader = Depends(reader),
                 top: int = Query(NETWORK_TOP, ge=2, le=300, description="actors drawn (most active first)")):
    ctx = data.network_view(r, f)
    ctx["top"], ctx["tops"] = top, NETWORK_TOPS
    ctx["svg"] = Markup(network_frame(ctx["filters"], top=top, empty=not ctx["nodes"]))
    return render(request, "network.html", ctx, title="Network")


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, f: Filters = Depends(filters), r: data.Reader = Depends(reader)):
    ctx = data.map_view(r, f)
    ctx["svg"] = Markup(map_svg(ctx["places"], ctx["filters"]))
    return render(request, "map.html", ctx, title="Map")


# -- article text with highlights -------------------------------------------------------------


def article_html(text: str, spans: list[dict]) -> Markup:
    """The article text as HTML: every character escaped, the spans of
    :func:`entente.web.data.highlights` as nested elements (a span that crosses another's
    end is split in two, so the markup always nests)."""
    heap = [(s["start"], -s["end"], SPAN_RANK.get(s["kind"], 9), i, s) for i, s in enumerate(spans)]
    heapq.heapify(heap)
    root: dict = {"start": 0, "end": len(text), "span": None, "children": []}
    stack = [root]
    while heap:
        start, neg_end, rank, i, span = heapq.heappop(heap)
        end = -neg_end
        while len(stack) > 1 and stack[-1]["end"] <= start:
            stack.pop()
        top = stack[-1]
        if end > top["end"]:   # crosses the end of the open element: split at it
            heapq.heappush(heap, (top["end"], -end, rank, i, span))
            end = top["end"]
        if end <= start:
            continue
        node = {"start": start, "end": end, "span": span, "children": []}
        top["children"].append(node)
        stack.append(node)
    return Markup(_render_node(text, root))


def _render_node(text: str, node: dict) -> str:
    out, pos = [], node["start"]
    for child in node["children"]:
        out.append(str(escape(text[pos:child["start"]])))
        out.append(_render_node(text, child))
        pos = child["end"]
    out.append(str(escape(text[pos:node["end"]])))
    inner = "".join(out)
    span = node["span"]
    if span is None:
        return inner
    kind = span["kind"]
    title = escape(span.get("label") or kind)
    if kind == "hit":
        return f'<span class="hit" id="hit" title="{title}">{inner}</span>'
    if kind == "match":
        return f'<mark class="match" title="{title}">{inner}</mark>'
    if kind == "sentence":
        events = escape(" ".join(span.get("events") or []))
        return f'<span class="sent" data-events="{events}" title="{title}">{inner}</span>'
    if kind == "trigger":
        events = escape(" ".join(span.get("events") or []))
        return f'<mark class="hl hl-trigger" data-events="{events}" title="{title}">{inner}</mark>'
    entity = escape(span.get("entity") or "")
    return f'<mark class="hl hl-{escape(kind)}" data-entity="{entity}" title="{title}">{inner}</mark>'


# -- pictures ---------------------------------------------------------------------------------


def _timeline_href(base: str, params: dict, column: dict | None, quad: str | None = None,
                   event_id: int | None = None) -> str:
    """The events of one cell of the timeline: the page's filters with the bucket's days."""
    changes: dict[str, Any] = {"offset": None}
    if column is not None:
        changes.update(since=column["start"], until=column["end"])
    if quad is not None:
        changes["quad"] = quad
    return f"{base}?{_qs(params, **changes)}" + (f"#event-{event_id}" if event_id is not None else "")


def timeline_svg(timeline: dict, base: str = "/", width: int = 1200) -> str:
    """Every event of the filters (:func:`entente.web.data.timeline_view`) in one lane per
    PLOVER quad (y) and a column per non-empty bucket of time (x), empty stretches left out
    and marked with a break; the undated events in a column of their own. A dot per event
    (stacked in its cell, each a link to its row on the events page for that bucket) while
    they fit; else one circle per cell, sized and labelled by its count, a link to those
    events."""
    lane_h, left, right, top = 30, 150, 16, 8
    columns = list(timeline["columns"])
    undated = timeline["undated"]
    if undated["total"]:
        columns.append({"label": "undated", "start": None, "end": None, "by_quad": undated["by_quad"],
                        "total": undated["total"], "undated": True, "gap_before": bool(columns)})
    height = top + lane_h * len(QUADS) + 30
    parts = [f'<svg class="timeline" viewBox="0 0 {width} {height}" role="img" data-total="{timeline["total"]}" '
             f'data-interval="{escape(timeline["interval"] or "")}" '
             f'aria-label="timeline of every event of the filter, by date and PLOVER quad">']
    for i, quad in enumerate(QUADS):
        y = top + i * lane_h + lane_h / 2
        parts.append(f'<text x="{left - 8}" y="{y + 4}" text-anchor="end" class="lane">{quad}</text>'
                     f'<line x1="{left}" x2="{width - right}" y1="{y}" y2="{y}" class="lane-line"/>')
    if not columns:
        parts.append(f'<text x="{left}" y="{height - 8}" class="axis">no events for this filter</text></svg>')
        return "".join(parts)
    col_w = min(90.0, (width - left - right) / len(columns))
    per_row = max(1, int((col_w - 4) // 9))
    capacity = per_row * 3
    cells: dict[tuple[int, str], list[dict]] = {}
    by_start = {c["start"]: k for k, c in enumerate(columns) if c["start"]}
    starts = sorted(by_start)
    if timeline.get("events") is not None:
        from bisect import bisect_right

        for ev in timeline["events"]:
            if ev["date_start"]:
                k = by_start[starts[bisect_right(starts, ev["date_start"]) - 1]]
            else:
                k = len(columns) - 1
            cells.setdefault((k, ev["quad"] if ev["quad"] in QUADS else QUADS[0]), []).append(ev)
    dots = timeline.get("events") is not None and all(len(v) <= capacity for v in cells.values())
    most = max((c["by_quad"][q] for c in columns for q in QUADS), default=1) or 1
    label_every = max(1, math.ceil(56 / col_w))
    params = timeline["filters"]
    for k, column in enumerate(columns):
        x0 = left + k * col_w
        centre = x0 + col_w / 2
        if column.get("gap_before"):
            parts.append(f'<line x1="{x0:.1f}" x2="{x0:.1f}" y1="{top}" y2="{height - 26}" class="gap"/>'
                         f'<text x="{x0:.1f}" y="{height - 22}" text-anchor="middle" class="gap-mark">≈</text>')
        if k % label_every == 0 or column.get("undated"):
            parts.append(f'<text x="{centre:.1f}" y="{height - 8}" text-anchor="middle" class="axis">'
                         f'{escape(column["label"])}</text>')
        for i, quad in enumerate(QUADS):
            y = top + i * lane_h + lane_h / 2
            n = column["by_quad"].get(quad, 0)
            if not n:
                continue
            cell_column = None if column.get("undated") else column
            if dots:
                for j, ev in enumerate(cells.get((k, quad), [])):
                    row, place = divmod(j, per_row)
                    in_row = min(per_row, len(cells[(k, quad)]) - row * per_row)
                    cx = centre + (place - (in_row - 1) / 2) * 9
                    cy = y + (row - 1) * 9 if len(cells[(k, quad)]) > per_row else y
                    who = ",".join(ev["actors"]) or "-"
                    whom = ",".join(ev["recipients"])
                    label = escape(f"{ev['event']} {who}{' -> ' + whom if whom else ''} {ev['date_start'] or 'undated'}")
                    href = _timeline_href(base, params, cell_column, event_id=ev["id"])
                    parts.append(f'<a href="{escape(href)}"><circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" '
                                 f'class="dot {QUAD_CLASS[quad]}" data-event="{ev["id"]}" '
                                 f'data-type="{escape(ev["event"])}" data-date="{escape(ev["date_start"] or "")}">'
                                 f'<title>{label}</title></circle></a>')
            else:
                r = 3 + 9 * math.sqrt(n / most)
                label = escape(f"{n} {quad} events, {column['label']}")
                href = _timeline_href(base, params, cell_column, quad=quad)
                parts.append(f'<a href="{escape(href)}"><circle cx="{centre:.1f}" cy="{y:.1f}" r="{r:.1f}" '
                             f'class="cell {QUAD_CLASS[quad]}" data-count="{n}" data-bucket="{escape(column["label"])}">'
                             f'<title>{label}</title></circle>'
                             f'<text x="{centre + r + 2:.1f}" y="{y + 4:.1f}" class="count">{n}</text></a>')
    parts.append("</svg>")
    return "".join(parts)


def timeseries_svg(series: dict, width: int = 1200) -> str:
    """The time series (:func:`entente.web.data.timeseries_view`) as three panels over one time
    axis, a bar per bucket (empty buckets too): events stacked by PLOVER quad; cooperation
    above the line against conflict below it; the mean Goldstein-style intensity (-10 to
    10). Each bar is a link to the events of its bucket. The undated events are said under it."""
    buckets = series["buckets"]
    left, right, top, panel_h, gap = 60, 16, 10, 120, 34
    height = top + 3 * panel_h + 2 * gap + 30
    parts = [f'<svg class="timeseries" viewBox="0 0 {width} {height}" role="img" '
             f'data-buckets="{len(buckets)}" data-total="{series["total"]}" '
             f'data-interval="{escape(series["interval"] or "")}" '
             'aria-label="events per bucket of time: by quad, cooperation against conflict, intensity">']
    if not buckets:
        parts.append(f'<text x="{left}" y="{top + 20}" class="axis">no dated events for this filter</text></svg>')
        return "".join(parts)
    plot_w = width - left - right
    bar_w = min(48.0, plot_w / len(buckets))
    inner = max(bar_w - (1 if bar_w > 3 else 0), 0.5)
    x_start = left + (plot_w - bar_w * len(buckets)) / 2     # few buckets: narrow bars in the middle
    most = max(b["total"] for b in buckets) or 1
    most_side = max(max(b["cooperation"], b["conflict"]) for b in buckets) or 1
    panels = [("events by quad", top), ("cooperation ↑ / conflict ↓", top + panel_h + gap),
              ("intensity (Goldstein-style, mean)", top + 2 * (panel_h + gap))]
    for k, (title, y0) in enumerate(panels):
        parts.append(f'<text x="{left}" y="{y0 - 1}" class="panel-title">{escape(title)}</text>')
        if k == 0:
            parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y0 + panel_h}" y2="{y0 + panel_h}" '
                         'class="axis-line"/>')
    parts.append(f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" class="axis">{most}</text>'
                 f'<text x="{left - 6}" y="{top + panel_h}" text-anchor="end" class="axis">0</text>')
    y_mid = panels[1][1] + panel_h / 2
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y_mid}" y2="{y_mid}" class="axis-line"/>'
                 f'<text x="{left - 6}" y="{y_mid + 4}" text-anchor="end" class="axis">0</text>'
                 f'<text x="{left - 6}" y="{panels[1][1] + 10}" text-anchor="end" class="axis">{most_side}</text>')
    y_int = panels[2][1]
    for value in (10, 0, -10):
        y = y_int + (10 - value) / 20 * panel_h
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="axis">{value:+d}</text>'
                     f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
    params = series["filters"]
    points = []
    label_every = max(1, math.ceil(64 / bar_w))
    for k, b in enumerate(buckets):
        x = x_start + k * bar_w
        href = escape("/?" + _qs(params, since=b["start"], until=b["end"], offset=None))
        # panel 1: stacked by quad
        y = top + panel_h
        stack = [f'<a href="{href}" class="bucket" data-bucket="{escape(b["label"])}" data-total="{b["total"]}">']
        for quad in QUADS:
            n = b["by_quad"][quad]
            if n:
                h = n / most * (panel_h - 12)
                y -= h
                stack.append(f'<rect class="bar {QUAD_CLASS[quad]}" x="{x:.2f}" y="{y:.2f}" width="{inner:.2f}" '
                             f'height="{h:.2f}"><title>{escape(b["label"])}: {n} {quad}</title></rect>')
        stack.append("</a>")
        if b["total"]:
            parts.extend(stack)
        # panel 2: cooperation up, conflict down
        for side, sign in (("cooperation", -1), ("conflict", 1)):
            n = b[side]
            if n:
                h = n / most_side * (panel_h / 2 - 4)
                y = y_mid - h if sign < 0 else y_mid
                parts.append(f'<a href="{href}"><rect class="bar {side}" x="{x:.2f}" y="{y:.2f}" width="{inner:.2f}" '
                             f'height="{h:.2f}" data-bucket="{escape(b["label"])}"><title>{escape(b["label"])}: '
                             f'{n} {side}</title></rect></a>')
        if b["intensity"] is not None:
            points.append((x + inner / 2, y_int + (10 - b["intensity"]) / 20 * panel_h, b))
        if k % label_every == 0:
            parts.append(f'<text x="{x + inner / 2:.1f}" y="{height - 8}" text-anchor="middle" class="axis">'
                         f'{escape(b["label"])}</text>')
    if points:
        path = " ".join(f"{'M' if i == 0 else 'L'}{px:.1f},{py:.1f}" for i, (px, py, _) in enumerate(points))
        parts.append(f'<path class="intensity" d="{path}"/>')
        for px, py, b in points:
            parts.append(f'<circle class="intensity-point" cx="{px:.1f}" cy="{py:.1f}" r="3" '
                         f'data-bucket="{escape(b["label"])}"><title>{escape(b["label"])}: mean intensity '
                         f'{b["intensity"]:+.2f} over {b["total"]} events</title></circle>')
    parts.append("</svg>")
    return "".join(parts)


def snippet_html(text: str, words: list[str]) -> Markup:
    """A search result's sentence as HTML: escaped, its words of the query marked."""
    from ..store.textindex import fold

    wanted = set(words)
    folded = fold(text)
    if len(folded) != len(text) or not wanted:
        return Markup(escape(text))
    out, pos = [], 0
    for m in re.finditer(r"[^\W_]+", folded):
        if m.group(0) in wanted:
            out.append(str(escape(text[pos:m.start()])))
            out.append(f'<mark class="match">{escape(text[m.start():m.end()])}</mark>')
            pos = m.end()
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def network_frame(params: dict, *, top: int = 60, empty: bool = False, width: int = 900, height: int = 640) -> str:
    """The frame of the actor network: an empty SVG that ``static/network.js`` fills from
    ``/api/network`` (same filters, the ``top`` most active actors): a circle per actor
    (clicking it filters the network to that actor), a line per pair (width by events; green
    for cooperation, red for conflict; clicking it opens the events of the pair). The
    server computes no positions."""
    api = "/api/network?" + _qs(params, top=top)
    parts = [f'<svg class="network" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="actor network" data-network="{escape(api)}" data-top="{int(top)}" '
             f'data-params="{escape(json.dumps(params, ensure_ascii=False))}">']
    message = ("no events with two parties for this filter" if empty
               else "laying out the network (it needs JavaScript; the table lists the strongest ties)")
    parts.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" class="axis status">{message}</text>')
    parts.append("</svg>")
    return "".join(parts)


def map_svg(places: list[dict], params: dict) -> str:
    """Event places on Natural Earth's land outline (equirectangular, 1 unit = 1 degree);
    a circle per place, sized by events and coloured by its most frequent quad; clicking
    opens the events of that place. The events placed only in a country are a ring at its
    capital (class ``country-level``), not a disc, and say so. ``static/map.js`` zooms and
    pans it (wheel, drag, buttons), keeping the circles' size on screen."""
    most = max((p["events"] for p in places), default=1)
    parts = ['<svg class="map" viewBox="0 8 360 144" width="100%" role="img" aria-label="map of event places" '
             'data-view="0 8 360 144">',
             '<rect width="360" height="180" class="sea"/>',
             '<image href="/static/world-110m.svg" x="0" y="0" width="360" height="180"/>']
    for lon in range(-150, 181, 30):
        parts.append(f'<line class="graticule" x1="{lon + 180}" y1="0" x2="{lon + 180}" y2="180"/>')
    for lat in range(-60, 61, 30):
        parts.append(f'<line class="graticule" x1="0" y1="{90 - lat}" x2="360" y2="{90 - lat}"/>')
    parts.append('<g class="places">')
    for p in sorted(places, key=lambda p: -p["events"]):
        x, y = p["lon"] + 180, 90 - p["lat"]
        r = 0.9 + 3 * math.sqrt(p["events"] / most)
        country_level = p.get("country_level")
        href = "/?" + _qs({k: v for k, v in params.items() if k != "place"},
                          place=p["country"] if country_level else (p["name"] or p["country"]))
        counts = ", ".join(f"{q} {n}" for q, n in p["by_quad"].items() if n)
        where = (f"{p['name']}: placed only in the country (drawn at its capital)" if country_level
                 else f"{p['name']} ({p['country'] or '?'})")
        label = escape(f"{where}: {p['events']} events; {counts}")
        kind = "place country-level" if country_level else "place"
        level = ' data-country-level="true"' if country_level else ""
        parts.append(f'<a href="{escape(href)}"><circle class="{kind} {QUAD_CLASS[p["quad"]]}" cx="{x:.2f}" '
                     f'cy="{y:.2f}" r="{r:.2f}" data-r="{r:.2f}" data-place="{escape(p["name"] or "")}"{level}>'
                     f'<title>{label}</title></circle></a>')
    parts.append('</g>')
    parts.append("</svg>")
    return "".join(parts)
