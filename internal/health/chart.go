package health

import (
	"fmt"
	"html/template"
	"math"
	"strings"
	"sync"

	"github.com/sodamolek/sodamolek/internal/health/growth"
)

// chartSDs are the WHO reference lines a growth chart draws.
var chartSDs = []float64{-3, -2, 0, 2, 3}

// chartColours: red for ±3, orange for ±2, green for the median, as on
// the KMS card and WHO's charts.
var chartColours = []string{"#cf222e", "#e38b06", "#1a7f37", "#e38b06", "#cf222e"}

type curveKey struct {
	ind growth.Indicator
	sex growth.Sex
}

// curves caches the reference curves: they are the same for every child
// of a sex, and computing one walks a whole WHO table.
var curves sync.Map // curveKey → []growth.Point

func referenceCurve(ind growth.Indicator, sex growth.Sex) ([]growth.Point, error) {
	if c, ok := curves.Load(curveKey{ind, sex}); ok {
		return c.([]growth.Point), nil
	}
	pts, err := growth.Curve(ind, sex, chartSDs)
	if err != nil {
		return nil, err
	}
	curves.Store(curveKey{ind, sex}, pts)
	return pts, nil
}

// chartPoint is one of the child's measurements on a chart.
type chartPoint struct{ X, Y float64 }

// growthChart draws an indicator's reference lines with the child's
// points as an inline SVG (server-rendered: no script, prints well).
// x runs over [xMin, xMax] in the curve's unit (days or cm).
func growthChart(ind growth.Indicator, sex growth.Sex, xMin, xMax float64, pts []chartPoint, title, xLabel, yLabel string, xTick func(float64) string, xStep float64) (template.HTML, error) {
	ref, err := referenceCurve(ind, sex)
	if err != nil {
		return "", err
	}
	const w, h, left, right, top, bottom = 640.0, 380.0, 48.0, 12.0, 28.0, 40.0
	yMin, yMax := math.Inf(1), math.Inf(-1)
	var inRange []growth.Point
	for _, p := range ref {
		if p.X < xMin || p.X > xMax {
			continue
		}
		inRange = append(inRange, p)
		yMin = math.Min(yMin, p.Y[0])
		yMax = math.Max(yMax, p.Y[len(p.Y)-1])
	}
	for _, p := range pts {
		yMin, yMax = math.Min(yMin, p.Y), math.Max(yMax, p.Y)
	}
	if len(inRange) == 0 {
		return "", fmt.Errorf("chart: no reference points in range")
	}
	pad := (yMax - yMin) * 0.05
	yMin, yMax = math.Floor(yMin-pad), math.Ceil(yMax+pad)
	sx := func(x float64) float64 { return left + (x-xMin)/(xMax-xMin)*(w-left-right) }
	sy := func(y float64) float64 { return h - bottom - (y-yMin)/(yMax-yMin)*(h-top-bottom) }

	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="growth-chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`,
		w, h, template.HTMLEscapeString(title))
	fmt.Fprintf(&b, `<rect x="%.0f" y="%.0f" width="%.0f" height="%.0f" fill="#fff" stroke="#d8dee4"/>`, left, top, w-left-right, h-top-bottom)
	// Grid and ticks.
	for x := math.Ceil(xMin/xStep) * xStep; x <= xMax+1e-9; x += xStep {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.0f" x2="%.1f" y2="%.0f" stroke="#eaeef2"/><text x="%.1f" y="%.0f" font-size="11" text-anchor="middle" fill="#5b6670">%s</text>`,
			sx(x), top, sx(x), h-bottom, sx(x), h-bottom+14, template.HTMLEscapeString(xTick(x)))
	}
	yStep := niceStep((yMax - yMin) / 8)
	for y := math.Ceil(yMin/yStep) * yStep; y <= yMax+1e-9; y += yStep {
		fmt.Fprintf(&b, `<line x1="%.0f" y1="%.1f" x2="%.0f" y2="%.1f" stroke="#eaeef2"/><text x="%.0f" y="%.1f" font-size="11" text-anchor="end" fill="#5b6670">%g</text>`,
			left, sy(y), w-right, sy(y), left-4, sy(y)+4, math.Round(y*10)/10)
	}
	// Reference lines, thinned to about 300 points each.
	step := max(1, len(inRange)/300)
	for k := range chartSDs {
		b.WriteString(`<polyline fill="none" stroke-width="1.5" stroke="` + chartColours[k] + `" points="`)
		for i := 0; i < len(inRange); i += step {
			fmt.Fprintf(&b, "%.1f,%.1f ", sx(inRange[i].X), sy(inRange[i].Y[k]))
		}
		last := inRange[len(inRange)-1]
		fmt.Fprintf(&b, "%.1f,%.1f", sx(last.X), sy(last.Y[k]))
		b.WriteString(`"/>`)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" fill="%s">%+g</text>`, w-right-22, sy(last.Y[k])-3, chartColours[k], chartSDs[k])
	}
	// The child.
	if len(pts) > 0 {
		b.WriteString(`<polyline fill="none" stroke="#0b5d7a" stroke-width="2" points="`)
		for _, p := range pts {
			fmt.Fprintf(&b, "%.1f,%.1f ", sx(p.X), sy(p.Y))
		}
		b.WriteString(`"/>`)
		for _, p := range pts {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="#0b5d7a"/>`, sx(p.X), sy(p.Y))
		}
	}
	fmt.Fprintf(&b, `<text x="%.0f" y="18" font-size="13" font-weight="600" fill="#1b1f23">%s</text>`, left, template.HTMLEscapeString(title))
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="11" text-anchor="middle" fill="#5b6670">%s</text>`, (w+left)/2, h-6, template.HTMLEscapeString(xLabel))
	fmt.Fprintf(&b, `<text x="12" y="%.0f" font-size="11" text-anchor="middle" fill="#5b6670" transform="rotate(-90 12 %.0f)">%s</text>`,
		(h)/2, h/2, template.HTMLEscapeString(yLabel))
	b.WriteString(`</svg>`)
	return template.HTML(b.String()), nil
}

// niceStep rounds a raw tick interval to 1, 2 or 5 × 10^n.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, f := range []float64{1, 2, 5, 10} {
		if raw <= f*p {
			return f * p
		}
	}
	return 10 * p
}
