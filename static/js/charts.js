// Charts of the dashboards, drawn with the vendored Apache ECharts (static/vendor/echarts).
// Each chart is an element with data-chart="<id of a json_script block>"; the block holds
//   {kind: "bars" | "hbars", categories: [...], series: [{name, type, data, stack, axis}],
//    unit, percent, mark: {value, label}, colors: [...]}
// and a data point may be {value, status} to take the colour of its judgment. The numbers are
// also in the table beside the chart; without JavaScript the table is what people see.
(() => {
  const STATUS = {
    on_track: "#067647",
    at_risk: "#d97706",
    off_track: "#b42318",
    manual: "#7b8794",
  };
  const PALETTE = ["#1f5fa8", "#9aa5b1", "#d97706", "#067647", "#7c3aed", "#0e7490"];
  const FONT = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';

  const point = (item) => {
    if (item === null || typeof item !== "object") return item;
    return {
      value: item.value,
      itemStyle: item.status ? { color: STATUS[item.status] } : undefined,
    };
  };

  const axisLabel = (spec) => ({
    fontFamily: FONT,
    formatter: spec.percent ? "{value}%" : "{value}",
  });

  const options = (spec) => {
    const horizontal = spec.kind === "hbars";
    const categoryAxis = {
      type: "category",
      data: spec.categories,
      axisLabel: { fontFamily: FONT, interval: 0, width: horizontal ? 150 : 80, overflow: "truncate" },
      inverse: horizontal,
    };
    const valueAxes = [{ type: "value", axisLabel: axisLabel(spec), max: spec.max ?? null }];
    if (spec.series.some((s) => s.axis === 1)) {
      valueAxes.push({ type: "value", axisLabel: axisLabel({ percent: spec.percent2 }), splitLine: { show: false } });
    }
    const series = spec.series.map((s, index) => {
      const one = {
        name: s.name,
        type: s.type || "bar",
        data: s.data.map(point),
        stack: s.stack,
        smooth: false,
        symbolSize: 6,
        barMaxWidth: 28,
        label: s.labels ? { show: true, position: horizontal ? "right" : "top", fontFamily: FONT, formatter: spec.percent ? "{c}%" : "{c}" } : undefined,
      };
      if (!horizontal && s.axis === 1) one.yAxisIndex = 1;
      if (index === 0 && spec.mark) {
        one.markLine = {
          symbol: "none",
          silent: true,
          lineStyle: { color: "#b42318", type: "dashed" },
          // A vertical line of a horizontal chart is labelled at its top (the category axis runs
          // downwards, so that is its start).
          label: { formatter: spec.mark.label, fontFamily: FONT, position: horizontal ? "start" : "insideEndTop" },
          data: [horizontal ? { xAxis: spec.mark.value } : { yAxis: spec.mark.value }],
        };
      }
      return one;
    });
    return {
      animation: false,
      color: spec.colors || PALETTE,
      textStyle: { fontFamily: FONT },
      aria: { enabled: true, label: { description: spec.description || undefined } },
      grid: { left: horizontal ? 160 : 48, right: horizontal ? 56 : 48, top: horizontal ? 30 : 36, bottom: 28, containLabel: false },
      legend: spec.series.length > 1 ? { top: 0, textStyle: { fontFamily: FONT } } : undefined,
      // richText: the tooltip is drawn by the chart, not as HTML with inline styles (our CSP).
      tooltip: { trigger: "axis", renderMode: "richText", confine: true },
      xAxis: horizontal ? valueAxes[0] : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxes,
      series,
    };
  };

  // A viewBox lets the drawn SVG scale to the printed page (ECharts sizes it in pixels).
  const fit = (chart, el) => {
    const svg = el.querySelector("svg");
    if (svg) svg.setAttribute("viewBox", `0 0 ${chart.getWidth()} ${chart.getHeight()}`);
  };
  const charts = [];
  const draw = () => {
    if (typeof window.echarts === "undefined") return;
    for (const el of document.querySelectorAll("[data-chart]")) {
      const source = document.getElementById(el.dataset.chart);
      if (!source) continue;
      const spec = JSON.parse(source.textContent);
      const chart = window.echarts.init(el, null, { renderer: "svg", locale: "ZH" });
      chart.setOption(options(spec));
      fit(chart, el);
      el.dataset.drawn = "true";
      charts.push([chart, el]);
    }
  };
  const resize = () =>
    charts.forEach(([chart, el]) => {
      chart.resize();
      fit(chart, el);
    });

  document.addEventListener("DOMContentLoaded", draw);
  window.addEventListener("resize", resize);
})();
