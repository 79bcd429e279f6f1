package growth

import "math"

// lms is one row of a WHO table: the Box-Cox power L, the median M and the
// coefficient of variation S of the measurement at that age or length.
type lms struct {
	l, m, s float64
}

// z is the LMS z-score (WHO Child Growth Standards, Methods and
// development, 2006, chapter 7): z = ((y/M)^L − 1) / (L·S). For L = 0 the
// limit is ln(y/M)/S; WHO's tables never have it, but the formula must not
// divide by zero if one ever does.
func (p lms) z(y float64) float64 {
	if p.l == 0 {
		return math.Log(y/p.m) / p.s
	}
	return (math.Pow(y/p.m, p.l) - 1) / (p.l * p.s)
}

// sd is the measurement at k standard deviations: SD(k) = M·(1 + L·S·k)^(1/L).
func (p lms) sd(k float64) float64 {
	if p.l == 0 {
		return p.m * math.Exp(p.s*k)
	}
	return p.m * math.Pow(1+p.l*p.s*k, 1/p.l)
}

// zRestricted is the z-score WHO uses for the weight-based indicators
// (weight-for-age, weight-for-length/height, BMI-for-age). Their
// distributions are skewed (L ≠ 1) and WHO does not trust the fitted LMS
// curve beyond the data it was fitted to, so a value beyond ±3 SD is
// measured in units of the distance between the 2 and 3 SD lines on that
// side ("restricted application of the LMS method", Methods and
// development, 2006, chapter 7; anthro's compute_zscore_adjusted).
// Length/height-for-age keeps the plain z: its L is 1, its SD lines are
// evenly spaced, and the two formulas agree.
func (p lms) zRestricted(y float64) float64 {
	z := p.z(y)
	switch {
	case z > 3:
		sd3 := p.sd(3)
		z = 3 + (y-sd3)/(sd3-p.sd(2))
	case z < -3:
		sd3 := p.sd(-3)
		z = -3 + (y-sd3)/(p.sd(-2)-sd3)
	}
	return z
}

// interpolate returns the row a fraction t of the way from p to q: WHO
// interpolates L, M and S linearly between the 0.1 cm rows of the
// weight-for-length/height tables.
func (p lms) interpolate(q lms, t float64) lms {
	return lms{
		l: p.l + t*(q.l-p.l),
		m: p.m + t*(q.m-p.m),
		s: p.s + t*(q.s-p.s),
	}
}

// at returns the row for a length or height in cm, interpolated the way
// anthro does it: the lower row is the length truncated to 0.1 cm, the
// fraction is (cm − lower)/0.1, and the upper row is used only when the
// fraction is positive (so 110.0 cm, the last row, needs no row above it).
// ok is false outside the table.
func (t *byTenth) at(sex Sex, cm float64) (row lms, ok bool) {
	if !(cm >= float64(t.first)/10 && cm <= float64(t.last)/10) {
		return lms{}, false
	}
	lowTenth := math.Trunc(cm * 10)
	i := int(lowTenth) - t.first
	rows := t.rows[sex-1]
	frac := (cm - lowTenth/10) / 0.1
	row = rows[i]
	if frac > 0 && i+1 < len(rows) {
		row = row.interpolate(rows[i+1], frac)
	}
	return row, true
}

// round2 rounds a z-score to the 2 decimals WHO Anthro reports; WHO's flags
// and the Permenkes cut-offs apply to the rounded value.
func round2(z float64) float64 {
	return math.Round(z*100) / 100
}
