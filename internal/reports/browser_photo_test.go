package reports_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sodamolek/sodamolek/internal/apptest"
)

// Choosing a photo taken with GPS on pre-fills the pin (and so the
// kelurahan) in the browser, when the reporter ticked "use the photo's
// location" and has not placed a pin.
func TestBrowserPhotoPrefillsThePin(t *testing.T) {
	ctx := browserContext(t)
	s := apptest.Start(t, apptest.Options{Args: []string{"--demo", "--tile-url", "/tidak-ada/{z}/{x}/{y}.png"}})
	photo := filepath.Join(t.TempDir(), "IMG_0001.jpg")
	if err := os.WriteFile(photo, gpsJPEG(t), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740), chromedp.Navigate(s.URL+"/lapor?kategori=pohon-tumbang"),
		chromedp.WaitVisible(chromedp.CSS(`#pin-map.leaflet-container`)),
		chromedp.Click(chromedp.CSS(`input[name="lokasi_foto"]`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#f-foto`), []string{photo})); err != nil {
		t.Fatal(err)
	}
	kel, err := chromedp.Run(ctx, chromedp.Poll[string](`document.getElementById("f-kelurahan").value`, chromedp.WithPollingTimeout(15*time.Second)))
	if err != nil {
		t.Fatalf("no pin from the photo: %v", err)
	}
	// gpsJPEG is taken in Kelurahan 53.71.02.1003 (the server-side test
	// places the same photo there).
	if kel != "53.71.02.1003" {
		t.Fatalf("the photo's pin placed the report in %q", kel)
	}
}
