// Progressive enhancement: after the page has loaded, fetch the self-hosted Vega
// bundle and swap each static SVG for an interactive chart (tooltips). Without
// JavaScript, or if anything fails, the static SVG stays.
(function () {
  var charts = document.querySelectorAll(".chart-svg[data-spec-id]");
  if (!charts.length) return;
  var self = document.currentScript;
  var bundle = self ? self.src.replace(/enhance\.js(\?.*)?$/, "vega-bundle.js") : "/theme/js/vega-bundle.js";
  function enhance() {
    charts.forEach(function (el) {
      var spec = JSON.parse(document.getElementById(el.dataset.specId).textContent);
      var old = el.querySelector("svg");
      var label = old && old.getAttribute("aria-label");
      var holder = document.createElement("div");
      window.vegaEmbed(holder, spec, { actions: false, renderer: "svg" }).then(function () {
        var svg = holder.querySelector("svg");
        if (svg && label) { svg.setAttribute("role", "img"); svg.setAttribute("aria-label", label); }
        el.replaceChildren(holder);
      }).catch(function () { /* keep the static chart */ });
    });
  }
  window.addEventListener("load", function () {
    var script = document.createElement("script");
    script.src = bundle;
    script.onload = enhance;
    document.head.appendChild(script);
  });
})();
