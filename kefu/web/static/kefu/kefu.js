/* Kefu 客服: small behaviours shared by every page. No framework: htmx and Tabler do the rest. */
(function () {
  "use strict";

  var PALETTE = ["#206bc4", "#2fb344", "#f76707", "#ae3ec9", "#0ca678", "#d63939", "#4263eb"];

  /* A chart is declared in the page:
   *   <div class="kefu-chart" data-kefu-chart="chart-id"></div>
   *   {{ chart|json_script:"chart-id" }}   with {"kind": "bar", "categories": [...],
   *                                             "values": [...], "name": "人数"}
   */
  function chartOption(spec) {
    if (spec.series) {
      /* Several lines: {"kind": "line", "categories": [...], "series": [{"name", "values"}]} */
      return {
        color: PALETTE,
        grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        xAxis: { type: "category", data: spec.categories },
        /* A series with "axis": 1 is read on a second axis at the right (a rate beside counts). */
        yAxis: [{ type: "value" }, { type: "value", show: spec.series.some(function (s) { return s.axis === 1; }) }],
        series: spec.series.map(function (s) {
          return {
            name: s.name,
            type: s.kind || spec.kind || "line",
            data: s.values,
            yAxisIndex: s.axis || 0,
            connectNulls: true,
          };
        }),
      };
    }
    return {
      color: PALETTE,
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: spec.categories, axisTick: { alignWithLabel: true } },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        {
          name: spec.name,
          type: spec.kind || "bar",
          data: spec.values,
          barMaxWidth: 48,
          label: { show: true, position: "top" },
          itemStyle: { borderRadius: [4, 4, 0, 0] },
        },
      ],
    };
  }

  function renderCharts(root) {
    if (!window.echarts) {
      return;
    }
    root.querySelectorAll("[data-kefu-chart]").forEach(function (element) {
      if (element.dataset.kefuChartReady) {
        return;
      }
      var source = document.getElementById(element.dataset.kefuChart);
      if (!source) {
        return;
      }
      var chart = window.echarts.init(element, null, { renderer: "svg" });
      chart.setOption(chartOption(JSON.parse(source.textContent)));
      element.dataset.kefuChartReady = "1";
      if (window.ResizeObserver) {
        new ResizeObserver(function () {
          chart.resize();
        }).observe(element);
      }
    });
  }

  if (window.htmx) {
    window.htmx.onLoad(renderCharts);
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      renderCharts(document);
    });
  }
})();
