// Catalog enhancement: search, filter (topic, frequency, publisher) and sort the
// dataset list in place. Without JavaScript the catalog is a plain list and the
// "Filter and sort" links lead to static pages that do the same.
// Each item carries data-url, data-topic, data-frequency, data-publisher, data-updated.
(function () {
  "use strict";
  var holder = document.getElementById("catalog-list");
  if (!holder || !window.URLSearchParams) return;
  var items = Array.prototype.slice.call(holder.querySelectorAll("li[data-url]"));
  if (!items.length) return;
  var FACETS = ["topic", "frequency", "publisher"];
  var script = document.currentScript;
  var root = script ? script.src.replace(/theme\/js\/search-catalog\.js(\?.*)?$/, "") : "/";
  var params = new URLSearchParams(window.location.search);
  var selects = {};
  var pagefind = null;
  var timer = null;
  var runs = 0;

  function element(tag, attributes, content) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (content !== undefined) node.textContent = content;
    return node;
  }

  // The form is in the page, laid out from the first paint (see catalog.html): only its
  // values come from the address here, so taking it over moves nothing on the page.
  var form = document.getElementById("catalog-filter");
  var input = document.getElementById("catalog-q");
  var sort = document.getElementById("catalog-sort");
  var status = document.getElementById("catalog-status");
  if (!form || !input || !sort || !status) return;
  input.value = params.get("q") || "";
  FACETS.forEach(function (name) {
    var select = document.getElementById("catalog-" + name);
    if (!select) return;
    var wanted = params.get(name);
    select.value = Array.prototype.some.call(select.options, function (o) { return o.value === wanted; }) ? wanted : "";
    selects[name] = select;
  });
  sort.value = params.get("sort") === "updated" ? "updated" : "";
  form.hidden = false;
  var results = element("ul", { id: "catalog-results", "class": "catalog" });
  results.hidden = true;
  var nav = document.querySelector("nav.facets");
  if (nav) nav.hidden = true;  // the controls replace the static filter links
  holder.parentNode.insertBefore(results, holder.nextSibling);

  function path(url) { return new URL(url, window.location.href).pathname; }

  async function matchingPaths(query) {
    if (pagefind) {
      var search = await pagefind.search(query);
      var pages = await Promise.all(search.results.map(function (r) { return r.data(); }));  // URLs come with data
      return pages.map(function (data) { return path(data.url); });
    }
    var words = query.toLowerCase().split(/\s+/);  // no index: match the words in each item's text
    return items.filter(function (li) {
      var text = li.textContent.toLowerCase();
      return words.every(function (word) { return text.indexOf(word) >= 0; });
    }).map(function (li) { return path(li.getAttribute("data-url")); });
  }

  async function apply() {
    var mine = ++runs;
    var query = input.value.trim();
    var chosen = {};
    Object.keys(selects).forEach(function (name) { if (selects[name].value) chosen[name] = selects[name].value; });
    var next = new URLSearchParams();
    if (query) next.set("q", query);
    Object.keys(chosen).forEach(function (name) { next.set(name, chosen[name]); });
    if (sort.value) next.set("sort", sort.value);
    window.history.replaceState(null, "", window.location.pathname + (next.toString() ? "?" + next : ""));
    if (!query && !Object.keys(chosen).length && !sort.value) {
      holder.hidden = false;
      results.hidden = true;
      status.textContent = "";
      return;
    }
    var found = query ? await matchingPaths(query) : null;
    if (mine !== runs) return;  // a newer change has started
    var shown = items.filter(function (li) {
      return Object.keys(chosen).every(function (name) { return li.getAttribute("data-" + name) === chosen[name]; }) &&
        (!found || found.indexOf(path(li.getAttribute("data-url"))) >= 0);
    });
    if (sort.value === "updated") {
      shown = shown.slice().sort(function (a, b) {
        var x = a.getAttribute("data-updated") || "", y = b.getAttribute("data-updated") || "";
        return x === y ? 0 : x < y ? 1 : -1;
      });
    } else if (found) {
      shown = shown.slice().sort(function (a, b) {  // most relevant first
        return found.indexOf(path(a.getAttribute("data-url"))) - found.indexOf(path(b.getAttribute("data-url")));
      });
    }
    results.replaceChildren.apply(results, shown.map(function (li) { return li.cloneNode(true); }));
    holder.hidden = true;
    results.hidden = false;
    status.textContent = shown.length + " of " + items.length + " datasets" + (query ? " match “" + query + "”" : "") + ".";
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  form.addEventListener("change", function (event) { if (event.target !== input) apply(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(apply, 250); });

  import(root + "pagefind/pagefind.js").then(async function (module) {
    await module.options({ baseUrl: new URL(root || "/", window.location.href).pathname });
    pagefind = module;
  }).catch(function () { /* no index: words are matched in the list itself */ }).then(apply);
})();
