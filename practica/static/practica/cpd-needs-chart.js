// The CPD-needs survey's bar chart: mean interest per topic, read from the JSON data block
// beside the canvas (no inline script: CSP). The table below the chart holds the same figures.
(function () {
  "use strict";
  var source = document.getElementById("cpd-needs-chart-data");
  var canvas = document.getElementById("cpd-needs-chart");
  if (!source || !canvas || typeof Chart === "undefined") { return; }
  var spec = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: spec.labels,
      datasets: spec.datasets.map(function (dataset) {
        return { label: dataset.label, data: dataset.data, backgroundColor: "#1d70b8" };
      })
    },
    options: {
      animation: false,
      responsive: true,
      indexAxis: "y",
      scales: { x: { beginAtZero: true, max: spec.max, ticks: { stepSize: 1 } } },
      plugins: { legend: { display: false } }
    }
  });
})();
