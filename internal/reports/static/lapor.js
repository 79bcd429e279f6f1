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
  // A fresh form token for each new report. A page the service worker
  // kept for offline use carries the token it was served with, and two
  // reports made from that copy must not share an idempotency key. A
  // restored draft keeps its own.
  var tokenEl = form.querySelector('[name="token"]');
  function freshToken() {
    var b = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
  }
  var draft = load();
  if (tokenEl && window.crypto && !(draft && draft.token)) { tokenEl.value = freshToken(); }
  restore(draft);
  form.addEventListener("input", function () { save(false); });
  form.addEventListener("change", function () { save(false); });

  // --- Offline: the service worker keeps the form page; a report
  // submitted without a connection goes to the outbox (outbox.js), which
  // the worker (Background Sync) or this page sends when the connection
  // returns. ---
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/lapor/sw.js", { scope: "/lapor" }).catch(function () {});
  }
  var outbox = window.laporOutbox && window.indexedDB ? window.laporOutbox : null;
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
  // showOutbox reports what happened to reports saved offline: a report
  // of this form's category that was sent opens its tracking page; one
  // the server refused comes back into the form with the reason.
  function showOutbox() {
    if (!outbox) { return Promise.resolve(); }
    return outbox.sent().then(function (sent) {
      var mine = (sent || []).filter(function (it) { return it.category === cat; })[0];
      if (mine) {
        return outbox.forget(mine.key).then(function () {
          clear();
          text(draftStatus, msg("sent"));
          window.location.href = "/lapor/" + mine.code + "?baru=1";
        });
      }
      return outbox.waiting().then(function (items) {
        (items || []).forEach(function (it) {
          if (it.category !== cat) { return; }
          if (it.error) {
            outbox.drop(it.key);
            save(false);
            text(draftStatus, it.error);
          } else {
            text(draftStatus, msg("offline"));
            later();
          }
        });
      });
    }).catch(function () {});
  }
  function flush() {
    if (!outbox) { return; }
    if (!navigator.onLine) { showOutbox(); return; }
    outbox.flush(csrf).then(showOutbox, showOutbox);
  }
  // later looks again in a few seconds while a report waits: the worker
  // may send it in the background (Background Sync) without the page
  // seeing an "online" event, and the page must still open its tracking
  // page.
  var recheck = null;
  function later() {
    if (recheck) { return; }
    recheck = setTimeout(function () { recheck = null; flush(); }, 3000);
  }
  window.addEventListener("online", flush);
  showOutbox().then(flush);

  form.addEventListener("submit", function (e) {
    if (navigator.onLine) { clear(); return; }
    e.preventDefault();
    save(true);
    text(draftStatus, msg("offline"));
    if (!outbox) { return; }
    var d = collect();
    outbox.add({ key: d.token || freshToken(), category: cat, csrf: csrf, body: payload(d), savedAt: Date.now() }).then(function () {
      return navigator.serviceWorker && navigator.serviceWorker.ready.then(function (reg) {
        return reg.sync && reg.sync.register("lapor-outbox");
      });
    }).catch(function () {});
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

  // --- A photo's EXIF GPS position pre-fills the pin (JPEG only), when
  // the reporter has not placed one and ticked "use the photo's
  // location". The server strips the metadata from the stored photo. ---
  function exifGPS(buf) {
    var v = new DataView(buf), off = 2;
    if (v.byteLength < 4 || v.getUint16(0) !== 0xFFD8) { return null; }
    while (off + 4 <= v.byteLength) {
      var marker = v.getUint16(off), len = v.getUint16(off + 2);
      if (marker === 0xFFE1 && v.getUint32(off + 4) === 0x45786966) { return tiffGPS(v, off + 10); }
      if ((marker & 0xFF00) !== 0xFF00 || marker === 0xFFDA) { return null; }
      off += 2 + len;
    }
    return null;
  }
  function tiffGPS(v, t) {
    var le = v.getUint16(t) === 0x4949;
    var u16 = function (o) { return v.getUint16(t + o, le); }, u32 = function (o) { return v.getUint32(t + o, le); };
    var tags = function (ifd) {
      var out = {}, n = u16(ifd);
      for (var i = 0; i < n; i++) { var e = ifd + 2 + i * 12; out[u16(e)] = e; }
      return out;
    };
    var gpsPtr = tags(u32(4))[0x8825];
    if (gpsPtr === undefined) { return null; }
    var g = tags(u32(gpsPtr + 8));
    var deg = function (e) {
      var p = u32(e + 8), r = function (k) { return u32(p + 8 * k) / (u32(p + 8 * k + 4) || 1); };
      return r(0) + r(1) / 60 + r(2) / 3600;
    };
    if (!g[2] || !g[4]) { return null; }
    var la = deg(g[2]), lo = deg(g[4]);
    if (g[1] && String.fromCharCode(v.getUint8(t + g[1] + 8)) === "S") { la = -la; }
    if (g[3] && String.fromCharCode(v.getUint8(t + g[3] + 8)) === "W") { lo = -lo; }
    return isFinite(la) && isFinite(lo) && (la || lo) ? [la, lo] : null;
  }
  var photoInput = document.getElementById("f-foto"), photoLoc = form.querySelector('[name="lokasi_foto"]');
  function fromPhoto() {
    if (!photoInput || !photoInput.files || !photoInput.files.length || lat.value || !photoLoc || !photoLoc.checked || !window.FileReader) { return; }
    var r = new FileReader();
    r.onload = function () {
      var p = null;
      try { p = exifGPS(r.result); } catch (e) { p = null; }
      if (p && !lat.value) { setPin(p[0], p[1], true); }
    };
    r.readAsArrayBuffer(photoInput.files[0].slice(0, 256 * 1024));
  }
  if (photoInput) { photoInput.addEventListener("change", fromPhoto); }
  if (photoLoc) { photoLoc.addEventListener("change", fromPhoto); }

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
