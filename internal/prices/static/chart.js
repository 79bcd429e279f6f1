// Draws a commodity's prices over time with uPlot: the city's geometric
// mean, each market, and the HET/HAP line. The page's table holds the same
// numbers, so nothing is lost without JavaScript.
(function () {
  "use strict";
  var el = document.getElementById("price-chart");
  if (!el || !window.uPlot || !window.fetch) { return; }
  var lang = document.documentElement.lang === "en" ? "en-US" : "id-ID";
  var palette = ["#9a6700", "#1a7f37", "#8250df", "#bf3989", "#0969da", "#57606a", "#e16f24", "#116329"];
  function rupiah(u, v) { return v == null ? "—" : "Rp " + Math.round(v).toLocaleString(lang); }
  var compact;
  try { compact = new Intl.NumberFormat(lang, { notation: "compact" }); } catch (e) { compact = null; }
  function short(v) { return compact ? compact.format(v) : String(Math.round(v)); }

  fetch(el.dataset.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (s) {
    if (!s.periods || !s.periods.length) { el.hidden = true; return; }
    // Months are drawn mid-month, days at noon in the city (UTC+8).
    var xs = s.periods.map(function (p) { return Date.parse((p.length === 7 ? p + "-15" : p) + "T12:00:00+08:00") / 1000; });
    var data = [xs, s.city];
    var series = [{}, { label: el.dataset.city, stroke: "#0b5d7a", width: 3, spanGaps: true, value: rupiah }];
    s.markets.forEach(function (m, i) {
      data.push(m.values);
      series.push({ label: m.name, stroke: palette[i % palette.length], width: 1, spanGaps: true, value: rupiah, show: s.markets.length <= 6 });
    });
    if (s.reference.some(function (v) { return v != null; })) {
      data.push(s.reference);
      series.push({ label: el.dataset.ref + (s.reference_kind.filter(Boolean)[0] ? " (" + s.reference_kind.filter(Boolean)[0] + ")" : ""),
        stroke: "#cf222e", dash: [6, 4], width: 2, value: rupiah });
    }
    var opts = {
      width: el.clientWidth || 320,
      height: 300,
      series: series,
      scales: { x: { time: true } },
      axes: [{}, { size: 56, values: function (u, vals) { return vals.map(short); } }]
    };
    var chart = new uPlot(opts, data, el);
    window.addEventListener("resize", function () { chart.setSize({ width: el.clientWidth, height: 300 }); });
    el.setAttribute("data-loaded", String(xs.length));
  });
})();
