/* Entente pages: the little the server-drawn pages need from the browser.
 * Article page: clicking an event in the list marks its sentence(s) in the text and
 * scrolls to them; the address's #ev1 (record event id) or #event-12 (stored event id)
 * does the same on load, so a marked sentence can be shared. */
(function () {
  "use strict";

  function markEvent(button) {
    var id = button.getAttribute("data-event");
    document.querySelectorAll(".sent.marked").forEach(function (el) { el.classList.remove("marked"); });
    document.querySelectorAll(".event-button.active").forEach(function (el) { el.classList.remove("active"); });
    button.classList.add("active");
    var sentences = Array.prototype.filter.call(document.querySelectorAll(".sent[data-events]"), function (el) {
      return el.getAttribute("data-events").split(" ").indexOf(id) >= 0;
    });
    sentences.forEach(function (el) { el.classList.add("marked"); });
    if (sentences.length) {
      sentences[0].scrollIntoView({ behavior: "smooth", block: "center" });
    }
    return sentences.length;
  }

  function fromHash() {
    var hash = decodeURIComponent(window.location.hash.replace(/^#/, ""));
    if (!hash) { return; }
    var button = null;
    var stored = /^event-(\d+)$/.exec(hash);
    if (stored) {
      button = document.querySelector('.event-button[data-stored="' + stored[1] + '"]');
    } else {
      button = Array.prototype.find.call(document.querySelectorAll(".event-button"), function (b) {
        return b.getAttribute("data-event") === hash;
      }) || null;
    }
    if (button) { markEvent(button); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll(".event-button");
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        markEvent(button);
        if (history.replaceState) { history.replaceState(null, "", "#" + button.getAttribute("data-event")); }
      });
    });
    if (buttons.length) { fromHash(); }
  });
})();
