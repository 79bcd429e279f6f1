package idnum

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestParseNIKValid(t *testing.T) {
	tests := []struct {
		in       string
		region   string
		birth    time.Time
		sex      Sex
		serial   int
		province string
	}{
		// DD 45 = 5 + 40: a woman born 5 July 1990.
		{"5371014507900001", "53.71.01", date(1990, 7, 5), SexFemale, 1, "53"},
		{"5371015507900001", "53.71.01", date(1990, 7, 15), SexFemale, 1, "53"},
		{"5371010507900001", "53.71.01", date(1990, 7, 5), SexMale, 1, "53"},
		// The first and the last day a woman's DD can hold.
		{"5371014101850042", "53.71.01", date(1985, 1, 1), SexFemale, 42, "53"},
		{"5371017112859999", "53.71.01", date(1985, 12, 31), SexFemale, 9999, "53"},
		// Issued outside Kupang: any province is fine, including the new Papua ones.
		{"3171022308010003", "31.71.02", date(2001, 8, 23), SexMale, 3, "31"},
		{"9601016304200001", "96.01.01", date(2020, 4, 23), SexFemale, 1, "96"},
		// Separators people type.
		{"5371 0145 0790 0001", "53.71.01", date(1990, 7, 5), SexFemale, 1, "53"},
		{"5371.0145.0790.0001", "53.71.01", date(1990, 7, 5), SexFemale, 1, "53"},
		{" 537101-450790-0001 ", "53.71.01", date(1990, 7, 5), SexFemale, 1, "53"},
		{"5371\u00a00145\t07900001", "53.71.01", date(1990, 7, 5), SexFemale, 1, "53"},
		// Leap days: 2000 and 1996 are leap years.
		{"5371012902000001", "53.71.01", date(2000, 2, 29), SexMale, 1, "53"},
		{"5371016902960001", "53.71.01", date(1996, 2, 29), SexFemale, 1, "53"},
		// Century: a date up to today is this century, a later one the previous.
		{"5371010106260001", "53.71.01", date(2026, 6, 1), SexMale, 1, "53"},
		{"5371010206260001", "53.71.01", date(1926, 6, 2), SexMale, 1, "53"},
		{"5371013112250001", "53.71.01", date(2025, 12, 31), SexMale, 1, "53"},
		{"5371010101270001", "53.71.01", date(1927, 1, 1), SexMale, 1, "53"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			nik, err := ParseNIK(tt.in, today)
			if err != nil {
				t.Fatalf("ParseNIK: %v", err)
			}
			if got := nik.Region(); got != tt.region {
				t.Errorf("Region = %q, want %q", got, tt.region)
			}
			if got := nik.Province(); got != tt.province {
				t.Errorf("Province = %q, want %q", got, tt.province)
			}
			if got := nik.BirthDate(); !got.Equal(tt.birth) || got.Location() != time.UTC {
				t.Errorf("BirthDate = %v, want %v", got, tt.birth)
			}
			if got := nik.Sex(); got != tt.sex {
				t.Errorf("Sex = %v, want %v", got, tt.sex)
			}
			if got := nik.Serial(); got != tt.serial {
				t.Errorf("Serial = %d, want %d", got, tt.serial)
			}
			if got, want := nik.Digits(), stripSeparators(tt.in); got != want {
				t.Errorf("Digits = %q, want %q", got, want)
			}
		})
	}
}

func TestParseNIKInvalid(t *testing.T) {
	tests := []struct {
		name string
		in   string
		code Code
	}{
		{"empty", "", CodeNIKEmpty},
		{"only separators", " .- ", CodeNIKEmpty},
		{"letter", "5371O14507900001", CodeNIKChars},
		{"slash is not a separator", "5371/014507900001", CodeNIKChars},
		{"fullwidth digit", "5371014507900００1", CodeNIKChars},
		{"15 digits", "537101450790001", CodeNIKLength},
		{"17 digits", "53710145079000011", CodeNIKLength},
		{"KTP number with NIP length", "199005152015031002", CodeNIKLength},
		{"province 10", "1071014507900001", CodeNIKRegion},
		{"province 20", "2071014507900001", CodeNIKRegion},
		{"province 54 (no such code)", "5471014507900001", CodeNIKRegion},
		{"province 97", "9771014507900001", CodeNIKRegion},
		{"province 00", "0071014507900001", CodeNIKRegion},
		{"kab/kota 00", "5300014507900001", CodeNIKRegion},
		{"kecamatan 00", "5371004507900001", CodeNIKRegion},
		{"day 00", "5371010007900001", CodeNIKBirthDate},
		{"day 32", "5371013207900001", CodeNIKBirthDate},
		{"day 40", "5371014007900001", CodeNIKBirthDate},
		{"day 72", "5371017207900001", CodeNIKBirthDate},
		{"month 00", "5371010500900001", CodeNIKBirthDate},
		{"month 13", "5371010513900001", CodeNIKBirthDate},
		{"31 February", "5371013102900001", CodeNIKBirthDate},
		{"31 April, woman", "5371017104900001", CodeNIKBirthDate},
		{"29 February 2001", "5371012902010001", CodeNIKBirthDate},
		{"29 February 1997, woman", "5371016902970001", CodeNIKBirthDate},
		{"serial 0000", "5371014507900000", CodeNIKSerial},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nik, err := ParseNIK(tt.in, today)
			wantCode(t, err, FieldNIK, tt.code)
			if !nik.IsZero() {
				t.Errorf("got non-zero NIK %v with an error", nik)
			}
			if in := stripSeparators(tt.in); in != "" && strings.Contains(err.Error(), in) {
				t.Errorf("error message %q repeats the input", err)
			}
		})
	}
}

// TestParseNIKCenturyLeapDay checks that the century is fixed before the
// date is checked: "290200" is 29 February 2000 today, but read in 1999 it
// would be 1900, which was not a leap year.
func TestParseNIKCenturyLeapDay(t *testing.T) {
	const in = "5371012902000001"
	if _, err := ParseNIK(in, today); err != nil {
		t.Fatalf("in 2026: %v", err)
	}
	_, err := ParseNIK(in, time.Date(1999, 6, 1, 0, 0, 0, 0, wita))
	wantCode(t, err, FieldNIK, CodeNIKBirthDate)
}

// TestParseNIKTodayLocation checks that "today" is the calendar day in the
// zone of the reference time: at 07:00 WITA on 2 June it is still 1 June in
// UTC, but a baby born on 2 June in Kupang is already born.
func TestParseNIKTodayLocation(t *testing.T) {
	now := time.Date(2026, 6, 2, 7, 0, 0, 0, wita)
	nik, err := ParseNIK("5371010206260001", now)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := nik.BirthDate(), date(2026, 6, 2); !got.Equal(want) {
		t.Errorf("in WITA: BirthDate = %v, want %v", got.Format(time.DateOnly), want.Format(time.DateOnly))
	}
	nik, err = ParseNIK("5371010206260001", now.UTC())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := nik.BirthDate(), date(1926, 6, 2); !got.Equal(want) {
		t.Errorf("in UTC: BirthDate = %v, want %v", got.Format(time.DateOnly), want.Format(time.DateOnly))
	}
}

func TestCheckNIKAgainst(t *testing.T) {
	nik, err := ParseNIK("5371014507900001", today) // woman, 5 July 1990
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckNIKAgainst(nik, date(1990, 7, 5), SexFemale); err != nil {
		t.Errorf("matching data: %v", err)
	}
	// The date is a calendar day in its own zone, not an instant.
	if err := CheckNIKAgainst(nik, time.Date(1990, 7, 5, 0, 30, 0, 0, wita), SexFemale); err != nil {
		t.Errorf("birth date in WITA: %v", err)
	}
	if err := CheckNIKAgainst(nik, time.Time{}, SexUnknown); err != nil {
		t.Errorf("nothing entered: %v", err)
	}
	wantCode(t, CheckNIKAgainst(nik, date(1990, 7, 6), SexFemale), FieldBirthDate, CodeNIKBirthDateMismatch)
	wantCode(t, CheckNIKAgainst(nik, date(1990, 7, 5), SexMale), FieldSex, CodeNIKSexMismatch)

	both := CheckNIKAgainst(nik, date(1990, 5, 7), SexMale)
	errs := Errors(both)
	if len(errs) != 2 || errs[0].Code != CodeNIKBirthDateMismatch || errs[1].Code != CodeNIKSexMismatch {
		t.Fatalf("both wrong: got %v", both)
	}
	if CodeOf(both) != CodeNIKBirthDateMismatch {
		t.Errorf("CodeOf(both) = %q", CodeOf(both))
	}
}

func TestErrorsHelpers(t *testing.T) {
	_, err := ParseNIK("123", today)
	wrapped := fmt.Errorf("registration: %w", err)
	if got := CodeOf(wrapped); got != CodeNIKLength {
		t.Errorf("CodeOf(wrapped) = %q", got)
	}
	if got := Errors(wrapped); len(got) != 1 || got[0].Code != CodeNIKLength {
		t.Errorf("Errors(wrapped) = %v", got)
	}
	if CodeOf(errors.New("other")) != "" || Errors(errors.New("other")) != nil || Errors(nil) != nil {
		t.Error("a foreign error must yield no code")
	}
}

// TestNIKNeverPrintsInFull guards UU 27/2022: whatever verb or logger a
// developer uses, the full NIK must not come out.
func TestNIKNeverPrintsInFull(t *testing.T) {
	nik, err := ParseNIK("5371014507900001", today)
	if err != nil {
		t.Fatal(err)
	}
	kk, err := ParseKK("5371012001150003", today)
	if err != nil {
		t.Fatal(err)
	}
	nip, err := ParseNIP("199005152015031002", today)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%q", "%x", "%20v"} {
		fmt.Fprintf(&out, verb+" "+verb+" "+verb+"\n", nik, kk, nip)
	}
	fmt.Fprintln(&out, []NIK{nik}, struct{ N NIK }{nik}, &nik)
	logger := slog.New(slog.NewJSONHandler(&out, nil))
	logger.Info("registered", "nik", nik, "kk", kk, "nip", nip)
	slog.New(slog.NewTextHandler(&out, nil)).Info("registered", "nik", nik)

	for _, full := range []string{nik.Digits(), kk.Digits(), nip.Digits()} {
		if strings.Contains(out.String(), full) {
			t.Errorf("output contains %s:\n%s", full, out.String())
		}
	}
	if !strings.Contains(out.String(), "5371********0001") || !strings.Contains(out.String(), "***************002") {
		t.Errorf("masked forms missing:\n%s", out.String())
	}
}

func TestSexString(t *testing.T) {
	for s, want := range map[Sex]string{SexUnknown: "unknown", SexMale: "male", SexFemale: "female", Sex(9): "unknown"} {
		if got := s.String(); got != want {
			t.Errorf("Sex(%d).String() = %q, want %q", s, got, want)
		}
	}
}

func TestZeroNIK(t *testing.T) {
	var n NIK
	if !n.IsZero() || n.Region() != "" || n.Province() != "" || n.Serial() != 0 || n.String() != "" || n.Sex() != SexUnknown {
		t.Errorf("zero NIK accessors: %q %q %d %q %v", n.Region(), n.Province(), n.Serial(), n.String(), n.Sex())
	}
}

func TestProvinceName(t *testing.T) {
	if name, ok := ProvinceName("53"); !ok || name != "Nusa Tenggara Timur" {
		t.Errorf("ProvinceName(53) = %q, %v", name, ok)
	}
	if _, ok := ProvinceName("54"); ok {
		t.Error("54 is not a province code")
	}
	if len(provinces) != 38 {
		t.Errorf("%d provinces, Indonesia has 38", len(provinces))
	}
}
