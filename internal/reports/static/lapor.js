// The report form's enhancements. The form works without this file (the
// kelurahan list and the address place the report); with it the reporter
// drops or confirms a pin (map or GPS), sees open reports of the same
// kind nearby and can support one instead, and keeps a draft that
// survives going offline and is sent when the connection returns.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  var cat = form.getAttribute("data-category");
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var lat = document.getElementById("f-lat"), lon = document.getElementById("f-lon");
  var kel = document.getElementById("f-kelurahan");
  var info = document.getElementById("pin-info");
  var nearbyBox = document.getElementById("nearby");
  var draftStatus = document.getElementById("draft-status");
  var dup = document.getElementById("f-dup");
  var key = "sodamolek-draft-" + cat;
  var msg = function (name) { return form.getAttribute("data-msg-" + name) || ""; };

  function text(el, s) { if (el) { el.textContent = s; } }

  // --- Draft in localStorage (everything but the photos). ---
  var fields = ["kelurahan", "alamat", "uraian", "privasi", "nama", "telepon", "email", "lat", "lon", "token"];
  function collect() {
    var d = { attrs: {} };
    fields.forEach(function (n) {
      var els = form.querySelectorAll('[name="' + n + '"]');
      els.forEach(function (el) {
        if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
        d[n] = el.value;
      });
    });
    form.querySelectorAll('[name^="attr_"]').forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      (d.attrs[el.name] = d.attrs[el.name] || []).push(el.value);
    });
    return d;
  }
  function save(pending) {
    try {
      var d = collect();
      d.pending = !!pending;
      localStorage.setItem(key, JSON.stringify(d));
    } catch (e) { /* storage full or disabled: the form still works */ }
  }
  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function clear() { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } }
  function restore(d) {
    var desc = form.querySelector('[name="uraian"]');
    if (!d || (desc && desc.value)) { return; }
    fields.forEach(function (n) {
      if (d[n] === undefined || n === "token") { return; }
      form.querySelectorAll('[name="' + n + '"]').forEach(function (el) {
        if (el.type === "radio" || el.type === "checkbox") { el.checked = el.value === d[n]; } else { el.value = d[n]; }
      });
    });
    Object.keys(d.attrs || {}).forEach(function (n) {
      form.querySelectorAll('[name="' + n + '"]').forEach(function (el) {
        if (el.type === "radio" || el.type === "checkbox") { el.checked = d.attrs[n].indexOf(el.value) >= 0; } else { el.value = d.attrs[n][0]; }
      });
    });
    if (d.token) { form.querySelector('[name="token"]').value = d.token; }
    text(draftStatus, msg("draft"));
  }
  var draft = load();
  restore(draft);
  form.addEventListener("input", function () { save(false); });
  form.addEventListener("change", function () { save(false); });

  // --- Sending a draft made offline, through the JSON API. The form token
  // is the idempotency key: sending twice still makes one report. ---
  function payload(d) {
    var body = { category: cat, description: d.uraian || "", address: d.alamat || "", kelurahan: d.kelurahan || "",
      privacy: d.privasi || "", attributes: {}, contact: { name: d.nama || "", phone: d.telepon || "", email: d.email || "" } };
    if (d.lat && d.lon) { body.lat = parseFloat(d.lat); body.lon = parseFloat(d.lon); }
    Object.keys(d.attrs || {}).forEach(function (n) {
      var v = d.attrs[n];
      body.attributes[n.slice(5)] = v.length === 1 ? v[0] : v;
    });
    return body;
  }
  function sendDraft() {
    var d = load();
    if (!d || !d.pending || !navigator.onLine) { return; }
    fetch("/api/v1/reports", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "Idempotency-Key": "web-draft:" + (d.token || "") },
      body: JSON.stringify(payload(d))
    }).then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); }).then(function (res) {
      if (res.ok && res.j.tracking_code) {
        clear();
        window.location.href = "/lapor/" + res.j.tracking_code + "?baru=1";
      } else {
        save(false);
        text(draftStatus, (res.j.error && res.j.error.message) || "");
      }
    }).catch(function () { /* still offline: wait for the next online event */ });
  }
  window.addEventListener("online", sendDraft);
  if (draft && draft.pending) { sendDraft(); }
  form.addEventListener("submit", function (e) {
    if (!navigator.onLine) {
      e.preventDefault();
      save(true);
      text(draftStatus, msg("offline"));
      return;
    }
    clear();
  });

  // --- Map pin, GPS, kelurahan, nearby reports. ---
  var mapEl = document.getElementById("pin-map");
  if (!mapEl || !window.L || !window.fetch) { return; }
  mapEl.hidden = false;
  document.querySelector(".pin-tools").hidden = false;
  var start = lat.value && lon.value ? [+lat.value, +lon.value] : [+mapEl.dataset.lat, +mapEl.dataset.lon];
  var map = L.map(mapEl).setView(start, lat.value ? 17 : (+mapEl.dataset.zoom || 12));
  L.tileLayer(mapEl.dataset.tiles, { maxZoom: 19, attribution: mapEl.dataset.attribution }).addTo(map);
  // A circle marker needs no image files (Leaflet's default marker icons
  // are referenced relative to its CSS, which lives under a hashed path).
  var pin = null;
  function setPin(la, lo, pan) {
    lat.value = la.toFixed(6); lon.value = lo.toFixed(6);
    if (!pin) {
      pin = L.circleMarker([la, lo], { radius: 10, weight: 3, color: "#0b5d7a", fillColor: "#e38b06", fillOpacity: 0.8 }).addTo(map);
    } else { pin.setLatLng([la, lo]); }
    if (pan) { map.setView([la, lo], 17); }
    save(false);
    locate(la, lo);
    nearby(la, lo);
  }
  map.on("click", function (ev) { setPin(ev.latlng.lat, ev.latlng.lng, false); });
  if (lat.value && lon.value) { setPin(+lat.value, +lon.value, false); }

  function locate(la, lo) {
    fetch("/api/v1/regions/locate?lat=" + la + "&lon=" + lo).then(function (r) {
      return r.json().then(function (j) { return { ok: r.ok, j: j }; });
    }).then(function (res) {
      if (!res.ok) { text(info, (res.j.error && res.j.error.message) || ""); info.className = "small error"; return; }
      info.className = "small";
      text(info, "Kel. " + res.j.kelurahan.name + ", Kec. " + res.j.kecamatan.name);
      if (kel) { kel.value = res.j.kelurahan.code; }
    }).catch(function () {});
  }

  function nearby(la, lo) {
    fetch("/api/v1/reports/nearby?category=" + encodeURIComponent(cat) + "&lat=" + la + "&lon=" + lo).then(function (r) { return r.json(); }).then(function (j) {
      nearbyBox.textContent = "";
      nearbyBox.className = "";
      if (!j.items || !j.items.length) { return; }
      nearbyBox.className = "nearby";
      var h = document.createElement("h2");
      h.textContent = msg("dups");
      nearbyBox.appendChild(h);
      var ul = document.createElement("ul");
      ul.className = "dup-list";
      j.items.forEach(function (it) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = it.url; a.textContent = "#" + it.id + " · " + it.status_label + " · " + it.distance_m + " m";
        li.appendChild(a);
        var p = document.createElement("div");
        p.className = "muted"; p.textContent = it.description;
        li.appendChild(p);
        var b = document.createElement("button");
        b.type = "button"; b.className = "button secondary"; b.textContent = msg("me-too");
        b.addEventListener("click", function () {
          b.disabled = true;
          fetch("/api/v1/reports/" + it.id + "/support", { method: "POST", credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: "{}" })
            .then(function (r) { return r.json(); }).then(function () {
              clear();
              window.location.href = it.url + "?dukung=1";
            }).catch(function () { b.disabled = false; });
        });
        li.appendChild(b);
        ul.appendChild(li);
      });
      nearbyBox.appendChild(ul);
      // The reporter has seen them; a new report is their choice now.
      if (dup) { dup.value = "1"; }
    }).catch(function () {});
  }

  var gps = document.getElementById("use-gps");
  if (gps && navigator.geolocation) {
    gps.addEventListener("click", function () {
      text(info, msg("locating"));
      navigator.geolocation.getCurrentPosition(function (p) {
        setPin(p.coords.latitude, p.coords.longitude, true);
      }, function () { text(info, msg("gps-failed")); }, { enableHighAccuracy: true, timeout: 15000 });
    });
  } else if (gps) { gps.hidden = true; }
})();
