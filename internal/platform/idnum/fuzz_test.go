package idnum

import (
	"fmt"
	"strings"
	"testing"
)

// The fuzz targets check that no input panics, that every rejection is an
// *Error with a code, and that every accepted value round-trips: parsing its
// canonical form gives the same value, and its parts rebuild its digits.

func FuzzParseNIK(f *testing.F) {
	for _, s := range []string{"5371014507900001", "5371 0145 0790 0001", "5371012902000001", "5371017112859999",
		"9601016304200001", "5371013102900001", "", "0", "5371/014507900001", "537101450790000１"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		nik, err := ParseNIK(s, today)
		if err != nil {
			if CodeOf(err) == "" || !nik.IsZero() {
				t.Fatalf("rejection without a code or with a value: %v", err)
			}
			return
		}
		again, err := ParseNIK(nik.Digits(), today)
		if err != nil || again != nik {
			t.Fatalf("round trip of %q: %v, %v", nik.Digits(), again, err)
		}
		day := nik.BirthDate().Day()
		if nik.Sex() == SexFemale {
			day += 40
		}
		rebuilt := strings.ReplaceAll(nik.Region(), ".", "") + fmt.Sprintf("%02d%s%02d%04d",
			day, nik.BirthDate().Format("01"), nik.BirthDate().Year()%100, nik.Serial())
		if rebuilt != nik.Digits() {
			t.Fatalf("rebuilt %q from parts of %q", rebuilt, nik.Digits())
		}
		if nik.BirthDate().After(today) {
			t.Fatalf("born %v, after today", nik.BirthDate())
		}
		// The log scanner must catch every NIK the parser accepts.
		if !LooksLikeNIK("nik=" + nik.Digits()) {
			t.Fatalf("FindNIKLike misses %q", nik.Digits())
		}
		if strings.Contains(fmt.Sprint(nik), nik.Digits()) {
			t.Fatalf("fmt prints the full NIK")
		}
	})
}

func FuzzParseKK(f *testing.F) {
	for _, s := range []string{"5371012001150003", "5310052902080017", "5371016001150003", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		kk, err := ParseKK(s, today)
		if err != nil {
			if CodeOf(err) == "" || !kk.IsZero() {
				t.Fatalf("rejection without a code or with a value: %v", err)
			}
			return
		}
		again, err := ParseKK(kk.Digits(), today)
		if err != nil || again != kk {
			t.Fatalf("round trip of %q: %v, %v", kk.Digits(), again, err)
		}
		rebuilt := strings.ReplaceAll(kk.Region(), ".", "") + kk.IssueDate().Format("020106") + fmt.Sprintf("%04d", kk.Serial())
		if rebuilt != kk.Digits() {
			t.Fatalf("rebuilt %q from parts of %q", rebuilt, kk.Digits())
		}
	})
}

func FuzzParseNIP(f *testing.F) {
	for _, s := range []string{"199005152015031002", "19851231 201012 2 001", "200001012027062001", "189912312015031002", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		nip, err := ParseNIP(s, today)
		if err != nil {
			if CodeOf(err) == "" || !nip.IsZero() {
				t.Fatalf("rejection without a code or with a value: %v", err)
			}
			return
		}
		again, err := ParseNIP(nip.Digits(), today)
		if err != nil || again != nip {
			t.Fatalf("round trip of %q: %v, %v", nip.Digits(), again, err)
		}
		rebuilt := nip.BirthDate().Format("20060102") + nip.Appointment().Format("200601") +
			fmt.Sprintf("%d%03d", nip.Sex(), nip.Serial())
		if rebuilt != nip.Digits() {
			t.Fatalf("rebuilt %q from parts of %q", rebuilt, nip.Digits())
		}
		if nip.Appointment().Before(nip.BirthDate().AddDate(0, 0, 1-nip.BirthDate().Day())) {
			t.Fatalf("appointed before the birth month")
		}
	})
}

func FuzzParseBPJS(f *testing.F) {
	for _, s := range []string{"0001234567890", "0001 2345 67890", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseBPJS(s)
		if err != nil {
			if CodeOf(err) == "" || got != "" {
				t.Fatalf("rejection without a code or with a value: %v", err)
			}
			return
		}
		if again, err := ParseBPJS(got); err != nil || again != got || len(got) != BPJSDigits {
			t.Fatalf("round trip of %q: %q, %v", got, again, err)
		}
	})
}

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"081234565678", "6281234565678", "+62 812-3456-5678", "0380 821234", "+1 202 555 0143", "+", "0", "+62 0812 3456 5678"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := NormalizePhone(s)
		if err != nil {
			if CodeOf(err) == "" || got != "" {
				t.Fatalf("rejection without a code or with a value: %v", err)
			}
			return
		}
		if !strings.HasPrefix(got, "+62") {
			t.Fatalf("accepted %q", got)
		}
		if again, err := NormalizePhone(got); err != nil || again != got {
			t.Fatalf("round trip of %q: %q, %v", got, again, err)
		}
		if masked, want := MaskPhone(got), got[:6]+"****"+got[len(got)-4:]; masked != want {
			t.Fatalf("MaskPhone(%q) = %q, want %q", got, masked, want)
		}
	})
}

func FuzzFindNIKLike(f *testing.F) {
	for _, s := range []string{"nik=5371014507900001", "53710145079000012", "5371********0001", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, found := range FindNIKLike(s) {
			if len(found) != NIKDigits || !allDigits(found) || !strings.Contains(s, found) {
				t.Fatalf("found %q in %q", found, s)
			}
		}
		for _, mask := range []func(string) string{MaskNIK, MaskKK, MaskNIP, MaskBPJS, MaskPhone} {
			if LooksLikeNIK(mask(s)) {
				t.Fatalf("a mask of %q looks like a NIK", s)
			}
		}
	})
}
