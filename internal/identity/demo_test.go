package identity

import (
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/sodamolek/sodamolek/internal/platform/auth"
)

func TestDemoAccounts(t *testing.T) {
	h := start(t, "--demo")
	admin := &auth.Principal{Kind: auth.Staff, Username: "t", Grants: []auth.Grant{{Permission: "users.manage", Scope: auth.ScopeCity}}}
	users, err := h.svc.ListUsers(h.ctx(), admin, auth.UserFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]auth.User{}
	for _, u := range users {
		got[u.Username+u.Phone] = u
	}
	for _, a := range DemoAccounts {
		u, ok := got[a.Username]
		if !ok || u.UnitCode != a.Unit || strings.Join(u.Roles, ",") != strings.Join(a.Roles, ",") {
			t.Errorf("demo account %s: %+v", a.Username, u)
		}
	}
	if _, ok := got[DemoCitizenPhone]; !ok {
		t.Error("no demo citizen")
	}
	// Demo mode waives the administrator's second factor.
	b := h.browser()
	if resp := b.signInStaff("admin", DemoPassword); resp.Header.Get("Location") != "/" {
		t.Fatalf("demo admin went to %s", resp.Header.Get("Location"))
	}
	if resp, _ := b.get("/akun"); resp.StatusCode != http.StatusOK {
		t.Fatal("demo admin not signed in")
	}
	if resp, _ := h.browser().api("POST", "/api/v1/auth/login", "", `{"username":"admin","password":"`+DemoPassword+`"}`); resp.StatusCode != http.StatusOK {
		t.Fatalf("demo admin API login: %d", resp.StatusCode)
	}
}

// TestDemoAccountsAreDocumented keeps the README's list and
// docs/demo-accounts.md in step with DemoAccounts.
func TestDemoAccountsAreDocumented(t *testing.T) {
	for _, file := range []string{"../../README.md", "../../docs/demo-accounts.md"} {
		doc, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		text := string(doc)
		if !strings.Contains(text, "`"+DemoPassword+"`") || !strings.Contains(text, DemoCitizenPhone) {
			t.Errorf("%s: the password or the citizen's number is not documented", file)
		}
		for _, a := range DemoAccounts {
			row := regexp.MustCompile("(?m)^\\| `" + regexp.QuoteMeta(a.Username) + "` \\| " + strings.Join(a.Roles, ", ") + " \\| `" + regexp.QuoteMeta(a.Unit) + "` \\|")
			if !row.MatchString(text) {
				t.Errorf("%s lacks the row of %s (%s @ %s)", file, a.Username, a.Roles, a.Unit)
			}
		}
	}
}
