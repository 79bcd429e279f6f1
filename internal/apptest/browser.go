package apptest

import (
	"context"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

// Chromium is Debian's browser; tests never download one.
const Chromium = "/usr/bin/chromium"

// Browser starts a headless Chromium with its own profile (its own
// cookies) for one test, or skips the test when Chromium is not
// installed — except under CI=true, where a missing browser fails.
// The flags keep Chromium off the network, which this machine does not
// have: no background requests, no updates, no sync.
func Browser(t testing.TB) context.Context {
	t.Helper()
	if _, err := os.Stat(Chromium); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and %s is missing: %v", Chromium, err)
		}
		t.Skipf("%s is not installed", Chromium)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(Chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(412, 900))
	ctx, cancelCtx := chromedp.NewContext(alloc)
	// The first action starts the browser; it must not run under a
	// timeout, which would stop the browser with it.
	if _, err := chromedp.RunResponse(ctx, chromedp.Navigate("about:blank")); err != nil {
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
