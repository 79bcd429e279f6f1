package index

import (
	"encoding/json"
	"testing"
	"time"
)

// month parses a YYYY-MM literal in tests.
func month(s string) Month {
	m, err := ParseMonth(s)
	if err != nil {
		panic(err)
	}
	return m
}

func TestParseMonth(t *testing.T) {
	tests := []struct {
		in   string
		want Month
		ok   bool
	}{
		{"2024-01", Month{2024, time.January}, true},
		{"1999-12", Month{1999, time.December}, true},
		{"0001-01", Month{1, time.January}, true},
		{"9999-12", Month{9999, time.December}, true},
		{"2024-00", Month{}, false},
		{"2024-13", Month{}, false},
		{"0000-05", Month{}, false},
		{"2024-1", Month{}, false},
		{"24-01", Month{}, false},
		{"2024/01", Month{}, false},
		{"2024-01-01", Month{}, false},
		{"+024-01", Month{}, false},
		{"2024--1", Month{}, false},
		{"２024-01", Month{}, false},
		{"", Month{}, false},
	}
	for _, tt := range tests {
		got, err := ParseMonth(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseMonth(%q) error = %v, want ok = %v", tt.in, err, tt.ok)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseMonth(%q) = %v, want %v", tt.in, got, tt.want)
		}
		if tt.ok && got.String() != tt.in {
			t.Errorf("ParseMonth(%q).String() = %q", tt.in, got.String())
		}
	}
}

func TestMonthArithmetic(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2024-01", 0, "2024-01"},
		{"2024-01", 1, "2024-02"},
		{"2024-12", 1, "2025-01"},
		{"2024-01", -1, "2023-12"},
		{"2024-01", -12, "2023-01"},
		{"2024-01", -13, "2022-12"},
		{"2024-03", 119, "2034-02"},
		{"2024-11", 14, "2026-01"},
	}
	for _, tt := range tests {
		from, want := month(tt.from), month(tt.want)
		got := from.AddMonths(tt.n)
		if got != want {
			t.Errorf("%s.AddMonths(%d) = %s, want %s", from, tt.n, got, want)
		}
		if d := got.Sub(from); d != tt.n {
			t.Errorf("%s.Sub(%s) = %d, want %d", got, from, d, tt.n)
		}
		if got.Before(from) != (tt.n < 0) || got.After(from) != (tt.n > 0) {
			t.Errorf("%s vs %s: Before = %v, After = %v", got, from, got.Before(from), got.After(from))
		}
	}
}

func TestMonthOf(t *testing.T) {
	wita := time.FixedZone("WITA", 8*60*60)
	// 07:00 WITA on 1 February is still 31 January in UTC: the month is the
	// one of the instant's own location.
	at := time.Date(2025, time.February, 1, 7, 0, 0, 0, wita)
	if got := MonthOf(at); got != month("2025-02") {
		t.Errorf("MonthOf(WITA) = %s, want 2025-02", got)
	}
	if got := MonthOf(at.UTC()); got != month("2025-01") {
		t.Errorf("MonthOf(UTC) = %s, want 2025-01", got)
	}
}

func TestMonthValid(t *testing.T) {
	tests := []struct {
		m    Month
		want bool
	}{
		{Month{2024, time.June}, true},
		{Month{}, false},
		{Month{2024, 0}, false},
		{Month{2024, 13}, false},
		{Month{10000, time.January}, false},
		{Month{-1, time.January}, false},
	}
	for _, tt := range tests {
		if got := tt.m.Valid(); got != tt.want {
			t.Errorf("%+v.Valid() = %v, want %v", tt.m, got, tt.want)
		}
	}
}

func TestMonthJSON(t *testing.T) {
	in := map[Month]float64{month("2024-12"): 101.5}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"2024-12":101.5}` {
		t.Errorf("json = %s", b)
	}
	var out map[Month]float64
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out[month("2024-12")] != 101.5 {
		t.Errorf("round trip = %v", out)
	}
	if err := json.Unmarshal([]byte(`"2024-13"`), new(Month)); err == nil {
		t.Error("unmarshal 2024-13: no error")
	}
	if _, err := json.Marshal(Month{}); err == nil {
		t.Error("marshal zero Month: no error")
	}
}
