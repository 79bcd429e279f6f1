package regions

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

func TestSegmentDistanceSq(t *testing.T) {
	tests := []struct {
		name           string
		ax, ay, bx, by float64
		want           float64
	}{
		{"foot inside the segment", -1, 2, 1, 2, 4},
		{"nearest at a", 3, 4, 6, 8, 25},
		{"nearest at b", 6, 8, 3, 4, 25},
		{"origin on the segment", -1, -1, 1, 1, 0},
		{"zero-length segment", 3, 4, 3, 4, 25},
	}
	for _, tt := range tests {
		if got := segmentDistanceSq(tt.ax, tt.ay, tt.bx, tt.by); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

// The equirectangular metric agrees with the great-circle distance to well under 0.1 % at the
// distances Locate compares (up to a few hundred metres).
func TestMetricMatchesHaversine(t *testing.T) {
	origin := orb.Point{123.6, -10.17}
	m := newMetric(origin)
	for _, d := range []struct{ dLon, dLat float64 }{
		{0.0018, 0}, {0, 0.0018}, {0.0013, -0.0013}, {-0.0004, 0.0002}, {0.009, 0.009},
	} {
		p := orb.Point{origin[0] + d.dLon, origin[1] + d.dLat}
		got := math.Sqrt(m.boundDistanceSq(orb.Bound{Min: p, Max: p}))
		want := haversineM(origin, p)
		if math.Abs(got-want)/want > 1e-3 {
			t.Errorf("offset %v: metric %.3f m, haversine %.3f m", d, got, want)
		}
	}
}

func haversineM(a, b orb.Point) float64 {
	rad := math.Pi / 180
	dLat, dLon := (b[1]-a[1])*rad, (b[0]-a[0])*rad
	h := math.Pow(math.Sin(dLat/2), 2) + math.Cos(a[1]*rad)*math.Cos(b[1]*rad)*math.Pow(math.Sin(dLon/2), 2)
	return 2 * earthRadiusM * math.Asin(math.Sqrt(h))
}

// The runs only skip work: containment and distance must equal a plain loop over every edge, for
// every Kupang ring and points in and around it.
func TestRingRunsSkipOnlyWork(t *testing.T) {
	p := kupang(t)
	rng := rand.New(rand.NewPCG(5, 6))
	multiRun := 0
	for si, s := range p.idx.shapes {
		r := &s.polys[0][0]
		if len(r.runs) > 1 {
			multiRun++
		}
		b := r.bound.Pad(0.002)
		for range 200 {
			pt := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
			if got, want := r.contains(pt), naiveContains(r.pts, pt); got != want {
				t.Fatalf("%s: contains(%v) = %v, plain loop %v", p.kelurahan[si].Code, pt, got, want)
			}
			m := newMetric(pt)
			if got, want := m.ringDistanceSq(r, math.Inf(1)), naiveDistanceSq(m, r.pts); got != want {
				t.Fatalf("%s: distance from %v = %v, plain loop %v", p.kelurahan[si].Code, pt, got, want)
			}
		}
	}
	if multiRun < len(p.idx.shapes)/2 {
		t.Errorf("only %d of %d rings have more than one run; the test would not exercise the skipping", multiRun, len(p.idx.shapes))
	}
}

func naiveContains(pts orb.Ring, pt orb.Point) bool {
	in := false
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		if (a[1] > pt[1]) != (b[1] > pt[1]) && pt[0] < a[0]+(pt[1]-a[1])*(b[0]-a[0])/(b[1]-a[1]) {
			in = !in
		}
	}
	return in
}

func naiveDistanceSq(m metric, pts orb.Ring) float64 {
	best := math.Inf(1)
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		best = min(best, segmentDistanceSq((a[0]-m.origin[0])*m.kx, (a[1]-m.origin[1])*m.ky, (b[0]-m.origin[0])*m.kx, (b[1]-m.origin[1])*m.ky))
	}
	return best
}
