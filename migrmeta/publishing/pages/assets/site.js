/* migrmeta catalogue: search and facets on the index page. No framework, nothing loaded from
 * another host; the data is window.MIGRMETA_INDEX (search-index.js, written at publish time).
 * Without this script the page still lists every survey.
 *
 * The state lives in the URL's fragment: #q=words&country=SEN,MLI&access=open&from=2000&to=2010&sort=newest
 * Words must all start a word of the record (case, accents and punctuation aside); values of
 * one facet are alternatives (OR), facets combine (AND); a facet's counts are those the other
 * filters leave. Rounds are listed under their series; a series is shown when it or one of its
 * rounds matches. The list is by title as published; "newest first" orders it by the last
 * year (an ongoing survey first), "oldest first" by the first year, rounds within their series
 * too; a record without a time frame comes last either way. */
(function () {
  "use strict";
  var data = window.MIGRMETA_INDEX;
  var list = document.getElementById("records");
  if (!data || !list) { return; }
  var facets = data.facets;
  var form = document.getElementById("search");
  var query = document.getElementById("q");
  var clear = document.getElementById("clear");
  var status = document.getElementById("status");
  var years = { from: document.getElementById("from"), to: document.getElementById("to") };
  var sorting = document.getElementById("sorting");
  var sortBy = document.getElementById("sort");
  var ORDERS = ["newest", "oldest"];

  function fold(text) {
    return String(text).toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/['\u2019\u02bc`\u00b4]/g, "").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }
  function year(text) {
    var n = parseInt(text, 10);
    return isNaN(n) ? null : n;
  }

  var records = data.records.map(function (r) {
    return {
      name: r[0], series: r[1], words: " " + r[2], start: r[3], end: r[4],
      codes: r[5].map(function (indexes, f) {
        var values = data.values[facets[f]];
        return indexes.map(function (i) { return values[i]; });
      }),
      item: document.getElementById("r-" + r[0])
    };
  });
  var boxes = Array.prototype.slice.call(document.querySelectorAll(".facets input[type=checkbox]"));

  /* Each list (the records, each series' rounds) and its items in the published order; an
   * item's years: its own, else (a series without a time frame) its rounds'. */
  var byName = {};
  records.forEach(function (record) { byName[record.name] = record; });
  var lists = [list].concat(Array.prototype.slice.call(list.querySelectorAll("ol.rounds"))).map(function (ol) {
    return Array.prototype.slice.call(ol.children).map(function (li, at) {
      var record = byName[li.id.slice(2)] || { start: null, end: null };
      var start = record.start, end = record.end, ongoing = record.start !== null && record.end === null;
      if (start === null) {
        Array.prototype.forEach.call(li.querySelectorAll("ol.rounds > li"), function (round) {
          var r = byName[round.id.slice(2)];
          if (!r || r.start === null) { return; }
          start = start === null ? r.start : Math.min(start, r.start);
          if (r.end === null) { ongoing = true; } else { end = end === null ? r.end : Math.max(end, r.end); }
        });
      }
      return { li: li, at: at, start: start, last: ongoing ? Infinity : (end === null ? start : end) };
    });
  });
  function order(sort) {
    lists.forEach(function (items) {
      var sorted = items.slice().sort(function (a, b) {
        if ((a.start === null) !== (b.start === null)) { return a.start === null ? 1 : -1; }
        if (sort === "newest" && a.last !== b.last) { return b.last - a.last; }
        if (sort === "newest" && a.start !== b.start) { return b.start - a.start; }
        if (sort === "oldest" && a.start !== b.start) { return a.start - b.start; }
        if (sort === "oldest" && a.last !== b.last) { return a.last - b.last; }
        return a.at - b.at;
      });
      var parent = items.length ? items[0].li.parentNode : null;
      sorted.forEach(function (item) { parent.appendChild(item.li); });
    });
  }
  var ordered = "";

  function emptyState() {
    var state = { q: "", from: null, to: null, sort: "", f: {} };
    facets.forEach(function (key) { state.f[key] = []; });
    return state;
  }
  function readUrl() {
    var text = location.hash.replace(/^#/, "") || location.search.replace(/^\?/, "");
    var params = new URLSearchParams(text);
    var state = emptyState();
    state.q = params.get("q") || "";
    state.from = year(params.get("from"));
    state.to = year(params.get("to"));
    state.sort = ORDERS.indexOf(params.get("sort")) >= 0 ? params.get("sort") : "";
    facets.forEach(function (key) {
      params.getAll(key).forEach(function (value) {
        value.split(",").forEach(function (code) {
          if (code && state.f[key].indexOf(code) < 0) { state.f[key].push(code); }
        });
      });
    });
    return state;
  }
  function writeUrl(state) {
    var params = new URLSearchParams();
    if (state.q) { params.set("q", state.q); }
    facets.forEach(function (key) { if (state.f[key].length) { params.set(key, state.f[key].join(",")); } });
    if (state.from !== null) { params.set("from", state.from); }
    if (state.to !== null) { params.set("to", state.to); }
    if (state.sort) { params.set("sort", state.sort); }
    var hash = params.toString();
    var url = location.pathname + location.search + (hash ? "#" + hash : "");
    try { history.replaceState(null, "", url); } catch (e) { location.replace("#" + hash); }
  }

  /* Which filters a record fails: -2 none, the facet's number for exactly one facet, -1 more
   * (or the words or years, which are not facets and so count as "more"). */
  function failing(record, state, tokens) {
    for (var t = 0; t < tokens.length; t++) {
      if (record.words.indexOf(" " + tokens[t]) < 0) { return -1; }
    }
    /* end null: ongoing (a completed survey with no end has its start year as end: values/periods.py) */
    if (state.from !== null && (record.start === null || (record.end !== null && record.end < state.from))) { return -1; }
    if (state.to !== null && (record.start === null || record.start > state.to)) { return -1; }
    var failed = -2;
    for (var f = 0; f < facets.length; f++) {
      var chosen = state.f[facets[f]];
      if (!chosen.length) { continue; }
      var codes = record.codes[f];
      var hit = false;
      for (var c = 0; c < chosen.length && !hit; c++) { hit = codes.indexOf(chosen[c]) >= 0; }
      if (!hit) {
        if (failed !== -2) { return -1; }
        failed = f;
      }
    }
    return failed;
  }

  function render(state) {
    var tokens = fold(state.q).split(" ").filter(Boolean);
    var counts = facets.map(function () { return {}; });
    var shown = {};
    var matches = 0;
    records.forEach(function (record) {
      var failed = failing(record, state, tokens);
      if (failed === -1) { return; }
      for (var f = 0; f < facets.length; f++) {
        if (failed !== -2 && failed !== f) { continue; }
        record.codes[f].forEach(function (code) { counts[f][code] = (counts[f][code] || 0) + 1; });
      }
      if (failed === -2) {
        shown[record.name] = true;
        matches += 1;
        if (record.series) { shown[record.series] = true; }
      }
    });
    records.forEach(function (record) {
      if (record.item) { record.item.hidden = !shown[record.name]; }
    });
    boxes.forEach(function (box) {
      var f = facets.indexOf(box.name);
      var n = counts[f][box.value] || 0;
      box.checked = state.f[box.name].indexOf(box.value) >= 0;
      var count = box.parentNode.querySelector(".n");
      if (count) { count.textContent = n; }
      box.parentNode.classList.toggle("zero", n === 0 && !box.checked);
    });
    Array.prototype.forEach.call(document.querySelectorAll("svg.worldmap a[data-country]"), function (a) {
      a.classList.toggle("selected", state.f.country.indexOf(a.getAttribute("data-country")) >= 0);
    });
    var total = records.length;
    var filtered = tokens.length || state.from !== null || state.to !== null ||
      facets.some(function (key) { return state.f[key].length > 0; });
    status.textContent = !matches ? status.getAttribute("data-none") :
      (filtered ? status.getAttribute("data-some") : status.getAttribute("data-all"))
        .replace("{n}", matches).replace("{total}", total);
    query.value = state.q;
    years.from.value = state.from === null ? "" : state.from;
    years.to.value = state.to === null ? "" : state.to;
    clear.hidden = !filtered;
    if (sortBy) { sortBy.value = state.sort; }
    if (state.sort !== ordered) { order(state.sort); ordered = state.sort; }
  }

  var state = readUrl();
  function update() { writeUrl(state); render(state); }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    state.q = query.value.trim();
    state.from = year(years.from.value);
    state.to = year(years.to.value);
    update();
  });
  var typing = null;
  query.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () { state.q = query.value.trim(); update(); }, 200);
  });
  [years.from, years.to].forEach(function (input) {
    input.addEventListener("change", function () {
      state.from = year(years.from.value);
      state.to = year(years.to.value);
      update();
    });
  });
  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      var chosen = state.f[box.name];
      var at = chosen.indexOf(box.value);
      if (box.checked && at < 0) { chosen.push(box.value); }
      if (!box.checked && at >= 0) { chosen.splice(at, 1); }
      update();
    });
  });
  clear.addEventListener("click", function () {
    var sort = state.sort;  /* the order is not a filter: kept */
    state = emptyState();
    state.sort = sort;
    update();
    query.focus();
  });
  if (sorting && sortBy) {
    sorting.hidden = false;
    sortBy.addEventListener("change", function () { state.sort = sortBy.value; update(); });
  }
  /* the map's countries and the timeline's years: links that filter, keeping the other filters */
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("svg a, details.alt a") : null;
    if (!link) { return; }
    var href = link.getAttribute("href") || "";
    if (href.charAt(0) !== "#") { return; }
    event.preventDefault();
    var params = new URLSearchParams(href.slice(1));
    if (params.has("country")) { state.f.country = [params.get("country")]; }
    if (params.has("from")) { state.from = year(params.get("from")); state.to = year(params.get("to")); }
    update();
    status.scrollIntoView({ block: "start" });
  });
  window.addEventListener("hashchange", function () { state = readUrl(); render(state); });
  render(state);
}());
