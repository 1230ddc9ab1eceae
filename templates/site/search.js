// The index page's search box and filters: a small script over search-index.js (the same
// data as search-index.json, loadable from file://). Without JavaScript the pages list every
// incident and link to the service, tag and severity pages instead. When the index is split
// into pages, the matches of a search are listed from the data (every incident), built with
// text nodes only, in place of this page's rows.
(function () {
  "use strict";
  var data = window.POSTEVENT_SEARCH;
  var form = document.getElementById("filters");
  if (!data || !form) { return; }
  var count = document.getElementById("result-count");
  var none = document.getElementById("no-results");
  var listing = document.getElementById("listing");
  var results = document.getElementById("results");
  var rows = {};
  var trs = document.querySelectorAll("#listing table.incidents tbody tr[data-id]");
  for (var i = 0; i < trs.length; i++) { rows[trs[i].getAttribute("data-id")] = trs[i]; }
  // Whether this page lists every incident (else matches are listed from the data).
  var whole = trs.length === data.length;
  var items = data.map(function (d) {
    var text = [d.title, d.id, d.summary, d.severity, d.status, d.date,
      d.services.join(" "), d.tags.join(" ")].join(" ").toLowerCase();
    return { d: d, text: text };
  });

  function words() {
    return form.q.value.toLowerCase().split(/\s+/).filter(function (w) { return w; });
  }

  function matches(item, ws, sev, svc, tag) {
    var d = item.d;
    if (sev && d.severity.toLowerCase() !== sev) { return false; }
    if (svc && d.services.indexOf(svc) < 0) { return false; }
    if (tag && d.tags.indexOf(tag) < 0) { return false; }
    for (var i = 0; i < ws.length; i++) {
      if (item.text.indexOf(ws[i]) < 0) { return false; }
    }
    return true;
  }

  function el(name, text, cls) {
    var e = document.createElement(name);
    if (text) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }

  // A row like the listing's, from one item of the index.
  function row(d) {
    var tr = el("tr");
    tr.setAttribute("data-id", d.id);
    tr.appendChild(el("td", d.date, "date"));
    var what = el("td", "", "what");
    var a = el("a", d.title, "title");
    a.setAttribute("href", d.url);
    what.appendChild(a);
    if (d.summary) { what.appendChild(el("p", d.summary, "summary")); }
    tr.appendChild(what);
    tr.appendChild(el("td", d.severity));
    tr.appendChild(el("td", d.status));
    tr.appendChild(el("td", d.duration || "", "num"));
    tr.appendChild(el("td", (d.impacted || []).join(", "), "services"));
    return tr;
  }

  // Lists `found` in place of this page's rows (null: back to the page).
  function list(found) {
    if (!listing || !results) { return; }
    listing.hidden = found !== null;
    results.hidden = found === null;
    results.textContent = "";
    if (found === null || !found.length) { return; }
    var table = el("table", "", "incidents");
    var head = el("tr");
    ["Date", "Incident", "Severity", "Status", "Duration", "Impacted services"].forEach(function (h) {
      var th = el("th", h);
      th.setAttribute("scope", "col");
      head.appendChild(th);
    });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    found.forEach(function (d) { body.appendChild(row(d)); });
    results.appendChild(el("div", "", "wide")).appendChild(table);
  }

  function apply() {
    var ws = words();
    var sev = form.severity.value, svc = form.service.value, tag = form.tag.value;
    var filtered = ws.length || sev || svc || tag;
    var shown = 0, found = [];
    items.forEach(function (item) {
      var ok = matches(item, ws, sev, svc, tag);
      var tr = rows[item.d.id];
      if (tr) { tr.hidden = !ok; }
      if (ok) { shown++; found.push(item.d); }
    });
    list(filtered && !whole ? found : null);
    count.textContent = filtered ? shown + " of " + items.length + " incidents match" : "";
    none.hidden = shown > 0;
    var params = new URLSearchParams();
    if (form.q.value.trim()) { params.set("q", form.q.value.trim()); }
    if (sev) { params.set("severity", sev); }
    if (svc) { params.set("service", svc); }
    if (tag) { params.set("tag", tag); }
    var query = params.toString();
    try {
      history.replaceState(null, "", query ? "?" + query : location.pathname);
    } catch (e) { /* some browsers refuse this on file:// */ }
  }

  var params = new URLSearchParams(location.search);
  form.q.value = params.get("q") || "";
  ["severity", "service", "tag"].forEach(function (name) {
    var value = params.get(name);
    if (value && form[name].querySelector("option[value='" + value.replace(/[^a-z0-9-]/g, "") + "']")) {
      form[name].value = value;
    }
  });
  form.hidden = false;
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  apply();
}());
