package reports_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/sodamolek/sodamolek/internal/apptest"
)

// offline cuts the browser's network (for the page and its service
// worker) and sets navigator.onLine, or restores both.
func offline(on bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		rules := []*network.Conditions{}
		if on {
			rules = append(rules, &network.Conditions{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
		}
		sw := on
		if _, err := cdp.Call(ctx, t, network.EmulateNetworkConditionsByRule,
			network.EmulateNetworkConditionsByRuleParams{EmulateOfflineServiceWorker: &sw, MatchedNetworkConditions: rules}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: on, DownloadThroughput: -1, UploadThroughput: -1})
		return err
	})
}

// A report made without a connection: the form opens from the service
// worker's copy with the network gone, the report waits on the phone
// (nothing reaches the server), and when the connection returns it is
// sent — once — and the resident lands on its tracking page.
func TestBrowserOfflineDraft(t *testing.T) {
	ctx := browserContext(t)
	s := apptest.Start(t, apptest.Options{Args: []string{"--demo", "--tile-url", "/tidak-ada/{z}/{x}/{y}.png"}})
	relax(t, s)
	const desc = "Tiga lampu jalan mati di depan gereja, gelap total."
	count := func() int {
		t.Helper()
		var n int
		if err := s.App.Deps.DB.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM reports WHERE description = $1`, desc).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	poll := func(what, expr string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatalf("%s (%s): %v", what, expr, err)
		}
	}
	form := s.URL + "/lapor?kategori=lampu-jalan-mati"

	// Online: the form registers its worker, which takes control; the next
	// visit leaves a copy of the page with it.
	run("first visit", chromedp.EmulateViewport(360, 740), chromedp.Navigate(form), chromedp.WaitVisible(chromedp.CSS(`#report-form`)))
	poll("the worker controls the form", `navigator.serviceWorker.controller !== null`)
	run("second visit", chromedp.Navigate(form), chromedp.WaitVisible(chromedp.CSS(`#report-form`)))

	run("look in the worker's cache", chromedp.Evaluate[chromedp.Void](`caches.open("lapor-pages-v1").then(function (c) { return c.match(location.href); }).then(function (r) { window.cachedForm = !!r; })`))
	poll("the worker keeps a copy of the form", `window.cachedForm === true`)

	// Offline: a submitted report waits on the phone. (Chromium's
	// emulation cuts the page's network, not the worker's, so the
	// worker's Background Sync may send it before the test goes back
	// online; what matters is that the page never posts it offline and
	// that it arrives once.)
	run("go offline", offline(true))
	run("fill in and send",
		chromedp.SetValue(chromedp.CSS(`#f-kelurahan`), "53.71.04.1009"),
		chromedp.SetValue(chromedp.CSS(`#f-uraian`), desc),
		chromedp.SetValue(chromedp.CSS(`#f-attr-jumlah_lampu`), "3"),
		chromedp.Click(chromedp.CSS(`#submit-report`)))
	poll("the page says the report waits", `document.getElementById("draft-status").textContent.indexOf("offline") >= 0`)

	// Back online: sent once, and the tracking page opens.
	run("go online", offline(false))
	run("tracking page", chromedp.WaitVisible(chromedp.CSS(`#tracking-code`)))
	code, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#tracking-code`)))
	if err != nil {
		t.Fatal(err)
	}
	if !codePattern.MatchString(strings.TrimSpace(code)) {
		t.Fatalf("tracking code %q", code)
	}
	v := track(t, newBrowser(t, s), strings.TrimSpace(code))
	if v.Category != "lampu-jalan-mati" || v.Kelurahan != "53.71.04.1009" || v.Agency != "dishub" {
		t.Fatalf("sent report %+v", v)
	}
	// Reopening the form does not send it again.
	run("form again", chromedp.Navigate(form), chromedp.WaitVisible(chromedp.CSS(`#report-form`)), chromedp.Sleep(time.Second))
	if draft, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`localStorage.getItem("sodamolek-draft-lampu-jalan-mati") !== null`)); draft {
		t.Fatal("the sent draft is still kept")
	}
	if n := count(); n != 1 {
		t.Fatalf("%d reports made from one offline draft", n)
	}
}
