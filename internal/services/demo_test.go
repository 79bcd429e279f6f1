package services_test

import (
	"strings"
	"testing"

	"github.com/sodamolek/sodamolek/internal/apptest"
)

// TestDemoData: --demo seeds the officers and files; the PKKPR → PBG pair
// is complete and verifies, and each officer has a queue.
func TestDemoData(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Args: []string{"--demo"}})
	anon := &client{t: t, s: s, c: s.Client()}
	for _, number := range []string{"S-PKKPR-2026-000001", "S-PBG-2026-000001"} {
		resp, page := anon.page("/verify/" + number)
		if resp.StatusCode != 200 || !strings.Contains(page, `class="alert success" id="verify-signature"`) {
			t.Fatalf("verify %s = %d", number, resp.StatusCode)
		}
	}
	for _, user := range []string{"pupr.officer", "tpa.officer", "kel.oebobo", "bpn.officer", "dpmptsp.officer"} {
		cl := &client{t: t, s: s, c: s.Client()}
		code, body := cl.do("POST", "/api/v1/auth/login", map[string]string{"username": user, "password": "demo-kupang-2026"})
		mustCode(t, "login "+user, code, 200, body)
		cl.token = body["token"].(string)
		code, body = cl.do("GET", "/api/v1/services-queue", nil)
		mustCode(t, "queue "+user, code, 200, body)
		if user != "bpn.officer" && user != "dpmptsp.officer" && len(body["items"].([]any)) == 0 {
			t.Errorf("%s has an empty queue", user)
		}
	}
	cit := citizen(t, s, "081234567890")
	_, page := cit.page("/layanan/saya")
	for _, want := range []string{"PKKPR-2026-000001", "PBG-2026-000002", "DOMISILI-2026-000001"} {
		if !strings.Contains(page, want) {
			t.Errorf("the demo citizen's list lacks %s", want)
		}
	}
	if strings.Count(page, "/layanan/saya/") != 15 {
		t.Fatalf("demo citizen's files: %.3000s", page)
	}
}
