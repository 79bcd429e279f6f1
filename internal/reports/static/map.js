// Public and console maps: one marker per report of the current page
// (data-points). The list below the map carries the same information.
(function () {
  "use strict";
  var el = document.getElementById("reports-map");
  if (!el || !window.L) { return; }
  var pts = [];
  try { pts = JSON.parse(el.getAttribute("data-points") || "[]") || []; } catch (e) { pts = []; }
  var map = L.map(el, { scrollWheelZoom: false }).setView([+el.dataset.lat, +el.dataset.lon], +el.dataset.zoom || 12);
  L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
  var group = L.featureGroup();
  pts.forEach(function (p) {
    var m = L.circleMarker([p.lat, p.lon], { radius: 7, weight: 2, color: p.late ? "#cf222e" : "#0b5d7a", fillOpacity: 0.6 });
    var a = document.createElement("a");
    a.href = p.url; a.textContent = p.label;
    m.bindPopup(a);
    group.addLayer(m);
  });
  group.addTo(map);
  if (pts.length) { map.fitBounds(group.getBounds().pad(0.2), { maxZoom: 16 }); }
  el.setAttribute("data-loaded", String(pts.length));
})();
