/* Entente pages: the little the server-drawn pages need from the browser.
 * Article page: clicking an event in the list marks its sentence(s) in the text and
 * scrolls to them; the address's #ev1 (record event id) or #event-12 (stored event id)
 * does the same on load, so a marked sentence can be shared.
 * Filter forms: an actor field ([data-actor-lookup]) offers the actors whose code, name or
 * alias starts with what is typed (from /api/actors?q=), as the options of its datalist;
 * the field takes a code or a name either way (the server looks names up).
 * Forms: empty fields are left out of the address they submit. */
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

  function lookUpActors(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (timer) { clearTimeout(timer); }
      if (q.length < 1 || q === asked || !list) { return; }
      timer = setTimeout(function () {
        asked = q;
        fetch("/api/actors?q=" + encodeURIComponent(q) + "&limit=10", { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { matches: [] }; })
          .then(function (answer) {
            while (list.firstChild) { list.removeChild(list.firstChild); }
            (answer.matches || []).forEach(function (a) {
              var option = document.createElement("option");
              option.value = a.code;
              option.label = (a.name || a.matched) + (a.matched && a.matched !== a.name && a.matched !== a.code
                ? " (" + a.matched + ")" : "") + " · " + a.n_events + " events";
              list.appendChild(option);
            });
            input.setAttribute("data-options", String(list.children.length));
          })
          .catch(function () { /* the field still takes what is typed */ });
      }, 150);
    });
  }

  function dropEmptyFields(form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name && field.value === "" && !field.disabled) { field.disabled = true; }
      });
      setTimeout(function () {
        Array.prototype.forEach.call(form.elements, function (field) { field.disabled = false; });
      }, 0);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-actor-lookup]").forEach(lookUpActors);
    document.querySelectorAll("form.filters").forEach(dropEmptyFields);
    var hit = document.getElementById("hit");
    if (hit && window.location.hash === "#hit") { hit.scrollIntoView({ block: "center" }); }
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
