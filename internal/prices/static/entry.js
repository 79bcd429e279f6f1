// The enumerator's form, offline-capable (see handlers_entry.go). Prices
// typed on the form go into an outbox kept on the phone (localStorage)
// and are sent to POST /api/v1/prices/observations whenever the phone is
// online. Each entry gets a random key here, so a resend after a lost
// answer never stores a price twice (the server keeps the key unique).
// Without this script the form posts normally.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form || !window.localStorage || !window.fetch || !window.JSON || !window.crypto) { return; }
  var OUTBOX = "sodamolek.prices.outbox.v1";
  var ds = form.dataset;
  var market = ds.market;
  var threshold = parseFloat(ds.threshold) || 25;
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.content : "";
  var traderInput = document.getElementById("f-trader");
  var traderSelect = document.getElementById("f-pedagang");
  var switchButton = document.getElementById("trader-switch");
  var box = document.getElementById("outbox");
  var boxText = document.getElementById("outbox-text");
  var problems = document.getElementById("outbox-problems");
  var sendButton = document.getElementById("outbox-send");
  var rows = Array.prototype.slice.call(form.querySelectorAll(".entry-row"));
  var lang = document.documentElement.lang === "en" ? "en-US" : "id-ID";
  var loadedDay = cityDay(new Date());
  var syncing = false;
  var lastSent = 0;

  // The device's calendar day in the city's time zone.
  function cityDay(d) {
    try {
      return new Intl.DateTimeFormat("en-CA", { timeZone: ds.tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
    } catch (e) {
      return d.toISOString().slice(0, 10);
    }
  }

  // The day a price is for: the server's day when the page was loaded,
  // moved on by the days the page has stayed open since (a phone left on
  // the form overnight). The device's own date is not trusted as such.
  function entryDay() {
    var elapsed = Math.round((Date.parse(cityDay(new Date())) - Date.parse(loadedDay)) / 86400000);
    if (!(elapsed > 0)) { return ds.day; }
    return new Date(Date.parse(ds.day) + elapsed * 86400000).toISOString().slice(0, 10);
  }

  function newKey() {
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    return "e" + Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
  }

  function load() {
    try { return JSON.parse(localStorage.getItem(OUTBOX)) || []; } catch (e) { return []; }
  }

  function store(list) {
    localStorage.setItem(OUTBOX, JSON.stringify(list));
    render();
  }

  function fill(msg, n) { return String(msg).replace("%d", n).replace(/%%/g, "%"); }

  function rupiah(p) { return "Rp " + Math.round(p).toLocaleString(lang); }

  // Prices as people type them: digits with an optional decimal comma or
  // point; thousands separators are refused, as on the server.
  function parsePrice(s) {
    s = String(s).trim();
    if (/^\d+,\d+$/.test(s)) { s = s.replace(",", "."); }
    return /^\d+(\.\d+)?$/.test(s) ? parseFloat(s) : NaN;
  }

  function previousOf(row) {
    var prev = {};
    try { prev = JSON.parse(row.dataset.prev || "{}"); } catch (e) { prev = {}; }
    var t = traderInput.value;
    return prev[t] != null ? prev[t] : prev["0"];
  }

  // The largest deviation, in percent, from the previous price and the
  // markets' median (the server checks again and has the last word).
  function deviation(row, price) {
    var worst = 0;
    [previousOf(row), parseFloat(row.dataset.median)].forEach(function (ref) {
      if (ref > 0) { worst = Math.max(worst, Math.abs(price / ref - 1) * 100); }
    });
    return worst;
  }

  function showPrevious() {
    rows.forEach(function (row) {
      var p = previousOf(row);
      row.querySelector(".prev").textContent = p != null ? rupiah(p) : "—";
    });
  }

  function draftKey() { return "sodamolek.prices.draft." + market + "." + traderInput.value; }

  function saveDraft() {
    var d = {};
    rows.forEach(function (row) {
      var p = row.querySelector(".price-input").value, r = row.querySelector(".reason input").value;
      if (p || r) { d[row.dataset.code] = [p, r]; }
    });
    localStorage.setItem(draftKey(), JSON.stringify(d));
  }

  function restoreDraft() {
    var d = {};
    try { d = JSON.parse(localStorage.getItem(draftKey())) || {}; } catch (e) { d = {}; }
    rows.forEach(function (row) {
      var v = d[row.dataset.code];
      if (!row.classList.contains("saved") && !row.querySelector(".price-input").value) {
        row.querySelector(".price-input").value = v ? v[0] : "";
        row.querySelector(".reason input").value = v ? v[1] : "";
      }
    });
  }

  function render() {
    var list = load();
    box.hidden = list.length === 0 && !lastSent;
    var waiting = list.filter(function (x) { return !x.status; }).length;
    var text = fill(navigator.onLine ? ds.msgPending : ds.msgOffline, waiting);
    if (syncing) { text = ds.msgSending; } else if (!waiting && lastSent) { text = fill(ds.msgSent, lastSent); }
    boxText.textContent = text;
    box.setAttribute("data-pending", String(waiting));
    sendButton.hidden = !waiting || !navigator.onLine;
    problems.textContent = "";
    list.forEach(function (x) {
      if (!x.status) { return; }
      var li = document.createElement("li");
      li.textContent = x.label + " " + rupiah(x.price) + " (" + x.day + "): " + (x.message || ds.msgFailed) + " ";
      if (x.status === "needs_reason") {
        var input = document.createElement("input");
        input.setAttribute("aria-label", ds.msgReason);
        input.placeholder = ds.msgReason;
        var again = document.createElement("button");
        again.type = "button";
        again.className = "link";
        again.textContent = ds.msgResend;
        again.addEventListener("click", function () {
          if (!input.value.trim()) { input.focus(); return; }
          update(x.key, function (y) { y.reason = input.value.trim(); delete y.status; delete y.message; });
          sync();
        });
        li.appendChild(input);
        li.appendChild(again);
      }
      var drop = document.createElement("button");
      drop.type = "button";
      drop.className = "link";
      drop.textContent = ds.msgDiscard;
      drop.addEventListener("click", function () {
        store(load().filter(function (y) { return y.key !== x.key; }));
      });
      li.appendChild(drop);
      problems.appendChild(li);
    });
  }

  function update(key, fn) {
    store(load().map(function (y) { if (y.key === key) { fn(y); } return y; }));
  }

  // sync sends what waits in the outbox, up to 200 entries a request.
  // Stored and duplicate entries leave the outbox; the others stay with
  // the server's message for the enumerator to fix or discard.
  function sync() {
    var waiting = load().filter(function (x) { return !x.status; });
    if (syncing || !navigator.onLine || !waiting.length) { render(); return; }
    syncing = true;
    render();
    var batch = waiting.slice(0, 200).map(function (x) {
      return { key: x.key, market: x.market, commodity: x.commodity, trader: x.trader, day: x.day, price: x.price, reason: x.reason };
    });
    fetch("/api/v1/prices/observations", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ observations: batch })
    }).then(function (res) {
      if (!res.ok) { throw new Error("HTTP " + res.status); }
      return res.json();
    }).then(function (data) {
      var byKey = {};
      data.results.forEach(function (r) { byKey[r.key] = r; });
      var sent = 0;
      var rest = load().filter(function (x) {
        var r = byKey[x.key];
        if (!r) { return true; }
        if (r.status === "created" || r.status === "duplicate") { sent++; return false; }
        x.status = r.status;
        x.message = r.message || "";
        return true;
      });
      syncing = false;
      lastSent += sent;
      store(rest);
      if (rest.some(function (x) { return !x.status; })) { sync(); }
    }).catch(function () {
      // Offline again, or the server refused the whole request: keep
      // everything for the next attempt.
      syncing = false;
      render();
    });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var entries = [];
    var firstProblem = null;
    rows.forEach(function (row) {
      var input = row.querySelector(".price-input");
      var reason = row.querySelector(".reason input");
      var msg = row.querySelector(".error");
      msg.textContent = "";
      input.removeAttribute("aria-invalid");
      if (!input.value.trim()) { return; }
      var price = parsePrice(input.value);
      var dev = price > 0 ? deviation(row, price) : 0;
      if (!(price > 0)) {
        msg.textContent = ds.msgFailed;
      } else if (dev > threshold && !reason.value.trim()) {
        row.classList.add("needs-reason");
        msg.textContent = fill(ds.msgDeviation, Math.round(dev));
      } else {
        entries.push({
          key: newKey(), market: market, commodity: row.dataset.code, trader: parseInt(traderInput.value, 10) || 0,
          day: entryDay(), price: price, reason: reason.value.trim(),
          label: row.querySelector("label").textContent
        });
        return;
      }
      input.setAttribute("aria-invalid", "true");
      firstProblem = firstProblem || row;
    });
    if (firstProblem) {
      var target = firstProblem.classList.contains("needs-reason") ? firstProblem.querySelector(".reason input") : firstProblem.querySelector(".price-input");
      target.focus();
      return;
    }
    if (!entries.length) { return; }
    store(load().concat(entries));
    rows.forEach(function (row) {
      row.querySelector(".price-input").value = "";
      row.querySelector(".reason input").value = "";
      row.classList.remove("needs-reason");
    });
    localStorage.removeItem(draftKey());
    lastSent = 0;
    boxText.textContent = fill(ds.msgSaved, entries.length);
    sync();
  });

  form.addEventListener("input", saveDraft);
  if (traderSelect) {
    switchButton.hidden = true;
    traderSelect.addEventListener("change", function () {
      saveDraft();
      rows.forEach(function (row) {
        row.querySelector(".price-input").value = "";
        row.querySelector(".reason input").value = "";
      });
      traderInput.value = traderSelect.value;
      if (window.history && history.replaceState) {
        history.replaceState(null, "", location.pathname + "?pedagang=" + encodeURIComponent(traderSelect.value));
      }
      showPrevious();
      restoreDraft();
    });
  }
  sendButton.addEventListener("click", sync);
  window.addEventListener("online", sync);
  window.addEventListener("offline", render);
  setInterval(sync, 30000);
  restoreDraft();
  sync();
})();
