package health

import (
	"strconv"
	"strings"

	"github.com/sodamolek/sodamolek/internal/health/growth"
)

// Formatting helpers for the templates, which cannot dereference the
// optional (pointer) values themselves.

func fmtOpt(v *float64, decimals int) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', decimals, 64)
}

// Z formats a z-score or measurement of a measurement: "haz", "waz",
// "whz", "baz", "weight", "lenhei", "adj", "muac", "head".
func (ms measurement) Z(kind string) string {
	switch kind {
	case "haz":
		return fmtOpt(ms.Res.HAZ, 2)
	case "waz":
		return fmtOpt(ms.Res.WAZ, 2)
	case "whz":
		return fmtOpt(ms.Res.WHZ, 2)
	case "baz":
		return fmtOpt(ms.Res.BAZ, 2)
	case "weight":
		return fmtOpt(ms.WeightKg, 2)
	case "lenhei":
		return fmtOpt(ms.LenHeiCm, 1)
	case "adj":
		return fmtOpt(ms.Res.LenHeiAdjustedCm, 1)
	case "muac":
		return fmtOpt(ms.MUACCm, 1)
	case "head":
		return fmtOpt(ms.HeadCm, 1)
	}
	return ""
}

// Day formats the measurement date.
func (ms measurement) Day() string { return ms.MeasuredOn.Format("02/01/2006") }

// AgeMonths is the age in completed months at the measurement.
func (ms measurement) AgeMonths() int { return ms.AgeDays * 12 / 365 }

// FlagList is the WHO flags as message keys.
func (ms measurement) FlagList() []string { return flagKeys(ms.Res.Flags) }

func flagKeys(fs []growth.Flag) []string {
	var out []string
	for _, f := range fs {
		out = append(out, "health.flag."+string(f))
	}
	return out
}

// Z formats a result of the calculator.
func (z zscoreResult) Z(kind string) string {
	switch kind {
	case "haz":
		return fmtOpt(z.HAZ, 2)
	case "waz":
		return fmtOpt(z.WAZ, 2)
	case "whz":
		return fmtOpt(z.WHZ, 2)
	case "baz":
		return fmtOpt(z.BAZ, 2)
	case "adj":
		return fmtOpt(z.LenHeiAdjustedCm, 1)
	}
	return ""
}

// FlagList is the WHO flags as message keys.
func (z zscoreResult) FlagList() []string { return flagKeys(z.Flags) }

// Z formats a z-score of a follow-up row.
func (x followUpRow) Z(kind string) string {
	if kind == "haz" {
		return fmtOpt(x.HAZ, 2)
	}
	return fmtOpt(x.WHZ, 2)
}

// Pct formats a prevalence ("stunting", "wasting", "underweight").
func (p prevalence) Pct(kind string) string {
	switch kind {
	case "stunting":
		return fmtOpt(p.StuntingPct, 1)
	case "wasting":
		return fmtOpt(p.WastingPct, 1)
	}
	return fmtOpt(p.UnderweightPct, 1)
}

// Bar is a prevalence as a width for a bar in a trend table (0–100).
func (p prevalence) Bar(kind string) int {
	v := p.StuntingPct
	switch kind {
	case "wasting":
		v = p.WastingPct
	case "underweight":
		v = p.UnderweightPct
	}
	if v == nil {
		return 0
	}
	return int(min(100, *v))
}

// Val formats a vital sign of a visit for its input field.
func (v visit) Val(field string) string {
	i := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	switch field {
	case "systolic":
		return i(v.Systolic)
	case "diastolic":
		return i(v.Diastolic)
	case "pulse":
		return i(v.Pulse)
	case "resp_rate":
		return i(v.RespRate)
	case "temp_c":
		return fmtOpt(v.TempC, 1)
	case "weight_kg":
		return fmtOpt(v.WeightKg, 1)
	case "height_cm":
		return fmtOpt(v.HeightCm, 1)
	}
	return ""
}

// Birth formats a patient's birth date.
func (p patient) Birth() string { return p.BirthDate.Format("02/01/2006") }

// ReasonKeys turns a home visit's reason ("stunted,2T") into message keys.
func (h homeVisit) ReasonKeys() []string {
	var out []string
	for _, r := range strings.Split(h.Reason, ",") {
		if r != "" {
			out = append(out, "health.cat."+r)
		}
	}
	return out
}
