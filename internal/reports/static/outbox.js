// The report form's offline outbox, shared by the page (lapor.js) and the
// form's service worker (served at /lapor/sw.js): a report submitted
// without a connection waits in IndexedDB and is sent through the JSON
// API when the connection returns — by the worker's Background Sync where
// the browser has it (even with the page closed), else by the page when
// it is open again. The draft's form token is the Idempotency-Key, so
// however often it is sent (page and worker racing, a retry after a lost
// answer) it makes one report.
(function (g) {
  "use strict";
  var DB = "sodamolek-lapor", OUT = "outbox", SENT = "sent";
  function open() {
    return new Promise(function (resolve, reject) {
      var req = g.indexedDB.open(DB, 1);
      req.onupgradeneeded = function () {
        req.result.createObjectStore(OUT, { keyPath: "key" });
        req.result.createObjectStore(SENT, { keyPath: "key" });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function run(store, mode, fn) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(store, mode), req = fn(t.objectStore(store));
        t.oncomplete = function () { db.close(); resolve(req ? req.result : undefined); };
        t.onerror = function () { db.close(); reject(t.error); };
      });
    });
  }
  function all(store) { return run(store, "readonly", function (s) { return s.getAll(); }); }
  function put(store, item) { return run(store, "readwrite", function (s) { s.put(item); }); }
  function del(store, key) { return run(store, "readwrite", function (s) { s.delete(key); }); }

  // send posts one waiting report. Made (or replayed): it moves to "sent"
  // for the page to show its tracking code. Refused for a reason the
  // reporter must fix (422): it stays with the message and is not retried.
  // A lost connection, a stale CSRF token, a rate limit or a server error:
  // it stays and the returned promise rejects, so Background Sync retries.
  function send(item, csrf) {
    return g.fetch("/api/v1/reports", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf || item.csrf, "Idempotency-Key": "web-draft:" + item.key },
      body: JSON.stringify(item.body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (r.ok && j.tracking_code) {
          return put(SENT, { key: item.key, category: item.category, code: j.tracking_code }).then(function () { return del(OUT, item.key); });
        }
        if (r.status === 422 || r.status === 400) {
          item.error = (j.error && j.error.message) || String(r.status);
          return put(OUT, item);
        }
        throw new Error("report not sent yet: " + r.status);
      });
    });
  }

  // flush sends every waiting report that was not refused, one by one;
  // csrf (the page's current token) replaces the one saved with a draft.
  function flush(csrf) {
    return all(OUT).then(function (items) {
      return (items || []).filter(function (it) { return !it.error; }).reduce(function (p, it) {
        return p.then(function () { return send(it, csrf); });
      }, Promise.resolve());
    });
  }

  g.laporOutbox = {
    add: function (item) { return put(OUT, item); },
    waiting: function () { return all(OUT); },
    drop: function (key) { return del(OUT, key); },
    sent: function () { return all(SENT); },
    forget: function (key) { return del(SENT, key); },
    flush: flush
  };
})(self);
