/* pacer-site.js: the charts of a pacer report, drawn with uPlot
 * (uPlot.iife.min.js, MIT, beside this file) from the data each page
 * holds in <script type="application/json" id="pacer-data">: a list of
 * charts, each {kind, id, ...}.  history: a benchmark's level run by run
 * with its CI band, change points and changes of machine marked, the run
 * under the cursor described below the chart, drag to zoom, double-click
 * to zoom out; bars: the distribution of the latest run's samples;
 * family: the benchmarks of a family against their parameter.  When all
 * are drawn, body gets data-charts="N"; an error anywhere sets
 * data-error, which the report's test reads back from the browser. */
(function () {
  "use strict";

  window.addEventListener("error", function (ev) {
    document.body.setAttribute("data-error", String(ev.message));
  });

  var TIME = [["s", 1e9], ["ms", 1e6], ["us", 1e3], ["ns", 1]];

  function num(v) {
    var a = Math.abs(v);
    return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toPrecision(3);
  }

  /* v in its unit: times (ns) scaled to s, ms, us or ns */
  function fmt(v, unit) {
    if (v == null || !isFinite(v)) return "-";
    if (unit === "ns") {
      for (var i = 0; i < TIME.length; i++)
        if (Math.abs(v) >= TIME[i][1] || i === TIME.length - 1)
          return num(v / TIME[i][1]) + " " + TIME[i][0];
    }
    return num(v) + (unit ? " " + unit : "");
  }

  /* tick labels in one unit and as many decimals as their step needs */
  function ticksIn(ticks, unit) {
    var big = 0, step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 0, scale = 1, name = unit || "";
    ticks.forEach(function (t) { big = Math.max(big, Math.abs(t)); });
    if (unit === "ns")
      for (var i = 0; i < TIME.length; i++)
        if (big >= TIME[i][1] || i === TIME.length - 1) {
          scale = TIME[i][1];
          name = TIME[i][0];
          break;
        }
    var dec = step > 0 ? Math.max(0, Math.min(6, Math.ceil(-Math.log10(step / scale) - 1e-9))) : 0;
    return ticks.map(function (t) { return (t / scale).toFixed(dec) + (name ? " " + name : ""); });
  }

  function width(node) {
    var w = node.clientWidth || (node.parentNode && node.parentNode.clientWidth) || 900;
    return Math.max(360, Math.min(1100, w));
  }

  function text(parent, tag, s, cls) {
    var e = document.createElement(tag);
    e.textContent = s;
    if (cls) e.className = cls;
    parent.appendChild(e);
    return e;
  }

  /* vertical marks at x positions (between two points: i - 0.5) */
  function marks(u, list, colour, dash) {
    var ctx = u.ctx, top = u.bbox.top, h = u.bbox.height, px = window.devicePixelRatio || 1;
    ctx.save();
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    ctx.lineWidth = 1.5 * px;
    ctx.setLineDash(dash ? [5 * px, 4 * px] : []);
    ctx.font = Math.round(11 * px) + "px sans-serif";
    list.forEach(function (m, k) {
      var x = Math.round(u.valToPos(m.i - 0.5, "x", true));
      if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + h);
      ctx.stroke();
      ctx.fillText(m.label, x + 4 * px, top + (14 + 13 * (k % 3)) * px);
    });
    ctx.restore();
  }

  function describe(info, d, i) {
    var r = d.runs[i];
    info.textContent = "";
    if (!r) return;
    text(info, "b", "run " + (i + 1) + " of " + d.runs.length + ": ");
    text(info, "span", fmt(d.v[i], d.unit));
    if (d.lo[i] != null && d.hi[i] != null)
      text(info, "span", " (CI " + fmt(d.lo[i], d.unit) + " to " + fmt(d.hi[i], d.unit) + ")");
    var ul = document.createElement("ul");
    [["file", r.file], ["time", r.time], ["commit", r.commit], ["branch", r.branch],
     ["machine", r.machine], ["samples", r.n]].forEach(function (f) {
      if (f[1] != null && f[1] !== "") text(ul, "li", f[0] + ": " + f[1]);
    });
    info.appendChild(ul);
  }

  function history(node, d) {
    var info = document.getElementById(d.id + "-info");
    var x = d.v.map(function (_, i) { return i; });
    var u = new uPlot({
      width: width(node), height: 340,
      scales: { x: { time: false } },
      cursor: { drag: { x: true, y: false } },
      legend: { show: false },
      axes: [
        { label: "run", space: 70, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000],
          values: function (u, ticks) {
            return ticks.map(function (t) {
              var r = d.runs[Math.round(t)];
              return t === Math.round(t) && r ? r.tick : "";
            });
          } },
        { size: 80, values: function (u, ticks) { return ticksIn(ticks, d.unit); } },
      ],
      series: [
        {},
        { label: "level", stroke: "#1f5fa8", width: 2, points: { show: true, size: 6 } },
        { label: "CI low", stroke: "#9bb8dc", width: 1 },
        { label: "CI high", stroke: "#9bb8dc", width: 1 },
      ],
      bands: [{ series: [3, 2], fill: "rgba(31, 95, 168, 0.12)" }],
      hooks: {
        draw: [function (u) {
          marks(u, d.breaks, "#888", true);
          marks(u, d.cps, "#c0392b", false);
        }],
        setCursor: [function (u) {
          if (info && u.cursor.idx != null) describe(info, d, u.cursor.idx);
        }],
      },
    }, [x, d.v, d.lo, d.hi], node);
    if (info) describe(info, d, d.v.length - 1);
    return u;
  }

  function bars(node, d) {
    return new uPlot({
      width: width(node), height: 240,
      scales: { x: { time: false } },
      legend: { show: false },
      axes: [
        { label: d.xlabel, values: function (u, ticks) { return ticksIn(ticks, d.unit); } },
        { label: "samples", size: 60 },
      ],
      series: [{}, { label: "samples", fill: "rgba(31, 95, 168, 0.35)", stroke: "#1f5fa8",
                     paths: uPlot.paths.bars({ size: [0.95, 100] }), points: { show: false } }],
    }, [d.x, d.y], node);
  }

  function family(node, d) {
    var log = d.x.length > 1 && d.x[0] > 0 && d.x[d.x.length - 1] / d.x[0] >= 16;
    return new uPlot({
      width: width(node), height: 280,
      scales: { x: log ? { time: false, distr: 3, log: 2 } : { time: false } },
      legend: { show: false },
      axes: [
        { label: d.param },
        { size: 80, values: function (u, ticks) { return ticksIn(ticks, d.unit); } },
      ],
      series: [{}, { label: "median", stroke: "#1f5fa8", width: 2, points: { show: true, size: 7 } }],
    }, [d.x, d.y], node);
  }

  var KINDS = { history: history, bars: bars, family: family };

  function draw() {
    var src = document.getElementById("pacer-data"), n = 0;
    if (!src) {
      document.body.setAttribute("data-charts", "0");
      return;
    }
    JSON.parse(src.textContent).forEach(function (c) {
      var node = document.getElementById(c.id);
      if (!node || !KINDS[c.kind]) throw new Error("no chart " + c.kind + " at #" + c.id);
      KINDS[c.kind](node, c);
      n++;
    });
    document.body.setAttribute("data-charts", String(n));
  }

  if (document.readyState === "loading")
    document.addEventListener("DOMContentLoaded", draw);
  else
    draw();
})();
