/* Entente map page: zoom and pan the server-drawn map (svg.map, equirectangular, 1 unit =
 * 1 degree) by changing its viewBox: the wheel zooms at the pointer, a drag moves, the
 * buttons zoom at the centre or reset. The circles keep their size on screen (their radius
 * is divided by the zoom), so that places close together come apart as one zooms in. */
(function () {
  "use strict";

  var MIN_WIDTH = 6;   // degrees: the closest view

  function setUp(svg) {
    var home = svg.getAttribute("data-view").split(" ").map(Number);
    var view = home.slice();
    var circles = svg.querySelectorAll("circle.place");

    function apply() {
      svg.setAttribute("viewBox", view.map(function (v) { return v.toFixed(3); }).join(" "));
      var zoom = home[2] / view[2];
      svg.setAttribute("data-zoom", zoom.toFixed(2));
      circles.forEach(function (c) {
        c.setAttribute("r", (parseFloat(c.getAttribute("data-r")) / Math.sqrt(zoom)).toFixed(3));
        c.style.strokeWidth = (0.25 / zoom).toFixed(3);
      });
    }

    function zoomAt(factor, cx, cy) {
      var width = Math.min(home[2], Math.max(MIN_WIDTH, view[2] / factor));
      var height = width * home[3] / home[2];
      var fx = (cx - view[0]) / view[2], fy = (cy - view[1]) / view[3];
      view = [cx - fx * width, cy - fy * height, width, height];
      clamp();
      apply();
    }

    function clamp() {
      view[0] = Math.min(Math.max(view[0], home[0] - home[2] * 0.1), home[0] + home[2] * 1.1 - view[2]);
      view[1] = Math.min(Math.max(view[1], home[1] - home[3] * 0.1), home[1] + home[3] * 1.1 - view[3]);
    }

    function toMap(event) {
      var box = svg.getBoundingClientRect();
      return [view[0] + (event.clientX - box.left) / box.width * view[2],
              view[1] + (event.clientY - box.top) / box.height * view[3]];
    }

    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var at = toMap(event);
      zoomAt(event.deltaY < 0 ? 1.4 : 1 / 1.4, at[0], at[1]);
    }, { passive: false });

    var dragging = null, moved = false;
    svg.addEventListener("pointerdown", function (event) {
      dragging = { x: event.clientX, y: event.clientY, view: view.slice() };
      moved = false;
    });
    window.addEventListener("pointermove", function (event) {
      if (!dragging) { return; }
      var box = svg.getBoundingClientRect();
      var dx = (event.clientX - dragging.x) / box.width * view[2];
      var dy = (event.clientY - dragging.y) / box.height * view[3];
      if (Math.abs(event.clientX - dragging.x) + Math.abs(event.clientY - dragging.y) > 4) { moved = true; }
      view = [dragging.view[0] - dx, dragging.view[1] - dy, view[2], view[3]];
      clamp();
      apply();
    });
    window.addEventListener("pointerup", function () { dragging = null; });
    // a drag is not a click on the place it ends on
    svg.addEventListener("click", function (event) {
      if (moved) { event.preventDefault(); moved = false; }
    }, true);

    var panel = svg.closest(".map-panel");
    if (panel) {
      panel.querySelectorAll("button[data-zoom]").forEach(function (button) {
        button.addEventListener("click", function () {
          var how = button.getAttribute("data-zoom");
          if (how === "reset") { view = home.slice(); apply(); return; }
          zoomAt(how === "in" ? 2 : 0.5, view[0] + view[2] / 2, view[1] + view[3] / 2);
        });
      });
    }
    apply();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("svg.map[data-view]").forEach(setUp);
  });
})();
