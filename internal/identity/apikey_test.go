package identity

import (
	"net/http"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/platform/audit"
	"github.com/sodamolek/sodamolek/internal/platform/auth"
	"github.com/sodamolek/sodamolek/internal/platform/web"
)

func TestAPIKeysCreateUseRevoke(t *testing.T) {
	h := start(t)
	// A route as an integration module would register it.
	h.app.Deps.Shell.Router.API("GET /api/v1/test/open311", web.KeyScope("open311"), func(w http.ResponseWriter, r *http.Request) {
		web.WriteJSON(w, http.StatusOK, map[string]string{"key": web.PrincipalOf(r).Name})
	})
	plain, info, err := h.svc.CreateAPIKey(h.ctx(), nil, "LAPOR! Open311", []string{"open311", "open311"})
	if err != nil {
		t.Fatal(err)
	}
	if info.Prefix == "" || plain[:len(info.Prefix)] != info.Prefix || len(info.Scopes) != 1 || info.CreatedBy != "cli" {
		t.Fatalf("info %+v", info)
	}
	fhir, _, err := h.svc.CreateAPIKey(h.ctx(), nil, "SATUSEHAT", []string{"fhir"})
	if err != nil {
		t.Fatal(err)
	}
	c := h.browser()
	if resp, body := c.api("GET", "/api/v1/test/open311", plain, ""); resp.StatusCode != http.StatusOK || body != "{\"key\":\"LAPOR! Open311\"}\n" {
		t.Fatalf("key with the scope: %d %s", resp.StatusCode, body)
	}
	if resp, _ := c.api("GET", "/api/v1/test/open311", fhir, ""); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("key without the scope: %d", resp.StatusCode)
	}
	if resp, _ := c.api("GET", "/api/v1/me", plain, ""); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("/me with an API key: %d", resp.StatusCode)
	}
	lastUsed := func() time.Time {
		keys, err := h.svc.ListAPIKeys(h.ctx())
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if k.ID == info.ID {
				return k.LastUsedAt
			}
		}
		t.Fatal("key not listed")
		return time.Time{}
	}
	first := h.clock.Now()
	if !lastUsed().Equal(first) {
		t.Fatalf("last used %v, want %v", lastUsed(), first)
	}
	h.clock.Advance(30 * time.Second)
	c.api("GET", "/api/v1/test/open311", plain, "")
	if !lastUsed().Equal(first) {
		t.Fatal("last-used written more than once a minute")
	}
	h.clock.Advance(31 * time.Second)
	c.api("GET", "/api/v1/test/open311", plain, "")
	if !lastUsed().Equal(h.clock.Now()) {
		t.Fatal("last-used not moved after a minute")
	}

	if err := h.svc.RevokeAPIKey(h.ctx(), nil, info.ID); err != nil {
		t.Fatal(err)
	}
	if resp, _ := c.api("GET", "/api/v1/test/open311", plain, ""); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("revoked key: %d", resp.StatusCode)
	}
	keys, _ := h.svc.ListAPIKeys(h.ctx())
	if keys[len(keys)-1].RevokedAt.IsZero() {
		t.Fatal("revocation time not recorded")
	}
	if err := h.svc.RevokeAPIKey(h.ctx(), nil, 9999); err != auth.ErrNotFound {
		t.Fatalf("revoke unknown: %v", err)
	}

	// Only a city-wide apikeys.manage holder may make keys.
	h.staff("petugas", "dlhk", "officer")
	if _, _, err := h.svc.CreateAPIKey(h.ctx(), h.principalOf("petugas"), "x", []string{"pos"}); err != auth.ErrForbidden {
		t.Fatalf("officer creating a key: %v", err)
	}
	for _, bad := range [][]string{nil, {"Open 311"}, {""}} {
		if _, _, err := h.svc.CreateAPIKey(h.ctx(), nil, "x", bad); auth.FieldErrorsOf(err) == nil {
			t.Errorf("scopes %q accepted: %v", bad, err)
		}
	}
	actions := h.auditActions(audit.Filter{ObjectType: "api_key"})
	if count(actions, "apikey.created") != 2 || count(actions, "apikey.revoked") != 1 {
		t.Fatalf("audit %v", actions)
	}
}
