/* Entente analyst review: the controls of a signed-in reviewer's pages (the server sends this
 * script, the CSRF token and the controls only to a signed-in reviewer).
 *
 * A `.review-controls` element names its target: `data-kind` and `data-key` (one event report,
 * person, actor mention or named event of the article `data-article`), or `data-event-id` (a
 * merged event, reviewed as a whole). Its buttons confirm, reject (with a reason), edit (a form
 * of the target's fields, filled with its values as reviewed) or undo. Every write is a JSON
 * POST with the session's CSRF token in X-CSRF-Token; the page then shows the record as
 * reviewed (it reloads, or on the queue moves to the next event).
 *
 * Review queue keys: j/n next, k/p previous, c confirm, r reject (then 1-4 the reason),
 * e edit, o open the event's page, Esc close. */
(function () {
  "use strict";

  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute("content") : "";
  var configEl = document.getElementById("review-config");
  var config = configEl ? JSON.parse(configEl.getAttribute("data-config")) : { types: [], aux: [], reasons: {}, actor_kinds: [] };

  // -- talking to the server --------------------------------------------------------------

  function send(method, url, body) {
    return fetch(url, {
      method: method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "Accept": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var message = (data && data.error && data.error.message) || ("the server answered " + response.status);
          throw new Error(message);
        }
        return data;
      });
    });
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error("could not read " + url + " (" + r.status + ")"); }
      return r.json();
    });
  }

  var targetsOf = {};   // article id -> promise of /api/articles/{id}/targets

  function codesOf(participants) {
    return (participants || []).map(function (p) { return p.code; }).filter(Boolean).sort();
  }

  /* The target's values as reviewed: {event, actor, recipient, date, place, aux} for an event,
   * {office, affiliation, sector} for a person, {code, kind} for a mention, ... */
  function valuesOf(controls) {
    var eventId = controls.getAttribute("data-event-id");
    if (eventId) {
      return getJSON("/api/events/" + encodeURIComponent(eventId) + "?reviewed=all").then(function (e) {
        var date = e.date && e.enddate && e.date.indexOf("/") < 0 ? e.date + "/" + e.enddate : e.date;
        var loc = e.event_loc;
        return { event: e.event, actor: codesOf(e.actor), recipient: codesOf(e.recipient), date: date || null,
                 place: loc && (loc.name || loc.country) ? { name: loc.name || null, country: loc.country || null } : null,
                 aux: e.aux || null };
      });
    }
    var article = controls.getAttribute("data-article");
    var kind = controls.getAttribute("data-kind");
    var key = controls.getAttribute("data-key");
    if (!targetsOf[article]) {
      targetsOf[article] = getJSON("/api/articles/" + encodeURIComponent(article) + "/targets");
    }
    return targetsOf[article].then(function (targets) {
      var found = (targets[kind] || []).filter(function (t) { return t.key === key; })[0];
      if (!found) { throw new Error("this item is no longer in the article's record; reload the page"); }
      return found.values;
    });
  }

  // -- the panel under a control: reasons, or an edit form -----------------------------------

  var open = null;    // {controls, panel}

  function closePanel() {
    if (open) { open.panel.remove(); open = null; }
  }

  function element(tag, attrs, text) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  function panelFor(controls) {
    closePanel();
    var panel = element("div", { "class": "review-panel-form", role: "dialog" });
    controls.insertAdjacentElement("afterend", panel);
    open = { controls: controls, panel: panel };
    return panel;
  }

  function showError(controls, message) {
    var where = (open && open.controls === controls) ? open.panel : controls;
    var old = where.querySelector(".review-error");
    if (old) { old.remove(); }
    var p = element("p", { "class": "review-error", role: "alert" }, message);
    where.appendChild(p);
  }

  function noteField(panel) {
    var label = element("label", { "class": "note" }, "note ");
    var input = element("input", { name: "note", size: "40", placeholder: "why (optional)" });
    label.appendChild(input);
    panel.appendChild(label);
    return input;
  }

  function openReject(controls) {
    var kind = controls.getAttribute("data-kind");
    var reasons = config.reasons[kind] || ["other"];
    var panel = panelFor(controls);
    panel.appendChild(element("span", { "class": "muted" }, "reject because: "));
    var note = null;
    reasons.forEach(function (reason, i) {
      var b = element("button", { type: "button", "class": "rv reason", "data-reason": reason }, (i + 1) + " " + reason);
      b.addEventListener("click", function () { submit(controls, "reject", { reason: reason, note: note.value || null }); });
      panel.appendChild(b);
    });
    note = noteField(panel);
    var cancel = element("button", { type: "button", "class": "rv cancel" }, "cancel");
    cancel.addEventListener("click", closePanel);
    panel.appendChild(cancel);
    panel.querySelector("button.reason").focus();
  }

  /* The fields of each kind's edit form: [name, label, input kind, choices]. */
  function fieldsOf(kind) {
    var aux = ["none"].concat(config.aux);
    return {
      event: [["event", "type", "select", config.types], ["actor", "actors", "codes"], ["recipient", "recipients", "codes"],
              ["date", "date", "text"], ["place", "place", "place"], ["aux", "aux", "select", aux]],
      person: [["office", "office", "text"], ["affiliation", "affiliation", "code"], ["sector", "sector", "text"]],
      mention: [["code", "this is", "code"], ["kind", "kind", "select", config.actor_kinds]],
      named_event: [["organizer", "organiser", "code"], ["place", "place", "place"], ["date", "dates", "text"],
                    ["participants", "participants", "codes"], ["observers", "observers", "codes"]]
    }[kind] || [];
  }

  function shown(value, how) {
    if (value === null || value === undefined) { return how === "select" ? "none" : ""; }
    if (how === "codes") { return value.join(", "); }
    return String(value);
  }

  function parsed(form, name, how) {
    if (how === "place") {
      var n = form.querySelector('[name="place_name"]').value.trim();
      var c = form.querySelector('[name="place_country"]').value.trim().toUpperCase();
      return n || c ? { name: n || null, country: c || null } : null;
    }
    var raw = form.querySelector('[name="' + name + '"]').value.trim();
    if (how === "codes") {
      return raw.split(/[\s,;]+/).filter(Boolean).map(function (c) { return c.toUpperCase(); })
        .filter(function (c, i, all) { return all.indexOf(c) === i; }).sort();
    }
    if (how === "code") { return raw ? raw.toUpperCase() : null; }
    if (how === "select" && raw === "none") { return null; }
    return raw || null;
  }

  function same(a, b) {
    var norm = function (v) {
      if (v && typeof v === "object" && !Array.isArray(v)) { return JSON.stringify({ name: v.name || null, country: v.country || null }); }
      return JSON.stringify(v === undefined ? null : v);
    };
    return norm(a) === norm(b);
  }

  function openEdit(controls) {
    var kind = controls.getAttribute("data-kind");
    valuesOf(controls).then(function (values) {
      var panel = panelFor(controls);
      var form = element("form", { "class": "review-edit", "data-kind": kind });
      fieldsOf(kind).forEach(function (f) {
        var name = f[0], how = f[2];
        var label = element("label", { "class": "field field-" + name }, f[1] + " ");
        if (how === "select") {
          var select = element("select", { name: name });
          f[3].forEach(function (choice) {
            var o = element("option", { value: choice }, choice);
            if (choice === shown(values[name], "select")) { o.selected = true; }
            select.appendChild(o);
          });
          label.appendChild(select);
        } else if (how === "place") {
          var place = values[name] || {};
          label.appendChild(element("input", { name: "place_name", size: "14", placeholder: "Moscow" }));
          label.appendChild(element("input", { name: "place_country", size: "4", placeholder: "RUS", "data-lookup": "code" }));
          label.querySelector('[name="place_name"]').value = place.name || "";
          label.querySelector('[name="place_country"]').value = place.country || "";
        } else {
          var input = element("input", { name: name, size: how === "text" ? "22" : "14",
                                          placeholder: how === "codes" ? "SRB, CSTO (or a name)" : how === "code" ? "SRB (or a name)" : "" });
          input.value = shown(values[name], how);
          if (how === "codes" || how === "code") { input.setAttribute("data-lookup", how); }
          label.appendChild(input);
        }
        form.appendChild(label);
      });
      var note = element("input", { name: "note", size: "30", placeholder: "why (optional)" });
      var noteLabel = element("label", { "class": "note" }, "note ");
      noteLabel.appendChild(note);
      form.appendChild(noteLabel);
      form.appendChild(element("button", { type: "submit", "class": "rv save" }, "save"));
      var cancel = element("button", { type: "button", "class": "rv cancel" }, "cancel");
      cancel.addEventListener("click", closePanel);
      form.appendChild(cancel);
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var changed = {};
        fieldsOf(kind).forEach(function (f) {
          var value = parsed(form, f[0], f[2]);
          if (!same(value, values[f[0]] === undefined ? null : values[f[0]])) { changed[f[0]] = value; }
        });
        if (!Object.keys(changed).length) {
          showError(controls, "nothing changed; to say the extraction is right, confirm it");
          return;
        }
        submit(controls, "edit", { fields: changed, note: note.value || null });
      });
      panel.appendChild(form);
      form.querySelectorAll("[data-lookup]").forEach(lookup);
      var first = form.querySelector("input, select");
      if (first) { first.focus(); }
    }).catch(function (err) { showError(controls, err.message); });
  }

  // -- lookup of actor codes by name, from the store's actors ----------------------------------

  function lookup(input) {
    var list = element("ul", { "class": "lookup", hidden: "" });
    input.insertAdjacentElement("afterend", list);
    var timer = null;
    var several = input.getAttribute("data-lookup") === "codes";

    function lastWord() {
      var parts = input.value.split(/[,;]/);
      return parts[parts.length - 1].trim();
    }

    function choose(code) {
      if (several) {
        var parts = input.value.split(/[,;]/).map(function (p) { return p.trim(); });
        parts[parts.length - 1] = code;
        input.value = parts.filter(Boolean).join(", ");
      } else {
        input.value = code;
      }
      list.hidden = true;
      input.focus();
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = lastWord();
      if (q.length < 2) { list.hidden = true; return; }
      timer = setTimeout(function () {
        getJSON("/api/reviews/actors?q=" + encodeURIComponent(q)).then(function (found) {
          list.textContent = "";
          found.actors.forEach(function (a) {
            var item = element("li", { "data-code": a.code });
            item.appendChild(element("b", {}, a.code));
            item.appendChild(document.createTextNode(" " + (a.name || "") + (a.kind ? " · " + a.kind : "")));
            item.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(a.code); });
            list.appendChild(item);
          });
          list.hidden = !found.actors.length;
        }).catch(function () { list.hidden = true; });
      }, 150);
    });
    input.addEventListener("blur", function () { setTimeout(function () { list.hidden = true; }, 150); });
  }

  // -- writing -----------------------------------------------------------------------------

  function submit(controls, action, extra) {
    extra = extra || {};
    var eventId = controls.getAttribute("data-event-id");
    var body = { action: action, fields: extra.fields || null, reason: extra.reason || null, note: extra.note || null };
    var request;
    if (eventId) {
      request = send("POST", "/api/events/" + encodeURIComponent(eventId) + "/reviews", body);
    } else {
      body.kind = controls.getAttribute("data-kind");
      body.key = controls.getAttribute("data-key");
      request = send("POST", "/api/reviews", body);
    }
    controls.classList.add("busy");
    return request.then(function (result) { done(controls, result); })
      .catch(function (err) { controls.classList.remove("busy"); showError(controls, err.message); });
  }

  function undo(controls, button) {
    var eventId = controls ? controls.getAttribute("data-event-id") : null;
    var reviewId = button.getAttribute("data-review");
    var url = eventId ? "/api/events/" + encodeURIComponent(eventId) + "/undo"
                      : "/api/reviews/" + encodeURIComponent(reviewId) + "/undo";
    return send("POST", url, {}).then(function (result) { done(controls, result); })
      .catch(function (err) { showError(controls || button.parentNode, err.message); });
  }

  /* After a write: on the queue, the next event; on an event's page whose reports moved to
   * another merged event, that event; elsewhere the same page, now as reviewed. */
  function done(controls, result) {
    closePanel();
    var item = controls && controls.closest(".queue-item");
    if (item) {
      var next = nextItem(item, 1) || nextItem(item, -1);
      item.remove();
      if (next) { focusItem(next); }
      return;
    }
    var page = document.getElementById("event-review");
    if (page && result.events && result.events.length &&
        result.events.indexOf(Number(page.getAttribute("data-event"))) < 0) {
      window.location.assign("/events/" + result.events[0]);
      return;
    }
    window.location.reload();
  }

  // -- wiring --------------------------------------------------------------------------------

  document.addEventListener("click", function (ev) {
    var button = ev.target.closest("button.rv[data-action]");
    if (!button) { return; }
    var controls = button.closest(".review-controls");
    var action = button.getAttribute("data-action");
    if (action === "undo") { undo(controls, button); return; }
    if (!controls) { return; }
    if (action === "confirm") { submit(controls, "confirm"); }
    else if (action === "reject" && button.getAttribute("data-reason")) {
      submit(controls, "reject", { reason: button.getAttribute("data-reason") });
    }
    else if (action === "reject") { openReject(controls); }
    else if (action === "edit") { openEdit(controls); }
  });

  var signOut = document.getElementById("sign-out");
  if (signOut) {
    signOut.addEventListener("click", function () {
      send("DELETE", "/api/session").then(function () { window.location.reload(); })
        .catch(function (err) { window.alert(err.message); });
    });
  }

  // -- the queue's keys ------------------------------------------------------------------------

  function items() { return Array.prototype.slice.call(document.querySelectorAll(".queue-item")); }

  function nextItem(item, step) {
    var all = items();
    var i = all.indexOf(item);
    return all[i + step] || null;
  }

  function current() { return document.querySelector(".queue-item.current"); }

  function focusItem(item) {
    items().forEach(function (el) { el.classList.remove("current"); });
    item.classList.add("current");
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
  }

  if (document.querySelector(".queue")) {
    var first = items()[0];
    if (first) { focusItem(first); }
    document.addEventListener("keydown", function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
      var typing = /^(INPUT|SELECT|TEXTAREA)$/.test((ev.target && ev.target.tagName) || "");
      if (ev.key === "Escape") { closePanel(); return; }
      if (typing) { return; }
      var item = current();
      var controls = item && item.querySelector(".review-controls");
      if (open && /^[1-9]$/.test(ev.key)) {
        var reason = open.panel.querySelectorAll("button.reason")[Number(ev.key) - 1];
        if (reason) { ev.preventDefault(); reason.click(); }
        return;
      }
      var step = { j: 1, n: 1, k: -1, p: -1 }[ev.key];
      if (step) {
        ev.preventDefault();
        closePanel();
        var other = item ? nextItem(item, step) : items()[0];
        if (other) { focusItem(other); }
      } else if (controls && ev.key === "c") {
        ev.preventDefault(); submit(controls, "confirm");
      } else if (controls && ev.key === "r") {
        ev.preventDefault(); openReject(controls);
      } else if (controls && ev.key === "e") {
        ev.preventDefault(); openEdit(controls);
      } else if (item && ev.key === "o") {
        ev.preventDefault(); window.location.assign("/events/" + item.getAttribute("data-event"));
      }
    });
  }
})();
