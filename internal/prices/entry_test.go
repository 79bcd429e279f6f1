package prices_test

import (
	"encoding/json"
	"math"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

const today = "2026-12-04" // the harness clock: 2026-12-04 09:00 WITA

// TestOfflineResendIsIdempotent: a phone that sends its outbox again
// (the answer was lost) stores nothing twice, within a batch or across.
func TestOfflineResendIsIdempotent(t *testing.T) {
	h := start(t)
	a := entry{Key: key(), Market: "psr-oeba", Commodity: "beras-medium", Day: today, Price: 13500}
	b := entry{Key: key(), Market: "psr-oeba", Commodity: "telur-ayam-ras", Day: "2026-12-03", Price: 32000}
	first := h.send("enum.disperindag", a, b, a)
	if first[0].Status != "created" || first[1].Status != "created" || first[2].Status != "duplicate" {
		t.Fatalf("first send = %+v", first)
	}
	again := h.send("enum.disperindag", a, b)
	for i, r := range again {
		if r.Status != "duplicate" || r.ID != first[i].ID {
			t.Errorf("resend %d = %+v, want duplicate of %d", i, r, first[i].ID)
		}
	}
	if n := h.countPrices("beras-medium", "2026-12-01", today); n != 1 {
		t.Errorf("%d beras prices, want 1", n)
	}
	if got := h.board("")["beras-medium"]; got.Current == nil || got.Current.Price != 13500 {
		t.Errorf("board beras = %+v", got)
	}
	// A key is a key: reusing one for another price is still a resend.
	c := a
	c.Price = 99999
	if r := h.send("enum.disperindag", c); r[0].Status != "duplicate" {
		t.Errorf("reused key = %+v", r)
	}
	// Entries are checked one by one: the bad ones come back with a
	// message, the good one is stored.
	results := h.send("enum.disperindag",
		entry{Key: "short", Market: "psr-oeba", Commodity: "beras-medium", Day: today, Price: 1},
		entry{Key: key(), Market: "psr-tidak-ada", Commodity: "beras-medium", Day: today, Price: 13000},
		entry{Key: key(), Market: "psr-oeba", Commodity: "beras-medium", Day: "2026-12-05", Price: 13000},
		entry{Key: key(), Market: "psr-oeba", Commodity: "beras-medium", Day: "2026-10-01", Price: 13000},
		entry{Key: key(), Market: "psr-oeba", Commodity: "beras-medium", Day: today, Price: -5},
		entry{Key: key(), Market: "psr-oebobo", Commodity: "beras-medium", Day: today, Price: 13600},
	)
	for i, want := range []string{"invalid", "invalid", "invalid", "invalid", "invalid", "created"} {
		if results[i].Status != want {
			t.Errorf("entry %d = %+v, want %s", i, results[i], want)
		}
		if want == "invalid" && results[i].Message == "" {
			t.Errorf("entry %d has no message", i)
		}
	}
	if results[2].Field != "day" || results[4].Field != "price" || results[1].Field != "market" {
		t.Errorf("fields = %q %q %q", results[1].Field, results[2].Field, results[4].Field)
	}
}

// TestDeviationNeedsReason: a price more than 25 % away from the
// previous one (or the markets' median) comes back asking for a reason;
// with one it is stored, flagged for the supervisor.
func TestDeviationNeedsReason(t *testing.T) {
	h := start(t)
	if r := h.send("enum.disperindag", entry{Key: key(), Market: "psr-oeba", Commodity: "cabai-rawit-merah", Day: "2026-12-03", Price: 60000}); r[0].Status != "created" {
		t.Fatal(r)
	}
	jump := entry{Key: key(), Market: "psr-oeba", Commodity: "cabai-rawit-merah", Day: today, Price: 80000}
	r := h.send("enum.disperindag", jump)
	if r[0].Status != "needs_reason" || r[0].Field != "reason" || r[0].Deviation == nil || *r[0].Deviation.Previous != 60000 ||
		!strings.Contains(r[0].Message, "33,3%") {
		t.Fatalf("jump without reason = %+v", r[0])
	}
	if n := h.countPrices("cabai-rawit-merah", "2026-12-01", today); n != 1 {
		t.Fatalf("a price needing a reason was stored: %d", n)
	}
	jump.Reason = "Hujan deras, pasokan dari Soe terlambat"
	r = h.send("enum.disperindag", jump)
	if r[0].Status != "created" {
		t.Fatalf("jump with reason = %+v", r[0])
	}
	// Within 25 % of the (now) previous price: no reason needed.
	if r := h.send("enum.disperindag", entry{Key: key(), Market: "psr-oeba", Commodity: "cabai-rawit-merah", Day: today, Price: 85000}); r[0].Status != "created" {
		t.Errorf("small change = %+v", r[0])
	}
	var q struct {
		Observations []struct {
			ID             int64
			Status, Reason string
			Price          float64
		}
	}
	h.getJSON("spv.disperindag", "/api/v1/prices/observations", &q)
	flagged := 0
	for _, o := range q.Observations {
		if o.ID == r[0].ID && o.Status == "flagged" && o.Reason == jump.Reason {
			flagged++
		}
	}
	if flagged != 1 {
		t.Errorf("review queue = %+v", q)
	}
	// The median of the markets counts too: another market's first price
	// far from the others needs a reason although it has no previous one.
	h.send("enum.disperindag",
		entry{Key: key(), Market: "psr-oebobo", Commodity: "bawang-merah", Day: today, Price: 40000},
		entry{Key: key(), Market: "psr-oesapa", Commodity: "bawang-merah", Day: today, Price: 41000},
		entry{Key: key(), Market: "psr-penfui", Commodity: "bawang-merah", Day: today, Price: 39000})
	r = h.send("enum.disperindag", entry{Key: key(), Market: "psr-kuanino", Commodity: "bawang-merah", Day: today, Price: 60000})
	if r[0].Status != "needs_reason" || r[0].Deviation.Previous != nil || *r[0].Deviation.Median != 40000 {
		t.Errorf("far from the median = %+v", r[0])
	}
	// The threshold is a setting.
	status, _ := h.do("admin.disperindag", "POST", "/harga/kelola/pengaturan", url.Values{"deviation_pct": {"60"}, "weekly_rise_pct": {"10"}}.Encode())
	if status != 303 {
		t.Fatalf("settings = %d", status)
	}
	r = h.send("enum.disperindag", entry{Key: key(), Market: "psr-kuanino", Commodity: "bawang-merah", Day: today, Price: 60000})
	if r[0].Status != "created" {
		t.Errorf("after raising the threshold = %+v", r[0])
	}
}

// TestEntryAuthorization: only enumerators (of the market's unit) enter
// prices; only supervisors of the market's unit review them.
func TestEntryAuthorization(t *testing.T) {
	h := start(t)
	body := map[string]any{"observations": []entry{{Key: key(), Market: "psr-oeba", Commodity: "beras-medium", Day: today, Price: 13500}}}
	if status, _ := h.do("", "POST", "/api/v1/prices/observations", body); status != 401 {
		t.Errorf("anonymous entry = %d", status)
	}
	if status, _ := h.do("tpid", "POST", "/api/v1/prices/observations", body); status != 403 {
		t.Errorf("executive entry = %d", status)
	}
	// An enumerator of another unit holds the permission, but not on the
	// trade agency's markets.
	if r := h.send("enum.dlhk", entry{Key: key(), Market: "psr-oeba", Commodity: "beras-medium", Day: today, Price: 13500}); r[0].Status != "forbidden" {
		t.Errorf("other unit's enumerator = %+v", r[0])
	}
	// Pages: anonymous visitors are sent to sign in.
	if status, _ := h.do("", "GET", "/harga/input/psr-oeba", nil); status != 303 {
		t.Errorf("anonymous entry page = %d", status)
	}
	if status, _ := h.do("enum.dlhk", "GET", "/harga/input/psr-oeba", nil); status != 403 {
		t.Errorf("other unit's entry page = %d", status)
	}
	r := h.send("enum.disperindag", entry{Key: key(), Market: "psr-oeba", Commodity: "beras-medium", Day: today, Price: 13500})
	path := "/api/v1/prices/observations/" + itoa(r[0].ID) + "/review"
	for user, want := range map[string]int{"": 401, "enum.disperindag": 403, "enum.dlhk": 403, "spv.dlhk": 403} {
		if status, body := h.do(user, "POST", path, map[string]any{"action": "approve"}); status != want {
			t.Errorf("approve as %q = %d %s, want %d", user, status, body, want)
		}
	}
	if status, _ := h.do("spv.dlhk", "GET", "/harga/tinjau/"+itoa(r[0].ID), nil); status != 403 {
		t.Errorf("other unit's supervisor opens the entry: %d", status)
	}
	var q struct{ Observations []any }
	h.getJSON("spv.dlhk", "/api/v1/prices/observations?status=all", &q)
	if len(q.Observations) != 0 {
		t.Errorf("other unit's supervisor sees %d entries", len(q.Observations))
	}
	if status, body := h.do("spv.disperindag", "POST", path, map[string]any{"action": "approve"}); status != 200 || !strings.Contains(body, `"status":"approved"`) {
		t.Errorf("approve = %d %s", status, body)
	}
}

// TestReviewApproveAndCorrect: the supervisor approves one entry and
// corrects another; the correction keeps the old price in the history
// and reaches the board and the aggregates.
func TestReviewApproveAndCorrect(t *testing.T) {
	h := start(t)
	r := h.send("enum.disperindag",
		entry{Key: key(), Market: "psr-oeba", Commodity: "gula-konsumsi", Day: today, Price: 18000},
		entry{Key: key(), Market: "psr-oeba", Commodity: "garam-konsumsi", Day: today, Price: 1000})
	gula, garam := itoa(r[0].ID), itoa(r[1].ID)
	if status, body := h.do("spv.disperindag", "POST", "/api/v1/prices/observations/"+gula+"/review", map[string]any{"action": "approve"}); status != 200 {
		t.Fatalf("approve = %d %s", status, body)
	}
	// A correction needs a new price and a note.
	if status, body := h.do("spv.disperindag", "POST", "/api/v1/prices/observations/"+garam+"/review", map[string]any{"action": "correct", "price": 10000}); status != 422 || !strings.Contains(body, `"note"`) {
		t.Errorf("correct without note = %d %s", status, body)
	}
	// Through the page form, as a supervisor on a phone would.
	status, _ := h.do("spv.disperindag", "POST", "/harga/tinjau/"+garam, url.Values{"action": {"correct"}, "price": {"10000"},
		"note": {"Salah ketik: kurang satu nol"}}.Encode())
	if status != 303 {
		t.Fatalf("correct form = %d", status)
	}
	var detail struct {
		Price   float64
		Status  string
		History []struct {
			Action             string
			OldPrice, NewPrice *float64 `json:"-"`
			Old                *float64 `json:"old_price"`
			New                *float64 `json:"new_price"`
			Note, Actor        string
		}
	}
	h.getJSON("spv.disperindag", "/api/v1/prices/observations/"+garam, &detail)
	if detail.Price != 10000 || detail.Status != "corrected" || len(detail.History) != 2 {
		t.Fatalf("corrected entry = %+v", detail)
	}
	c := detail.History[1]
	if detail.History[0].Action != "created" || c.Action != "corrected" || *c.Old != 1000 || *c.New != 10000 || c.Note != "Salah ketik: kurang satu nol" || c.Actor != "spv.disperindag" {
		t.Errorf("history = %+v", detail.History)
	}
	if got := h.board("")["garam-konsumsi"]; got.Current == nil || got.Current.Price != 10000 {
		t.Errorf("board after correction = %+v", got)
	}
	// An approved entry is no longer in the default queue; the corrected
	// one neither. Approving again is refused.
	var q struct{ Observations []struct{ ID int64 } }
	h.getJSON("spv.disperindag", "/api/v1/prices/observations", &q)
	if len(q.Observations) != 0 {
		t.Errorf("queue still has %+v", q.Observations)
	}
	if status, _ := h.do("spv.disperindag", "POST", "/api/v1/prices/observations/"+gula+"/review", map[string]any{"action": "approve"}); status != 422 {
		t.Errorf("approve twice = %d", status)
	}
	// A rejection leaves the price out of the board.
	if status, body := h.do("spv.disperindag", "POST", "/api/v1/prices/observations/"+garam+"/review", map[string]any{"action": "reject", "note": "Pedagang tidak ada"}); status != 200 {
		t.Fatalf("reject = %d %s", status, body)
	}
	if got := h.board("")["garam-konsumsi"]; got.Current != nil {
		t.Errorf("board after rejection = %+v", got)
	}
	// The review page lists and shows it.
	status, page := h.do("spv.disperindag", "GET", "/harga/tinjau/"+garam, nil)
	if status != 200 || !strings.Contains(page, "Salah ketik: kurang satu nol") || !strings.Contains(page, "Ditolak") {
		t.Errorf("review page = %d", status)
	}
}

// TestEntryFormWithoutJavaScript posts the enumerator's form as a phone
// without JavaScript would: a deviating price comes back asking for a
// reason, the rest is stored, and posting again stores nothing twice.
func TestEntryFormWithoutJavaScript(t *testing.T) {
	h := start(t)
	h.send("enum.disperindag", entry{Key: key(), Market: "psr-oeba", Commodity: "ikan-kembung", Day: "2026-12-03", Price: 50000})
	status, page := h.do("enum.disperindag", "GET", "/harga/input/psr-oeba", nil)
	if status != 200 || !strings.Contains(page, `name="p_ikan-kembung"`) || !strings.Contains(page, "Rp 50.000") {
		t.Fatalf("form = %d", status)
	}
	batch := regexp.MustCompile(`name="batch" value="([0-9a-f]+)"`).FindStringSubmatch(page)[1]
	form := url.Values{"batch": {batch}, "day": {today}, "trader": {"0"}, "p_ikan-kembung": {"80000"}, "p_ikan-tongkol": {"30000"}, "p_kangkung": {"5.000,5"}}
	status, page = h.do("enum.disperindag", "POST", "/harga/input/psr-oeba", form.Encode())
	if status != 422 || !strings.Contains(page, "konfirmasi dengan alasan") || !strings.Contains(page, "entry-row needs-reason") {
		t.Fatalf("deviating form = %d %.3000s", status, page)
	}
	if n := h.countPrices("ikan-tongkol", "2026-12-01", today); n != 1 {
		t.Errorf("tongkol stored %d times, want 1", n)
	}
	form.Set("r_ikan-kembung", "Ombak tinggi, nelayan tidak melaut")
	form.Set("p_kangkung", "5000")
	status, _ = h.do("enum.disperindag", "POST", "/harga/input/psr-oeba", form.Encode())
	if status != 303 {
		t.Fatalf("form with reason = %d", status)
	}
	for code, want := range map[string]int{"ikan-kembung": 2, "ikan-tongkol": 1, "kangkung": 1} {
		if n := h.countPrices(code, "2026-12-01", today); n != want {
			t.Errorf("%s stored %d times, want %d", code, n, want)
		}
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestConcurrentEntries: enumerators in several markets send prices of
// the same commodity at the same moment. Every price is stored and the
// city's aggregate counts all of them (on PostgreSQL, concurrent
// refreshes of the same day's cells must not collide).
func TestConcurrentEntries(t *testing.T) {
	h := start(t)
	h.token("enum.disperindag")
	markets := []string{"psr-oeba", "psr-inpres", "psr-oebobo", "psr-oesapa", "psr-penfui", "psr-kuanino"}
	keys := make([][]entry, len(markets))
	for i, m := range markets {
		for j := range 4 {
			keys[i] = append(keys[i], entry{Key: key(), Market: m, Commodity: "beras-medium", Day: today, Price: float64(13000 + 100*j)})
		}
	}
	errs := make(chan string, len(markets)*4)
	done := make(chan struct{})
	for i := range markets {
		go func(i int) {
			defer func() { done <- struct{}{} }()
			for _, e := range keys[i] {
				status, body := h.do("enum.disperindag", "POST", "/api/v1/prices/observations", map[string]any{"observations": []entry{e}})
				if status != 200 || !strings.Contains(body, `"created"`) {
					errs <- body
				}
			}
		}(i)
	}
	for range markets {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Errorf("concurrent entry: %s", e)
	}
	if n := h.countPrices("beras-medium", today, today); n != 24 {
		t.Errorf("%d prices stored, want 24", n)
	}
	got := h.board("")["beras-medium"]
	want := math.Pow(13000*13100*13200*13300, 0.25)
	if got.Current == nil || !near(got.Current.Price, want) || len(got.Markets) != 6 {
		t.Errorf("board = %+v, want city price %v", got, want)
	}
}
