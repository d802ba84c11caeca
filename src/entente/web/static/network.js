/* Entente network page: lay out and draw the actor network in the browser.
 *
 * The server sends an empty <svg class="network" data-network="/api/network?..."> (see
 * entente/web/pages.py:network_frame); this script fetches that JSON (nodes most active
 * first, one edge per pair of actors), lays the nodes out with d3-force (vendored in
 * /static/vendor/, ISC) and draws, as SVG:
 *   - a line per pair: width by events, class "cooperation" or "conflict" (the pair's
 *     majority), a link to the events of the pair (/?actor=A&with=B and the page's filters);
 *   - a circle per actor: radius by events, a link that filters the network to it.
 * The simulation runs a fixed number of ticks from d3-force's deterministic start, so the
 * same network is drawn the same way every time. */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var TICKS = 300;

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG_NS, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function titled(node, text) {
    el("title", {}, node).textContent = text;
    return node;
  }

  /* A query string of the page's filters with changes (null removes a key), in the order
   * the server writes them (pages.py:_qs). */
  function qs(params, changes) {
    var merged = {};
    Object.keys(params).forEach(function (k) { merged[k] = params[k]; });
    Object.keys(changes).forEach(function (k) { merged[k] = changes[k]; });
    var search = new URLSearchParams();
    Object.keys(merged).forEach(function (k) {
      if (merged[k] !== null && merged[k] !== undefined && merged[k] !== "") { search.append(k, merged[k]); }
    });
    return search.toString();
  }

  function status(svg, text) {
    var shown = svg.querySelector("text.status");
    if (shown) { shown.textContent = text; }
  }

  /* Positions in the SVG box for the nodes, from a force simulation fitted to the box. */
  function layOut(nodes, edges, width, height) {
    var heaviest = Math.max.apply(null, edges.map(function (e) { return e.weight; }).concat([1]));
    var links = edges.map(function (e) { return { source: e.source, target: e.target, weight: e.weight }; });
    var simulation = d3.forceSimulation(nodes)
      .force("link", d3.forceLink(links).id(function (n) { return n.code; })
        .distance(function (l) { return 70 - 30 * Math.log1p(l.weight) / Math.log1p(heaviest); }))
      .force("charge", d3.forceManyBody().strength(-160))
      .force("collide", d3.forceCollide(function (n) { return n.r + 4; }))
      // gravity towards the centre keeps separate components and lone actors close
      .force("x", d3.forceX(0).strength(0.06))
      .force("y", d3.forceY(0).strength(0.06))
      .stop();
    simulation.tick(TICKS);
    var xs = nodes.map(function (n) { return n.x; });
    var ys = nodes.map(function (n) { return n.y; });
    var minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs);
    var minY = Math.min.apply(null, ys), maxY = Math.max.apply(null, ys);
    var spanX = (maxX - minX) || 1, spanY = (maxY - minY) || 1;
    nodes.forEach(function (n) {
      n.px = nodes.length === 1 ? width / 2 : 40 + (n.x - minX) / spanX * (width - 80);
      n.py = nodes.length === 1 ? height / 2 : 30 + (n.y - minY) / spanY * (height - 60);
    });
  }

  function draw(svg, answer, params, top) {
    var box = svg.viewBox.baseVal;
    var width = box.width || 900, height = box.height || 640;
    var nodes = answer.nodes.slice(0, top).map(function (n) { return { code: n.code, events: n.events, name: n.name }; });
    var keep = {};
    nodes.forEach(function (n) { keep[n.code] = n; });
    var edges = answer.edges.filter(function (e) { return keep[e.source] && keep[e.target]; });
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    if (!nodes.length) {
      el("text", { x: width / 2, y: height / 2, "text-anchor": "middle", "class": "axis" }, svg).textContent =
        "no events with two parties for this filter";
      return;
    }
    var most = Math.max.apply(null, nodes.map(function (n) { return n.events; }).concat([1]));
    // circles shrink when there are many, so that a few hundred still fit the picture
    var scale = Math.min(1, Math.sqrt(60 / nodes.length));
    nodes.forEach(function (n) { n.r = (6 + 14 * Math.sqrt(n.events / most)) * scale; });
    var started = performance.now();
    layOut(nodes, edges, width, height);
    svg.setAttribute("data-layout-ms", String(Math.round(performance.now() - started)));
    var heaviest = Math.max.apply(null, edges.map(function (e) { return e.weight; }).concat([1]));
    var pairFilters = {};
    Object.keys(params).forEach(function (k) { if (k !== "actor" && k !== "with") { pairFilters[k] = params[k]; } });
    edges.forEach(function (e) {
      var a = keep[e.source], b = keep[e.target];
      var link = el("a", { href: "/?" + qs(pairFilters, { actor: e.source, "with": e.target }) }, svg);
      var types = Object.keys(e.types).map(function (t) { return t + " " + e.types[t]; }).join(", ");
      titled(el("line", {
        "class": "edge " + e.polarity, x1: a.px.toFixed(1), y1: a.py.toFixed(1), x2: b.px.toFixed(1),
        y2: b.py.toFixed(1), "stroke-width": (1 + 7 * Math.log1p(e.weight) / Math.log1p(heaviest)).toFixed(1),
        "data-source": e.source, "data-target": e.target, "data-weight": e.weight
      }, link), e.source + " - " + e.target + ": " + e.weight + " events (" + e.cooperation + " cooperation, " +
        e.conflict + " conflict): " + types);
    });
    nodes.forEach(function (n) {
      var link = el("a", { href: "/network?" + qs(params, { actor: n.code }) }, svg);
      var g = el("g", { "class": "node", "data-code": n.code }, link);
      el("circle", { cx: n.px.toFixed(1), cy: n.py.toFixed(1), r: n.r.toFixed(1) }, g);
      el("text", { x: n.px.toFixed(1), y: (n.py + n.r + 12).toFixed(1), "text-anchor": "middle" }, g)
        .textContent = n.code;
      titled(g, n.code + (n.name ? " (" + n.name + ")" : "") + ": " + n.events + " events (click to filter)");
    });
    svg.setAttribute("data-drawn", String(nodes.length));
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("svg.network[data-network]").forEach(function (svg) {
      if (typeof d3 === "undefined" || !d3.forceSimulation) {
        status(svg, "the layout library did not load; the table lists the strongest ties");
        return;
      }
      var params = JSON.parse(svg.getAttribute("data-params") || "{}");
      var top = parseInt(svg.getAttribute("data-top") || "60", 10);
      fetch(svg.getAttribute("data-network"), { headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("the server answered " + response.status); }
          return response.json();
        })
        .then(function (answer) { draw(svg, answer, params, top); })
        .catch(function (err) { status(svg, "the network could not be drawn: " + err.message); });
    });
  });
})();
