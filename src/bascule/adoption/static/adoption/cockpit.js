// The adoption cockpit's charts, drawn with Chart.js (served from our static files) over
// the data the page carries in <script type="application/json"> elements. Every chart
// has its table on the page: without JavaScript or without the library, the canvases
// stay hidden and the tables say everything.
(() => {
  const draw = () => {
    if (typeof window.Chart === "undefined") return;
    const Chart = window.Chart;
    const css = getComputedStyle(document.documentElement);
    const colour = (name, fallback) => (css.getPropertyValue(name) || fallback).trim();
    const text = colour("--text", "#1b1f24");
    const muted = colour("--muted", "#57606a");
    const accent = colour("--accent", "#0b5cad");
    const danger = colour("--danger", "#b42318");
    const ok = colour("--ok", "#146c2e");
    const border = colour("--border", "#d8dee4");
    const stageColours = {
      information: "#9aa5b1", discovery: "#7fb3e6", participation: accent,
      contribution: "#2f9e6e", promotion: ok, disappointment: danger,
    };
    Chart.defaults.color = text;
    Chart.defaults.borderColor = border;
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;
    // The target band and the reference lines, drawn behind a chart on its percent axis.
    const bandPlugin = (band, lines, axis) => ({
      id: "tippingBand",
      beforeDatasetsDraw(chart) {
        const scale = chart.scales[axis];
        if (!scale) return;
        const { ctx, chartArea: area } = chart;
        ctx.save();
        const horizontal = axis === "x";
        const from = scale.getPixelForValue(band[0]);
        const to = scale.getPixelForValue(band[1]);
        ctx.fillStyle = "rgba(47, 158, 110, 0.18)";
        if (horizontal) ctx.fillRect(from, area.top, to - from, area.bottom - area.top);
        else ctx.fillRect(area.left, to, area.right - area.left, from - to);
        ctx.strokeStyle = muted;
        ctx.setLineDash([4, 4]);
        lines.forEach((value) => {
          const at = scale.getPixelForValue(value);
          ctx.beginPath();
          if (horizontal) { ctx.moveTo(at, area.top); ctx.lineTo(at, area.bottom); }
          else { ctx.moveTo(area.left, at); ctx.lineTo(area.right, at); }
          ctx.stroke();
        });
        ctx.restore();
      },
    });
    const percentMax = (values, lines) => Math.min(100, Math.max(30, ...values.filter((v) => v !== null), ...lines) + 5);
    const builders = {
      funnel: (data) => ({
        type: "bar",
        data: { labels: data.stages.labels, datasets: [{ data: data.stages.counts, backgroundColor: data.stages.keys.map((k) => stageColours[k]) }] },
        options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true } } },
      }),
      gauge: (data) => ({
        type: "bar",
        data: { labels: [data.tipping.label], datasets: [{ data: [data.tipping.value], backgroundColor: accent, barThickness: 28 }] },
        options: { indexAxis: "y", plugins: { legend: { display: false } },
          scales: { x: { min: 0, max: percentMax([data.tipping.value], data.tipping.lines), ticks: { callback: (v) => `${v} %` } }, y: { display: false } } },
        plugins: [bandPlugin(data.tipping.band, data.tipping.lines, "x")],
      }),
      trend: (data) => ({
        type: "line",
        data: { labels: data.trend.labels, datasets: [{ label: data.trend.tipping_label, data: data.trend.tipping, borderColor: accent, backgroundColor: accent, spanGaps: false }] },
        options: { scales: { y: { min: 0, max: percentMax(data.trend.tipping, data.trend.lines), ticks: { callback: (v) => `${v} %` } } } },
        plugins: [bandPlugin(data.trend.band, data.trend.lines, "y")],
      }),
      segments: (data) => ({
        type: "bar",
        data: { labels: data.labels, datasets: [{ label: data.label, data: data.tipping,
          backgroundColor: data.tipping.map((v) => (v === null ? border : v < data.band[0] ? danger : v <= data.band[1] ? "#d97706" : ok)) }] },
        options: { indexAxis: "y", plugins: { legend: { display: false } },
          scales: { x: { min: 0, max: percentMax(data.tipping, data.lines), ticks: { callback: (v) => `${v} %` } } } },
        plugins: [bandPlugin(data.band, data.lines, "x")],
      }),
      features: (data) => ({
        type: "bar",
        data: { labels: data.labels, datasets: [{ label: data.label, data: data.values, backgroundColor: accent }] },
        options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { min: 0, max: 100, ticks: { callback: (v) => `${v} %` } } } },
      }),
      spaces: (data) => ({
        type: "doughnut",
        data: { labels: data.labels, datasets: [{ data: data.values, backgroundColor: [ok, danger] }] },
        options: { plugins: { legend: { position: "right" } } },
      }),
      questions: (data) => ({
        type: "bar",
        data: { labels: [data.label], datasets: [{ data: [data.within], backgroundColor: accent, barThickness: 28 }] },
        options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { min: 0, max: 100, ticks: { callback: (v) => `${v} %` } }, y: { display: false } } },
      }),
    };
    document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      const source = document.getElementById(canvas.dataset.source);
      const build = builders[canvas.dataset.chart];
      if (!source || !build) return;
      canvas.parentElement.hidden = false;
      const chart = new Chart(canvas, build(JSON.parse(source.textContent)));
      canvas.dataset.drawn = "true";
      window.addEventListener("beforeprint", () => chart.resize());
    });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
