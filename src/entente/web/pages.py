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
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

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


_env.globals.update(QUADS=QUADS, QUAD_CLASS=QUAD_CLASS, QUAD_COLOUR=QUAD_COLOUR, qs=_qs)
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
    ctx["timeline"] = Markup(timeline_svg(ctx["events"]))
    return render(request, "events.html", ctx, title="Events")


@router.get("/actors", response_class=HTMLResponse)
def actors_page(request: Request, kind: str | None = Query(None, max_length=32), r: data.Reader = Depends(reader)):
    return render(request, "actors.html", data.actors_view(r, kind), title="Actors")


@router.get("/actors/{code}", response_class=HTMLResponse)
def actor_page(request: Request, code: str, f: Filters = Depends(filters), r: data.Reader = Depends(reader)):
    ctx = data.actor_view(r, code, f)
    if ctx is None:
        raise HTTPException(404, f"actor {code!r} is not in the store")
    ctx["timeline"] = Markup(timeline_svg(ctx["events"]))
    return render(request, "actor.html", ctx, title=ctx["actor"].get("name") or ctx["actor"]["code"])


@router.get("/articles", response_class=HTMLResponse)
def articles_page(request: Request, limit: int = Query(100, ge=1, le=10_000), r: data.Reader = Depends(reader)):
    return render(request, "articles.html", data.articles_view(r, limit), title="Articles")


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str, r: data.Reader = Depends(reader),
                 reviewed: str = Query("reviewed", pattern="^(reviewed|all)$")):
    # a reviewer sees the rejected items too, to undo them
    ctx = data.article_view(r, article_id, "all" if session_of(request) else reviewed)
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


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request, f: Filters = Depends(filters), r: data.Reader = Depends(reader),
                 top: int = Query(60, ge=2, le=300, description="actors drawn (most active first)")):
    ctx = data.network_view(r, f)
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
    if kind == "sentence":
        events = escape(" ".join(span.get("events") or []))
        return f'<span class="sent" data-events="{events}" title="{title}">{inner}</span>'
    if kind == "trigger":
        events = escape(" ".join(span.get("events") or []))
        return f'<mark class="hl hl-trigger" data-events="{events}" title="{title}">{inner}</mark>'
    entity = escape(span.get("entity") or "")
    return f'<mark class="hl hl-{escape(kind)}" data-entity="{entity}" title="{title}">{inner}</mark>'


# -- pictures ---------------------------------------------------------------------------------


def _day_number(iso: str | None) -> int | None:
    from datetime import date

    if not iso:
        return None
    try:
        return date.fromisoformat(iso).toordinal()
    except ValueError:
        return None


def _ticks(lo: int, hi: int, most: int = 10) -> list[tuple[int, str]]:
    """Axis ticks (day number, label) on whole years, months or days between two days."""
    from datetime import date

    first, last = date.fromordinal(lo), date.fromordinal(hi)
    if hi - lo > 3 * 365:
        years = range(first.year + 1, last.year + 1)
        step = max(1, math.ceil(len(years) / most))
        return [(date(y, 1, 1).toordinal(), str(y)) for y in years[::step]]
    if hi - lo > 60:
        months, y, m = [], first.year, first.month
        while True:
            m += 1
            if m > 12:
                y, m = y + 1, 1
            if date(y, m, 1) > last:
                break
            months.append(date(y, m, 1))
        step = max(1, math.ceil(len(months) / most))
        return [(d.toordinal(), d.isoformat()[:7]) for d in months[::step]]
    step = max(1, math.ceil((hi - lo) / most))
    return [(d, date.fromordinal(d).isoformat()) for d in range(lo, hi + 1, step)]


def timeline_svg(events: list[dict], width: int = 1200) -> str:
    """Events by date (x) in one lane per PLOVER quad (y), one dot each, coloured by quad;
    a dot links to the event's row. Undated events are left out (and counted)."""
    lane_h, left, right, top = 26, 150, 40, 10
    height = top + lane_h * len(QUADS) + 28
    dated = [(e, _day_number(e.get("date_start"))) for e in events]
    days = [d for _, d in dated if d is not None]
    parts = [f'<svg class="timeline" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="timeline of events by date and PLOVER quad">']
    for i, quad in enumerate(QUADS):
        y = top + i * lane_h + lane_h / 2
        parts.append(f'<text x="{left - 8}" y="{y + 4}" text-anchor="end" class="lane">{quad}</text>'
                     f'<line x1="{left}" x2="{width - right}" y1="{y}" y2="{y}" class="lane-line"/>')
    if not days:
        parts.append(f'<text x="{left}" y="{height - 8}" class="axis">no dated events</text></svg>')
        return "".join(parts)
    lo, hi = min(days), max(days)
    if hi - lo < 30:
        lo, hi = lo - 15, hi + 15
    span = hi - lo
    scale = (width - left - right) / span
    for day, label in _ticks(lo, hi):
        x = left + (day - lo) * scale
        parts.append(f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" class="axis">{label}</text>'
                     f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{height - 24}" class="tick"/>')
    stacked: dict[tuple[int, str], int] = {}
    for e, day in dated:
        if day is None:
            continue
        quad = e.get("quad") if e.get("quad") in QUADS else QUADS[0]
        i = QUADS.index(quad)
        x = left + (day - lo) * scale
        key = (round(x / 4), quad)
        n = stacked.get(key, 0)
        stacked[key] = n + 1
        y = top + i * lane_h + lane_h / 2 + ((n % 5) - 2) * 3.5
        who = ",".join(p["code"] for p in e["actor"]) or "-"
        whom = ",".join(p["code"] for p in e["recipient"])
        label = escape(f"{e['event']} {who}{' -> ' + whom if whom else ''} {e.get('date') or ''}")
        parts.append(f'<a href="#event-{e["id"]}"><circle cx="{x:.1f}" cy="{y:.1f}" r="5" '
                     f'class="dot {QUAD_CLASS[quad]}" data-event="{e["id"]}" data-type="{escape(e["event"])}" '
                     f'data-date="{escape(e.get("date") or "")}"><title>{label}</title></circle></a>')
    parts.append("</svg>")
    return "".join(parts)


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
    opens the events of that place."""
    most = max((p["events"] for p in places), default=1)
    parts = ['<svg class="map" viewBox="0 8 360 144" width="100%" role="img" aria-label="map of event places">',
             '<rect width="360" height="180" class="sea"/>',
             '<image href="/static/world-110m.svg" x="0" y="0" width="360" height="180"/>']
    for lon in range(-150, 181, 30):
        parts.append(f'<line class="graticule" x1="{lon + 180}" y1="0" x2="{lon + 180}" y2="180"/>')
    for lat in range(-60, 61, 30):
        parts.append(f'<line class="graticule" x1="0" y1="{90 - lat}" x2="360" y2="{90 - lat}"/>')
    for p in sorted(places, key=lambda p: -p["events"]):
        x, y = p["lon"] + 180, 90 - p["lat"]
        r = 1.2 + 4 * math.sqrt(p["events"] / most)
        href = "/?" + _qs({k: v for k, v in params.items() if k != "place"}, place=p["name"] or p["country"])
        counts = ", ".join(f"{q} {n}" for q, n in p["by_quad"].items() if n)
        label = escape(f"{p['name']} ({p['country'] or '?'}): {p['events']} events; {counts}")
        parts.append(f'<a href="{escape(href)}"><circle class="place {QUAD_CLASS[p["quad"]]}" cx="{x:.2f}" '
                     f'cy="{y:.2f}" r="{r:.2f}" data-place="{escape(p["name"] or "")}"><title>{label}</title>'
                     '</circle></a>')
    parts.append("</svg>")
    return "".join(parts)
