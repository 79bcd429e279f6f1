package idnum

import (
	"testing"
	"time"
)

// wita is Kupang's zone (UTC+8, no daylight saving), fixed so that the
// tests do not depend on the machine's tzdata.
var wita = time.FixedZone("WITA", 8*60*60)

// today is the reference day of the table tests.
var today = time.Date(2026, time.June, 1, 10, 0, 0, 0, wita)

func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// wantCode checks that err is an *Error with the given field and code.
func wantCode(t *testing.T, err error, field string, code Code) {
	t.Helper()
	errs := Errors(err)
	if len(errs) != 1 {
		t.Fatalf("got error %v, want exactly one *Error %s/%s", err, field, code)
	}
	if errs[0].Code != code || errs[0].Field != field {
		t.Fatalf("got %s/%s, want %s/%s (%v)", errs[0].Field, errs[0].Code, field, code, err)
	}
}
