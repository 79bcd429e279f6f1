package prices_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/sodamolek/sodamolek/internal/apptest"
)

// setOffline switches the page's network off or on: navigator.onLine and
// its events, and every request. It runs in the context apptest.Browser
// returns (DevTools' network emulation of that tab).
func setOffline(ctx context.Context, offline bool) error {
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		return err
	}
	if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		return err
	}
	var rules []*network.Conditions
	if offline {
		rules = []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}}
	}
	_, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: rules})
	return err
}

const outboxLength = `JSON.parse(localStorage.getItem("sodamolek.prices.outbox.v1") || "[]").length`

// TestBrowserOfflineEntriesReachBoard: an enumerator's phone loses its
// connection at the market, prices are typed and saved on the phone, and
// once the connection is back they are sent and appear on the public
// board, each once.
func TestBrowserOfflineEntriesReachBoard(t *testing.T) {
	ctx := apptest.Browser(t)
	h := start(t)
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()

	// Indonesian, as the city's phones mostly are (the language cookie).
	err := chromedp.Do(ctx,
		chromedp.Navigate(h.s.URL+"/bahasa/id?next="+url.QueryEscape("/masuk?tab=staf&next=/harga/input/psr-oeba")),
		chromedp.WaitVisible(chromedp.ID("f-username")),
		chromedp.SendKeys(chromedp.ID("f-username"), "enum.disperindag"),
		chromedp.SendKeys(chromedp.ID("f-password"), password),
		chromedp.Submit(chromedp.ID("f-password")),
		chromedp.WaitVisible(chromedp.ID("entry-form")),
	)
	if err != nil {
		t.Fatalf("sign in and open the form: %v", err)
	}

	if err := setOffline(ctx, true); err != nil {
		t.Fatalf("go offline: %v", err)
	}
	online, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("navigator.onLine"))
	if err != nil || online {
		t.Fatalf("navigator.onLine = %v, %v", online, err)
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("p-beras-medium"), "13750"),
		chromedp.SendKeys(chromedp.ID("p-ikan-kembung"), "52000"),
		chromedp.Click(chromedp.CSS("#entry-form button[type=submit]")),
	)
	if err != nil {
		t.Fatalf("enter prices: %v", err)
	}
	queued, err := chromedp.Run(ctx, chromedp.Poll[bool](outboxLength+" === 2", chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil || !queued {
		t.Fatalf("outbox after saving offline: %v %v", queued, err)
	}
	status, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.ID("outbox-text")))
	if err != nil || !strings.Contains(status, "2 harga tersimpan di ponsel") {
		t.Errorf("outbox text offline = %q, %v", status, err)
	}
	if n := h.countPrices("beras-medium", "2026-12-01", today); n != 0 {
		t.Fatalf("%d prices reached the server while offline", n)
	}

	// Back online: the page sends the outbox by itself.
	if err := setOffline(ctx, false); err != nil {
		t.Fatalf("go online: %v", err)
	}
	sent, err := chromedp.Run(ctx, chromedp.Poll[bool](outboxLength+" === 0", chromedp.WithPollingTimeout(45*time.Second)))
	if err != nil || !sent {
		t.Fatalf("outbox after reconnecting: %v %v\n%s", sent, err, h.s.Logs.String())
	}

	board := h.board("")
	if got := board["beras-medium"]; got.Current == nil || got.Current.Price != 13750 {
		t.Errorf("board beras medium = %+v", got)
	}
	if got := board["ikan-kembung"]; got.Current == nil || got.Current.Price != 52000 {
		t.Errorf("board ikan kembung = %+v", got)
	}
	if n := h.countPrices("beras-medium", "2026-12-01", today); n != 1 {
		t.Errorf("beras medium stored %d times, want once", n)
	}
	// The public page shows them too.
	err = chromedp.Do(ctx, chromedp.Navigate(h.s.URL+"/harga"), chromedp.WaitVisible(chromedp.CSS(`[data-commodity="beras-medium"]`)))
	if err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(`[data-commodity="beras-medium"] [data-price]`)))
	if err != nil || !strings.Contains(text, "Rp 13.750") {
		t.Errorf("board page shows %q, %v", text, err)
	}
}

// TestBrowserInflowMapRenders: arrivals recorded at the port and the fish
// landing appear on the public inflow page as a Leaflet map with a flow
// line from each origin into Kupang, next to the table and "where did
// today's fish come from".
func TestBrowserInflowMapRenders(t *testing.T) {
	ctx := apptest.Browser(t)
	// Tiles would come from OpenStreetMap; this machine has no network,
	// so they point at a closed port and fail at once (the flows are
	// vector paths drawn without them).
	h := start(t, "--tile-url", "http://127.0.0.1:9/{z}/{x}/{y}.png")
	for _, a := range []map[string]any{
		{"key": key(), "day": today, "commodity": "ikan-tongkol", "quantity": 1200, "unit": "kg", "origin": "53.06", "mode": "ship", "entry_point": "tpi-oeba"},
		{"key": key(), "day": today, "commodity": "ikan-kembung", "quantity": 0.5, "unit": "ton", "origin": "53.05", "mode": "ship", "entry_point": "tpi-oeba"},
		{"key": key(), "day": today, "commodity": "telur-ayam-ras", "quantity": 12, "unit": "ton", "origin": "35.05", "mode": "ship", "entry_point": "pelabuhan-tenau"},
	} {
		if status, body := h.do("enum.disperindag", "POST", "/api/v1/prices/inflows", a); status != 201 {
			t.Fatalf("record %v = %d %s", a, status, body)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	err := chromedp.Do(ctx,
		chromedp.Navigate(h.s.URL+"/bahasa/id?next="+url.QueryEscape("/harga/asal?periode=hari")),
		chromedp.WaitVisible(chromedp.CSS(`#inflow-map[data-loaded="3"]`)),
	)
	if err != nil {
		t.Fatalf("inflow map never loaded: %v\n%s", err, h.s.Logs.String())
	}
	// Leaflet draws into an SVG overlay: one line and one circle per
	// origin, a circle per point of entry, and one for the city.
	lines, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Array.from(document.querySelectorAll("#inflow-map .leaflet-overlay-pane path.leaflet-interactive")).filter(function (p) { return (p.getAttribute("d") || "").length > 10; }).length`))
	if err != nil || lines < 3+3+1 {
		t.Errorf("map paths = %d, %v; want at least 7 (3 flows, 3 origins, the city)", lines, err)
	}
	box, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(function () { var r = document.getElementById("inflow-map").getBoundingClientRect(); return [r.width, r.height]; })()`))
	if err != nil || len(box) != 2 || box[0] < 200 || box[1] < 150 {
		t.Errorf("map box = %v, %v", box, err)
	}
	table, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.ID("origin-table")))
	if err != nil || !strings.Contains(table, "Flores Timur") || !strings.Contains(table, "Blitar") {
		t.Errorf("origin table = %q, %v", table, err)
	}
	fish, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("ikan").nextElementSibling.textContent`))
	if err != nil || !strings.Contains(fish, "Flores Timur") || !strings.Contains(fish, "Ikan tongkol") || strings.Contains(fish, "Blitar") {
		t.Errorf("today's fish = %q, %v", fish, err)
	}
}

// TestBrowserInflowMapEscapesNames: the map's tooltips show an origin's
// name as text; Leaflet takes a tooltip string as HTML.
func TestBrowserInflowMapEscapesNames(t *testing.T) {
	ctx := apptest.Browser(t)
	h := start(t, "--tile-url", "http://127.0.0.1:9/{z}/{x}/{y}.png")
	form := url.Values{"code": {"53.98"}, "name": {`<b id="xss-origin">Sabu</b>`}, "province": {`<i id="xss-province">NTT</i>`}, "lat": {"-10.5"}, "lon": {"121.9"}}
	if status, body := h.do("admin.disperindag", "POST", "/harga/kelola/asal", form.Encode()); status != 303 {
		t.Fatalf("origin = %d %.500s", status, body)
	}
	a := map[string]any{"key": key(), "day": today, "commodity": "ikan-tongkol", "quantity": 100, "unit": "kg", "origin": "53.98", "mode": "ship", "entry_point": "tpi-oeba"}
	if status, body := h.do("enum.disperindag", "POST", "/api/v1/prices/inflows", a); status != 201 {
		t.Fatalf("record = %d %s", status, body)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	err := chromedp.Do(ctx,
		chromedp.Navigate(h.s.URL+"/bahasa/id?next="+url.QueryEscape("/harga/asal?periode=hari")),
		chromedp.WaitVisible(chromedp.CSS(`#inflow-map[data-loaded="1"]`)),
	)
	if err != nil {
		t.Fatalf("inflow map: %v", err)
	}
	// Hovering the flow line opens its tooltip.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelectorAll("#inflow-map path.leaflet-interactive").forEach(function (p) {
		p.dispatchEvent(new MouseEvent("mouseover", {bubbles: true})); }); true`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#inflow-map .leaflet-tooltip`))); err != nil {
		t.Fatalf("no tooltip: %v", err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]any](`[document.querySelectorAll("#xss-origin, #xss-province").length,
		Array.from(document.querySelectorAll("#inflow-map .leaflet-tooltip")).map(function (e) { return e.textContent; }).join("|")]`))
	if err != nil || len(got) != 2 {
		t.Fatalf("tooltips: %v %v", got, err)
	}
	if n, _ := got[0].(float64); n != 0 || !strings.Contains(got[1].(string), `<b id="xss-origin">Sabu</b>`) {
		t.Errorf("an origin's name became markup: %v elements, tooltips %q", got[0], got[1])
	}
}
