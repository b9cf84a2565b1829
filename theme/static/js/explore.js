// Explore a dataset's full table: filter by every dimension and a period range, sort,
// and download exactly the rows shown as CSV (issue 11). Loaded by enhance.js only when a
// reader asks for it (or opens a shared link whose address carries a view). The view lives
// in the address (?age_band=12-14&from=2023-Q1), so it can be shared and cited; charts on
// the page and their embed codes follow it. Only published rows are shown: nothing here
// computes a new figure. Without JavaScript the page keeps its preview table and downloads.
(function () {
  "use strict";

  var LABELS = { S: "Suppressed", N: "Not available" };
  var STATUS = { P: "provisional", R: "revised" };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // -- the view on the page's charts and embed codes --------------------------------
  var PERIOD = /^\d{4}(-Q[1-4]|-\d{2})?$/;

  // A mark's label as pairs: "Quarter: 2024-Q1; Age band: 12-14" -> {Quarter: "2024-Q1", ...}.
  function labelPairs(mark) {
    var pairs = {};
    (mark.getAttribute("aria-label") || "").split("; ").forEach(function (part) {
      var at = part.indexOf(": ");
      if (at > 0) pairs[part.slice(0, at)] = part.slice(at + 2);
    });
    return pairs;
  }

  // The chart in the view: marks outside it are dimmed, never redrawn (the static SVG stays
  // the chart). A filter value applies to a chart when some mark carries it (a chart of
  // "All areas" ignores an area filter); from/to bound any period a mark names.
  function showView(holder, state) {
    var svg = holder.querySelector("svg");
    if (!svg) return;
    var marks = Array.prototype.slice.call(svg.querySelectorAll("g.role-mark > [aria-label]"));
    var labels = marks.map(labelPairs);
    var wanted = Object.keys(state).filter(function (k) { return k !== "from" && k !== "to"; }).map(function (k) {
      return state[k];
    });
    var titles = {};  // value -> the label title it appears under, for the wanted values some mark carries
    labels.forEach(function (pairs) {
      Object.keys(pairs).forEach(function (title) { if (wanted.indexOf(pairs[title]) >= 0) titles[pairs[title]] = title; });
    });
    var shown = 0;
    marks.forEach(function (mark, i) {
      var pairs = labels[i];
      var keep = Object.keys(titles).every(function (value) {
        return !(titles[value] in pairs) || pairs[titles[value]] === value;
      });
      var isLine = mark.parentNode.classList.contains("mark-line") || mark.parentNode.classList.contains("mark-area");
      Object.keys(pairs).forEach(function (title) {
        var v = pairs[title];
        if (isLine || !PERIOD.test(v)) return;
        if ((state.from && v < state.from) || (state.to && v > state.to)) keep = false;
      });
      mark.style.opacity = keep ? "" : "0.12";
      if (keep && !isLine && !mark.parentNode.classList.contains("mark-text")) shown += 1;
    });
    holder.setAttribute("data-rows", String(shown));
  }

  function followView(all) {
    var state = {};
    Object.keys(all).sort().forEach(function (k) { if (all[k]) state[k] = all[k]; });
    var query = new URLSearchParams(state).toString();
    Array.prototype.forEach.call(document.querySelectorAll("a[data-embed-link]"), function (a) {
      a.href = a.getAttribute("data-embed-link") + (query ? "?" + query : "");
    });
    var code = document.getElementById("embed-code");
    if (code && code.getAttribute("data-src")) {
      code.value = code.value.replace(/src="[^"]*"/, 'src="' + code.getAttribute("data-src") + (query ? "?" + query : "") + '"');
    }
    Array.prototype.forEach.call(document.querySelectorAll(".chart-svg"), function (holder) { showView(holder, state); });
  }

  function readState() {
    var params = new URLSearchParams(window.location.search);
    var state = {};
    params.forEach(function (value, key) { state[key] = value; });
    return state;
  }

  function writeState(state) {
    var params = new URLSearchParams();
    Object.keys(state).sort().forEach(function (k) { if (state[k]) params.set(k, state[k]); });
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    followView(state);
  }

  function keeps(row, state, fields, period) {
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (state[f.name] && String(row[f.name]) !== state[f.name]) return false;
    }
    if (period) {
      var p = String(row[period.name]);
      if (state.from && p < state.from) return false;
      if (state.to && p > state.to) return false;
    }
    return true;
  }

  function cellText(row, field, schema) {
    var value = row[field.name];
    var role = field["tally:role"];
    var code = field["tally:annotation"] ? row[field["tally:annotation"]] : null;
    if (role === "measure" && (value === null || value === undefined)) return LABELS[code] || "Not available";
    if (value === null || value === undefined) return "";
    var text = typeof value === "number" ? value.toLocaleString("en-US") : String(value);
    if (role === "measure" && STATUS[code]) text += " (" + STATUS[code] + ")";
    return text;
  }

  function csvCell(value) {
    if (value === null || value === undefined) return "";
    var text = String(value);
    // The published CSVs never start a text cell like a formula; neither does a selection.
    if (typeof value === "string" && /^[=+\-@\t\r]/.test(text) && text.length > 1) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function explore(slot, autoOpen) {
    var resourceName = slot.getAttribute("data-resource");
    Promise.all([fetch(slot.getAttribute("data-package")).then(function (r) { return r.json(); }),
                 fetch(slot.getAttribute("data-json")).then(function (r) { return r.json(); })])
      .then(function (loaded) {
        var resource = loaded[0].resources.filter(function (r) { return r.name === resourceName; })[0];
        if (resource) build(slot, resource.schema.fields, loaded[1]);
      });
  }

  function build(slot, fields, rows) {
    var dimensions = fields.filter(function (f) { return f["tally:role"] === "dimension"; });
    var period = dimensions.filter(function (f) { return f["tally:period"]; })[0] || null;
    var categories = dimensions.filter(function (f) { return f !== period; });
    var state = readState();
    var form = el("form", { "class": "explore-form", "aria-label": "Filter the table" });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    var controls = {};

    function select(name, label, options) {
      var id = "explore-" + slot.getAttribute("data-resource") + "-" + name;
      var wrap = el("div", { "class": "explore-control" });
      wrap.appendChild(el("label", { "for": id }, label));
      var box = el("select", { id: id, name: name });
      options.forEach(function (o) {
        var option = el("option", { value: o[0] }, o[1]);
        if (state[name] === o[0]) option.selected = true;
        box.appendChild(option);
      });
      box.addEventListener("change", update);
      wrap.appendChild(box);
      form.appendChild(wrap);
      controls[name] = box;
    }

    categories.forEach(function (f) {
      var levels = (f.constraints && f.constraints["enum"]) || [];
      if (!levels.length) {
        var seen = {};
        rows.forEach(function (r) { if (r[f.name] !== null) seen[r[f.name]] = true; });
        levels = Object.keys(seen).sort();
      }
      select(f.name, f.title || f.name, [["", "All"]].concat(levels.map(function (l) { return [String(l), String(l)]; })));
    });
    if (period) {
      var periods = {};
      rows.forEach(function (r) { if (r[period.name] !== null) periods[r[period.name]] = true; });
      var list = Object.keys(periods).sort();
      select("from", "From " + (period.title || period.name).toLowerCase(),
             [["", "Earliest"]].concat(list.map(function (p) { return [p, p]; })));
      select("to", "To " + (period.title || period.name).toLowerCase(),
             [["", "Latest"]].concat(list.map(function (p) { return [p, p]; })));
    }
    var status = el("p", { "class": "explore-status", role: "status" });
    var download = el("button", { type: "button", "class": "copy-button" }, "Download these rows (CSV)");
    var reset = el("button", { type: "button", "class": "copy-button" }, "Show all rows");
    var actions = el("p", { "class": "explore-actions" });
    actions.appendChild(download);
    actions.appendChild(document.createTextNode(" "));
    actions.appendChild(reset);
    var region = el("div", { "class": "table-scroll", tabindex: "0", role: "region",
                             "aria-label": "Rows matching the filters" });
    slot.replaceChildren(form, status, actions, region);
    // The explorer shows every row: the 50-row preview above it would only repeat the first ones.
    var preview = slot.previousElementSibling;
    if (preview && preview.classList.contains("table-scroll")) preview.hidden = true;

    var shown = [];
    function update() {
      Object.keys(controls).forEach(function (k) { state[k] = controls[k].value; });
      writeState(state);
      render();
    }

    function render() {
      shown = rows.filter(function (r) { return keeps(r, state, categories, period); });
      var table = el("table", { "class": "explore-table" });
      table.appendChild(el("caption", {}, shown.length + " of " + rows.length + " rows"));
      var head = el("thead");
      var tr = el("tr");
      fields.forEach(function (f) { tr.appendChild(el("th", { scope: "col" }, f.title || f.name)); });
      head.appendChild(tr);
      table.appendChild(head);
      var body = el("tbody");
      shown.forEach(function (r) {
        var row = el("tr");
        fields.forEach(function (f) {
          row.appendChild(el("td", f["tally:role"] === "measure" ? { "class": "num" } : {}, cellText(r, f)));
        });
        body.appendChild(row);
      });
      table.appendChild(body);
      region.replaceChildren(table);
      if (window.TallySortable) window.TallySortable(table);
      status.textContent = "Showing " + shown.length + " of " + rows.length + " rows.";
    }

    download.addEventListener("click", function () {
      var lines = [fields.map(function (f) { return csvCell(f.name); }).join(",")];
      shown.forEach(function (r) {
        lines.push(fields.map(function (f) { return csvCell(r[f.name]); }).join(","));
      });
      var blob = new Blob([lines.join("\n") + "\n"], { type: "text/csv" });
      var link = el("a", { href: URL.createObjectURL(blob), download: slot.getAttribute("data-filename") });
      document.body.appendChild(link);
      link.click();
      document.body.removeChild(link);
    });
    reset.addEventListener("click", function () {
      Object.keys(controls).forEach(function (k) { controls[k].value = ""; });
      update();
    });
    render();
    followView(state);
  }

  window.TallyExplore = explore;
  window.TallyView = function () { followView(readState()); };
})();
