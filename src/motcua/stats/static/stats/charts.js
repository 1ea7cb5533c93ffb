/* Draws the statistics charts with the vendored Chart.js. Each <canvas data-chart="ID"> reads
   its data from the <script type="application/json" id="ID"> the page wrote with json_script
   (no inline script: the Content-Security-Policy allows only our own files). The data table
   beside each chart stays the accessible source of the same numbers. */
(function () {
  "use strict";
  var COLOURS = ["#1d4ed8", "#059669", "#b45309", "#b91c1c", "#7c3aed"];

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source || typeof window.Chart === "undefined") return;
    var spec = JSON.parse(source.textContent);
    var horizontal = spec.type === "bar" && spec.labels.length > 8;
    var datasets = spec.datasets.map(function (d, i) {
      var colour = COLOURS[i % COLOURS.length];
      return {
        label: d.label,
        data: d.data,
        borderColor: colour,
        backgroundColor: spec.type === "line" ? colour : colour + "cc",
        spanGaps: true,
        tension: 0.2
      };
    });
    if (horizontal && canvas.parentNode) {
      canvas.parentNode.style.height = Math.max(260, 24 * spec.labels.length + 40) + "px";
    }
    canvas.chart = new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: {
          legend: { display: datasets.length > 1 },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var v = ctx.raw === null ? "—" : ctx.raw + (spec.unit || "");
                return ctx.dataset.label + ": " + v;
              }
            }
          }
        },
        scales: (function () {
          var value = spec.unit === "%" ? { min: 0, max: 100 } : { beginAtZero: true };
          return horizontal ? { x: value } : { y: value };
        })()
      }
    });
    canvas.setAttribute("data-drawn", "1");
  }

  function drawAll() {
    var canvases = document.querySelectorAll("canvas[data-chart]");
    for (var i = 0; i < canvases.length; i++) draw(canvases[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
