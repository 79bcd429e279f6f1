package health_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sodamolek/sodamolek/internal/apptest"
	"github.com/sodamolek/sodamolek/internal/health"
)

// browserContext is the shared headless Chromium (apptest.Browser) at a
// desktop width: the stunting map is read at office PCs.
func browserContext(t *testing.T) context.Context {
	t.Helper()
	ctx := apptest.Browser(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1024, 900)); err != nil {
		t.Fatalf("viewport: %v", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 120*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// TestBrowserStuntingMap renders the stunting map in a real browser:
// Dinas Kesehatan's supervisor signs in, the page loads Leaflet, the
// kelurahan GeoJSON and the month's prevalence, and colours every
// kelurahan.
func TestBrowserStuntingMap(t *testing.T) {
	ctx := browserContext(t)
	restore := health.SetDemoVolume(10, 200, 30, 1200, 3)
	// Map tiles come from this server (and 404): the test talks to
	// nothing but the loopback address.
	s := apptest.Start(t, apptest.Options{Args: []string{"--demo", "--tile-url", "/tidak-ada/{z}/{x}/{y}.png"}})
	restore()
	err := chromedp.Do(ctx, chromedp.Navigate(s.URL+"/masuk"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)),
		chromedp.SetValue(chromedp.CSS(`input[name="username"]`), "dinkes.supervisor"),
		chromedp.SetValue(chromedp.CSS(`input[name="password"]`), demoPassword),
		chromedp.Submit(chromedp.CSS(`input[name="password"]`)),
		chromedp.Sleep(300*time.Millisecond),
		chromedp.Navigate(s.URL+"/kesehatan/gizi/peta?month=2026-11"),
		chromedp.WaitReady(chromedp.CSS(`#prevalence-map[data-loaded]`)))
	if err != nil {
		t.Fatalf("map: %v", err)
	}
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("prevalence-map").dataset.loaded`))
	if err != nil || loaded != "51" {
		t.Fatalf("data-loaded = %q (%v), want the 51 kelurahan", loaded, err)
	}
	// Every kelurahan is drawn, and the measured ones are coloured by
	// prevalence (not the grey of "no data").
	fills, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll("#prevalence-map path.leaflet-interactive")).map(p => p.getAttribute("fill"))`))
	if err != nil {
		t.Fatal(err)
	}
	coloured := 0
	for _, f := range fills {
		if f != "" && !strings.EqualFold(f, "#eeeeee") {
			coloured++
		}
	}
	if len(fills) < 51 || coloured < 40 {
		t.Errorf("%d kelurahan drawn, %d coloured by prevalence", len(fills), coloured)
	}
}
