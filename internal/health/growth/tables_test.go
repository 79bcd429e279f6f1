package growth

import (
	"strconv"
	"strings"
	"testing"
)

func TestTableSizes(t *testing.T) {
	// Each by-age file has 3654 data rows: days 0–1826 for each sex.
	// wflanthro has 45.0–110.0 cm by 0.1 (651 rows per sex), wfhanthro
	// 65.0–120.0 cm (551 rows per sex).
	for _, tc := range []struct {
		name string
		rows [2][]lms
		want int
	}{
		{"weianthro", weightForAgeTable.rows, 1827},
		{"lenanthro", lengthForAgeTable.rows, 1827},
		{"bmianthro", bmiForAgeTable.rows, 1827},
		{"wflanthro", weightForLengthTable.rows, 651},
		{"wfhanthro", weightForHeightTable.rows, 551},
	} {
		for i, rows := range tc.rows {
			if len(rows) != tc.want {
				t.Errorf("%s sex %d: %d rows, want %d", tc.name, i+1, len(rows), tc.want)
			}
		}
	}
}

func TestTableValues(t *testing.T) {
	// Rows copied by hand from who/*.txt, first, last and around the
	// 731-day switch from length to height.
	for _, tc := range []struct {
		name string
		got  lms
		want lms
	}{
		{"weianthro male day 0", weightForAgeTable.at(Male, 0), lms{0.3487, 3.3464, 0.14602}},
		{"weianthro female day 1826", weightForAgeTable.at(Female, 1826), lms{-0.3518, 18.2179, 0.14821}},
		{"lenanthro male day 0", lengthForAgeTable.at(Male, 0), lms{1, 49.8842, 0.03795}},
		// The row anthro's test-zscore-length-for-age.R uses (M 56.4833, S 0.03492).
		{"lenanthro male day 44", lengthForAgeTable.at(Male, 44), lms{1, 56.4833, 0.03492}},
		{"lenanthro female day 1826", lengthForAgeTable.at(Female, 1826), lms{1, 109.4189, 0.04346}},
		{"bmianthro male day 730 (L)", bmiForAgeTable.at(Male, 730), lms{-0.6473, 15.7356, 0.07771}},
		{"bmianthro male day 731 (H)", bmiForAgeTable.at(Male, 731), lms{-0.6187, 16.0189, 0.07785}},
		{"wflanthro male 45.0", weightForLengthTable.rows[0][0], lms{-0.3521, 2.441, 0.09182}},
		{"wflanthro female 110.0", weightForLengthTable.rows[1][650], lms{-0.3833, 18.3324, 0.09401}},
		{"wfhanthro male 65.1", weightForHeightTable.rows[0][1], lms{-0.3521, 7.4563, 0.08216}},
		{"wfhanthro female 120.0", weightForHeightTable.rows[1][550], lms{-0.3833, 22.8173, 0.09828}},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %+v, want %+v", tc.name, tc.got, tc.want)
		}
	}
}

func TestParseTablesRejectsBadFiles(t *testing.T) {
	// A valid table (all 1827 days of both sexes) to break in different
	// ways.
	var b strings.Builder
	b.WriteString("sex\tage\tl\tm\ts\tloh\r\n")
	for sex := 1; sex <= 2; sex++ {
		for day := 0; day <= maxTableDay; day++ {
			loh := "L"
			if day >= lenHeiSwitchDay {
				loh = "H"
			}
			b.WriteString(strings.Join([]string{strconv.Itoa(sex), strconv.Itoa(day), "1", "50", "0.04", loh}, "\t") + "\r\n")
		}
	}
	good := b.String()
	if _, err := parseByDay("good", good, true); err != nil {
		t.Fatalf("valid table refused: %v", err)
	}
	for _, tc := range []struct {
		name string
		text string
		loh  bool
	}{
		{"header", strings.Replace(good, "loh", "lorh", 1), true},
		{"missing loh column", good, false},
		{"loh wrong before 731", strings.Replace(good, "1\t730\t1\t50\t0.04\tL", "1\t730\t1\t50\t0.04\tH", 1), true},
		{"day skipped", strings.Replace(good, "1\t5\t1\t50\t0.04\tL\r\n", "", 1), true},
		{"sex 3", strings.Replace(good, "2\t0\t", "3\t0\t", 1), true},
		{"M zero", strings.Replace(good, "1\t7\t1\t50\t", "1\t7\t1\t0\t", 1), true},
		{"not a number", strings.Replace(good, "1\t7\t1\t50\t", "1\t7\tx\t50\t", 1), true},
		{"last day missing", strings.TrimSuffix(good, "2\t1826\t1\t50\t0.04\tH\r\n"), true},
	} {
		if _, err := parseByDay(tc.name, tc.text, tc.loh); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}

	wfl := "sex\tlength\tl\tm\ts\tlorh\r\n1\t45\t-0.35\t2.4\t0.09\tL\r\n1\t45.2\t-0.35\t2.5\t0.09\tL\r\n"
	if _, err := parseByTenth("gap", wfl, "length", "L", 450, 452); err == nil {
		t.Error("a gap between 45.0 and 45.2 is not refused")
	}
}
