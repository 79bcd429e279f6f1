package growth

import "testing"

// benchInputs is a deterministic spread of children: every age band, both
// sexes, lying, standing and unknown positions, some oedema, a few lengths
// outside the weight-for-length/height tables.
func benchInputs(n int) []Input {
	ins := make([]Input, n)
	positions := []Position{Lying, Standing, PositionUnknown}
	for i := range ins {
		day := (i * 7919) % (MaxAgeDays + 1)
		// Roughly the median weight and length for the age, varied by ±20 %.
		f := 0.8 + float64(i%41)/100
		w := (3.3 + 14.7*float64(day)/MaxAgeDays) * f
		h := (50 + 60*float64(day)/MaxAgeDays) * (0.9 + float64(i%23)/110)
		ins[i] = Input{
			Sex:      Sex(1 + i%2),
			AgeDays:  day,
			WeightKg: &w,
			LenHeiCm: &h,
			Position: positions[i%3],
			Oedema:   i%97 == 0,
		}
	}
	return ins
}

// BenchmarkAssess measures one full assessment (HAZ, WAZ, WHZ, BAZ, flags).
// 100,000 children take 100,000 × ns/op.
func BenchmarkAssess(b *testing.B) {
	ins := benchInputs(4096)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := Assess(ins[i%len(ins)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkAssessAndCategorize adds the Permenkes classification.
func BenchmarkAssessAndCategorize(b *testing.B) {
	ins := benchInputs(4096)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r, err := Assess(ins[i%len(ins)])
		if err != nil {
			b.Fatal(err)
		}
		_ = Categorize(r)
		i++
	}
}
