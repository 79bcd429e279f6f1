package reports

import (
	"context"

	"github.com/sodamolek/sodamolek/internal/platform/web"
)

// RateLimits exposes the module's rate limits to the tests, which raise
// them where a test sends more requests than a person would.
func (m *Module) RateLimits() []*web.Limit {
	l := m.limits
	return []*web.Limit{l.intake, l.support, l.citizen, l.open311, l.lookup}
}

// GenerateInto exposes the demo/scale generator to the benchmarks.
func (m *Module) GenerateInto(ctx context.Context, n, spanDays int, seed uint64) (int, error) {
	return m.generateInto(ctx, n, spanDays, seed)
}
