// The report form's service worker, registered with scope /lapor (the
// category picker and the form). On top of the site's worker, which it
// imports for everything else (static files, the offline page), it keeps
// a copy of each form page the resident opened, so the form still opens
// without a connection, and it sends reports saved offline (outbox.js)
// when the connection returns. The server fills in the outbox script's
// hashed URL.
var OUTBOX = /*OUTBOX*/"";
var PAGES = "lapor-pages-v1";

// Registered before the site's worker is imported, so this listener sees
// form navigations first and stops the site's from answering them too.
self.addEventListener("fetch", function (event) {
  var req = event.request, url = new URL(req.url);
  if (req.method !== "GET" || req.mode !== "navigate" || url.origin !== location.origin || url.pathname !== "/lapor") { return; }
  event.stopImmediatePropagation();
  event.respondWith(fetch(req).then(function (res) {
    // A signed-in resident's form carries their name: no copy of it
    // stays on a phone that others may use.
    if (res.ok && !res.headers.get("X-Offline-Copy")) {
      var copy = res.clone();
      caches.open(PAGES).then(function (c) { return c.put(req, copy); });
    }
    return res;
  }).catch(function () {
    return caches.open(PAGES).then(function (c) { return c.match(req); }).then(function (hit) {
      return hit || caches.match("/offline");
    });
  }));
});

self.addEventListener("sync", function (event) {
  if (event.tag === "lapor-outbox") { event.waitUntil(self.laporOutbox.flush()); }
});

importScripts(OUTBOX, "/sw.js");
