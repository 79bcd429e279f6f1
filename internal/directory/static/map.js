// Draws the kelurahan boundaries on the regions page. The page is complete
// without it (the lists below the map carry the same information).
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var map = L.map(el, { scrollWheelZoom: false }).setView([+el.dataset.lat, +el.dataset.lon], +el.dataset.zoom || 12);
  L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution }).addTo(map);
  fetch(el.dataset.geojson).then(function (r) { return r.json(); }).then(function (gj) {
    var layer = L.geoJSON(gj, {
      style: { color: "#0b5d7a", weight: 1, fillOpacity: 0.08 },
      onEachFeature: function (f, l) {
        l.bindTooltip(f.properties.name + " (" + f.properties.kecamatan + ")");
      }
    }).addTo(map);
    map.fitBounds(layer.getBounds());
    el.setAttribute("data-loaded", String(gj.features.length));
  });
})();
