package reports_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkGenerate measures the scale generator on SQLite (b.N batches
// of 20,000 reports).
func BenchmarkGenerate(b *testing.B) {
	a, _ := benchApp(b, "sqlite://"+filepath.Join(b.TempDir(), "gen.db"), false)
	m := moduleOf(a)
	b.ResetTimer()
	t := time.Now()
	n, err := m.GenerateInto(context.Background(), 20000*b.N, 365, 1)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(n)/time.Since(t).Seconds(), "reports/s")
}
