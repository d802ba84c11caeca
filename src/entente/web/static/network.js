/* Entente network page: lay out and draw the actor network in the browser.
 *
 * The server sends an empty <svg class="network" data-network="/api/network?..."> (see
 * entente/web/pages.py:network_frame); this script fetches that JSON (nodes most active
 * first, one edge per pair of actors), lays the nodes out with d3-force (vendored in
 * /static/vendor/, ISC) and draws, as SVG:
 *   - a line per pair: width by events, class "cooperation" or "conflict" (the pair's
 *     majority), a link to the events of the pair (/?actor=A&with=B and the page's filters);
 *   - a circle per actor: radius by events, a link that filters the network to it;
 *   - its code as a label where the label fits (the most active first, beside its circle,
 *     clear of the other labels and circles); every other label shows on hover.
 * The simulation runs a fixed number of ticks from d3-force's deterministic start, so the
 * same network is drawn the same way every time; a last pass pushes apart any circles that
 * still overlap, and the picture is scaled the same way in x and y, so no circle covers
 * another and every one can be clicked. Labels take no clicks. */
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

  /* Push apart circles that overlap (with a margin), a few rounds over every pair. */
  function separate(nodes, margin) {
    for (var round = 0; round < 30; round++) {
      var moved = false;
      for (var i = 0; i < nodes.length; i++) {
        for (var j = i + 1; j < nodes.length; j++) {
          var a = nodes[i], b = nodes[j];
          var dx = b.x - a.x, dy = b.y - a.y;
          var d = Math.sqrt(dx * dx + dy * dy) || 0.01;
          var need = a.r + b.r + margin;
          if (d < need) {
            var push = (need - d) / 2 + 0.01;
            if (d === 0.01) { dx = 1; dy = 0; }
            a.x -= dx / d * push; a.y -= dy / d * push;
            b.x += dx / d * push; b.y += dy / d * push;
            moved = true;
          }
        }
      }
      if (!moved) { return; }
    }
  }

  /* Positions in the SVG box for the nodes, from a force simulation fitted to the box with
   * one scale for x and y (circles scaled down with it when the layout is larger than the
   * box), so that circles that do not overlap in the layout do not overlap in the picture. */
  function layOut(nodes, edges, width, height) {
    var heaviest = Math.max.apply(null, edges.map(function (e) { return e.weight; }).concat([1]));
    var links = edges.map(function (e) { return { source: e.source, target: e.target, weight: e.weight }; });
    var simulation = d3.forceSimulation(nodes)
      .force("link", d3.forceLink(links).id(function (n) { return n.code; })
        .distance(function (l) { return 80 - 30 * Math.log1p(l.weight) / Math.log1p(heaviest); }))
      .force("charge", d3.forceManyBody().strength(-200))
      .force("collide", d3.forceCollide(function (n) { return n.r + 6; }).iterations(2))
      // gravity towards the centre keeps separate components and lone actors close
      .force("x", d3.forceX(0).strength(0.06))
      .force("y", d3.forceY(0).strength(0.06))
      .stop();
    simulation.tick(TICKS);
    separate(nodes, 4);
    var minX = Math.min.apply(null, nodes.map(function (n) { return n.x - n.r; }));
    var maxX = Math.max.apply(null, nodes.map(function (n) { return n.x + n.r; }));
    var minY = Math.min.apply(null, nodes.map(function (n) { return n.y - n.r; }));
    var maxY = Math.max.apply(null, nodes.map(function (n) { return n.y + n.r; }));
    var padX = 30, padY = 22;
    var scale = Math.min((width - 2 * padX) / ((maxX - minX) || 1), (height - 2 * padY) / ((maxY - minY) || 1));
    var offsetX = (width - (maxX - minX) * scale) / 2, offsetY = (height - (maxY - minY) * scale) / 2;
    var shrink = Math.min(1, scale);
    nodes.forEach(function (n) {
      n.px = nodes.length === 1 ? width / 2 : offsetX + (n.x - minX) * scale;
      n.py = nodes.length === 1 ? height / 2 : offsetY + (n.y - minY) * scale;
      n.pr = n.r * shrink;
    });
  }

  /* Where each node's label goes: beside its circle (below, above, right, left), if there it
   * overlaps no label already placed and no circle; the most active actors choose first.
   * Sets n.label = {x, y, anchor} or null (shown on hover only). */
  function placeLabels(nodes, width, height) {
    var boxes = [];
    var CHAR = 6.6, H = 11;
    function hits(box) {
      if (box.x0 < 0 || box.x1 > width || box.y0 < 0 || box.y1 > height) { return true; }
      for (var i = 0; i < boxes.length; i++) {
        var b = boxes[i];
        if (box.x0 < b.x1 && box.x1 > b.x0 && box.y0 < b.y1 && box.y1 > b.y0) { return true; }
      }
      return nodes.some(function (m) {
        var cx = Math.max(box.x0, Math.min(m.px, box.x1)), cy = Math.max(box.y0, Math.min(m.py, box.y1));
        var dx = m.px - cx, dy = m.py - cy;
        return dx * dx + dy * dy < m.pr * m.pr;
      });
    }
    nodes.slice().sort(function (a, b) { return b.events - a.events; }).forEach(function (n) {
      var w = n.code.length * CHAR;
      var spots = [
        { x: n.px, y: n.py + n.pr + H, anchor: "middle", x0: n.px - w / 2, x1: n.px + w / 2, y0: n.py + n.pr + 1, y1: n.py + n.pr + 1 + H },
        { x: n.px, y: n.py - n.pr - 3, anchor: "middle", x0: n.px - w / 2, x1: n.px + w / 2, y0: n.py - n.pr - 2 - H, y1: n.py - n.pr - 2 },
        { x: n.px + n.pr + 3, y: n.py + 4, anchor: "start", x0: n.px + n.pr + 2, x1: n.px + n.pr + 2 + w, y0: n.py - H / 2, y1: n.py + H / 2 },
        { x: n.px - n.pr - 3, y: n.py + 4, anchor: "end", x0: n.px - n.pr - 2 - w, x1: n.px - n.pr - 2, y0: n.py - H / 2, y1: n.py + H / 2 }
      ];
      n.label = null;
      for (var i = 0; i < spots.length; i++) {
        if (!hits(spots[i])) { n.label = spots[i]; boxes.push(spots[i]); return; }
      }
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
    var scale = Math.min(1, Math.sqrt(40 / nodes.length));
    nodes.forEach(function (n) { n.r = (6 + 14 * Math.sqrt(n.events / most)) * scale; });
    var started = performance.now();
    layOut(nodes, edges, width, height);
    placeLabels(nodes, width, height);
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
    var labels = el("g", { "class": "labels" });
    nodes.forEach(function (n) {
      var link = el("a", { href: "/network?" + qs(params, { actor: n.code }) }, svg);
      var g = el("g", { "class": "node", "data-code": n.code }, link);
      el("circle", { cx: n.px.toFixed(1), cy: n.py.toFixed(1), r: n.pr.toFixed(1) }, g);
      titled(g, n.code + (n.name ? " (" + n.name + ")" : "") + ": " + n.events + " events (click to filter)");
      var spot = n.label || { x: n.px, y: n.py - n.pr - 3, anchor: "middle" };
      var text = el("text", { x: spot.x.toFixed(1), y: spot.y.toFixed(1), "text-anchor": spot.anchor,
                              "class": n.label ? "label" : "label hover-only", "data-code": n.code }, labels);
      text.textContent = n.code;
      g.addEventListener("mouseenter", function () { text.classList.add("shown"); });
      g.addEventListener("mouseleave", function () { text.classList.remove("shown"); });
    });
    svg.appendChild(labels);   // over the circles, but taking no clicks (CSS: pointer-events none)
    svg.setAttribute("data-drawn", String(nodes.length));
    svg.setAttribute("data-labelled", String(nodes.filter(function (n) { return n.label; }).length));
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
