package reports_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sodamolek/sodamolek/internal/apptest"
)

// browserContext is the shared headless Chromium (apptest.Browser: its
// own profile, off the network, skipped without Chromium except in CI),
// with a bound on the whole test so that a hung page fails instead of
// stalling the suite. The browser is already running, so the timeout
// ends the test's actions, not Chromium.
func browserContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(apptest.Browser(t), 120*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// A resident reports from a phone-sized browser, DLHK answers and
// finishes it with a proof photo, and the resident confirms and rates.
func TestBrowserReportAnsweredAndRated(t *testing.T) {
	ctx := browserContext(t)
	// Map tiles come from this server (and 404): the test talks to
	// nothing but the loopback address.
	s := apptest.Start(t, apptest.Options{Args: []string{"--demo", "--tile-url", "/tidak-ada/{z}/{x}/{y}.png"}})
	relax(t, s)
	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(expr string) bool {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return v
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.TrimSpace(v)
	}
	const overflows = `document.documentElement.scrollWidth > window.innerWidth`

	// The category picker and the form fit a 360-px screen.
	run("picker", chromedp.EmulateViewport(360, 740), chromedp.Navigate(s.URL+"/lapor"),
		chromedp.WaitVisible(chromedp.CSS(`a[data-category="sampah-liar"]`)))
	if eval(overflows) {
		t.Fatal("the category picker is wider than a 360-px screen")
	}
	run("open the form", chromedp.Click(chromedp.CSS(`a[data-category="sampah-liar"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#report-form`)), chromedp.WaitVisible(chromedp.CSS(`#pin-map.leaflet-container`)))
	if eval(overflows) {
		t.Fatal("the report form is wider than a 360-px screen")
	}
	// Drop the pin by tapping the map: the script places it in a
	// kelurahan and fills the list.
	run("pin", chromedp.Click(chromedp.CSS(`#pin-map`)))
	kel, err := chromedp.Run(ctx, chromedp.Poll[string](`document.getElementById("f-kelurahan").value`, chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		t.Fatalf("pin: %v", err)
	}
	if !strings.HasPrefix(kel, "53.71.") {
		t.Fatalf("the pin placed nothing: %q", kel)
	}
	run("describe and send",
		chromedp.SetValue(chromedp.CSS(`#f-uraian`), "Sampah menumpuk di tepi jalan, sudah seminggu."),
		chromedp.Click(chromedp.CSS(`input[name="attr_volume"][value="sedang"]`)),
		chromedp.SetValue(chromedp.CSS(`#f-telepon`), "0812 4444 5555"),
		chromedp.Click(chromedp.CSS(`#submit-report`)),
		chromedp.WaitVisible(chromedp.CSS(`#tracking-code`)))
	code := text(`#tracking-code`)
	if !codePattern.MatchString(code) {
		t.Fatalf("tracking code %q", code)
	}
	api := newBrowser(t, s)
	v := track(t, api, code)
	if v.Agency != "dlhk" || v.Kelurahan != kel {
		t.Fatalf("routed to %s in %s", v.Agency, v.Kelurahan)
	}
	var id int64
	_, raw := api.get("/api/v1/reports/" + code)
	if i := strings.Index(raw, `"id":`); i >= 0 {
		for _, c := range raw[i+5:] {
			if c < '0' || c > '9' {
				break
			}
			id = id*10 + int64(c-'0')
		}
	}

	// DLHK's officer signs in, verifies and finishes with a photo.
	proof := filepath.Join(t.TempDir(), "bukti.png")
	if err := os.WriteFile(proof, pngPhoto(t, 42), 0o600); err != nil {
		t.Fatal(err)
	}
	run("officer", chromedp.Navigate(s.URL+"/masuk"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)),
		chromedp.SetValue(chromedp.CSS(`input[name="username"]`), "dlhk.officer"),
		chromedp.SetValue(chromedp.CSS(`input[name="password"]`), demoPassword),
		chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
		chromedp.Sleep(300*time.Millisecond),
		chromedp.Navigate(s.URL+"/petugas/laporan/"+itoa(id)),
		chromedp.WaitVisible(chromedp.CSS(`#act-verify`)),
		chromedp.SetValue(chromedp.CSS(`#f-note-verify`), "Tim kebersihan menuju lokasi."),
		chromedp.Click(chromedp.CSS(`#act-verify`)),
		chromedp.WaitVisible(chromedp.CSS(`#flash`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#f-bukti`), []string{proof}),
		chromedp.SetValue(chromedp.CSS(`#f-note-done`), "Sampah sudah diangkut."),
		chromedp.Click(chromedp.CSS(`#act-done`)),
		chromedp.WaitVisible(chromedp.CSS(`#status[data-status="selesai"]`)),
		chromedp.Submit(chromedp.CSS(`form[action="/keluar"] button`)),
		chromedp.Sleep(300*time.Millisecond))

	// The resident sees the answer with the proof, confirms and rates.
	run("resident", chromedp.Navigate(s.URL+"/lapor/"+code), chromedp.WaitVisible(chromedp.CSS(`#confirm`)))
	photos := eval(`document.querySelectorAll(".ev-done .photos img").length === 1`)
	run("confirm and rate", chromedp.Click(chromedp.CSS(`#confirm`)),
		chromedp.WaitVisible(chromedp.CSS(`#rate`)),
		chromedp.Click(chromedp.CSS(`#star-5`)),
		chromedp.SetValue(chromedp.CSS(`#f-komentar`), "Cepat sekali, terima kasih DLHK!"),
		chromedp.Click(chromedp.CSS(`#rate`)),
		chromedp.WaitVisible(chromedp.CSS(`#your-rating`)))
	if flash := text(`#flash`); !photos || flash == "" {
		t.Fatalf("proof photo shown %v, flash %q", photos, flash)
	}
	if v := track(t, api, code); v.Status != "ditutup" || v.Timeline[len(v.Timeline)-1].Kind != "rated" {
		t.Fatalf("final state %+v", v)
	}
	s.RunJobs(t)
	if _, ok := s.Outbox.Last("+6281244445555"); !ok {
		t.Fatal("the resident got no message")
	}
}
