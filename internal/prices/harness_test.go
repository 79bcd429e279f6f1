package prices_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/sodamolek/sodamolek/internal/apptest"
	"github.com/sodamolek/sodamolek/internal/cli"
	_ "github.com/sodamolek/sodamolek/internal/modules"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/database/dbtest"
	"github.com/sodamolek/sodamolek/internal/prices"
)

// password of every account the tests create.
const password = "Harga-Pasar-Kupang-2026"

// tpidEmail receives the early-warning alerts.
const tpidEmail = "tpid@kupangkota.go.id"

// accounts are the people of the tests: enumerators and supervisors of
// the trade agency (which owns the seeded markets) and of another unit,
// the TPID (an executive), and the unit administrators of both units
// (city administrators must enrol TOTP outside demo mode).
var accounts = []struct{ user, unit, role, email string }{
	{"enum.disperindag", "disperindag", "enumerator", ""},
	{"enum.dlhk", "dlhk", "enumerator", ""},
	{"spv.disperindag", "disperindag", "supervisor", ""},
	{"spv.dlhk", "dlhk", "supervisor", ""},
	{"tpid", "pemkot", "executive", tpidEmail},
	{"admin.disperindag", "disperindag", "unit_admin", ""},
	{"admin.dlhk", "dlhk", "unit_admin", ""},
}

// harness is a running Sodamolek without demo data (so every price in it
// is the test's own) with the accounts above.
type harness struct {
	t      *testing.T
	s      *apptest.Server
	dbURL  string
	store  *prices.Store
	tokens map[string]string
}

func start(t *testing.T, args ...string) *harness {
	t.Helper()
	url := dbtest.URL(t)
	s := apptest.Start(t, apptest.Options{DatabaseURL: url, Args: args})
	h := &harness{t: t, s: s, dbURL: url, tokens: map[string]string{}}
	for _, m := range s.App.Modules {
		if pm, ok := m.(*prices.Module); ok {
			h.store = pm.Store()
		}
	}
	if h.store == nil {
		t.Fatal("the prices module is not linked")
	}
	for _, a := range accounts {
		if _, err := s.App.Deps.Auth.CreateStaff(context.Background(), nil, auth.NewStaff{Username: a.user, Name: a.user, UnitCode: a.unit,
			Email: a.email, Password: password, Roles: []string{a.role}}); err != nil {
			t.Fatalf("account %s: %v", a.user, err)
		}
	}
	return h
}

// token signs a user in through the API once and keeps the bearer token.
func (h *harness) token(user string) string {
	h.t.Helper()
	if tok, ok := h.tokens[user]; ok {
		return tok
	}
	body, _ := json.Marshal(map[string]string{"username": user, "password": password})
	resp, out := apptest.Do(h.t, h.s.Client(), "POST", h.s.URL+"/api/v1/auth/login", "application/json", string(body), nil)
	var tok struct{ Token string }
	if err := json.Unmarshal([]byte(out), &tok); err != nil || resp.StatusCode != 200 || tok.Token == "" {
		h.t.Fatalf("login %s = %d %s", user, resp.StatusCode, out)
	}
	h.tokens[user] = tok.Token
	return tok.Token
}

// do sends a request as user ("" for anonymous) with a JSON body (a
// string is sent as a form) and returns the status and body.
func (h *harness) do(user, method, path string, body any) (int, string) {
	h.t.Helper()
	hdr := http.Header{}
	if user != "" {
		hdr.Set("Authorization", "Bearer "+h.token(user))
	}
	ct, text := "", ""
	switch b := body.(type) {
	case nil:
	case string:
		ct, text = "application/x-www-form-urlencoded", b
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		ct, text = "application/json", string(raw)
	}
	resp, out := apptest.Do(h.t, h.s.Client(), method, h.s.URL+path, ct, text, hdr)
	return resp.StatusCode, out
}

// getJSON fetches path as user and decodes the answer, failing on any
// status but 200.
func (h *harness) getJSON(user, path string, dst any) {
	h.t.Helper()
	status, body := h.do(user, "GET", path, nil)
	if status != 200 {
		h.t.Fatalf("GET %s = %d %.500s", path, status, body)
	}
	if err := json.Unmarshal([]byte(body), dst); err != nil {
		h.t.Fatalf("GET %s: %v in %.300s", path, err, body)
	}
}

// importCSV imports a file through the store, as the upload page does.
func (h *harness) importCSV(kind, text string) prices.ImportResult {
	h.t.Helper()
	res, err := h.store.Import(context.Background(), prices.Actor{System: "test"}, kind, strings.NewReader(text))
	if err != nil {
		h.t.Fatalf("import %s: %v %+v", kind, err, res.Errors)
	}
	return res
}

// cli runs a sodamolek command against the test server's database and
// data directory, as an operator on the same host would.
func (h *harness) cli(args ...string) (code int, stdout, stderr string) {
	h.t.Helper()
	var out, errOut bytes.Buffer
	env := cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	args = append(args, "--db", h.dbURL, "--data", h.s.App.Deps.Config.DataDir)
	code = cli.Run(context.Background(), env, args)
	return code, out.String(), errOut.String()
}

// entry is an enumerator's price as the phone sends it.
type entry struct {
	Key       string  `json:"key"`
	Market    string  `json:"market"`
	Commodity string  `json:"commodity"`
	Trader    int64   `json:"trader,omitempty"`
	Day       string  `json:"day"`
	Price     float64 `json:"price"`
	Reason    string  `json:"reason,omitempty"`
}

type entryResult struct {
	Key, Status, Field, Message string
	ID                          int64
	Deviation                   *struct{ Previous, Median *float64 }
}

// send posts entries as user and returns the per-entry results.
func (h *harness) send(user string, entries ...entry) []entryResult {
	h.t.Helper()
	status, body := h.do(user, "POST", "/api/v1/prices/observations", map[string]any{"observations": entries})
	if status != 200 {
		h.t.Fatalf("send = %d %.500s", status, body)
	}
	var out struct{ Results []entryResult }
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		h.t.Fatal(err)
	}
	return out.Results
}

// keySeq numbers the tests' idempotency keys.
var keySeq int

func key() string {
	keySeq++
	return fmt.Sprintf("test-key-%06d", keySeq)
}

// boardRow is a commodity on the board JSON.
type boardRow struct {
	Commodity      string
	Current        *struct{ Price float64 }
	Previous       *struct{ Price, Pct float64 }
	Week, Month    *struct{ Price, Pct float64 }
	Reference      *struct{ Kind string }
	AboveReference bool `json:"above_reference"`
	Markets        []struct {
		Market string
		Price  float64
	}
}

func (h *harness) board(day string) map[string]boardRow {
	h.t.Helper()
	var b struct {
		Date        string
		Commodities []boardRow
	}
	path := "/api/v1/prices/board"
	if day != "" {
		path += "?date=" + day
	}
	h.getJSON("", path, &b)
	out := map[string]boardRow{}
	for _, r := range b.Commodities {
		out[r.Commodity] = r
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }
