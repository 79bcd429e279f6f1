package regions

import (
	"encoding/csv"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func TestLocate(t *testing.T) {
	p := kupang(t)
	tests := []struct {
		name        string
		lat, lon    float64
		kelurahan   string // code; "" when an error is expected
		kecamatan   string
		minD, maxD  float64 // expected DistanceM range in metres
		approximate bool
		wantErr     error
	}{
		{name: "El Tari airport", lat: -10.1716, lon: 123.6711,
			kelurahan: "53.71.02.1003", kecamatan: "53.71.02"}, // Penfui, Maulafa
		// Interior slivers (inside the city outline, in no kelurahan polygon), found by scanning a
		// 5 m grid against kota.geojson; their distances to the neighbours are in the comments.
		{name: "sliver Oebufu 5.2 m / Naikoten Satu 8.2 m / Oepura 9.0 m", lat: -10.1785, lon: 123.61147,
			kelurahan: "53.71.04.1009", kecamatan: "53.71.04", minD: 5, maxD: 5.5},
		{name: "sliver Bakunase 1.0 m / Batu Plat 7.8 m", lat: -10.193049, lon: 123.584017,
			kelurahan: "53.71.05.1001", kecamatan: "53.71.05", minD: 0.5, maxD: 1.5},
		// Off the north coast (Teluk Kupang).
		{name: "19 m off the coast", lat: -10.145, lon: 123.615,
			kelurahan: "53.71.03.1001", kecamatan: "53.71.03", minD: 15, maxD: 25},
		{name: "100 m off the coast", lat: -10.144899, lon: 123.613267,
			kelurahan: "53.71.03.1001", kecamatan: "53.71.03", minD: 95, maxD: 105, approximate: true},
		{name: "150 m off the coast", lat: -10.142449, lon: 123.637867,
			kelurahan: "53.71.03.1014", kecamatan: "53.71.03", minD: 145, maxD: 155, approximate: true},
		{name: "250 m off the coast", lat: -10.139749, lon: 123.619317, wantErr: ErrOutside},
		{name: "sea north of the city", lat: -10.10, lon: 123.60, wantErr: ErrOutside},
		{name: "Oelamasi, Kab. Kupang", lat: -10.02, lon: 123.87, wantErr: ErrOutside},
		{name: "Jakarta", lat: -6.2, lon: 106.8, wantErr: ErrOutside},
		{name: "NaN latitude", lat: math.NaN(), lon: 123.6, wantErr: ErrInvalidCoordinate},
		{name: "NaN longitude", lat: -10.17, lon: math.NaN(), wantErr: ErrInvalidCoordinate},
		{name: "+Inf", lat: math.Inf(1), lon: 123.6, wantErr: ErrInvalidCoordinate},
		{name: "-Inf", lat: -10.17, lon: math.Inf(-1), wantErr: ErrInvalidCoordinate},
		{name: "latitude out of range", lat: -100, lon: 123.6, wantErr: ErrInvalidCoordinate},
		{name: "longitude out of range", lat: -10.17, lon: 183.6, wantErr: ErrInvalidCoordinate},
		{name: "lat and lon swapped", lat: 123.6711, lon: -10.1716, wantErr: ErrInvalidCoordinate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.Locate(tt.lat, tt.lon)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Locate = %+v, %v; want error %v", got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Locate: %v", err)
			}
			if got.Kelurahan.Code != tt.kelurahan || got.Kecamatan.Code != tt.kecamatan {
				t.Errorf("Locate = %s %s (%s), want %s in %s", got.Kelurahan.Code, got.Kelurahan.Name, got.Kecamatan.Code, tt.kelurahan, tt.kecamatan)
			}
			if got.DistanceM < tt.minD || got.DistanceM > tt.maxD {
				t.Errorf("DistanceM = %.2f, want %.0f–%.0f", got.DistanceM, tt.minD, tt.maxD)
			}
			if got.Approximate != tt.approximate {
				t.Errorf("Approximate = %v, want %v", got.Approximate, tt.approximate)
			}
		})
	}
}

func TestLocateErrorMessages(t *testing.T) {
	p := kupang(t)
	_, err := p.Locate(-10.02, 123.87)
	if err == nil || err.Error() != "point is outside Kota Kupang" {
		t.Errorf("outside: error %v, want %q", err, "point is outside Kota Kupang")
	}
	_, err = p.Locate(math.NaN(), 123.6)
	if err == nil || !strings.Contains(err.Error(), "invalid coordinate") || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("NaN: error %v, want it to say invalid coordinate and show the value", err)
	}
}

// Every kelurahan's own centroid (kelurahan_detail.csv, read here independently of the loader)
// lies inside that kelurahan's polygon.
func TestLocateCentroids(t *testing.T) {
	p := kupang(t)
	f, err := os.Open("profiles/kupang/kelurahan_detail.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 52 {
		t.Fatalf("%d rows, want a header and 51 kelurahan", len(rows))
	}
	for _, row := range rows[1:] {
		code, name := row[0], row[1]
		lat, _ := strconv.ParseFloat(row[5], 64)
		lon, _ := strconv.ParseFloat(row[6], 64)
		got, err := p.Locate(lat, lon)
		if err != nil {
			t.Errorf("%s %s centroid: %v", code, name, err)
			continue
		}
		if got.Kelurahan.Code != code || got.DistanceM != 0 || got.Kecamatan.Code != row[2] {
			t.Errorf("%s %s centroid (%v, %v) → %s %s in %s at %.1f m; want inside %s", code, name, lat, lon,
				got.Kelurahan.Code, got.Kelurahan.Name, got.Kecamatan.Code, got.DistanceM, code)
		}
	}
}

// The grid index must give exactly what a search through every polygon gives.
func TestLocateMatchesBruteForce(t *testing.T) {
	p := kupang(t)
	rng := rand.New(rand.NewPCG(1, 2))
	pts := benchPoints(p, rng, 20000)
	var inside, near, outside int
	for _, pt := range pts {
		wantIdx, wantD, wantOK := bruteForceLocate(p.idx.shapes, pt, OutsideToleranceM)
		got, err := p.Locate(pt[1], pt[0])
		switch {
		case !wantOK:
			outside++
			if !errors.Is(err, ErrOutside) {
				t.Fatalf("(%v, %v): got %+v, %v; want ErrOutside", pt[1], pt[0], got, err)
			}
		case err != nil:
			t.Fatalf("(%v, %v): %v; want %s at %.2f m", pt[1], pt[0], err, p.kelurahan[wantIdx].Code, wantD)
		case got.Kelurahan.Code != p.kelurahan[wantIdx].Code || math.Abs(got.DistanceM-wantD) > 1e-9:
			t.Fatalf("(%v, %v): got %s at %.3f m, want %s at %.3f m", pt[1], pt[0], got.Kelurahan.Code, got.DistanceM, p.kelurahan[wantIdx].Code, wantD)
		case wantD == 0:
			inside++
		default:
			near++
		}
	}
	// The sample must exercise every branch.
	if inside == 0 || near == 0 || outside == 0 {
		t.Errorf("sample: %d inside, %d near, %d outside; want some of each", inside, near, outside)
	}
}

func bruteForceLocate(shapes []shape, pt orb.Point, tolM float64) (int, float64, bool) {
	for i := range shapes {
		if shapes[i].contains(pt) {
			return i, 0, true
		}
	}
	m := newMetric(pt)
	best, bestSq := -1, math.Inf(1)
	for i := range shapes {
		if d := shapes[i].distanceSq(m, math.Inf(1)); d < bestSq {
			best, bestSq = i, d
		}
	}
	if bestSq > tolM*tolM {
		return 0, 0, false
	}
	return best, math.Sqrt(bestSq), true
}

// benchPoints returns realistic query points: two thirds uniform over the city's bounding box
// (land, the bay to the north, the neighbouring Kabupaten Kupang), one third within about 150 m
// of a random polygon vertex, where slivers, shared boundaries and the coast are.
func benchPoints(p *Profile, rng *rand.Rand, n int) []orb.Point {
	b := p.idx.shapes[0].bound
	for _, s := range p.idx.shapes {
		b = b.Union(s.bound)
	}
	const jitter = 150 / metresPerDegree
	pts := make([]orb.Point, n)
	for i := range pts {
		if i%3 != 2 {
			pts[i] = orb.Point{
				b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]),
				b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1]),
			}
			continue
		}
		s := p.idx.shapes[rng.IntN(len(p.idx.shapes))]
		r := s.polys[0][0].pts
		v := r[rng.IntN(len(r))]
		pts[i] = orb.Point{v[0] + (2*rng.Float64()-1)*jitter, v[1] + (2*rng.Float64()-1)*jitter}
	}
	return pts
}

func BenchmarkLocate(b *testing.B) {
	p := kupang(b)
	rng := rand.New(rand.NewPCG(3, 4))
	mixed := benchPoints(p, rng, 4096)
	var boundary, outside, centroids []orb.Point
	for i, pt := range mixed {
		if i%3 == 2 {
			boundary = append(boundary, pt)
		}
		if _, err := p.Locate(pt[1], pt[0]); err != nil {
			outside = append(outside, pt)
		}
	}
	for _, r := range p.kelurahan {
		centroids = append(centroids, orb.Point{r.Lon, r.Lat})
	}
	for _, bm := range []struct {
		name string
		pts  []orb.Point
	}{
		{"mixed", mixed},
		{"centroids", centroids},
		{"near-boundary", boundary},
		{"outside", outside},
	} {
		b.Run(bm.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				pt := bm.pts[i%len(bm.pts)]
				_, _ = p.Locate(pt[1], pt[0])
				i++
			}
		})
	}
}

func FuzzLocate(f *testing.F) {
	p := kupang(f)
	for _, seed := range [][2]float64{
		{-10.1716, 123.6711}, {-10.1785, 123.61147}, {-10.144899, 123.613267}, {-10.02, 123.87},
		{math.NaN(), 0}, {0, math.Inf(1)}, {math.Inf(-1), math.NaN()}, {90, 180}, {-90, -180},
		{0, 0}, {math.Copysign(0, -1), 1e-320}, {math.MaxFloat64, -math.MaxFloat64},
		{-10.294648, 123.525266}, {-10.122143, 123.694207}, // corners of the index grid
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, lat, lon float64) {
		got, err := p.Locate(lat, lon)
		if err != nil {
			if !errors.Is(err, ErrOutside) && !errors.Is(err, ErrInvalidCoordinate) {
				t.Fatalf("Locate(%v, %v): unexpected error %v", lat, lon, err)
			}
			if errors.Is(err, ErrInvalidCoordinate) == validLatLon(lat, lon) {
				t.Fatalf("Locate(%v, %v): %v for a coordinate that is valid=%v", lat, lon, err, validLatLon(lat, lon))
			}
			return
		}
		if got.Kelurahan.Code == "" || got.Kecamatan.Code != got.Kelurahan.ParentCode {
			t.Fatalf("Locate(%v, %v) = %+v: kelurahan and kecamatan do not match", lat, lon, got)
		}
		if !(got.DistanceM >= 0 && got.DistanceM <= OutsideToleranceM) || got.Approximate != (got.DistanceM > SliverToleranceM) {
			t.Fatalf("Locate(%v, %v): distance %v, approximate %v", lat, lon, got.DistanceM, got.Approximate)
		}
	})
}
