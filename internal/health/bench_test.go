package health_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/sodamolek/sodamolek/internal/apptest"
	"github.com/sodamolek/sodamolek/internal/health"
)

func healthModule(b testing.TB, s *apptest.Server) *health.Module {
	for _, m := range s.App.Modules {
		if hm, ok := m.(*health.Module); ok {
			return hm
		}
	}
	b.Fatal("health module not registered")
	return nil
}

// BenchmarkZScoreAPI100k measures 100,000 assessments through the API
// handler: 100 batches of 1,000 children, JSON in and out. ns/op is the
// time for all 100,000.
func BenchmarkZScoreAPI100k(b *testing.B) {
	s := apptest.Start(b, apptest.Options{})
	h := healthModule(b, s).ZScoresHandler()
	var batch []map[string]any
	for i := range 1000 {
		day := (i * 7919) % 1827
		w := 3.3 + 14.7*float64(day)/1826*(0.8+float64(i%41)/100)
		l := 50 + 60*float64(day)/1826*(0.9+float64(i%23)/110)
		batch = append(batch, map[string]any{"sex": []string{"male", "female"}[i%2], "age_days": day, "weight_kg": w, "lenhei_cm": l,
			"measure": []string{"lying", "standing", ""}[i%3], "oedema": i%97 == 0})
	}
	body, _ := json.Marshal(batch)
	b.ResetTimer()
	for b.Loop() {
		for range 100 {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodPost, "/api/v1/growth/zscores", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			h(rec, req)
			if rec.Code != 200 {
				b.Fatalf("status %d: %.200s", rec.Code, rec.Body.String())
			}
		}
	}
}

// BenchmarkScale seeds city-scale data (SeedScale: 200,000 children × 24
// measurements and 1,000,000 visits at scale 1) and measures the reads
// that must stay fast at that volume, reporting p50 and p95 latencies
// over real HTTP. It takes minutes and runs only when
// SODAMOLEK_HEALTH_SCALE is set (the scale, e.g. 1):
//
//	SODAMOLEK_HEALTH_SCALE=1 go test ./internal/health -run '^$' -bench BenchmarkScale -benchtime 200x
func BenchmarkScale(b *testing.B) {
	scale, err := strconv.Atoi(os.Getenv("SODAMOLEK_HEALTH_SCALE"))
	if err != nil || scale < 1 {
		b.Skip("set SODAMOLEK_HEALTH_SCALE=1 to seed city-scale data and measure")
	}
	restore := health.SetDemoVolume(5, 0, 7, 0, 1)
	// SODAMOLEK_HEALTH_SCALE_DB keeps the seeded database for the next
	// run (e.g. sqlite:///var/tmp/scale.db): seeding takes minutes.
	s := apptest.Start(b, apptest.Options{Args: []string{"--demo"}, DatabaseURL: os.Getenv("SODAMOLEK_HEALTH_SCALE_DB")})
	restore()
	var seeded int
	_ = s.App.Deps.DB.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM health_visits`).Scan(&seeded)
	if seeded < 1000 {
		start := time.Now()
		if err := s.App.SeedScale(context.Background(), scale); err != nil {
			b.Fatal(err)
		}
		b.Logf("SeedScale(%d) on %s took %s", scale, s.App.Deps.DB.Dialect, time.Since(start).Round(time.Second))
	}
	var counts [3]int
	for i, q := range []string{`SELECT COUNT(*) FROM health_measurements`, `SELECT COUNT(*) FROM health_visits`, `SELECT COUNT(*) FROM health_growth_latest`} {
		_ = s.App.Deps.DB.QueryRowContext(context.Background(), q).Scan(&counts[i])
	}
	b.Logf("%d measurements, %d visits, %d children", counts[0], counts[1], counts[2])
	tok := http.Header{"Authorization": {"Bearer " + token(b, s, "dinkes.supervisor")}}
	pkm := http.Header{"Authorization": {"Bearer " + token(b, s, "pkm.oesapa")}}
	month := "2026-11"
	cases := []struct {
		name, path string
		h          http.Header
	}{
		{"prevalence-map", "/api/v1/health/prevalence?month=" + month, tok},
		{"prevalence-page", "/kesehatan/gizi/peta?month=" + month, tok},
		{"lb1-puskesmas", "/api/v1/health/lb1?month=" + month + "&pkm=pkm-oesapa", tok},
		{"lb1-city", "/api/v1/health/lb1?month=" + month + "&pkm=all", tok},
		{"followup-puskesmas", "/kesehatan/gizi/tindak-lanjut?pkm=pkm-oesapa", pkm},
		{"followup-kelurahan", "/kesehatan/gizi/tindak-lanjut?kel=53.71.03.1010", pkm},
		{"followup-city", "/kesehatan/gizi/tindak-lanjut?pkm=all", tok},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var lat []time.Duration
			for b.Loop() {
				t0 := time.Now()
				resp, body := apptest.Do(b, s.Client(), "GET", s.URL+c.path, "", "", c.h)
				lat = append(lat, time.Since(t0))
				if resp.StatusCode != 200 {
					b.Fatalf("%s = %d %.200s", c.path, resp.StatusCode, body)
				}
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
			b.ReportMetric(q(0.5), "p50-ms")
			b.ReportMetric(q(0.95), "p95-ms")
		})
	}
}
