package idnum

import (
	"testing"
	"time"
)

func TestParseKKValid(t *testing.T) {
	tests := []struct {
		in     string
		region string
		issued time.Time
		serial int
	}{
		{"5371012001150003", "53.71.01", date(2015, 1, 20), 3},
		{"5371 0120 0115 0003", "53.71.01", date(2015, 1, 20), 3},
		{"5310052902080017", "53.10.05", date(2008, 2, 29), 17},
		{"3273013112990001", "32.73.01", date(1999, 12, 31), 1},
		// 2 June 26 would be after today (1 June 2026): the previous century.
		{"5371010206260001", "53.71.01", date(1926, 6, 2), 1},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			kk, err := ParseKK(tt.in, today)
			if err != nil {
				t.Fatalf("ParseKK: %v", err)
			}
			if kk.Region() != tt.region || kk.Province() != tt.region[:2] || !kk.IssueDate().Equal(tt.issued) || kk.Serial() != tt.serial {
				t.Errorf("got %s %s %s %d, want %s %s %d", kk.Region(), kk.Province(), kk.IssueDate().Format(time.DateOnly), kk.Serial(),
					tt.region, tt.issued.Format(time.DateOnly), tt.serial)
			}
			if kk.Digits() != stripSeparators(tt.in) {
				t.Errorf("Digits = %q", kk.Digits())
			}
		})
	}
}

func TestParseKKInvalid(t *testing.T) {
	tests := []struct {
		name string
		in   string
		code Code
	}{
		{"empty", "", CodeKKEmpty},
		{"letter", "53710120011S0003", CodeKKChars},
		{"short", "537101200115003", CodeKKLength},
		{"province 99", "9971012001150003", CodeKKRegion},
		{"kecamatan 00", "5371002001150003", CodeKKRegion},
		// A KK has no sex, so a woman's +40 day is not a date.
		{"day + 40", "5371016001150003", CodeKKIssueDate},
		{"30 February", "5371013002150003", CodeKKIssueDate},
		{"29 February 2015", "5371012902150003", CodeKKIssueDate},
		{"month 13", "5371012013150003", CodeKKIssueDate},
		{"serial 0000", "5371012001150000", CodeKKSerial},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kk, err := ParseKK(tt.in, today)
			wantCode(t, err, FieldKK, tt.code)
			if !kk.IsZero() {
				t.Error("non-zero KK with an error")
			}
		})
	}
}

func TestZeroKK(t *testing.T) {
	var k KK
	if k.Region() != "" || k.Province() != "" || k.Serial() != 0 || k.String() != "" {
		t.Error("zero KK accessors must be empty")
	}
}
