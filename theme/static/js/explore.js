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

  // The chart in the view. A line or bar chart over periods is redrawn from its own data
  // (the rows inlined in its Vega-Lite file, the same published rows the static SVG drew):
  // only the chosen series and periods, axes rescaled, S and n/a placeholders and P/R
  // letters kept. Nothing is computed but positions: a stack is as tall as in the static
  // chart. Other charts (horizontal bars, small multiples, raw Vega-Lite) dim the marks
  // outside the view. A filter value applies to a chart when its rows carry the field (a
  // chart of "All areas" ignores an area filter); from/to bound the periods on its x axis.
  var SVGNS = "http://www.w3.org/2000/svg";
  var specs = {};

  function svgEl(tag, attrs, text) {
    var node = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function drawable(spec) {
    var layer = spec && spec.layer && spec.layer[0];
    var enc = layer && layer.encoding;
    var type = layer && (layer.mark && layer.mark.type || layer.mark);
    if (!enc || !enc.x || !enc.y || (type !== "line" && type !== "bar") || spec.facet || enc.facet || enc.row ||
        enc.column || enc.y.type !== "quantitative" || !(spec.data && spec.data.values)) return null;
    var series = enc.stroke || enc.color || null;
    if (series && !series.field) series = null;
    var rows = spec.data.values;
    var order = series && Array.isArray(series.sort) ? series.sort.slice() : null;
    if (series && !order) {  // Vega's default: a nominal scale's levels in ascending order
      order = [];
      rows.forEach(function (r) { if (order.indexOf(r[series.field]) < 0) order.push(r[series.field]); });
      order.sort();
    }
    var range = (spec.config && spec.config.range && spec.config.range.category) || ["#0072B2"];
    var single = (spec.config && spec.config.mark && spec.config.mark.color) || range[0];
    return {
      type: type, rows: rows, x: enc.x.field, y: enc.y.field, series: series && series.field, order: order || [],
      xTitle: enc.x.title || enc.x.field, yTitle: enc.y.title || enc.y.field,
      seriesTitle: series && (series.title || series.field), xs: Array.isArray(enc.x.sort) ? enc.x.sort : null,
      colour: function (v) { return series ? range[order.indexOf(v) % range.length] : single; },
      width: spec.width || 360, height: spec.height || 200
    };
  }

  function applies(chart, state) {
    var fields = Object.keys(state).filter(function (k) {
      return k !== "from" && k !== "to" && chart.rows.some(function (r) { return k in r; });
    });
    var periods = chart.rows.some(function (r) { return PERIOD.test(String(r[chart.x])); });
    return { fields: fields, range: periods && (state.from || state.to) };
  }

  function inView(row, chart, state, use) {
    for (var i = 0; i < use.fields.length; i++) if (String(row[use.fields[i]]) !== state[use.fields[i]]) return false;
    var p = String(row[chart.x]);
    if (use.range && ((state.from && p < state.from) || (state.to && p > state.to))) return false;
    return true;
  }

  function niceStep(max) {
    var raw = Math.max(max, 1) / 4;
    var power = Math.pow(10, Math.floor(Math.log(raw) / Math.LN10));
    var step = [1, 2, 2.5, 5, 10].map(function (m) { return m * power; }).filter(function (s) { return s >= raw; })[0];
    return Math.max(1, step);
  }

  function label(chart, row) {
    var parts = [chart.xTitle + ": " + row[chart.x]];
    if (chart.series) parts.push(chart.seriesTitle + ": " + row[chart.series]);
    var v = row[chart.y];
    var text = v === null || v === undefined ? (row._placeholder === "S" ? "Suppressed" : "Not available")
      : (typeof v === "number" ? v.toLocaleString("en-US") : String(v));
    if (STATUS[row._status]) text += " (" + STATUS[row._status] + ")";
    parts.push(chart.yTitle + ": " + text);
    return parts.join("; ");
  }

  function redraw(chart, state, use, title) {
    var rows = chart.rows.filter(function (r) { return inView(r, chart, state, use); });
    var xs = (chart.xs || []).filter(function (x) { return rows.some(function (r) { return r[chart.x] === x; }); });
    if (!chart.xs) rows.forEach(function (r) { if (xs.indexOf(r[chart.x]) < 0) xs.push(r[chart.x]); });
    var series = chart.series ? chart.order.filter(function (s) {
      return rows.some(function (r) { return r[chart.series] === s; });
    }) : [null];
    var stacked = chart.type === "bar";
    var top = 0;
    xs.forEach(function (x) {
      var sum = 0;
      rows.forEach(function (r) {
        if (r[chart.x] !== x || typeof r[chart.y] !== "number") return;
        sum = stacked ? sum + r[chart.y] : Math.max(sum, r[chart.y]);
      });
      top = Math.max(top, sum);
    });
    var step = niceStep(top), yMax = Math.max(step, Math.ceil(top / step) * step);
    var W = chart.width, H = chart.height, left = 64, plotTop = 24;
    var rotate = xs.length > 6;
    var legendTop = plotTop + H + (rotate ? 70 : 44);
    var legendRows = chart.series ? Math.ceil(series.length / 2) : 0;
    var total = legendTop + legendRows * 22 + (legendRows ? 26 : 0);
    var svg = svgEl("svg", { viewBox: "0 0 " + (left + W + 16) + " " + total, role: "img", "class": "chart-redrawn",
                             "aria-label": title, "font-family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
                             "font-size": "13" });
    var band = W / Math.max(xs.length, 1);
    function xAt(x) { return left + (xs.indexOf(x) + 0.5) * band; }
    function yAt(v) { return plotTop + H - (v / yMax) * H; }
    var axes = svgEl("g", { "aria-hidden": "true" });
    for (var t = 0; t <= yMax + 1e-9; t += step) {
      axes.appendChild(svgEl("line", { x1: left, x2: left + W, y1: yAt(t), y2: yAt(t), stroke: t ? "#e3e3e3" : "#767676" }));
      axes.appendChild(svgEl("text", { x: left - 6, y: yAt(t) + 4, "text-anchor": "end", fill: "#333" },
                             t.toLocaleString("en-US")));
    }
    axes.appendChild(svgEl("text", { transform: "translate(14 " + (plotTop + H / 2) + ") rotate(-90)",
                                     "text-anchor": "middle", fill: "#1b1b1b", "font-weight": "600" }, chart.yTitle));
    xs.forEach(function (x) {
      axes.appendChild(svgEl("text", rotate ? { transform: "translate(" + xAt(x) + " " + (plotTop + H + 14) + ") rotate(-40)",
                                                "text-anchor": "end", fill: "#333" }
                                            : { x: xAt(x), y: plotTop + H + 18, "text-anchor": "middle", fill: "#333" }, String(x)));
    });
    svg.appendChild(axes);
    var marks = svgEl("g", { "class": "role-mark mark-symbol" });
    var lines = svgEl("g", { "class": "role-mark mark-line", "aria-hidden": "true" });
    var notes = svgEl("g", { "class": "role-mark mark-text" });
    var drawn = 0, base = {}, slots = {};
    series.forEach(function (s) {
      var colour = chart.colour(s), path = "", pen = false;
      xs.forEach(function (x) {
        var row = rows.filter(function (r) { return r[chart.x] === x && (!chart.series || r[chart.series] === s); })[0];
        var v = row && row[chart.y];
        if (!row) { pen = false; return; }
        if (typeof v !== "number") {  // a placeholder in the series' colour, one slot each, never a zero
          pen = false;
          var slot = slots[x] = (slots[x] || 0) + 1;
          var at = stacked ? yAt(base[x] || 0) - 6 - 14 * (slot - 1) : plotTop + H - 6 - 14 * (slot - 1);
          notes.appendChild(svgEl("text", { x: xAt(x), y: at, "text-anchor": "middle", fill: colour, "font-weight": "bold",
                                            "aria-label": label(chart, row), role: "graphics-symbol" },
                                  row._placeholder === "S" ? "S" : "n/a"));
          return;
        }
        var mark, y0 = base[x] || 0, cy = yAt(stacked ? y0 + v : v);
        if (stacked) {
          mark = svgEl("rect", { x: xAt(x) - band * 0.4, width: band * 0.8, y: cy, height: Math.max(0, yAt(y0) - cy),
                                 fill: colour, stroke: "white" });
          base[x] = y0 + v;
        } else {
          mark = svgEl("circle", { cx: xAt(x), cy: cy, r: 4, fill: colour });
          path += (pen ? "L" : "M") + xAt(x).toFixed(1) + "," + cy.toFixed(1);
          pen = true;
        }
        mark.setAttribute("aria-label", label(chart, row));
        mark.setAttribute("role", "graphics-symbol");
        marks.appendChild(mark);
        drawn += 1;
        if (STATUS[row._status]) {
          notes.appendChild(svgEl("text", { x: xAt(x), y: cy - 8, "text-anchor": "middle", fill: "#333", "font-weight": "bold",
                                            "aria-hidden": "true" }, row._status));
        }
      });
      if (path) lines.appendChild(svgEl("path", { d: path, fill: "none", stroke: colour, "stroke-width": 2.5 }));
    });
    svg.appendChild(lines);
    svg.appendChild(marks);
    svg.appendChild(notes);
    if (chart.series) {
      var legend = svgEl("g", { "aria-hidden": "true" });
      legend.appendChild(svgEl("text", { x: left, y: legendTop, fill: "#1b1b1b", "font-weight": "600" }, chart.seriesTitle));
      series.forEach(function (s, i) {
        var lx = left + (i % 2) * (W / 2), ly = legendTop + 20 + Math.floor(i / 2) * 22;
        legend.appendChild(svgEl("rect", { x: lx, y: ly - 10, width: 12, height: 12, fill: chart.colour(s) }));
        legend.appendChild(svgEl("text", { x: lx + 18, y: ly, fill: "#333" }, String(s)));
      });
      svg.appendChild(legend);
    }
    return { svg: svg, drawn: drawn };
  }

  function viewWords(state, use) {
    var words = use.fields.map(function (k) { return k.replace(/_/g, " ") + " " + state[k]; });
    if (use.range && state.from) words.push("from " + state.from);
    if (use.range && state.to) words.push("to " + state.to);
    return words.join(", ");
  }

  function showView(holder, state) {
    var url = holder.getAttribute("data-spec");
    if (!holder.tallyStatic) holder.tallyStatic = holder.querySelector("svg");
    if (!url || !holder.tallyStatic) return Promise.resolve();
    if (!specs[url]) specs[url] = fetch(url).then(function (r) { return r.json(); }).catch(function () { return null; });
    return specs[url].then(function (spec) {
      var chart = drawable(spec);
      if (!chart) return dimView(holder, state);
      var use = applies(chart, state);
      var note = holder.parentNode.querySelector(".chart-view-note");
      if (!use.fields.length && !use.range) {  // no view on this chart: the static one stands
        if (holder.querySelector("svg") !== holder.tallyStatic) holder.replaceChildren(holder.tallyStatic);
        if (note) note.remove();
        holder.removeAttribute("data-view");
        holder.setAttribute("data-rows", String(holder.tallyStatic.querySelectorAll(
          "g.role-mark:not(.mark-line):not(.mark-area):not(.mark-text) > [aria-label]").length));
        return;
      }
      var words = viewWords(state, use);
      var title = (holder.tallyStatic.getAttribute("aria-label") || "Chart").split(". ")[0] + ", redrawn for this view: " + words;
      var drawing = redraw(chart, state, use, title);
      holder.replaceChildren(drawing.svg);
      holder.setAttribute("data-rows", String(drawing.drawn));
      holder.setAttribute("data-view", words);
      if (!note) {
        note = el("p", { "class": "chart-view-note" });
        holder.parentNode.insertBefore(note, holder.nextSibling);
      }
      note.textContent = "Redrawn for the view in this page's address (" + words + "). The description below is of the whole chart.";
      if (window.TallyChartLive) window.TallyChartLive(holder);
    });
  }

  // Charts the redraw does not know: marks outside the view are dimmed, never redrawn.
  function dimView(holder, state) {
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
    var drawn = Array.prototype.map.call(document.querySelectorAll(".chart-svg"), function (holder) {
      return showView(holder, state);
    });
    Promise.all(drawn).then(function () { document.documentElement.setAttribute("data-view-drawn", query || "none"); });
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

  // -- sharing a view ---------------------------------------------------------------
  // A static host serves the dataset page whatever its query says, and crawlers run no
  // script, so a link with ?age_band=12-14 shows the dataset's social card. Each series a
  // chart draws has a page of its own (views/<dimension>/<value>/, listed in views/index.json)
  // whose card is that series' latest figure: a view of exactly one series shares that
  // address (a period range rides along in its query and on to "Explore this view"); any
  // other view shares the dataset page with its query. The words say which card a link carries.
  function shareLink(state, views) {
    var page = window.location.origin + window.location.pathname;
    var chosen = Object.keys(state).sort().filter(function (k) { return state[k] && k !== "from" && k !== "to"; });
    var range = new URLSearchParams();
    ["from", "to"].forEach(function (k) { if (state[k]) range.set(k, state[k]); });
    var one = chosen.length === 1 && views[chosen[0]] && views[chosen[0]].values[state[chosen[0]]];
    if (one) {
      var rangeQuery = range.toString();
      return { url: new URL(one, page).href + (rangeQuery ? "?" + rangeQuery : ""),
               words: "This link carries the card of " + views[chosen[0]].title.toLowerCase() + " " + state[chosen[0]] +
                      " (its latest figure), and opens this view." };
    }
    var all = new URLSearchParams();
    Object.keys(state).sort().forEach(function (k) { if (state[k]) all.set(k, state[k]); });
    var query = all.toString();
    return { url: page + (query ? "?" + query : ""),
             words: query ? "This link opens this view but carries the whole dataset's card: social networks do not " +
                            "read the filters in an address. A view of one series alone has a card of its own."
                          : "This link carries the whole dataset's card." };
  }

  function explore(slot, autoOpen) {
    var resourceName = slot.getAttribute("data-resource");
    var viewsUrl = slot.getAttribute("data-views");
    var views = viewsUrl ? fetch(viewsUrl).then(function (r) { return r.ok ? r.json() : {}; })
      .catch(function () { return {}; }) : Promise.resolve({});
    Promise.all([fetch(slot.getAttribute("data-package")).then(function (r) { return r.json(); }),
                 fetch(slot.getAttribute("data-json")).then(function (r) { return r.json(); }), views])
      .then(function (loaded) {
        var resource = loaded[0].resources.filter(function (r) { return r.name === resourceName; })[0];
        if (resource) build(slot, resource.schema.fields, loaded[1], loaded[2] || {});
      });
  }

  function build(slot, fields, rows, views) {
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
    var shareId = "explore-share-" + slot.getAttribute("data-resource");
    var share = el("div", { "class": "explore-share" });
    share.appendChild(el("label", { "for": shareId }, "Link to this view"));
    var shareBox = el("input", { id: shareId, type: "text", readonly: "", "class": "share-link",
                                 "aria-describedby": shareId + "-card" });
    share.appendChild(shareBox);
    var shareWords = el("p", { id: shareId + "-card", "class": "share-card" });
    share.appendChild(shareWords);
    var copySlot = el("p", { "class": "copy-slot", "data-copy": shareId, "data-copy-label": "Copy link" });
    share.appendChild(copySlot);
    var region = el("div", { "class": "table-scroll", tabindex: "0", role: "region",
                             "aria-label": "Rows matching the filters" });
    slot.replaceChildren(form, status, actions, share, region);
    if (window.TallyCopyButton) window.TallyCopyButton(copySlot);
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
      var link = shareLink(state, views);
      shareBox.value = link.url;
      shareWords.textContent = link.words;
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
  window.TallyShareLink = shareLink;  // the browser tests ask it directly too
  window.TallyView = function () { followView(readState()); };
})();
