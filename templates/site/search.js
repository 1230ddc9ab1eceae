// The index page's search box and filters: a small script over search-index.js (the same
// data as search-index.json, loadable from file://). Without JavaScript the page lists
// every incident and links to the service, tag and severity pages instead.
(function () {
  "use strict";
  var data = window.POSTEVENT_SEARCH;
  var form = document.getElementById("filters");
  if (!data || !form) { return; }
  var count = document.getElementById("result-count");
  var none = document.getElementById("no-results");
  var rows = {};
  var trs = document.querySelectorAll("table.incidents tbody tr[data-id]");
  for (var i = 0; i < trs.length; i++) { rows[trs[i].getAttribute("data-id")] = trs[i]; }
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

  function apply() {
    var ws = words();
    var sev = form.severity.value, svc = form.service.value, tag = form.tag.value;
    var shown = 0;
    items.forEach(function (item) {
      var ok = matches(item, ws, sev, svc, tag);
      var tr = rows[item.d.id];
      if (tr) { tr.hidden = !ok; }
      if (ok) { shown++; }
    });
    var filtered = ws.length || sev || svc || tag;
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
