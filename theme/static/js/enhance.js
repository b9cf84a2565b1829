// Tally's progressive enhancement. Every page works without it: tables are plain
// tables, citations are selectable text, charts are static SVG. With it:
//  - a table with class "sortable" gets a sort button in each column heading;
//  - a ".copy-slot[data-copy]" gets a button copying the named element's text;
//  - each static SVG chart becomes explorable where it stands: one tab stop per chart,
//    arrow keys walk its marks, and hovering or focusing a mark shows its value. The
//    values are the marks' own accessible labels, drawn into the SVG at build time, so
//    no charting library is fetched (issue 12: the Vega bundle cost 650 ms of blocking
//    time on a throttled phone) and the chart never moves or redraws.
//  - an ".explore-slot" gets a button that loads explore.js (only then) to filter, sort and
//    download the full table; the view it sets lives in the address, and explore.js (also
//    loaded when an address holds a view) redraws the charts for the view from their own
//    data and carries the view into the embed codes, so a shared link shows the same view.
// Loaded with `defer`; nothing here is fetched from another origin.
(function () {
  "use strict";

  // -- sortable tables ------------------------------------------------------------
  var EMPTY = /^(Suppressed|Not available|)$/;

  function cellValue(row, index) {
    var text = (row.cells[index] && row.cells[index].textContent || "").trim();
    if (EMPTY.test(text)) return { empty: true, text: text };
    var number = text.replace(/,/g, "");
    if (/^-?\d+(\.\d+)?%?$/.test(number)) return { number: parseFloat(number), text: text };
    return { text: text };
  }

  function compare(a, b) {
    if (a.empty || b.empty) return a.empty === b.empty ? 0 : a.empty ? 1 : -1; // empty cells always last
    if (a.number !== undefined && b.number !== undefined) return a.number - b.number;
    return a.text.localeCompare(b.text, undefined, { numeric: true });
  }

  function makeSortable(table) {
    var body = table.tBodies[0];
    if (!body || body.rows.length < 2 || !table.tHead) return;
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      var icon = document.createElement("span");
      icon.className = "sort-icon";
      icon.setAttribute("aria-hidden", "true");
      icon.textContent = "↕";
      while (th.firstChild) button.appendChild(th.firstChild);
      button.appendChild(icon);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        var rows = Array.prototype.slice.call(body.rows);
        var keyed = rows.map(function (row, position) { return [cellValue(row, index), position, row]; });
        keyed.sort(function (x, y) {
          var order = compare(x[0], y[0]);
          if (!x[0].empty && !y[0].empty && !ascending) order = -order;
          return order || x[1] - y[1];
        });
        keyed.forEach(function (entry) { body.appendChild(entry[2]); });
        Array.prototype.forEach.call(heads, function (other) {
          other.removeAttribute("aria-sort");
          var otherIcon = other.querySelector(".sort-icon");
          if (otherIcon) otherIcon.textContent = "↕";
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        icon.textContent = ascending ? "▲" : "▼";
      });
    });
  }

  // -- copy buttons ---------------------------------------------------------------
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  function makeCopyButton(slot) {
    var target = document.getElementById(slot.getAttribute("data-copy"));
    if (!target) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = slot.getAttribute("data-copy-label") || "Copy";
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    slot.appendChild(button);
    slot.appendChild(status);
    button.addEventListener("click", function () {
      var text = target.tagName === "TEXTAREA" || target.tagName === "INPUT" ? target.value : target.textContent;
      copyText(text.trim()).then(function () {
        status.textContent = "Copied.";
      }, function () {
        status.textContent = "Could not copy: select the text and copy it yourself.";
      });
    });
  }

  // -- interactive charts ---------------------------------------------------------
  var tip = null;

  function showTip(mark) {
    hideTip();
    var label = mark.getAttribute("aria-label");
    if (!label) return;
    tip = document.createElement("div");
    tip.className = "chart-tooltip";
    tip.setAttribute("aria-hidden", "true"); // the focused mark's own label is what a screen reader reads
    tip.textContent = label;
    document.body.appendChild(tip);
    var box = mark.getBoundingClientRect();
    var left = Math.max(4, Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 4));
    tip.style.left = left + "px";
    tip.style.top = (window.scrollY + box.top - tip.offsetHeight - 8) + "px";
  }

  function hideTip() {
    if (tip && tip.parentNode) tip.parentNode.removeChild(tip);
    tip = null;
  }

  // One tab stop per chart; arrow keys move between its marks (roving tabindex).
  function focusableMarks(svg) {
    var marks = svg.querySelectorAll("g.role-mark:not(.mark-line):not(.mark-area) > [aria-label]");
    return Array.prototype.filter.call(marks, function (mark) {
      return mark.getAttribute("aria-hidden") !== "true";
    });
  }

  function makeMarksKeyboardReachable(svg) {
    var marks = focusableMarks(svg);
    if (!marks.length) return;
    marks.forEach(function (mark, i) {
      mark.setAttribute("tabindex", i === 0 ? "0" : "-1");
      mark.addEventListener("focus", function () { showTip(mark); });
      mark.addEventListener("blur", hideTip);
    });
    svg.addEventListener("keydown", function (event) {
      var current = marks.indexOf(document.activeElement);
      if (current < 0) return;
      var next = { ArrowRight: current + 1, ArrowDown: current + 1, ArrowLeft: current - 1, ArrowUp: current - 1,
                   Home: 0, End: marks.length - 1 }[event.key];
      if (event.key === "Escape") { hideTip(); return; }
      if (next === undefined) return;
      event.preventDefault();
      next = Math.max(0, Math.min(marks.length - 1, next));
      marks[current].setAttribute("tabindex", "-1");
      marks[next].setAttribute("tabindex", "0");
      marks[next].focus();
    });
  }

  function makeMarksHoverable(svg) {
    focusableMarks(svg).forEach(function (mark) {
      mark.addEventListener("mouseenter", function () { showTip(mark); });
      mark.addEventListener("mouseleave", hideTip);
    });
  }

  function enhanceChart(holder) {
    var svg = holder.querySelector("svg");
    if (!svg) return;
    holder.classList.add("chart-live");
    makeMarksKeyboardReachable(svg);
    makeMarksHoverable(svg);
  }

  // -- explore the full table (explore.js, loaded on demand) ------------------------
  var exploreLoading = null;

  function loadExplore() {
    if (!exploreLoading) {
      exploreLoading = new Promise(function (resolve, reject) {
        var self = document.querySelector('script[src$="enhance.js"]');
        var script = document.createElement("script");
        script.src = self ? self.src.replace(/enhance\.js(\?.*)?$/, "explore.js") : "/theme/js/explore.js";
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return exploreLoading;
  }

  function makeExploreButton(slot) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = slot.getAttribute("data-label") || "Explore all rows";
    slot.appendChild(button);
    function open() {
      button.disabled = true;
      loadExplore().then(function () { window.TallyExplore(slot); });
    }
    button.addEventListener("click", open);
    if (window.location.search && slot === document.querySelector(".explore-slot")) open();
  }

  // A series' page (views/<dimension>/<value>/) opened from a shared link with a period range
  // (?from=2023-Q1): "Explore this view" carries the range on to the dataset page.
  function keepRange(link) {
    var here = new URLSearchParams(window.location.search);
    var target = new URL(link.href, window.location.href);
    ["from", "to"].forEach(function (k) { if (here.get(k)) target.searchParams.set(k, here.get(k)); });
    target.searchParams.sort();
    link.href = target.href;
  }

  window.TallySortable = makeSortable;
  window.TallyCopyButton = makeCopyButton;  // explore.js adds a "Copy link" for the shared view
  window.TallyChartLive = enhanceChart;  // explore.js hands back a chart it redrew for a shared view
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), makeSortable);
  Array.prototype.forEach.call(document.querySelectorAll(".copy-slot[data-copy]"), makeCopyButton);
  Array.prototype.forEach.call(document.querySelectorAll(".chart-svg"), enhanceChart);
  Array.prototype.forEach.call(document.querySelectorAll(".explore-slot"), makeExploreButton);
  Array.prototype.forEach.call(document.querySelectorAll("a[data-view-range]"), keepRange);
  // A shared view (?age_band=12-14): explore.js redraws the charts for it and carries the view
  // into the embed codes; fetched only when the address holds one and the page has a chart or table.
  if (window.location.search && document.querySelector(".chart-svg, .explore-slot")) {
    loadExplore().then(function () { window.TallyView(); });
  }
})();
