package idnum

import (
	"testing"
	"time"
)

func TestParseNIPValid(t *testing.T) {
	tests := []struct {
		in          string
		birth       time.Time
		appointment time.Time
		sex         Sex
		serial      int
	}{
		{"199005152015031002", date(1990, 5, 15), date(2015, 3, 1), SexMale, 2},
		{"19851231 201012 2 001", date(1985, 12, 31), date(2010, 12, 1), SexFemale, 1},
		{"19720229.199803.1.999", date(1972, 2, 29), date(1998, 3, 1), SexMale, 999},
		// Appointed in the birth month (implausible, but not impossible by the
		// number's definition) and an appointment up to a year ahead.
		{"200001012000011001", date(2000, 1, 1), date(2000, 1, 1), SexMale, 1},
		{"200001012027062001", date(2000, 1, 1), date(2027, 6, 1), SexFemale, 1},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			nip, err := ParseNIP(tt.in, today)
			if err != nil {
				t.Fatalf("ParseNIP: %v", err)
			}
			if !nip.BirthDate().Equal(tt.birth) || !nip.Appointment().Equal(tt.appointment) || nip.Sex() != tt.sex || nip.Serial() != tt.serial {
				t.Errorf("got %s %s %v %d", nip.BirthDate().Format(time.DateOnly), nip.Appointment().Format(time.DateOnly), nip.Sex(), nip.Serial())
			}
			if nip.Digits() != stripSeparators(tt.in) {
				t.Errorf("Digits = %q", nip.Digits())
			}
		})
	}
}

func TestParseNIPInvalid(t *testing.T) {
	tests := []struct {
		name string
		in   string
		code Code
	}{
		{"empty", "", CodeNIPEmpty},
		{"letter", "19900515201503100Z", CodeNIPChars},
		{"NIK length", "5371014507900001", CodeNIPLength},
		{"30 February", "199002302015031002", CodeNIPBirthDate},
		{"month 00", "199000152015031002", CodeNIPBirthDate},
		{"born before 1900", "189912312015031002", CodeNIPBirthDate},
		{"born tomorrow", "202606022026061001", CodeNIPBirthDate},
		{"appointment month 00", "199005152015001002", CodeNIPAppointment},
		{"appointment month 13", "199005152015131002", CodeNIPAppointment},
		{"appointed before birth", "199005151990041002", CodeNIPAppointment},
		{"appointment 13 months ahead", "200001012027071001", CodeNIPAppointment},
		{"sex 0", "199005152015030002", CodeNIPSex},
		{"sex 3", "199005152015033002", CodeNIPSex},
		{"serial 000", "199005152015031000", CodeNIPSerial},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nip, err := ParseNIP(tt.in, today)
			wantCode(t, err, FieldNIP, tt.code)
			if !nip.IsZero() {
				t.Error("non-zero NIP with an error")
			}
		})
	}
}

func TestZeroNIP(t *testing.T) {
	var n NIP
	if n.Serial() != 0 || n.String() != "" || n.Sex() != SexUnknown {
		t.Error("zero NIP accessors must be empty")
	}
}
