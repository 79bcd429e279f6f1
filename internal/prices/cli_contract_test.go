package prices_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/apptest"
	"github.com/sodamolek/sodamolek/internal/cli"
)

// sodamolek runs the command line exactly as the binary does (cli.Run is
// what main calls), with an empty environment.
func sodamolek(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	code = cli.Run(context.Background(), env, args)
	return code, out.String(), errOut.String()
}

// serveDir runs "sodamolek serve --data DIR" until the test ends and
// returns its base URL.
func serveDir(t *testing.T, dir string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	logs := &apptest.SyncBuffer{}
	env := cli.Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: logs, Getenv: func(string) string { return "" }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- cli.Run(ctx, env, []string{"serve", "--addr", addr, "--data", dir, "--workers", "0", "--shutdown-grace", "2s"})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop")
		}
	})
	base := "http://" + addr
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return base
			}
		}
	}
	t.Fatalf("serve never became ready:\n%s", logs.String())
	return ""
}

// TestCommandLineContract drives the contract exactly as a third
// party would: the documented commands with only --data DIR against a
// fresh directory (SQLite, whatever engine the rest of the suite uses),
// then "serve" on the same directory and the documented JSON.
//
// The data are the textbook example of a fixed-base Laspeyres index: the
// ILO/IMF CPI Manual (2004), chapter 19, tables 19.1–19.3 (six
// commodities priced 1 in period 1; base-period quantities 1, 1, 2, 1,
// 4.5, 0.5; Laspeyres 1.00, 1.42, 1.345, 1.355, 1.44). Prices of a few
// rupiah with decimals are unusual but valid, which is the point: the
// import takes decimals, and the numbers can be checked against the
// book. Codes are upper case with underscores, as another system might
// name them, and come back unchanged.
func TestCommandLineContract(t *testing.T) {
	dir := t.TempDir()
	file := func(name, text string) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	run := func(args ...string) string {
		t.Helper()
		code, stdout, stderr := sodamolek(t, args...)
		if code != 0 {
			t.Fatalf("sodamolek %s = %d\nstdout %s\nstderr %s", strings.Join(args, " "), code, stdout, stderr)
		}
		return stdout
	}
	codes := []string{"CPI_P1", "CPI_P2", "CPI_P3", "CPI_P4", "CPI_P5", "CPI_P6"}
	q1 := []string{"1", "1", "2", "1", "4.5", "0.5"}
	prices := [][]string{
		{"1.0", "1.0", "1.0", "1.0", "1.0", "1.0"},
		{"1.2", "3.0", "1.3", "0.7", "1.4", "0.8"},
		{"1.0", "1.0", "1.5", "0.5", "1.7", "0.6"},
		{"0.8", "0.5", "1.6", "0.3", "1.9", "0.4"},
		{"1.0", "1.0", "1.6", "0.1", "2.0", "0.2"},
	}

	var sb strings.Builder
	sb.WriteString("code,name,unit,group_code,het\n")
	for i, c := range codes {
		fmt.Fprintf(&sb, "%s,Barang %d,kg,01,\n", c, i+1)
	}
	out := run("prices", "import", "--data", dir, "--kind", "commodities", file("commodities.csv", sb.String()))
	if !strings.Contains(out, "6 commodities lines imported (6 new, 0 updated)") {
		t.Errorf("commodities: %q", out)
	}
	run("prices", "import", "--data", dir, "--kind", "markets", file("markets.csv", "code,name,lat,lon\nPSR_BUKU,Pasar Buku,-10.1772,123.6070\n"))

	sb.Reset()
	sb.WriteString("date,market_code,commodity_code,price,trader\n")
	for period, row := range prices {
		for i, c := range codes {
			fmt.Fprintf(&sb, "2024-%02d-15,PSR_BUKU,%s,%s,\n", period+1, c, row[i])
		}
	}
	out = run("prices", "import", "--data", dir, "--kind", "observations", file("observations.csv", sb.String()))
	if !strings.Contains(out, "30 observations lines imported") {
		t.Errorf("observations: %q", out)
	}

	// A file with one bad line among good ones (a June price that would
	// add a period) is refused whole, with a line-numbered report.
	code, _, stderr := sodamolek(t, "prices", "import", "--data", dir, "--kind", "observations", file("bad.csv",
		"date,market_code,commodity_code,price\n2024-06-14,PSR_BUKU,CPI_P1,1.1\n2024-06-14,PSR_BUKU,CPI_P9,1.1\n2024-06-31,PSR_BUKU,CPI_P2,1\n2024-06-14,PSR_BUKU,CPI_P3,-1\n"))
	for _, want := range []string{`line 3: unknown commodity_code "CPI_P9"`, `line 4: invalid date "2024-06-31"`, `line 5: price "-1" must be a positive number`} {
		if !strings.Contains(stderr, want) {
			t.Errorf("bad file stderr lacks %q:\n%s", want, stderr)
		}
	}
	if code == 0 || !strings.Contains(stderr, "nothing imported") {
		t.Errorf("bad file = %d %q", code, stderr)
	}

	// A first basket, then the same name again: the second replaces it.
	run("prices", "basket", "--data", dir, "--name", "Buku", "--base", "2024-02", "--weights", file("w0.csv", "commodity_code,weight\nCPI_P1,1\n"))
	sb.Reset()
	sb.WriteString("commodity_code,weight\n")
	for i, c := range codes {
		fmt.Fprintf(&sb, "%s,%s\n", c, q1[i]) // w = P1·Q1 = Q1, every P1 being 1
	}
	out = run("prices", "basket", "--data", dir, "--name", "Buku", "--base", "2024-01", "--weights", file("weights.csv", sb.String()))
	if !strings.Contains(out, `basket "Buku" saved: base 2024-01, 6 commodities`) {
		t.Errorf("basket: %q", out)
	}

	base := serveDir(t, dir)
	resp, err := http.Get(base + "/api/v1/price-index?basket=Buku&from=2023-06&to=2024-12")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("price-index = %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), raw)
	}

	// The shape, key by key: every contract key is present, and a missing
	// comparison is an explicit null, not an absent key.
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if string(doc["basket"]) != `"Buku"` || string(doc["base"]) != `"2024-01"` {
		t.Errorf("basket, base = %s, %s", doc["basket"], doc["base"])
	}
	var periods []map[string]json.RawMessage
	if err := json.Unmarshal(doc["periods"], &periods); err != nil {
		t.Fatal(err)
	}
	want := []float64{100, 142, 134.5, 135.5, 144}
	if len(periods) != len(want) {
		t.Fatalf("%d periods, want %d: %s", len(periods), len(want), raw)
	}
	for i, p := range periods {
		for _, k := range []string{"period", "index", "mtm", "yoy", "ytd", "andil"} {
			if _, ok := p[k]; !ok {
				t.Errorf("period %d has no %q: %v", i, k, p)
			}
		}
		var period string
		var index float64
		var mtm, yoy, ytd *float64
		var andil []struct {
			Commodity string  `json:"commodity"`
			Value     float64 `json:"value"`
		}
		for k, dst := range map[string]any{"period": &period, "index": &index, "mtm": &mtm, "yoy": &yoy, "ytd": &ytd, "andil": &andil} {
			if err := json.Unmarshal(p[k], dst); err != nil {
				t.Fatalf("period %d %s = %s: %v", i, k, p[k], err)
			}
		}
		if wantPeriod := fmt.Sprintf("2024-%02d", i+1); period != wantPeriod || !near(index, want[i]) {
			t.Errorf("period %d = %s %v, want %s %v", i, period, index, wantPeriod, want[i])
		}
		// No year-earlier month and no previous December exist.
		if string(p["yoy"]) != "null" || string(p["ytd"]) != "null" {
			t.Errorf("%s yoy, ytd = %s, %s, want null", period, p["yoy"], p["ytd"])
		}
		if i == 0 {
			if string(p["mtm"]) != "null" || string(p["andil"]) != "[]" {
				t.Errorf("base month mtm, andil = %s, %s, want null, []", p["mtm"], p["andil"])
			}
			continue
		}
		wantMtM := (want[i] - want[i-1]) / want[i-1] * 100
		if mtm == nil || !near(*mtm, wantMtM) {
			t.Errorf("%s mtm = %s, want %v", period, p["mtm"], wantMtM)
			continue
		}
		var sum float64
		for j, a := range andil {
			if a.Commodity != codes[j] {
				t.Errorf("%s andil %d is %q, want %q", period, j, a.Commodity, codes[j])
			}
			sum += a.Value
		}
		if len(andil) != len(codes) || !near(sum, *mtm) {
			t.Errorf("%s: %d andil summing to %v, mtm %v", period, len(andil), sum, *mtm)
		}
		// Period 2 by hand: (P2 − P1)·Q1 / Σ P1·Q1 × 100.
		if i == 1 {
			for j, w := range []float64{2, 20, 6, -3, 18, -1} {
				if !near(andil[j].Value, w) {
					t.Errorf("2024-02 andil %s = %v, want %v", codes[j], andil[j].Value, w)
				}
			}
		}
	}
}
