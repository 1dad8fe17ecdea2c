// The collation page's charts: one bar chart per question, each drawn from the JSON data block
// named by its canvas's data-questionnaire-chart (no inline script: CSP). The table after each
// chart holds the same figures.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var canvases = document.querySelectorAll("canvas[data-questionnaire-chart]");
  Array.prototype.forEach.call(canvases, function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-questionnaire-chart"));
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (dataset, index) {
          // a second series (a comparison) in another colour, named in the legend
          return { label: dataset.label, data: dataset.data, backgroundColor: index ? "#f47738" : "#1d70b8" };
        })
      },
      options: {
        animation: false,
        responsive: true,
        indexAxis: "y",
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { display: spec.datasets.length > 1 } }
      }
    });
  });
})();
