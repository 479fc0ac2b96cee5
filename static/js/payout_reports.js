// The payout reports' chart (templates/payout/report_*.html): the page's figures come in a
// json_script block, drawn with the vendored ECharts (static/vendor/echarts/); and the bulletin's
// sentence copied at a click. No inline script: the Content-Security-Policy allows none.
(function () {
  "use strict";
  var copy = document.querySelector("[data-copy]");
  if (copy) {
    copy.addEventListener("click", function () {
      var source = document.getElementById(copy.getAttribute("data-copy"));
      source.select();
      if (navigator.clipboard) { navigator.clipboard.writeText(source.value); }
    });
  }
  var holder = document.getElementById("payout-chart");
  var source = document.getElementById("payout-chart-data");
  if (!holder || !source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var chart = window.echarts.init(holder, null, { renderer: "canvas" });
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 8 ? 30 : 0 } },
    yAxis: { type: "value", name: data.unit },
    series: data.series.map(function (s) {
      return { name: s.name, type: "bar", stack: s.stack, data: s.data.map(Number) };
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
