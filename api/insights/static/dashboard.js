// Draws the dashboard's charts with Chart.js from the page's JSON block (no inline script: the CSP allows
// our own files only). Each <canvas data-chart="id"> gets the chart of that id.
(function () {
  "use strict";

  var PALETTE = ["#0b5cad", "#e07b00", "#2e8540", "#8e44ad", "#c0392b", "#16a085"];

  function dataset(series, index) {
    var colour = PALETTE[index % PALETTE.length];
    return { label: series.label, data: series.data, backgroundColor: colour, borderColor: colour };
  }

  function scales(spec) {
    var value = { beginAtZero: true, stacked: !!spec.stacked };
    if (spec.percent) { value.max = 100; }
    if (spec.max) { value.max = spec.max; }
    var category = { stacked: !!spec.stacked };
    return spec.horizontal ? { x: value, y: category } : { x: category, y: value };
  }

  function config(spec) {
    return {
      type: "bar",
      data: { labels: spec.labels, datasets: spec.datasets.map(dataset) },
      options: {
        animation: false,
        indexAxis: spec.horizontal ? "y" : "x",
        maintainAspectRatio: false,
        scales: scales(spec),
        plugins: { legend: { display: spec.datasets.length > 1 } }
      }
    };
  }

  function draw() {
    var source = document.getElementById("dashboard-charts");
    if (!source || !window.Chart) { return; }
    var specs = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = specs[canvas.getAttribute("data-chart")];
      if (spec) { new window.Chart(canvas, config(spec)); }
    });
    document.body.setAttribute("data-charts", "drawn");
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
