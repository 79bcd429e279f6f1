package regions

import (
	"errors"
	"fmt"

	"github.com/paulmach/orb"
)

// Tolerances of the point → kelurahan rule, DOMAIN.md §1: "a point in a sliver between polygons
// goes to the nearest kelurahan within 50 m; farther than 200 m outside the city outline it is
// outside Kota Kupang".
//
// A point within SliverToleranceM of its nearest kelurahan is placed there as a matter of course:
// that is the sliver rule, and such a point is as good as inside (the slivers are artefacts of the
// simplified polygons, not land that belongs to nobody). Between SliverToleranceM and
// OutsideToleranceM the rule still keeps the point in the city, because phone GPS and the
// simplified coastline both err by tens of metres, but the kelurahan is a guess: Locate marks it
// Approximate so that a form can ask the user to confirm it. Beyond OutsideToleranceM the point is
// outside the city.
//
// The distance is measured to the nearest kelurahan polygon rather than to the city outline: the
// outline is the union of those polygons, so the distance to it is the smallest of the distances
// to them, and the same search then names the kelurahan.
const (
	SliverToleranceM  = 50
	OutsideToleranceM = 200
)

// Location is where Locate placed a point.
type Location struct {
	Kelurahan Region
	Kecamatan Region
	// DistanceM is the distance in metres from the point to the kelurahan polygon: 0 when the
	// polygon contains the point.
	DistanceM float64
	// Approximate is true when the point is more than SliverToleranceM from the kelurahan.
	Approximate bool
}

var (
	// ErrOutside: the point is farther than OutsideToleranceM from every kelurahan. The error
	// Locate returns says which city, "point is outside Kota Kupang".
	ErrOutside = errors.New("point is outside the city")
	// ErrInvalidCoordinate: latitude or longitude is NaN, infinite or out of range.
	ErrInvalidCoordinate = errors.New("invalid coordinate")
)

// outsideError names the city and matches ErrOutside with errors.Is. Each Profile builds its own
// once, so rejecting a point allocates nothing.
type outsideError struct{ city string }

func (e *outsideError) Error() string        { return "point is outside " + e.city }
func (e *outsideError) Is(target error) bool { return target == ErrOutside }

// Locate places a WGS84 point (degrees) in its kelurahan following DOMAIN.md §1: the kelurahan
// whose polygon contains it; else the nearest kelurahan within OutsideToleranceM (slivers between
// polygons, the coast); else an error matching ErrOutside. A NaN, infinite or out-of-range
// coordinate gives an error matching ErrInvalidCoordinate. Where two polygons overlap (the
// simplified Kupang data has a few hectares of overlap along shared boundaries) the lower code
// wins, so the answer is always the same. Only the invalid-coordinate error allocates.
func (p *Profile) Locate(lat, lon float64) (Location, error) {
	if !validLatLon(lat, lon) {
		return Location{}, fmt.Errorf("%w: lat %v, lon %v", ErrInvalidCoordinate, lat, lon)
	}
	i, d, ok := p.idx.locate(orb.Point{lon, lat})
	if !ok {
		return Location{}, p.errOutside
	}
	return Location{
		Kelurahan:   p.kelurahan[i],
		Kecamatan:   p.kecamatan[p.kecamatanOf[i]],
		DistanceM:   d,
		Approximate: d > SliverToleranceM,
	}, nil
}

// validLatLon also rejects NaN and ±Inf: every comparison with NaN is false, and infinities are
// out of range.
func validLatLon(lat, lon float64) bool {
	return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
}
