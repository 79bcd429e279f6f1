package reports_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Every kind of bad input gets a precise error naming the field, and
// nothing is written.
func TestIntakeBadInput(t *testing.T) {
	s := start(t, false)
	b := newBrowser(t, s)
	penfui := kelurahanCentroid(t, s, "53.71.02.1003")
	ok := func() map[string]any {
		return map[string]any{"category": "jalan-rusak", "lat": penfui[0], "lon": penfui[1], "description": "Lubang besar",
			"attributes": map[string]any{"ukuran": "besar"}}
	}
	count := func() int {
		var n int
		if err := s.App.Deps.DB.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM reports`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	for _, tc := range []struct {
		name   string
		edit   func(m map[string]any)
		status int
		field  string
		says   string
	}{
		{"outside the city", func(m map[string]any) { m["lat"], m["lon"] = outside[0], outside[1] }, 422, "location", "luar Kota Kupang"},
		{"missing category", func(m map[string]any) { delete(m, "category") }, 422, "category", ""},
		{"unknown category", func(m map[string]any) { m["category"] = "ufo" }, 422, "category", "ufo"},
		{"no place at all", func(m map[string]any) { delete(m, "lat"); delete(m, "lon") }, 422, "location", ""},
		{"half a point", func(m map[string]any) { delete(m, "lon") }, 422, "location", ""},
		{"bad coordinate", func(m map[string]any) { m["lat"] = 123.0 }, 422, "location", ""},
		{"unknown kelurahan", func(m map[string]any) { delete(m, "lat"); delete(m, "lon"); m["kelurahan"] = "53.71.99.9999" }, 422, "location", ""},
		{"empty description", func(m map[string]any) { m["description"] = "   " }, 422, "description", ""},
		{"description too long", func(m map[string]any) { m["description"] = strings.Repeat("é", 4001) }, 422, "description", "4000"},
		{"missing required attribute", func(m map[string]any) { m["attributes"] = map[string]any{} }, 422, "attributes.ukuran", ""},
		{"attribute not a choice", func(m map[string]any) { m["attributes"] = map[string]any{"ukuran": "raksasa"} }, 422, "attributes.ukuran", ""},
		{"unknown attribute", func(m map[string]any) { m["attributes"] = map[string]any{"ukuran": "kecil", "warna": "merah"} }, 422, "attributes.warna", ""},
		{"bad privacy", func(m map[string]any) { m["privacy"] = "secret" }, 422, "privacy", ""},
		{"bad phone", func(m map[string]any) { m["contact"] = map[string]any{"phone": "12345"} }, 422, "phone", ""},
		{"unknown JSON field", func(m map[string]any) { m["colour"] = "red" }, 400, "colour", ""},
	} {
		body := ok()
		tc.edit(body)
		resp, raw := b.api(http.MethodPost, "/api/v1/reports", body, nil)
		var e struct {
			Error struct {
				Code, Message string
				Fields        map[string]string
			}
		}
		_ = json.Unmarshal([]byte(raw), &e)
		if resp.StatusCode != tc.status || e.Error.Fields[tc.field] == "" || !strings.Contains(e.Error.Fields[tc.field], tc.says) {
			t.Errorf("%s: %d %s, want %d naming %s", tc.name, resp.StatusCode, raw, tc.status, tc.field)
		}
	}
	// A key longer than any client needs.
	resp, raw := b.api(http.MethodPost, "/api/v1/reports", ok(), http.Header{"Idempotency-Key": {strings.Repeat("k", 201)}})
	wantStatus(t, "long idempotency key", resp, raw, http.StatusBadRequest)
	if n := count(); n != before {
		t.Fatalf("%d reports written by refused submissions", n-before)
	}

	// The page form: photos that are not images, or too big, are refused
	// with the reason and nothing is stored.
	form := func() url.Values {
		return url.Values{"kategori": {"jalan-rusak"}, "kelurahan": {"53.71.02.1003"}, "uraian": {"Lubang"}, "attr_ukuran": {"kecil"},
			"privasi": {"public"}, "token": {"form-token-1"}}
	}
	b.get("/lapor?kategori=jalan-rusak")
	resp, page := b.postMultipart("/lapor", form(), upload{"foto", "virus.exe", []byte("MZ\x90\x00 not an image at all")})
	wantStatus(t, "non-image photo", resp, page, http.StatusUnprocessableEntity)
	if !strings.Contains(page, "virus.exe bukan foto") {
		t.Fatalf("non-image photo message missing:\n%s", tail(page))
	}
	big := append(pngPhoto(t, 2), bytes.Repeat([]byte{0}, 10<<20)...)
	resp, page = b.postMultipart("/lapor", form(), upload{"foto", "besar.png", big})
	wantStatus(t, "oversized photo", resp, page, http.StatusUnprocessableEntity)
	if !strings.Contains(page, "terlalu besar") {
		t.Fatalf("oversized photo message missing:\n%s", tail(page))
	}
	many := []upload{{"foto", "1.png", pngPhoto(t, 1)}, {"foto", "2.png", pngPhoto(t, 2)}, {"foto", "3.png", pngPhoto(t, 3)}, {"foto", "4.png", pngPhoto(t, 4)}}
	resp, page = b.postMultipart("/lapor", form(), many...)
	wantStatus(t, "four photos", resp, page, http.StatusUnprocessableEntity)
	if n := count(); n != before {
		t.Fatalf("%d reports written by refused forms", n-before)
	}
	// A valid form with a photo makes one report; the same form token
	// (a double tap) leads to the same report.
	resp, page = b.postMultipart("/lapor", form(), upload{"foto", "jalan.png", pngPhoto(t, 9)})
	wantStatus(t, "form", resp, page, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	resp, _ = b.postMultipart("/lapor", form(), upload{"foto", "jalan.png", pngPhoto(t, 9)})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != loc {
		t.Fatalf("double tap went to %s, first to %s", resp.Header.Get("Location"), loc)
	}
	if n := count(); n != before+1 {
		t.Fatalf("%d reports after one form sent twice", n-before)
	}
	_, page = b.get(loc)
	if !strings.Contains(page, `id="tracking-code"`) {
		t.Fatalf("tracking page after the form:\n%s", tail(page))
	}
}

// Before submitting, open reports of the same category within 250 m are
// offered; "me too" counts and follows instead of a new report.
func TestNearbyDuplicatesAndMeToo(t *testing.T) {
	s := start(t, false)
	b := newBrowser(t, s)
	p := kelurahanCentroid(t, s, "53.71.04.1009")
	first := report(t, b, map[string]any{"category": "lampu-jalan-mati", "lat": p[0], "lon": p[1], "description": "Lampu mati",
		"attributes": map[string]any{"jumlah_lampu": 3}}, nil)
	// 150 m north: offered. 600 m: not.
	near, far := p[0]+0.00135, p[0]+0.0054
	_, raw := b.get("/api/v1/reports/nearby?category=lampu-jalan-mati&lat=" + ftoa(near) + "&lon=" + ftoa(p[1]))
	if !strings.Contains(raw, `"id":`+itoa(first.ID)+`,`) {
		t.Fatalf("nearby did not offer #%d: %s", first.ID, raw)
	}
	_, raw = b.get("/api/v1/reports/nearby?category=lampu-jalan-mati&lat=" + ftoa(far) + "&lon=" + ftoa(p[1]))
	if strings.Contains(raw, `"id":`+itoa(first.ID)+`,`) {
		t.Fatalf("nearby offered a report 600 m away: %s", raw)
	}
	_, raw = b.get("/api/v1/reports/nearby?category=jalan-rusak&lat=" + ftoa(near) + "&lon=" + ftoa(p[1]))
	if strings.Contains(raw, `"id":`+itoa(first.ID)+`,`) {
		t.Fatal("nearby offered a report of another category")
	}
	// The form without JavaScript shows them before storing anything.
	_, _ = b.get("/lapor?kategori=lampu-jalan-mati")
	resp, page := b.postMultipart("/lapor", url.Values{"kategori": {"lampu-jalan-mati"}, "lat": {ftoa(near)}, "lon": {ftoa(p[1])},
		"uraian": {"Gelap"}, "attr_jumlah_lampu": {"1"}, "token": {"t-near"}})
	wantStatus(t, "form near a duplicate", resp, page, http.StatusOK)
	if !strings.Contains(page, "/laporan/"+itoa(first.ID)+"/dukung") || !strings.Contains(page, `name="dup_checked" id="f-dup" value="1"`) {
		t.Fatalf("duplicates not offered:\n%s", tail(page))
	}
	// Me too, twice from the same person: counted once.
	other := newBrowser(t, s)
	for i := 0; i < 2; i++ {
		resp, raw = other.api(http.MethodPost, "/api/v1/reports/"+itoa(first.ID)+"/support", map[string]any{"phone": "081299998888"}, nil)
		wantStatus(t, "support", resp, raw, http.StatusOK)
	}
	if v := track(t, b, first.TrackingCode); v.Supporters != 1 {
		t.Fatalf("supporters = %d", v.Supporters)
	}
	// The follower hears about the next public change, without the code.
	officer := newStaff(t, s, "pju.officer", "dishub")
	resp, body := officer.post("/petugas/laporan/"+itoa(first.ID)+"/verifikasi", nil)
	wantStatus(t, "verify", resp, body, http.StatusSeeOther)
	s.RunJobs(t)
	m, ok := s.Outbox.Last("+6281299998888")
	if !ok || strings.Contains(m.Body, first.TrackingCode) || !strings.Contains(m.Body, "/laporan/"+itoa(first.ID)) {
		t.Fatalf("follower message: %+v", m)
	}
}
