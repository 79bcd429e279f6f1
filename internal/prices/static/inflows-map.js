// Draws where commodities come from: a line from each origin region to
// Kupang, as thick as the number of arrivals, and the points of entry.
// Circle markers only: Leaflet's default marker images are referenced
// relatively by its CSS and would not resolve under hashed asset URLs.
(function () {
  "use strict";
  var el = document.getElementById("inflow-map");
  if (!el || !window.L || !window.fetch) { return; }
  var lang = document.documentElement.lang === "en" ? "en-US" : "id-ID";
  // Leaflet takes a tooltip string as HTML; names are typed by people.
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  var map = L.map(el, { scrollWheelZoom: false }).setView([+el.dataset.lat, +el.dataset.lon], 6);
  L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution }).addTo(map);
  fetch(el.dataset.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (d) {
    var dest = [d.destination.lat, d.destination.lon];
    var bounds = [dest];
    var most = 1;
    d.origins.forEach(function (o) { most = Math.max(most, o.arrivals); });
    d.origins.forEach(function (o) {
      if (o.lat == null || o.lon == null) { return; }
      var p = [o.lat, o.lon];
      bounds.push(p);
      var share = o.arrivals / most;
      var text = esc(o.name + " (" + o.province + ") — " + o.arrivals + " " + el.dataset.arrivals + ": " +
        o.commodities.map(function (c) { return c.name + " " + Math.round(c.quantity).toLocaleString(lang) + " " + c.unit; }).join(", "));
      L.polyline([p, dest], { color: "#e38b06", weight: 1 + 7 * share, opacity: 0.7 }).bindTooltip(text).addTo(map);
      L.circleMarker(p, { radius: 4 + 8 * Math.sqrt(share), color: "#9a6700", weight: 1, fillOpacity: 0.7 }).bindTooltip(text).addTo(map);
    });
    d.entry_points.forEach(function (e) {
      if (e.lat == null || e.lon == null) { return; }
      L.circleMarker([e.lat, e.lon], { radius: 4, color: "#57606a", weight: 1, fillOpacity: 0.9 }).bindTooltip(esc(e.name)).addTo(map);
    });
    L.circleMarker(dest, { radius: 8, color: "#0b5d7a", fillOpacity: 0.9 }).bindTooltip(esc(d.destination.name)).addTo(map);
    if (bounds.length > 1) { map.fitBounds(bounds, { padding: [20, 20] }); }
    el.setAttribute("data-loaded", String(d.origins.length));
  });
})();
