package identity

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestStaffSignInWithFormAndAPI(t *testing.T) {
	h := start(t)
	h.staff("budi.dlhk", "dlhk", "officer")
	b := h.browser()

	resp, body := b.postFrom("/masuk", "/masuk", url.Values{"username": {"budi.dlhk"}, "password": {"wrong-password"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Nama pengguna atau kata sandi salah") {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
	// An unknown account gets the very same answer.
	resp, body2 := b.postFrom("/masuk", "/masuk", url.Values{"username": {"nobody"}, "password": {"wrong-password"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body2, "Nama pengguna atau kata sandi salah") {
		t.Fatalf("unknown user: %d", resp.StatusCode)
	}
	resp = b.signInStaff("budi.dlhk", "budi.dlhk-password")
	if loc := resp.Header.Get("Location"); loc != "/" {
		t.Fatalf("redirect to %q", loc)
	}
	resp, body = b.get("/akun")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "budi.dlhk") {
		t.Fatalf("/akun = %d", resp.StatusCode)
	}

	api := h.browser()
	resp, body = api.api("POST", "/api/v1/auth/login", "", `{"username":"budi.dlhk","password":"budi.dlhk-password"}`)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("API login = %d %s", resp.StatusCode, body)
	}
	var tok struct {
		Token     string `json:"token"`
		ExpiresAt string `json:"expires_at"`
	}
	if err := json.Unmarshal([]byte(body), &tok); err != nil || tok.Token == "" || tok.ExpiresAt == "" {
		t.Fatalf("login body %s", body)
	}
	resp, body = api.api("GET", "/api/v1/me", tok.Token, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/me = %d %s", resp.StatusCode, body)
	}
	var me map[string]any
	_ = json.Unmarshal([]byte(body), &me)
	unit, _ := me["unit"].(map[string]any)
	if me["username"] != "budi.dlhk" || unit["code"] != "dlhk" || unit["name"] != "Dinas Lingkungan Hidup dan Kebersihan" {
		t.Fatalf("/me = %s", body)
	}
	if roles, _ := me["roles"].([]any); len(roles) != 1 || roles[0] != "officer" {
		t.Fatalf("roles = %v", me["roles"])
	}

	for _, c := range []struct {
		body, code string
		status     int
	}{
		{`{"username":"budi.dlhk","password":"nope-nope-nope"}`, "invalid_credentials", 401},
		{`{"username":"ghost","password":"nope-nope-nope"}`, "invalid_credentials", 401},
		{`{"username":"budi.dlhk","password":"x","extra":1}`, "unknown_field", 400},
		{`{"username":"","password":""}`, "validation", 422},
	} {
		resp, body = api.api("POST", "/api/v1/auth/login", "", c.body)
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		_ = json.Unmarshal([]byte(body), &e)
		if resp.StatusCode != c.status || e.Error.Code != c.code || e.Error.Message == "" {
			t.Errorf("%s: %d %s", c.body, resp.StatusCode, body)
		}
	}
	for _, token := range []string{"", "smk_api_not-a-token", "garbage"} {
		if resp, _ := api.api("GET", "/api/v1/me", token, ""); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("/me with %q = %d", token, resp.StatusCode)
		}
	}
}
