package cli

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/apptest"
	"github.com/sodamolek/sodamolek/internal/platform/database/dbtest"
)

// TestServeStartsAndStopsGracefully runs the real serve command: it
// answers /readyz, and on cancellation (SIGTERM in production) it stops
// cleanly, returning no error.
func TestServeStartsAndStopsGracefully(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	stderr := &apptest.SyncBuffer{}
	env := Env{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: stderr, Getenv: func(string) string { return "" }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, env, []string{"serve", "--addr", addr, "--data", t.TempDir(), "--db", dbtest.URL(t), "--shutdown-grace", "5s"})
	}()
	ready := false
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		resp, err := http.Get(fmt.Sprintf("http://%s/readyz", addr))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				ready = true
				break
			}
		}
	}
	if !ready {
		cancel()
		t.Fatalf("serve never became ready; log:\n%s", stderr.String())
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d; log:\n%s", code, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop after cancellation")
	}
	if !strings.Contains(stderr.String(), "shutting down") {
		t.Errorf("no shutdown log line:\n%s", stderr.String())
	}
}

func TestUnknownCommandAndFlagsAreOneLine(t *testing.T) {
	for _, args := range [][]string{{"nope"}, {"serve", "--bogus"}, {"serve", "--db", "mysql://x"}, {"backup", "--data", ""}} {
		var out, errb bytes.Buffer
		code := Run(context.Background(), Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}, args)
		if code == 0 || strings.Count(strings.TrimSpace(errb.String()), "\n") != 0 || errb.Len() == 0 {
			t.Errorf("%v: exit %d, stderr %q", args, code, errb.String())
		}
	}
}
