// Colours the kelurahan by the prevalence of stunting (or wasting,
// underweight) for the month. The page is complete without it: the
// tables below the map carry the same numbers. When the layer is drawn
// the map element gets data-loaded="<number of kelurahan>", which the
// browser test waits for.
(function () {
  "use strict";
  var el = document.getElementById("prevalence-map");
  if (!el || !window.L) { return; }
  var ind = el.dataset.indicator || "stunting";
  var map = L.map(el, { scrollWheelZoom: false }).setView([+el.dataset.lat, +el.dataset.lon], +el.dataset.zoom || 12);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution }).addTo(map);
  }
  function colour(p) {
    if (p === null || p === undefined) { return "#eeeeee"; }
    return p >= 40 ? "#b30000" : p >= 30 ? "#e34a33" : p >= 20 ? "#fc8d59" : p >= 10 ? "#fdcc8a" : "#fef0d9";
  }
  function json(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
  }
  Promise.all([json(el.dataset.geojson), json(el.dataset.prevalence)]).then(function (res) {
    var gj = res[0], prev = res[1], byCode = {};
    prev.kelurahan.forEach(function (k) { byCode[k.code] = k; });
    var layer = L.geoJSON(gj, {
      style: function (f) {
        var k = byCode[f.properties.code];
        return { color: "#555", weight: 1, fillOpacity: 0.75, fillColor: colour(k ? k[ind + "_pct"] : null) };
      },
      onEachFeature: function (f, l) {
        var k = byCode[f.properties.code];
        var text = f.properties.name + ": " + (k && k[ind + "_pct"] !== null ? k[ind + "_pct"] + " % (" + k.measured + " " + el.dataset.children + ")" : el.dataset.noData);
        l.bindTooltip(text);
      }
    }).addTo(map);
    map.fitBounds(layer.getBounds());
    el.setAttribute("data-loaded", String(gj.features.length));
  }).catch(function (e) {
    el.setAttribute("data-error", String(e));
  });
})();
