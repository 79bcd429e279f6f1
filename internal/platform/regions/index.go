package regions

import (
	"math"

	"github.com/paulmach/orb"
)

// index finds the kelurahan shape that contains a point, or the nearest one within a tolerance.
//
// It is a uniform grid over the bounding box of all shapes, padded by the tolerance. Each cell
// lists the shapes whose padded bounding box overlaps it, so a lookup tests a handful of shapes
// instead of all of them, and a point outside the padded box (a report from elsewhere in
// Kabupaten Kupang or from another island) is rejected after four comparisons. Built once at load
// time; read-only afterwards.
type index struct {
	shapes []shape
	tolM   float64

	bound        orb.Bound // padded: every point outside is farther than tolM from all shapes
	nx, ny       int
	cellW, cellH float64 // degrees
	// Cell (cx, cy) lists shapes cand[start[c]:start[c+1]] with c = cy*nx + cx, in shape order,
	// so that ties go to the lowest code.
	start []int32
	cand  []int32
}

// Grid cells of about this size keep the candidate lists short (a cell sees the shapes around it
// plus the tolerance) without a large table: Kupang (18 × 19 km) gets 37 × 39 cells listing 1.6
// shapes on average.
const (
	cellTargetM = 500
	maxCells    = 256 // per axis, so that a large kabupaten still gets a small table
)

func newIndex(shapes []shape, tolM float64) *index {
	ix := &index{shapes: shapes, tolM: tolM}
	b := shapes[0].bound
	for _, s := range shapes[1:] {
		b = b.Union(s.bound)
	}
	// Pad in degrees. A degree of longitude is shortest at the largest |latitude| of the padded
	// box, so padding with that latitude's scale is safe everywhere in it.
	padLat := tolM / metresPerDegree
	maxAbsLat := math.Min(89, math.Max(math.Abs(b.Min[1]-padLat), math.Abs(b.Max[1]+padLat)))
	padLon := tolM / (metresPerDegree * math.Cos(maxAbsLat*math.Pi/180))
	pad := func(b orb.Bound) orb.Bound {
		return orb.Bound{
			Min: orb.Point{b.Min[0] - padLon, b.Min[1] - padLat},
			Max: orb.Point{b.Max[0] + padLon, b.Max[1] + padLat},
		}
	}
	ix.bound = pad(b)

	w, h := ix.bound.Max[0]-ix.bound.Min[0], ix.bound.Max[1]-ix.bound.Min[1]
	midLat := (ix.bound.Min[1] + ix.bound.Max[1]) / 2
	ix.nx = cellCount(w * metresPerDegree * math.Cos(midLat*math.Pi/180))
	ix.ny = cellCount(h * metresPerDegree)
	ix.cellW, ix.cellH = w/float64(ix.nx), h/float64(ix.ny)

	cells := make([][]int32, ix.nx*ix.ny)
	for i, s := range shapes {
		pb := pad(s.bound)
		x0, y0 := ix.cell(pb.Min)
		x1, y1 := ix.cell(pb.Max)
		for cy := y0; cy <= y1; cy++ {
			for cx := x0; cx <= x1; cx++ {
				c := cy*ix.nx + cx
				cells[c] = append(cells[c], int32(i))
			}
		}
	}
	ix.start = make([]int32, 0, len(cells)+1)
	for _, c := range cells {
		ix.start = append(ix.start, int32(len(ix.cand)))
		ix.cand = append(ix.cand, c...)
	}
	ix.start = append(ix.start, int32(len(ix.cand)))
	return ix
}

func cellCount(sizeM float64) int {
	return max(1, min(maxCells, int(math.Ceil(sizeM/cellTargetM))))
}

// cell returns the grid cell of a point in the padded box, clamped to the grid.
func (ix *index) cell(pt orb.Point) (cx, cy int) {
	cx = int((pt[0] - ix.bound.Min[0]) / ix.cellW)
	cy = int((pt[1] - ix.bound.Min[1]) / ix.cellH)
	return max(0, min(ix.nx-1, cx)), max(0, min(ix.ny-1, cy))
}

// locate returns the shape containing pt (distance 0) or else the nearest shape within tolM and
// its distance in metres. A point inside two overlapping shapes goes to the first, the lowest
// code, so the answer never depends on map iteration or timing.
func (ix *index) locate(pt orb.Point) (shapeIdx int, distM float64, ok bool) {
	if !ix.bound.Contains(pt) {
		return 0, 0, false
	}
	cx, cy := ix.cell(pt)
	c := cy*ix.nx + cx
	cand := ix.cand[ix.start[c]:ix.start[c+1]]
	for _, i := range cand {
		if ix.shapes[i].contains(pt) {
			return int(i), 0, true
		}
	}

	m := newMetric(pt)
	best, bestSq := -1, ix.tolM*ix.tolM
	for _, i := range cand {
		s := &ix.shapes[i]
		if m.boundDistanceSq(s.bound) > bestSq {
			continue
		}
		// "Within" the tolerance includes it; on a tie the first shape (lowest code) stays.
		if d := s.distanceSq(m, bestSq); d <= bestSq && (best < 0 || d < bestSq) {
			best, bestSq = int(i), d
		}
	}
	if best < 0 {
		return 0, 0, false
	}
	return best, math.Sqrt(bestSq), true
}
