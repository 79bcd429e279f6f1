package health

import (
	"strings"
	"time"
)

// ageGroup is the LB1 age column of a patient aged days on the visit day.
// The groups are those of the LB1 form puskesmas use (Dinas Kesehatan's
// SP2TP/SIMPUS format): 0–7 days, 8–28 days, 1–11 months, then years.
func ageGroup(days int) string {
	years := days * 4 / 1461 // 365.25-day years
	switch {
	case days <= 7:
		return "0-7h"
	case days <= 28:
		return "8-28h"
	case years < 1:
		return "1-11b"
	case years < 5:
		return "1-4t"
	case years < 10:
		return "5-9t"
	case years < 15:
		return "10-14t"
	case years < 20:
		return "15-19t"
	case years < 45:
		return "20-44t"
	case years < 55:
		return "45-54t"
	case years < 60:
		return "55-59t"
	case years < 70:
		return "60-69t"
	default:
		return "70+t"
	}
}

// ageGroups lists the LB1 columns in order.
var ageGroups = []string{"0-7h", "8-28h", "1-11b", "1-4t", "5-9t", "10-14t", "15-19t", "20-44t", "45-54t", "55-59t", "60-69t", "70+t"}

// epiWeekStart returns the Sunday that starts the epidemiological week
// (Sunday–Saturday, as SKDR/EWARS counts) containing day.
func epiWeekStart(day time.Time) time.Time {
	return day.AddDate(0, 0, -int(day.Weekday()))
}

// skdrDisease is one outbreak-prone disease SKDR counts weekly, matched by
// ICD-10 prefixes. The list and the default thresholds follow the
// Pedoman SKDR (Kemenkes, 2019 revision) *(verify)*: one case of a
// disease that should not occur at all (cholera, diphtheria, AFP, …) is an
// alert; common ones alert above a weekly count per puskesmas. The
// thresholds are data (health_skdr_thresholds) that Dinas Kesehatan
// edits; these are only the defaults seeded once.
type skdrDisease struct {
	Code      string
	Prefixes  []string
	Threshold int
}

var skdrDiseases = []skdrDisease{
	{"diare_akut", []string{"A09"}, 30},
	{"disentri", []string{"A03", "A06.0"}, 5},
	{"tifoid", []string{"A01.0"}, 10},
	{"dengue", []string{"A90", "A91"}, 3},
	{"malaria", []string{"B50", "B51", "B52", "B53", "B54"}, 3},
	{"pneumonia", []string{"J12", "J13", "J14", "J15", "J16", "J17", "J18"}, 10},
	{"ili", []string{"J11"}, 20},
	{"campak", []string{"B05"}, 1},
	{"difteri", []string{"A36"}, 1},
	{"pertusis", []string{"A37"}, 1},
	{"afp", []string{"A80"}, 1},
	{"kolera", []string{"A00"}, 1},
	{"chikungunya", []string{"A92.0"}, 3},
	{"leptospirosis", []string{"A27"}, 1},
	{"antraks", []string{"A22"}, 1},
	{"rabies_ghpr", []string{"A82", "W54"}, 1},
	{"tetanus_neonatorum", []string{"A33"}, 1},
	{"tetanus", []string{"A34", "A35"}, 1},
	{"meningitis", []string{"G03", "A87", "A39.0"}, 1},
	{"hepatitis_akut", []string{"B15", "B16", "B17"}, 3},
	{"hfmd", []string{"B08.4"}, 3},
	{"covid19", []string{"U07.1"}, 5},
}

// skdrCodeOf returns the SKDR disease an ICD-10 code counts for, or "".
func skdrCodeOf(icd string) string {
	for _, d := range skdrDiseases {
		for _, p := range d.Prefixes {
			if strings.HasPrefix(icd, p) {
				return d.Code
			}
		}
	}
	return ""
}

// Weight gain at a weighing, as the KMS card records it.
const (
	gainUp       = "N" // naik: gained at least the minimum for the age
	gainNotUp    = "T" // tidak naik
	gainNoPrev   = "O" // not weighed the month before: cannot be judged
	gainFirst    = "B" // baru: first weighing
	gainNoWeight = ""  // weight not measured (oedema counts as not measured)
)

// minGainGrams is the minimum weight gain per month (kenaikan berat badan
// minimal, KBM) by the age in completed months at the weighing, from the
// KMS guidance (Permenkes 155/2010, Lampiran) *(verify)*: 800 g in the
// first month down to 200 g from 11 months on.
var minGainGrams = []int{800, 800, 900, 800, 600, 500, 400, 400, 300, 300, 300, 200}

// judgeGain decides N/T for a weighing against the previous one. A
// previous weighing more than 45 days back is not "last month": the
// card then records O, as kader do.
func judgeGain(prevDays, days int, prevKg, kg float64) string {
	gap := days - prevDays
	if gap <= 0 || gap > 45 {
		return gainNoPrev
	}
	months := days * 12 / 365
	need := minGainGrams[len(minGainGrams)-1]
	if months < len(minGainGrams) {
		need = minGainGrams[months]
	}
	// Pro rata for weighings closer than a month, so two weighings a week
	// apart are not both judged against a month's gain.
	want := float64(need) / 1000 * float64(min(gap, 30)) / 30
	if kg-prevKg >= want-1e-9 {
		return gainUp
	}
	return gainNotUp
}
