// Draws a report's Chart.js chart from the JSON data block beside it (no inline script: CSP).
(function () {
  "use strict";
  var data = document.getElementById("report-chart-data");
  var canvas = document.getElementById("report-chart");
  if (!data || !canvas || typeof Chart === "undefined") { return; }
  var spec = JSON.parse(data.textContent);
  var palette = ["#1d70b8", "#00703c", "#d4351c", "#4c2c92", "#f47738", "#505a5f"];
  new Chart(canvas, {
    type: spec.kind,
    data: {
      labels: spec.labels,
      datasets: spec.datasets.map(function (dataset, index) {
        return { label: dataset.label, data: dataset.data, backgroundColor: palette[index % palette.length] };
      })
    },
    options: {
      animation: false,
      responsive: true,
      scales: spec.kind === "pie" ? {} : { x: { stacked: spec.stacked }, y: { stacked: spec.stacked, beginAtZero: true } }
    }
  });
})();
