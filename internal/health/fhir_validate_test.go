package health_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/apptest"
)

// TestFHIRIsValidR4 fetches resources and bundles from a demo server and
// validates them with a real FHIR R4 validator, the npm package fhir
// (fhirvalidate/validate.js). npm installs it once into the user cache;
// without node and npm the test is skipped, except in CI (CI=true), where
// a missing validator is a failure.
func TestFHIRIsValidR4(t *testing.T) {
	dir := validatorDir(t)
	s := startDemo(t)
	key := fhirKey(t, s)
	var childID int64
	if err := s.App.Deps.DB.QueryRowContext(context.Background(), `SELECT patient_id FROM health_growth_latest ORDER BY patient_id LIMIT 1`).Scan(&childID); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	fetch := func(name, path string) string {
		resp, body := apptest.Do(t, s.Client(), "GET", s.URL+path, "", "", key)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/fhir+json") {
			t.Fatalf("%s = %d %s %.300s", path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		if err := os.WriteFile(filepath.Join(out, name+".json"), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return body
	}
	fetch("metadata", "/fhir/R4/metadata")
	fetch("patients", "/fhir/R4/Patient?_count=20")
	fetch("organizations", "/fhir/R4/Organization")
	fetch("organization", "/fhir/R4/Organization/pkm-oesapa")
	fetch("locations", "/fhir/R4/Location?organization=Organization/pkm-oesapa")
	fetch("location", "/fhir/R4/Location/pkm-oesapa.umum")
	encounters := fetch("encounters", "/fhir/R4/Encounter?_count=20&_lastUpdated=ge2026-11-01")
	fetch("conditions", "/fhir/R4/Condition?_count=20")
	fetch("observations", fmt.Sprintf("/fhir/R4/Observation?subject=Patient/%d", childID))
	fetch("child", fmt.Sprintf("/fhir/R4/Patient/%d", childID))
	var b struct {
		Entry []struct {
			Resource struct {
				ID string `json:"id"`
			} `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal([]byte(encounters), &b); err != nil || len(b.Entry) == 0 {
		t.Fatalf("no encounters since November: %v", err)
	}
	fetch("encounter", "/fhir/R4/Encounter/"+b.Entry[0].Resource.ID)
	bundle := fetch("export", "/fhir/R4/$export-bundle?start=2026-11-16&end=2026-11-21")
	for _, typ := range []string{"Organization", "Location", "Encounter", "Condition", "Observation", "Patient"} {
		if !strings.Contains(bundle, `"resourceType":"`+typ+`"`) {
			t.Errorf("the export bundle has no %s", typ)
		}
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.json"))
	cmd := exec.Command("node", append([]string{filepath.Join(dir, "validate.js")}, files...)...)
	cmd.Dir = dir
	res, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("FHIR validation failed: %v\n%s", err, res)
	}
	t.Logf("%s", res)
}

// validatorDir prepares the validator in the user cache (keyed by the
// lock file, so a new pin installs afresh) and returns its directory.
func validatorDir(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is required in CI to validate FHIR: %v", tool, err)
			}
			t.Skipf("%s not installed: FHIR validation skipped", tool)
		}
	}
	src := "fhirvalidate"
	lock, err := os.ReadFile(filepath.Join(src, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile(filepath.Join(src, "validate.js"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(append(lock, script...))
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "sodamolek", "fhirvalidate-"+hex.EncodeToString(sum[:6]))
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "fhir", "package.json")); err == nil {
		return dir
	}
	// Install into a fresh directory and rename it into place, so two test
	// processes never see a half-installed validator.
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "install-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	for _, f := range []string{"package.json", "package-lock.json", "validate.js"} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tmp, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm ci for the FHIR validator: %v\n%s", err, out)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, statErr := os.Stat(filepath.Join(dir, "node_modules")); statErr != nil {
			t.Fatalf("install the FHIR validator: %v", err)
		}
	}
	return dir
}
