// Sodamolek service worker: precaches the shell (styles, script, icon and
// the offline page), serves hashed static files from the cache, and shows
// the offline page when a navigation fails. The server injects the
// precache list and version at /sw.js.
var VERSION = /*VERSION*/"dev";
var PRECACHE = /*PRECACHE*/[];
var CACHE = "sodamolek-" + VERSION;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(PRECACHE); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("sodamolek-") === 0 && k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var req = event.request;
  if (req.method !== "GET") { return; }
  var url = new URL(req.url);
  if (url.origin !== location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    // Hashed names never change content: cache first.
    event.respondWith(caches.match(req).then(function (hit) {
      return hit || fetch(req).then(function (res) {
        var copy = res.clone();
        caches.open(CACHE).then(function (c) { c.put(req, copy); });
        return res;
      });
    }));
    return;
  }
  if (req.mode === "navigate") {
    event.respondWith(fetch(req).catch(function () {
      return caches.match(req).then(function (hit) { return hit || caches.match("/offline"); });
    }));
  }
});
