package reports_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// An administrator edits a category's targets, adds a kelurahan-level
// routing rule and a local holiday; new reports follow all three.
func TestSettingsDriveRoutingAndDeadlines(t *testing.T) {
	s := start(t, true) // Friday 4 December 2026, 09:00 WITA
	admin := signIn(t, s, "admin", demoPassword)
	resident := newBrowser(t, s)
	oesapa := kelurahanCentroid(t, s, "53.71.03.1010")

	// Rubbish in Oesapa goes to the kelurahan office (say, a local
	// clean-up team) instead of DLHK.
	resp, body := admin.post("/petugas/pengaturan/rute", url.Values{"category": {"sampah-liar"}, "level": {"kelurahan"},
		"area": {"53.71.03.1010"}, "target": {"kelurahan-office"}})
	wantStatus(t, "add rule", resp, body, http.StatusSeeOther)
	resp, body = admin.post("/petugas/pengaturan/rute", url.Values{"category": {"sampah-liar"}, "level": {"kelurahan"},
		"area": {"53.71.03.1010"}, "target": {"no-such-unit"}})
	wantStatus(t, "bad target", resp, body, http.StatusUnprocessableEntity)
	// The response target becomes one working day.
	_, page := admin.get("/petugas/pengaturan")
	if !strings.Contains(page, `id="kategori-sampah-liar"`) {
		t.Fatal("category form missing")
	}
	form := url.Values{"name_id": {"Tumpukan sampah liar"}, "name_en": {"Illegal rubbish dump"}, "group": {"sampah"},
		"default_privacy": {"public"}, "response_target": {"1wd"}, "resolution_target": {"4wd"}, "active": {"1"}, "sort_order": {"10"},
		"attributes": {`[{"code":"volume","datatype":"singlevaluelist","required":true,"order":1,"name_id":"Perkiraan volume","name_en":"Volume","values":[{"key":"kecil","name_id":"Kecil","name_en":"Small"},{"key":"besar","name_id":"Besar","name_en":"Large"}]}]`}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("response_target", "soon")
	resp, body = admin.post("/petugas/pengaturan/kategori/sampah-liar", bad)
	wantStatus(t, "bad target", resp, body, http.StatusUnprocessableEntity)
	resp, body = admin.post("/petugas/pengaturan/kategori/sampah-liar", form)
	wantStatus(t, "save category", resp, body, http.StatusSeeOther)
	// Monday 7 December becomes a local holiday.
	resp, body = admin.post("/petugas/pengaturan/hari-libur", url.Values{"date": {"2026-12-07"}, "name": {"Libur daerah (uji)"}, "kind": {"libur_daerah"}})
	wantStatus(t, "add holiday", resp, body, http.StatusSeeOther)
	resp, body = admin.post("/petugas/pengaturan/hari-libur/impor", url.Values{"csv": {"date,name,kind\n2026-12-08,Uji,bukan_jenis\n"}})
	wantStatus(t, "bad import", resp, body, http.StatusUnprocessableEntity)

	c := report(t, resident, map[string]any{"category": "sampah-liar", "lat": oesapa[0], "lon": oesapa[1], "description": "Sampah",
		"attributes": map[string]any{"volume": "besar"}}, nil)
	if c.Agency != "kel-53.71.03.1010" {
		t.Fatalf("routed to %s", c.Agency)
	}
	// One working day from Friday 09:00, Monday off: Tuesday 09:00.
	r := slaOf(t, s, c.ID)
	if !r.ResponseDue.Equal(witaTime(12, 8, 9, 0)) {
		t.Fatalf("response due %s", r.ResponseDue.In(wita))
	}
	// The attribute choice removed from the list is refused now.
	resp, raw := resident.api(http.MethodPost, "/api/v1/reports", map[string]any{"category": "sampah-liar", "lat": oesapa[0], "lon": oesapa[1],
		"description": "x", "attributes": map[string]any{"volume": "sedang"}}, nil)
	wantStatus(t, "removed choice", resp, raw, http.StatusUnprocessableEntity)
	// The holidays page lists the new day; deleting it restores Monday.
	_, page = admin.get("/petugas/pengaturan/hari-libur?tahun=2026")
	if !strings.Contains(page, "Libur daerah (uji)") || !strings.Contains(page, "Cuti bersama Hari Raya Natal") {
		t.Fatal("holidays page incomplete")
	}
	resp, body = admin.post("/petugas/pengaturan/hari-libur/2026-12-07/hapus", nil)
	wantStatus(t, "delete holiday", resp, body, http.StatusSeeOther)
	c2 := report(t, resident, map[string]any{"category": "sampah-liar", "lat": oesapa[0], "lon": oesapa[1], "description": "Sampah lagi",
		"attributes": map[string]any{"volume": "kecil"}}, nil)
	if r := slaOf(t, s, c2.ID); !r.ResponseDue.Equal(witaTime(12, 7, 9, 0)) {
		t.Fatalf("after deleting the holiday: %s", r.ResponseDue.In(wita))
	}
}
