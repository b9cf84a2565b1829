// Site search on /search/ with the Pagefind index built by `publish.py build`.
// Progressive: without JavaScript (or if the index cannot load) the page lists every
// dataset and page instead. Results are built with textContent: no HTML from the
// index is inserted except Pagefind's <mark> highlights, rebuilt as elements.
// Topic and frequency are Pagefind metadata, filtered here: Pagefind's own filter
// index is written in a different order on every run, and builds must be byte-identical.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form || !window.URLSearchParams) return;
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var fallback = document.getElementById("search-fallback");
  var others = document.getElementById("search-other");
  var nojs = document.getElementById("search-nojs");
  var filterBox = document.getElementById("search-filters");
  var datasets = Array.prototype.slice.call(fallback.querySelectorAll("li[data-url]"));
  var MAX_LOADED = 200;  // results whose text is fetched to filter and show
  var MAX_SHOWN = 50;
  var base = new URL(form.getAttribute("data-base") || "/", window.location.href).pathname;
  var params = new URLSearchParams(window.location.search);
  var selects = Array.prototype.slice.call(filterBox.querySelectorAll("select"));
  var pagefind = null;
  var timer = null;
  var runs = 0;
  input.value = params.get("q") || "";
  selects.forEach(function (select) {
    var wanted = params.get(select.name);
    if (Array.prototype.some.call(select.options, function (o) { return o.value === wanted; })) select.value = wanted;
  });

  function element(tag, attributes, content) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function excerpt(html) {
    // Keep the text and the <mark> around matched words; drop any other markup.
    var parsed = new DOMParser().parseFromString(html || "", "text/html");
    var paragraph = element("p", { "class": "search-excerpt" });
    parsed.body.childNodes.forEach(function (node) {
      paragraph.appendChild(node.nodeName === "MARK" ? element("mark", {}, node.textContent)
                                                      : document.createTextNode(node.textContent));
    });
    return paragraph;
  }

  function chosenFilters() {
    var chosen = {};
    selects.forEach(function (select) { if (select.value) chosen[select.name] = select.value; });
    return chosen;
  }

  function describe(chosen) {
    var names = Object.keys(chosen);
    return names.length ? " (" + names.map(function (n) { return chosen[n]; }).join(", ") + ")" : "";
  }

  function remember(query, chosen) {
    var next = new URLSearchParams();
    if (query) next.set("q", query);
    Object.keys(chosen).forEach(function (name) { next.set(name, chosen[name]); });
    var search = next.toString();
    window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
  }

  function showList(chosen) {
    // No words: the full list, narrowed to the chosen topic and frequency.
    var shown = 0;
    datasets.forEach(function (li) {
      var keep = Object.keys(chosen).every(function (name) { return li.getAttribute("data-" + name) === chosen[name]; });
      li.hidden = !keep;
      shown += keep ? 1 : 0;
    });
    if (others) others.hidden = Object.keys(chosen).length > 0;
    list.hidden = true;
    list.replaceChildren();
    fallback.hidden = false;
    status.textContent = Object.keys(chosen).length ?
      shown + " dataset" + (shown === 1 ? "" : "s") + describe(chosen) + "." : "";
  }

  function showResults(results, query, chosen) {
    list.replaceChildren.apply(list, results.slice(0, MAX_SHOWN).map(function (result) {
      var item = element("li");
      var heading = element("h2", { "class": "search-title" });
      var sub = result.url === base + "releases/" && result.sub_results && result.sub_results[0];
      var title = sub && sub.title !== result.meta.title ? sub.title : (result.meta.title || result.url);
      heading.appendChild(element("a", { href: sub ? sub.url : result.url }, title));
      item.appendChild(heading);
      item.appendChild(excerpt(sub ? sub.excerpt : result.excerpt));
      return item;
    }));
    list.hidden = results.length === 0;
    fallback.hidden = results.length > 0;
    datasets.forEach(function (li) { li.hidden = false; });
    if (others) others.hidden = false;
    var total = results.length;
    var what = (query ? " for “" + query + "”" : "") + describe(chosen);
    status.textContent = total === 0 ? "No results" + what + ". Try other words, or browse everything listed below." :
      (total === 1 ? "1 result" : total + " results") + what +
      (total > MAX_SHOWN ? ", showing the first " + MAX_SHOWN : "") + ".";
  }

  async function run() {
    var query = input.value.trim();
    var chosen = chosenFilters();
    var mine = ++runs;
    remember(query, chosen);
    if (!query) {
      showList(chosen);
      return;
    }
    var search = await pagefind.search(query);
    var data = await Promise.all(search.results.slice(0, MAX_LOADED).map(function (r) { return r.data(); }));
    var results = data.filter(function (d) {
      return Object.keys(chosen).every(function (name) { return d.meta && d.meta[name] === chosen[name]; });
    });
    if (mine === runs) showResults(results, query, chosen);  // a newer search has not started
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (pagefind) run();
  });
  selects.forEach(function (select) { select.addEventListener("change", function () { if (pagefind) run(); }); });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { if (pagefind) run(); }, 250);
  });

  import(form.getAttribute("data-pagefind")).then(async function (module) {
    pagefind = module;
    await pagefind.options({ baseUrl: base });
    if (nojs) nojs.hidden = true;
    filterBox.hidden = selects.length === 0;
    await run();
  }).catch(function () {
    status.textContent = "Search could not load, so everything it covers is listed below.";
  });
})();
