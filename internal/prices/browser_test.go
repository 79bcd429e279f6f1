package prices_test

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

const chromium = "/usr/bin/chromium"

// browser starts headless Chromium for a test, or skips it when Chromium
// is not installed (except under CI=true, where that is a failure).
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and %s is missing: %v", chromium, err)
		}
		t.Skipf("%s is not installed", chromium)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(412, 900))
	ctx, cancelCtx := chromedp.NewContext(alloc)
	// The first action starts the browser; it must not run under a
	// timeout, which would stop the browser with it.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		cancelCtx()
		cancelAlloc()
		t.Fatalf("start Chromium: %v", err)
	}
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

// setOffline switches the page's network off or on: navigator.onLine and
// its events, and every request.
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
	ctx := browser(t)
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
