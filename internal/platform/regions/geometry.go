package regions

import (
	"math"

	"github.com/paulmach/orb"
)

// Geometry of the region boundaries. Points are orb.Point{lon, lat} in degrees, as in GeoJSON.
//
// Every ring is cut into runs of runEdges consecutive edges, each with its bounding box, built at
// load time. The point-in-polygon and distance loops skip a whole run when its box shows that no
// edge in it can matter, so a lookup reads a few dozen edges instead of every edge of every
// nearby polygon; this also keeps Locate fast for a profile whose polygons are far more detailed
// than Kupang's simplified ones. (orb/planar would recompute each ring's bound on every call.)

// runEdges is the number of edges per run: small enough that a run's box is tight, large enough
// that the boxes do not cost more than the edges they skip.
const runEdges = 16

// ring is a closed ring (first point == last point) with its bounding box and runs.
type ring struct {
	pts   orb.Ring
	bound orb.Bound
	runs  []run
}

// run covers the edges pts[first]–pts[first+1] … pts[last-1]–pts[last].
type run struct {
	first, last int
	bound       orb.Bound
}

func newRing(pts orb.Ring) ring {
	r := ring{pts: pts, bound: pts.Bound()}
	for first := 0; first < len(pts)-1; first += runEdges {
		last := min(first+runEdges, len(pts)-1)
		r.runs = append(r.runs, run{first: first, last: last, bound: pts[first : last+1].Bound()})
	}
	return r
}

// contains reports whether pt is inside the ring, counting the edges that a ray from pt towards
// +x (east) crosses. A point exactly on an edge may come out either way; Locate then finds it at
// distance ~0, which gives the same answer.
func (r *ring) contains(pt orb.Point) bool {
	if !r.bound.Contains(pt) {
		return false
	}
	x, y := pt[0], pt[1]
	in := false
	for _, rn := range r.runs {
		// The ray cannot cross an edge of a run that lies wholly above, below or west of pt.
		if y < rn.bound.Min[1] || y > rn.bound.Max[1] || x > rn.bound.Max[0] {
			continue
		}
		for i := rn.first + 1; i <= rn.last; i++ {
			a, b := r.pts[i-1], r.pts[i]
			if (a[1] > y) != (b[1] > y) && x < a[0]+(y-a[1])*(b[0]-a[0])/(b[1]-a[1]) {
				in = !in
			}
		}
	}
	return in
}

// polygon is an outer ring followed by its holes.
type polygon []ring

func (p polygon) contains(pt orb.Point) bool {
	if !p[0].contains(pt) {
		return false
	}
	for i := 1; i < len(p); i++ {
		if p[i].contains(pt) {
			return false
		}
	}
	return true
}

// shape is the area of one kelurahan: a Polygon or the parts of a MultiPolygon.
type shape struct {
	polys []polygon
	bound orb.Bound
}

func newShape(polys []polygon) shape {
	s := shape{polys: polys, bound: polys[0][0].bound}
	for _, p := range polys[1:] {
		s.bound = s.bound.Union(p[0].bound)
	}
	return s
}

func (s *shape) contains(pt orb.Point) bool {
	if !s.bound.Contains(pt) {
		return false
	}
	for _, p := range s.polys {
		if p.contains(pt) {
			return true
		}
	}
	return false
}

// distanceSq returns the squared distance in m² from m's origin to the nearest edge of s (outer
// rings and holes alike: a point in a hole is as far from the shape as from the hole's edge). It
// skips rings whose bounding box is farther than limitSq, so the answer is exact when it is at most
// limitSq and otherwise only known to be larger (+Inf when every ring was skipped).
func (s *shape) distanceSq(m metric, limitSq float64) float64 {
	best := math.Inf(1)
	for _, p := range s.polys {
		for i := range p {
			r := &p[i]
			if m.boundDistanceSq(r.bound) > min(best, limitSq) {
				continue
			}
			best = min(best, m.ringDistanceSq(r, min(best, limitSq)))
		}
	}
	return best
}

// Mean Earth radius (IUGG) and the length of one degree of arc on that sphere.
const (
	earthRadiusM    = 6371008.8
	metresPerDegree = earthRadiusM * math.Pi / 180
)

// metric measures distances in metres around one point with an equirectangular projection: a
// degree of latitude is metresPerDegree, a degree of longitude that times cos(latitude of the
// point). Locate only compares distances of at most a few hundred metres, where the flat
// approximation is off by well under a millimetre (the error grows with distance²/R), and using a
// sphere instead of the WGS84 ellipsoid makes distances near 10° S about 0.5 % too long, that is
// 1 m in 200 m: both far below the accuracy of the simplified boundaries (6 decimals, slivers of
// tens of metres) and of phone GPS. It costs two multiplications per vertex and no trigonometry
// in the loops, which keeps Locate within its few-microsecond budget.
type metric struct {
	origin orb.Point
	kx, ky float64 // metres per degree of longitude and latitude at origin
}

func newMetric(origin orb.Point) metric {
	return metric{
		origin: origin,
		kx:     metresPerDegree * math.Cos(origin[1]*math.Pi/180),
		ky:     metresPerDegree,
	}
}

// boundDistanceSq is the squared distance in m² from the origin to the box b (0 inside it), a
// lower bound for the distance to anything inside b.
func (m metric) boundDistanceSq(b orb.Bound) float64 {
	x, y := m.origin[0], m.origin[1]
	dx := math.Max(0, math.Max(b.Min[0]-x, x-b.Max[0])) * m.kx
	dy := math.Max(0, math.Max(b.Min[1]-y, y-b.Max[1])) * m.ky
	return dx*dx + dy*dy
}

// ringDistanceSq is the squared distance in m² from the origin to the nearest edge of r, exact
// when it is at most limitSq (runs farther than that are skipped; +Inf if all are).
func (m metric) ringDistanceSq(r *ring, limitSq float64) float64 {
	best := math.Inf(1)
	x0, y0 := m.origin[0], m.origin[1]
	for _, rn := range r.runs {
		if m.boundDistanceSq(rn.bound) > min(best, limitSq) {
			continue
		}
		a := r.pts[rn.first]
		ax, ay := (a[0]-x0)*m.kx, (a[1]-y0)*m.ky
		for _, b := range r.pts[rn.first+1 : rn.last+1] {
			bx, by := (b[0]-x0)*m.kx, (b[1]-y0)*m.ky
			best = min(best, segmentDistanceSq(ax, ay, bx, by))
			ax, ay = bx, by
		}
	}
	return best
}

// segmentDistanceSq is the squared distance from (0,0) to the segment (ax,ay)–(bx,by).
func segmentDistanceSq(ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	l2 := dx*dx + dy*dy
	// t is the position along the segment of the foot of the perpendicular from the origin.
	t := 0.0
	if l2 > 0 {
		t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l2))
	}
	px, py := ax+t*dx, ay+t*dy
	return px*px + py*py
}
